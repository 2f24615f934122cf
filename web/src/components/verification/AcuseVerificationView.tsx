import type { AcuseVerification } from "../../api/verification.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { AcuseFacts, DocumentList, LogPosition } from "./AcuseFacts.tsx";
import { CheckList } from "./CheckList.tsx";
import { FactList } from "./FactList.tsx";
import { Hash } from "./Hash.tsx";
import { ResultSection } from "./ResultSection.tsx";
import { VerificationResult } from "./VerificationResult.tsx";

const t = es.verification;

/** The answer for an acuse (by folio and code, or by its PDF). */
export function AcuseVerificationView({ result }: { result: AcuseVerification }) {
  const { acuse, seal, timestamp, log, links } = result;
  return (
    <VerificationResult
      verdict={result.verdict}
      title={t.verdicts[result.verdict]}
      summary={result.summary}
    >
      {acuse && (
        <>
          <ResultSection title={t.acuseTitle}>
            <AcuseFacts acuse={acuse} />
          </ResultSection>
          <ResultSection title={t.documentsTitle}>
            <DocumentList documents={acuse.documents} />
          </ResultSection>
        </>
      )}
      {seal && (
        <ResultSection title={t.sealTitle}>
          <FactList
            facts={[
              { label: t.seal.certificateNumber, value: seal.certificateNumber },
              { label: t.seal.subject, value: seal.subject },
              { label: t.seal.fingerprint, value: <Hash value={seal.fingerprint} /> },
            ]}
          />
        </ResultSection>
      )}
      {timestamp && (
        <ResultSection title={t.timestampTitle}>
          <FactList
            facts={[
              { label: t.timestamp.genTime, value: formatInstant(timestamp.genTime) },
              ...(timestamp.tsa ? [{ label: t.timestamp.tsa, value: timestamp.tsa }] : []),
            ]}
          />
        </ResultSection>
      )}
      {log && (
        <ResultSection title={t.logTitle}>
          <LogPosition log={log} />
        </ResultSection>
      )}
      <CheckList checks={result.checks} />
      {links && (
        <ResultSection title={t.downloadsTitle}>
          <ul className="downloads">
            <li>
              <a className="download-link" href={links.pdf} download>
                {t.downloads.pdf}
              </a>
            </li>
            <li>
              <a className="download-link" href={links.json} download>
                {t.downloads.json}
              </a>
            </li>
            <li>
              <a className="download-link" href={links.tlogProof} download>
                {t.downloads.tlogProof}
              </a>
            </li>
          </ul>
        </ResultSection>
      )}
    </VerificationResult>
  );
}
