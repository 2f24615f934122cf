import { useId } from "react";
import type { DocumentAcuse } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { AcuseFacts, LogPosition } from "./AcuseFacts.tsx";
import { ResultSection } from "./ResultSection.tsx";

const t = es.verification;

/** The acuses that seal a document: each one's data, the document's name in it, its log entry. */
export function AcuseMatches({ acuses }: { acuses: DocumentAcuse[] }) {
  if (acuses.length === 0) return null;
  return (
    <ResultSection title={t.acusesTitle}>
      <ul className="acuse-matches">
        {acuses.map((acuse) => (
          <AcuseMatch acuse={acuse} key={acuse.folio} />
        ))}
      </ul>
    </ResultSection>
  );
}

function AcuseMatch({ acuse }: { acuse: DocumentAcuse }) {
  const titleId = useId();
  return (
    <li className="acuse-match">
      <article aria-labelledby={titleId}>
        <h4 className="acuse-match__title" id={titleId}>
          {t.acuseOf(acuse.folio)}
        </h4>
        <AcuseFacts
          acuse={acuse}
          extra={[{ label: t.facts.documentName, value: acuse.documentName }]}
        />
        {acuse.log && <LogPosition log={acuse.log} />}
      </article>
    </li>
  );
}
