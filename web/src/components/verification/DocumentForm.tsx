import { type FormEvent, useRef, useState } from "react";
import { type DocumentVerification, verificationApi } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { FormField } from "../signin/FormField.tsx";
import { DocumentVerificationView } from "./DocumentVerificationView.tsx";
import { documentHash, useVerificationForm } from "./useVerificationForm.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;

/**
 * «Documento original»: the document's SHA-256 is computed in this tab and only the hash is
 * sent; the answer lists the acuses that seal it.
 */
export function DocumentForm() {
  const [file, setFile] = useState<File | null>(null);
  const [hashing, setHashing] = useState(false);
  const form = useVerificationForm<DocumentVerification, "file">();
  const input = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const refusal = !file ? t.errors.documentMissing : file.size === 0 ? t.errors.emptyFile : "";
    if (!file || refusal) {
      form.refuse("file", refusal);
      input.current?.focus();
      return;
    }
    form.start(async (signal) => {
      setHashing(true);
      try {
        const sha256 = await documentHash(file);
        return await verificationApi.documento(sha256, signal);
      } finally {
        setHashing(false);
      }
    });
  }

  return (
    <>
      <VerificationFormFrame
        form={form}
        onSubmit={submit}
        working={hashing ? t.hashing : undefined}
        note={t.documento.privacyNote}
      >
        <FormField
          id="verificacion-documento"
          label={t.documento.file}
          hint={t.documento.fileHint}
          invalid={form.invalid === "file"}
          inputRef={input}
          type="file"
          required
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </VerificationFormFrame>
      {form.result && <DocumentVerificationView result={form.result} />}
    </>
  );
}
