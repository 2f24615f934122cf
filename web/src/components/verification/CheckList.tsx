import type { VerificationCheck } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { OutcomeIcon } from "./Icons.tsx";
import { ResultSection } from "./ResultSection.tsx";

const t = es.verification;

/** Every check made, each with its outcome in words (and an icon), its title and what was found. */
export function CheckList({ checks }: { checks: VerificationCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <ResultSection title={t.checksTitle}>
      <ul className="checks">
        {checks.map((check, index) => (
          // A check id could in principle repeat (one per document); the order is stable.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole.
          <li className={`check check--${check.outcome}`} key={`${check.id}-${index}`}>
            <span className="check__outcome">
              <OutcomeIcon outcome={check.outcome} />
              {t.outcomes[check.outcome]}
            </span>
            <div className="check__body">
              <p className="check__title">{check.title}</p>
              <p className="check__detail">{check.detail}</p>
            </div>
          </li>
        ))}
      </ul>
    </ResultSection>
  );
}
