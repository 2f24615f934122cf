import { type FormEvent, useRef, useState } from "react";
import { type AcuseVerification, verificationApi } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { FormField } from "../signin/FormField.tsx";
import { AcuseVerificationView } from "./AcuseVerificationView.tsx";
import {
  formatBytes,
  looksLikeJson,
  looksLikePdf,
  MAX_EXPORT_BYTES,
  MAX_PDF_BYTES,
} from "./files.ts";
import { readHead, useVerificationForm } from "./useVerificationForm.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;

/**
 * «Acuse en PDF»: the acuse's PDF is sent as it is, after a look at its size and header; its
 * exported JSON (acuse.json, the «Descargar datos» file) is accepted by the same field.
 */
export function PdfForm() {
  const [file, setFile] = useState<File | null>(null);
  const form = useVerificationForm<AcuseVerification, "file">();
  const input = useRef<HTMLInputElement>(null);

  function refuse(detail: string) {
    form.refuse("file", detail);
    input.current?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.loading) return;
    if (!file) return refuse(t.errors.pdfMissing);
    if (file.size === 0) return refuse(t.errors.emptyFile);
    if (file.size > MAX_PDF_BYTES)
      return refuse(t.errors.pdfTooLarge(formatBytes(file.size, "up")));
    const head = await readHead(file, 1024);
    if (!head) return refuse(t.errors.fileUnreadable);
    if (looksLikeJson(head)) {
      if (file.size > MAX_EXPORT_BYTES) return refuse(t.errors.jsonTooLarge);
      let exported: unknown;
      try {
        exported = JSON.parse((await file.text()).replace(/^\uFEFF/, ""));
      } catch {
        return refuse(t.errors.notJson);
      }
      form.start((signal) => verificationApi.export(exported, signal));
      return;
    }
    if (!looksLikePdf(head)) return refuse(t.errors.notPdf);
    form.start((signal) => verificationApi.pdf(file, signal));
  }

  return (
    <>
      <VerificationFormFrame form={form} onSubmit={submit}>
        <FormField
          id="verificacion-pdf"
          label={t.pdf.file}
          hint={t.pdf.fileHint}
          invalid={form.invalid === "file"}
          inputRef={input}
          type="file"
          required
          accept=".pdf,application/pdf,.json,application/json"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </VerificationFormFrame>
      {form.result && <AcuseVerificationView result={form.result} />}
    </>
  );
}
