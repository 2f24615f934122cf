import { type FormEvent, useRef, useState } from "react";
import { type SignatureVerification, verificationApi } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { FormField } from "../signin/FormField.tsx";
import { formatBytes, MAX_SIGNATURE_BYTES, signatureToBase64 } from "./files.ts";
import { SignatureVerificationView } from "./SignatureVerificationView.tsx";
import { documentHash, readHead, useVerificationForm } from "./useVerificationForm.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;

type Field = "document" | "signature";

/**
 * «Firma de servidor público»: a document and its detached CMS signature. The document's
 * SHA-256 is computed here; only the hash and the signature are sent.
 */
export function SignatureForm() {
  const [document, setDocument] = useState<File | null>(null);
  const [signature, setSignature] = useState<File | null>(null);
  const [hashing, setHashing] = useState(false);
  const form = useVerificationForm<SignatureVerification, Field>();
  const inputs = {
    document: useRef<HTMLInputElement>(null),
    signature: useRef<HTMLInputElement>(null),
  };

  function refuse(field: Field, detail: string) {
    form.refuse(field, detail);
    inputs[field].current?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.loading) return;
    if (!document) return refuse("document", t.errors.signedDocumentMissing);
    if (document.size === 0) return refuse("document", t.errors.emptyFile);
    if (!signature) return refuse("signature", t.errors.signatureMissing);
    if (signature.size === 0) return refuse("signature", t.errors.emptyFile);
    if (signature.size > MAX_SIGNATURE_BYTES) {
      return refuse("signature", t.errors.signatureTooLarge(formatBytes(signature.size, "up")));
    }
    const bytes = await readHead(signature, MAX_SIGNATURE_BYTES);
    if (!bytes) return refuse("signature", t.errors.fileUnreadable);
    const firma = signatureToBase64(bytes);
    if (!firma) return refuse("signature", t.errors.notSignature);
    form.start(async (signal) => {
      setHashing(true);
      let sha256: string;
      try {
        sha256 = await documentHash(document);
      } finally {
        setHashing(false);
      }
      return verificationApi.firma({ sha256, firma }, signal);
    });
  }

  return (
    <>
      <VerificationFormFrame
        form={form}
        onSubmit={submit}
        working={hashing ? t.hashing : undefined}
        note={t.firma.privacyNote}
      >
        <FormField
          id="verificacion-firmado"
          label={t.firma.document}
          hint={t.firma.documentHint}
          invalid={form.invalid === "document"}
          inputRef={inputs.document}
          type="file"
          required
          onChange={(event) => setDocument(event.target.files?.[0] ?? null)}
        />
        <FormField
          id="verificacion-firma"
          label={t.firma.signature}
          hint={t.firma.signatureHint}
          invalid={form.invalid === "signature"}
          inputRef={inputs.signature}
          type="file"
          required
          accept=".p7s,.cms,.pem,application/pkcs7-signature"
          onChange={(event) => setSignature(event.target.files?.[0] ?? null)}
        />
      </VerificationFormFrame>
      {form.result && <SignatureVerificationView result={form.result} />}
    </>
  );
}
