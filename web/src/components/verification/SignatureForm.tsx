import { VERIFICATION_FIELDS } from "../../data/verification.ts";
import { es } from "../../i18n/es.ts";
import { FileField } from "../form/FileField.tsx";
import { SignatureVerificationView } from "./SignatureVerificationView.tsx";
import { useVerification } from "./useVerification.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;
const F = VERIFICATION_FIELDS;

/**
 * «Firma de servidor público»: a document and its detached CMS signature. The document's
 * SHA-256 is computed here; only the hash and the signature are sent.
 */
export function SignatureForm() {
  const verification = useVerification("firma");
  return (
    <>
      <VerificationFormFrame
        verification={verification}
        files
        working={t.hashing}
        note={t.firma.privacyNote}
      >
        <FileField
          id={F.signedDocument}
          label={t.firma.document}
          hint={t.firma.documentHint}
          error={verification.errors[F.signedDocument]}
        />
        <FileField
          id={F.signature}
          label={t.firma.signature}
          hint={t.firma.signatureHint}
          error={verification.errors[F.signature]}
          accept=".p7s,.cms,.pem,application/pkcs7-signature"
        />
      </VerificationFormFrame>
      {verification.result && <SignatureVerificationView result={verification.result} />}
    </>
  );
}
