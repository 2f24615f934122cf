import type { DocumentVerification } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { AcuseMatches } from "./AcuseMatches.tsx";
import { Hash } from "./Hash.tsx";
import { ResultSection } from "./ResultSection.tsx";
import { VerificationResult } from "./VerificationResult.tsx";

const t = es.verification;

/** The answer for an original document: the acuses that seal its SHA-256, if any. */
export function DocumentVerificationView({ result }: { result: DocumentVerification }) {
  return (
    <VerificationResult
      verdict={result.verdict}
      title={result.verdict === "no_encontrado" ? t.documentNotFound : t.verdicts[result.verdict]}
      summary={result.summary}
    >
      <ResultSection title={t.documentHashTitle}>
        <p>
          <Hash value={result.sha256} />
        </p>
      </ResultSection>
      <AcuseMatches acuses={result.acuses} total={result.total} />
    </VerificationResult>
  );
}
