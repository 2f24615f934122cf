import type { NextStep } from "../../data/mailbox.ts";
import { es } from "../../i18n/es.ts";

const t = es.mailbox;

const ORDER = ["register", "validate", "sign"] as const;

/** Where each step stands, given the next one to take. */
function stateOf(step: (typeof ORDER)[number], next: NextStep): "done" | "current" | "pending" {
  if (next === "done") return "done";
  const current = next === "resign" ? "sign" : next;
  const at = ORDER.indexOf(step);
  const now = ORDER.indexOf(current);
  return at < now ? "done" : at === now ? "current" : "pending";
}

/** Lineamientos 5.1–5.3 as three steps, each marked done, next or pending (in words, too). */
export function ActivationSteps({ next }: { next: NextStep }) {
  return (
    <section aria-labelledby="pasos">
      <h2 id="pasos">{t.stepsTitle}</h2>
      <ol className="activation-steps">
        {ORDER.map((step) => {
          const state = stateOf(step, next);
          return (
            <li
              className={`activation-steps__step activation-steps__step--${state}`}
              key={step}
              aria-current={state === "current" ? "step" : undefined}
            >
              <span className="activation-steps__state">{t.stepState[state]}</span>
              <span className="activation-steps__text">{t.steps[step]}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
