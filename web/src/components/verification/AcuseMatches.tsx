import { useId } from "react";
import type { SealingAcuse } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { LogPosition } from "./AcuseFacts.tsx";
import { FactList } from "./FactList.tsx";
import { ResultSection } from "./ResultSection.tsx";

const t = es.verification;

/**
 * The acuses that seal a document: what happened and when, the document's name in each, and
 * its log entry — never who or the folio (a public document must not list its signers).
 */
export function AcuseMatches({ acuses, total }: { acuses: SealingAcuse[]; total: number }) {
  if (acuses.length === 0) return null;
  return (
    <ResultSection title={t.acusesTitle}>
      <p className="acuse-matches__note">{t.sealingPrivacy}</p>
      {total > acuses.length && <p>{t.sealingMore(acuses.length, total)}</p>}
      <ul className="acuse-matches">
        {acuses.map((acuse) => (
          <AcuseMatch
            acuse={acuse}
            key={`${acuse.kind}-${acuse.eventAt}-${acuse.log?.leafIndex}`}
          />
        ))}
      </ul>
    </ResultSection>
  );
}

function AcuseMatch({ acuse }: { acuse: SealingAcuse }) {
  const titleId = useId();
  return (
    <li className="acuse-match">
      <article aria-labelledby={titleId}>
        <h4 className="acuse-match__title" id={titleId}>
          {t.sealingAcuseOf(acuse.kindLabel, acuse.eventAtText)}
        </h4>
        <FactList
          facts={[
            { label: t.facts.kind, value: acuse.kindLabel },
            { label: t.facts.eventAt, value: acuse.eventAtText },
            { label: t.facts.countsAt, value: acuse.countsAtText },
            { label: t.facts.documentName, value: acuse.documentName },
          ]}
        />
        {acuse.log && <LogPosition log={acuse.log} />}
      </article>
    </li>
  );
}
