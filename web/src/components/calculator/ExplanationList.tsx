import { useId } from "react";
import type { ExplanationStep } from "../../api/types.ts";
import { stepWithOneBasis } from "../../data/calculator.ts";
import { es } from "../../i18n/es.ts";

/**
 * Each step of the computation, in order, with its legal basis. A notification's page shows
 * the steps behind one date under its own `title`, with the date it explains as `context`
 * (read, not shown): several can be open at once, and each region needs its own name.
 */
export function ExplanationList({
  steps,
  title,
  context,
}: {
  steps: ExplanationStep[];
  title?: string;
  context?: string;
}) {
  const titleId = useId();
  return (
    <section className="explanation" aria-labelledby={titleId}>
      <h3 id={titleId} className="explanation__title">
        {title ?? es.calculator.explanationTitle}
        {context && <span className="visually-hidden">{context}</span>}
      </h3>
      <ol className="explanation__list">
        {steps.map(stepWithOneBasis).map((step, index) => (
          // Steps have no identity of their own; their order is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole.
          <li className="explanation__step" key={index}>
            <p className="explanation__text">{step.text}</p>
            <p className="explanation__basis">
              <small>
                {es.calculator.basis} {step.basis}
              </small>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
