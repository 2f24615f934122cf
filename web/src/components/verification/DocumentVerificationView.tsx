import type { DocumentVerification } from "../../api/verification.ts";
import { formatDate } from "../../format/dates.ts";
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
      {result.documento && (
        <ResultSection title={es.expedientes.verification.title}>
          <dl className="facts">
            <div className="facts__row">
              <dt>{es.expedientes.verification.kind}</dt>
              <dd>{result.documento.kindName}</dd>
            </div>
            <div className="facts__row">
              <dt>{es.expedientes.verification.period}</dt>
              <dd>{result.documento.periodLabel}</dd>
            </div>
            <div className="facts__row">
              <dt>{es.expedientes.verification.publishedOn}</dt>
              <dd>{formatDate(result.documento.publishedOn)}</dd>
            </div>
          </dl>
          <p className="note">{es.expedientes.verification.note}</p>
        </ResultSection>
      )}
      <AcuseMatches acuses={result.acuses} total={result.total} />
    </VerificationResult>
  );
}
