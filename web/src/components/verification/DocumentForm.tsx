import { VERIFICATION_FIELDS } from "../../data/verification.ts";
import { es } from "../../i18n/es.ts";
import { FileField } from "../form/FileField.tsx";
import { DocumentVerificationView } from "./DocumentVerificationView.tsx";
import { useVerification } from "./useVerification.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;
const F = VERIFICATION_FIELDS;

/**
 * «Documento original»: the document's SHA-256 is computed in this tab and only the hash is
 * sent; the answer lists the acuses that seal it.
 */
export function DocumentForm() {
  const verification = useVerification("documento");
  return (
    <>
      <VerificationFormFrame
        verification={verification}
        files
        working={t.hashing}
        note={t.documento.privacyNote}
      >
        <FileField
          id={F.document}
          label={t.documento.file}
          hint={t.documento.fileHint}
          error={verification.errors[F.document]}
        />
      </VerificationFormFrame>
      {verification.result && <DocumentVerificationView result={verification.result} />}
    </>
  );
}
