import { useId } from "react";
import type { PlazoWarning } from "../../api/types.ts";
import { otherReadingRows, type ReadingDates } from "../../data/calculator.ts";
import { es } from "../../i18n/es.ts";

const t = es.calculator.warnings;

/**
 * The debatable readings and calendar gaps that touched a result, in the API's Spanish; given
 * the result's dates (a calculation's, or a notification's), each with the dates the other
 * reading would give. A note to read, not an alarm: no alert role, since the result is fine and
 * the heading already took the focus.
 */
export function WarningsList({
  warnings,
  result,
  context,
}: {
  warnings: readonly PlazoWarning[];
  result?: ReadingDates | undefined;
  /** Read, not shown (as ExplanationList's): several lists open at once need their own names. */
  context?: string | undefined;
}) {
  const titleId = useId();
  if (warnings.length === 0) return null;
  return (
    <section className="warnings" aria-labelledby={titleId}>
      <h3 className="warnings__title" id={titleId}>
        {t.title}
        {context && <span className="visually-hidden">{context}</span>}
      </h3>
      <ul className="warnings__list">
        {warnings.map((warning) => {
          const rows = result ? otherReadingRows(warning, result) : [];
          return (
            <li
              className="warnings__item"
              key={`${warning.code}:${warning.text}`}
              data-code={warning.code}
            >
              <p className="warnings__text">{warning.text}</p>
              {rows.length > 0 && (
                <>
                  <p className="warnings__other-title">{t.otherReading}</p>
                  <dl className="warnings__other">
                    {rows.map((row) => (
                      <div className="warnings__other-row" key={row.label}>
                        <dt>{row.label}</dt>
                        <dd>{row.value}</dd>
                      </div>
                    ))}
                  </dl>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
