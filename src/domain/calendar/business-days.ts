import { DomainError } from "../errors.ts";
import type { BusinessCalendar } from "./calendar.ts";
import type { NonBusinessDay } from "./cff-holidays.ts";

/** A count of business days, with the days it had to step over and why. */
export interface BusinessDayCount {
  /** The business day reached. */
  date: Temporal.PlainDate;
  /** Every business day counted, in order (the last one is `date`). */
  counted: Temporal.PlainDate[];
  /** Every non-business day stepped over, in order. */
  skipped: NonBusinessDay[];
}

/**
 * No authority closes for ten years in a row; a calendar that makes us walk that far is wrong,
 * and refusing beats looping forever.
 */
const MAX_WALK_DAYS = 3660;

/**
 * The n-th business day strictly after `from` (n ≥ 1): day 1 is the first business day after
 * `from`'s date. This is how CFF art. 12 and 134-I count terms "a partir del día hábil
 * siguiente".
 */
export function nthBusinessDayAfter(
  calendar: BusinessCalendar,
  from: Temporal.PlainDate,
  n: number,
): BusinessDayCount {
  if (!Number.isInteger(n) || n < 1) {
    throw new DomainError("out_of_range", `El número de días hábiles debe ser positivo: ${n}.`);
  }
  const counted: Temporal.PlainDate[] = [];
  const skipped: NonBusinessDay[] = [];
  let day = from;
  for (let walked = 0; counted.length < n; walked++) {
    if (walked >= MAX_WALK_DAYS) {
      throw new DomainError(
        "calendar_exhausted",
        `El calendario ${calendar.authority} ${calendar.version} no tiene días hábiles suficientes después del ${from.toString()}.`,
      );
    }
    day = day.add({ days: 1 });
    const reason = calendar.nonBusinessReason(day);
    if (reason) skipped.push(reason);
    else counted.push(day);
  }
  return { date: day, counted, skipped };
}

/** The first business day strictly after `from`. */
export function nextBusinessDay(
  calendar: BusinessCalendar,
  from: Temporal.PlainDate,
): BusinessDayCount {
  return nthBusinessDayAfter(calendar, from, 1);
}
