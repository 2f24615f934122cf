import { type BusinessCalendar, createCalendar } from "../calendar/calendar.ts";
import { extendToBusinessDay } from "../calendar/extension.ts";
import { spanishDate } from "../time/zona-centro.ts";
import { describeSkipped } from "./explain.ts";
import { type ExplanationStep, RULES_VERSION, step } from "./rules.ts";

/** Lineamientos in force from the day after publication in the DOF (5 Aug 2024). */
export const LINEAMIENTOS_ENTRY_INTO_FORCE = Temporal.PlainDate.from("2024-08-06");
export const ACTIVATION_CALENDAR_DAYS = 180;

/**
 * For callers without the calendar service (the padrón's campaign and estrados): CFF art. 12
 * days only, named as such. The IMSS declared no day around 1 Feb 2025 in any shipped version,
 * so the deadline is the same; the plazos API and CLI pass the calendar in force.
 */
const CFF_ONLY = createCalendar({ authority: "IMSS", version: "cff-art-12", days: [] });

export interface HabilitacionResult {
  entryIntoForce: string;
  /** Day 180 counting the day of entry into force: what the Institute announced. */
  nominalDeadline: string;
  /** The nominal deadline extended to a business day (CFF art. 12, last ¶). */
  deadline: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/**
 * Rule h (transitorio primero): 180 calendar days "a partir de la entrada en vigor", counting
 * that day as the first, so 6 Aug 2024 gives 1 Feb 2025 as the Institute announced. A term fixed
 * as a period counts every day (CFF 12 ¶3) but, ending on a non-business day, runs to the next
 * business day (CFF 12, last ¶): Sat 1 Feb, Sun 2 and Mon 3 Feb 2025 (CFF) → Tue 4 Feb 2025.
 */
export function computeHabilitacion(
  calendar: BusinessCalendar = CFF_ONLY,
  entryIntoForce: Temporal.PlainDate = LINEAMIENTOS_ENTRY_INTO_FORCE,
  days: number = ACTIVATION_CALENDAR_DAYS,
): HabilitacionResult {
  const nominal = entryIntoForce.add({ days: days - 1 });
  const extended = extendToBusinessDay(calendar, nominal);
  const explanation = [
    step(
      "habilitacion",
      `${days} días naturales contados desde el día de entrada en vigor, ${spanishDate(entryIntoForce)} (día 1), vencen nominalmente el ${spanishDate(nominal)} (día ${days}); en los plazos por periodo se cuentan todos los días (CFF art. 12, tercer párrafo).`,
    ),
  ];
  if (extended.steppedOver.length > 0) {
    explanation.push(
      step(
        "prorroga_ultimo_dia",
        // The nominal day is named in the step before: here only the days stepped over,
        // told as every other explanation tells them.
        `El último día no es hábil: el plazo se prorroga hasta el siguiente día hábil, ${spanishDate(extended.date)}.${describeSkipped(extended.steppedOver, { authority: calendar.authority })}`,
        extended.steppedOver,
      ),
    );
  }
  return {
    entryIntoForce: entryIntoForce.toString(),
    nominalDeadline: nominal.toString(),
    deadline: extended.date.toString(),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    rulesVersion: RULES_VERSION,
    explanation,
  };
}
