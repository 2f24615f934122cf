import { spanishDate, toZonaCentro } from "../time/zona-centro.ts";
import { type ExplanationStep, step } from "./rules.ts";

export const RETENTION_YEARS = 5;

/**
 * Rule i (Lineamientos 6.1 and 7.7): acuses and notifications stay consultable for five years
 * after the event. A 29 February start ends on 28 February (no such day that year).
 */
export function retentionUntil(at: Temporal.Instant): {
  date: Temporal.PlainDate;
  step: ExplanationStep;
} {
  const from = toZonaCentro(at).toPlainDate();
  const date = from.add({ years: RETENTION_YEARS }, { overflow: "constrain" });
  return {
    date,
    step: step(
      "conservacion",
      `Se conserva y puede consultarse e imprimirse durante ${RETENTION_YEARS} años: hasta el ${spanishDate(date)}.`,
    ),
  };
}
