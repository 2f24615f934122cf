import { useEffect, useId, useRef } from "react";
import type { FieldErrors } from "../../forms/fields.ts";
import { es } from "../../i18n/es.ts";

/**
 * Every error of a submitted form at once, above it, each a link to its field; it takes the
 * focus when a submission is refused so the keyboard and screen readers start there.
 * `submission` changes on every refused submission (so the same errors refocus).
 */
export function ErrorSummary({
  errors,
  submission,
}: {
  errors: FieldErrors | undefined;
  submission: unknown;
}) {
  const box = useRef<HTMLElement>(null);
  const titleId = useId();
  const entries = Object.entries(errors ?? {});
  const count = entries.length;

  useEffect(() => {
    if (count > 0 && submission !== undefined) box.current?.focus();
  }, [count, submission]);

  if (count === 0) return null;
  return (
    <section className="error-summary" tabIndex={-1} ref={box} aria-labelledby={titleId}>
      <h2 className="error-summary__title" id={titleId}>
        {es.forms.summaryTitle(count)}
      </h2>
      <ul className="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a
              href={`#${field}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(field)?.focus();
              }}
            >
              {message}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
