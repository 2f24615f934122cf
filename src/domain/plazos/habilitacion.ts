import { spanishDate } from "../time/zona-centro.ts";
import { type ExplanationStep, RULES_VERSION, step } from "./rules.ts";

/** Lineamientos in force from the day after publication in the DOF (5 Aug 2024). */
export const LINEAMIENTOS_ENTRY_INTO_FORCE = Temporal.PlainDate.from("2024-08-06");
export const ACTIVATION_CALENDAR_DAYS = 180;

export interface HabilitacionResult {
  entryIntoForce: string;
  deadline: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/**
 * Rule h (transitorio primero): 180 calendar days "a partir de la entrada en vigor", counting
 * that day as the first, so 6 Aug 2024 gives 1 Feb 2025 as the Institute announced.
 */
export function computeHabilitacion(
  entryIntoForce: Temporal.PlainDate = LINEAMIENTOS_ENTRY_INTO_FORCE,
  days: number = ACTIVATION_CALENDAR_DAYS,
): HabilitacionResult {
  const deadline = entryIntoForce.add({ days: days - 1 });
  return {
    entryIntoForce: entryIntoForce.toString(),
    deadline: deadline.toString(),
    rulesVersion: RULES_VERSION,
    explanation: [
      step(
        "habilitacion",
        `${days} días naturales contados desde el día de entrada en vigor, ${spanishDate(entryIntoForce)} (día 1), vencen el ${spanishDate(deadline)} (día ${days}).`,
      ),
    ],
  };
}
