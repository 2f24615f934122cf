import { useId } from "react";
import { Link } from "react-router";
import type { AcuseVerification, VerifiedAcuse } from "../../api/verification.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { AcuseFacts, DocumentList, LogPosition, LogTechnical } from "./AcuseFacts.tsx";
import { CheckList } from "./CheckList.tsx";
import { type Fact, FactList } from "./FactList.tsx";
import { Hash } from "./Hash.tsx";
import { ResultSection } from "./ResultSection.tsx";
import { VerificationResult } from "./VerificationResult.tsx";

const t = es.verification;

/**
 * The answer for an acuse (by folio and code, by its PDF or its JSON). When the file presented
 * is altered, the Institute's record (if the folio and code still identify one) comes first,
 * labelled as the authentic data, and what the file says comes after, labelled as untrusted.
 */
export function AcuseVerificationView({ result }: { result: AcuseVerification }) {
  const { acuse, record, seal, timestamp, log, links } = result;
  const notIssued = result.checks.some((c) => c.id === "firma_pdf" && c.outcome === "failed");
  const altered = result.verdict === "alterado";
  const technical: Fact[] = [];
  const shown = record ?? acuse;
  if (shown) {
    technical.push(
      { label: t.facts.ruleId, value: <code>{shown.rule}</code> },
      { label: t.facts.calendar, value: shown.calendarVersion },
      { label: t.facts.rulesVersion, value: shown.rulesVersion },
    );
  }
  if (seal) {
    technical.push(
      { label: t.seal.certificateNumber, value: seal.certificateNumber },
      { label: t.seal.subject, value: seal.subject },
      { label: t.seal.fingerprint, value: <Hash value={seal.fingerprint} /> },
    );
  }
  if (timestamp) {
    technical.push({ label: t.timestamp.genTime, value: formatInstant(timestamp.genTime) });
    if (timestamp.tsa) technical.push({ label: t.timestamp.tsa, value: timestamp.tsa });
  }
  if (log) technical.push({ label: t.logTitle, value: <LogTechnical log={log} /> });
  return (
    <VerificationResult
      verdict={result.verdict}
      title={notIssued ? t.notIssued : t.verdicts[result.verdict]}
      summary={result.summary}
    >
      {result.demonstration && (
        <p className="demo-band" role="note">
          <strong>{t.demonstration}</strong> {t.demonstrationNote}
        </p>
      )}
      {result.olderCopy && record && links && <OlderCopy folio={record.folio} pdf={links.pdf} />}
      {record && (
        <div className="record">
          <AcuseSections acuse={record} title={t.recordTitle} />
          <p className="record__note">{t.recordNote}</p>
        </div>
      )}
      {/* With the record shown, the file's attached data add nothing (they may even equal the
          record while the visible page says otherwise). */}
      {acuse && !record && (
        <div className={altered ? "file-data" : undefined}>
          <AcuseSections acuse={acuse} title={altered ? t.fileDataTitle : t.acuseTitle} />
        </div>
      )}
      {log && !altered && (
        <ResultSection title={t.logTitle}>
          <LogPosition log={log} />
        </ResultSection>
      )}
      <CheckList checks={result.checks} />
      {technical.length > 0 && (
        <details className="technical">
          <summary>{t.technicalTitle}</summary>
          <FactList facts={technical} />
        </details>
      )}
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

/**
 * An unsigned PDF whose sealed data are the record: perhaps a copy issued before the Institute
 * sealed its PDFs. Where to get the current, sealed one: its download, and the verification by
 * folio and code (the code travels in the download's address).
 */
function OlderCopy({ folio, pdf }: { folio: string; pdf: string }) {
  const code = new URL(pdf, window.location.origin).searchParams.get("codigo") ?? "";
  const titleId = useId();
  return (
    <section className="older-copy" aria-labelledby={titleId}>
      <h3 className="older-copy__title" id={titleId}>
        {t.olderCopy.title}
      </h3>
      <p>{t.olderCopy.text}</p>
      <ul className="downloads">
        <li>
          <a className="download-link" href={pdf} download>
            {t.olderCopy.download}
          </a>
        </li>
        <li>
          <Link
            className="download-link"
            to={`/verificacion/${encodeURIComponent(folio)}?codigo=${encodeURIComponent(code)}`}
          >
            {t.olderCopy.byFolio}
          </Link>
        </li>
      </ul>
    </section>
  );
}

/**
 * What a means acuse registered or validated (ADR 0012): the kept text, line by line. The check
 * «Texto de lo registrado» says whether its SHA-256 is the one sealed.
 */
function StatementSection({
  acuse,
  statement,
}: {
  acuse: VerifiedAcuse;
  statement: NonNullable<VerifiedAcuse["statement"]>;
}) {
  const lines = statement.text.replace(/\n$/, "").split("\n").slice(1);
  const facts: Fact[] = lines.map((line) => {
    const colon = line.indexOf(": ");
    return colon > 0
      ? { label: line.slice(0, colon), value: line.slice(colon + 2) }
      : { label: "", value: line };
  });
  return (
    <ResultSection title={t.statement.titles[acuse.kind] ?? t.statement.title} level={4}>
      <FactList facts={facts} />
      <p className="statement">{t.statement.note(statement.name)}</p>
    </ResultSection>
  );
}

function AcuseSections({ acuse, title }: { acuse: VerifiedAcuse; title: string }) {
  return (
    <ResultSection title={title}>
      <AcuseFacts acuse={acuse} />
      {acuse.statement && <StatementSection acuse={acuse} statement={acuse.statement} />}
      <ResultSection title={t.documentsTitle} level={4}>
        <DocumentList documents={acuse.documents} />
      </ResultSection>
    </ResultSection>
  );
}
