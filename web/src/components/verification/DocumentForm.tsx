import { type FormEvent, useRef, useState } from "react";
import { type DocumentVerification, verificationApi } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { FormField } from "../signin/FormField.tsx";
import { DocumentVerificationView } from "./DocumentVerificationView.tsx";
import { documentHash, useVerificationForm } from "./useVerificationForm.ts";
import { VerificationStatus, VerifyButton } from "./VerifyButton.tsx";

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
      <form className="form form--narrow" onSubmit={submit} noValidate aria-busy={form.loading}>
        <div className="fieldset">
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
        </div>
        <p className="privacy-note">{t.documento.privacyNote}</p>
        <VerifyButton loading={form.loading} buttonRef={form.button} />
      </form>
      <VerificationStatus message={hashing ? t.hashing : form.loading ? t.submitting : undefined} />
      <ErrorAlert problem={form.problem} />
      {form.result && <DocumentVerificationView result={form.result} />}
    </>
  );
}
