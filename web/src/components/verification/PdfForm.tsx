import { VERIFICATION_FIELDS } from "../../data/verification.ts";
import { es } from "../../i18n/es.ts";
import { FileField } from "../form/FileField.tsx";
import { AcuseVerificationView } from "./AcuseVerificationView.tsx";
import { useVerification } from "./useVerification.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;
const F = VERIFICATION_FIELDS;

/**
 * «Acuse en PDF»: the acuse's PDF, sent as it is after a look at its size and header, or its
 * exported JSON (acuse.json, the «Descargar datos» file) in the same field (data/verification.ts).
 */
export function PdfForm() {
  const verification = useVerification("pdf");
  return (
    <>
      <VerificationFormFrame verification={verification} files>
        <FileField
          id={F.pdf}
          label={t.pdf.file}
          hint={t.pdf.fileHint}
          error={verification.errors[F.pdf]}
          accept=".pdf,application/pdf,.json,application/json"
        />
      </VerificationFormFrame>
      {verification.result && <AcuseVerificationView result={verification.result} />}
    </>
  );
}
