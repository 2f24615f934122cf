import type { BusinessCalendar, TermPurpose } from "./calendar.ts";
import type { NonBusinessDay } from "./cff-holidays.ts";

/** Where a term that ends on a given day really ends, and the days that moved it. */
export interface Extension {
  /** The day the term ends on after the extension (the given day when none applies). */
  date: Temporal.PlainDate;
  /** The days stepped over (non-business or offices closed), in order; empty: no extension. */
  steppedOver: NonBusinessDay[];
}

/** No authority closes for ten years in a row (same bound as the business-day walk). */
const MAX_WALK_DAYS = 3660;

/**
 * CFF art. 12, last paragraph: «si el último día del plazo o en la fecha determinada, las
 * oficinas ante las que se vaya a hacer el trámite permanecen cerradas durante el horario normal
 * de labores o se trate de un día inhábil, se prorrogará el plazo hasta el siguiente día hábil».
 * Applies to terms fixed in days, as periods or as a date (the activation deadline; the 17th of
 * LSS art. 39 for payments, with `declaraciones_y_pagos` so general vacations count as hábiles).
 */
export function extendToBusinessDay(
  calendar: BusinessCalendar,
  last: Temporal.PlainDate,
  purpose: TermPurpose = "general",
): Extension {
  const steppedOver: NonBusinessDay[] = [];
  let day = last;
  for (let walked = 0; walked < MAX_WALK_DAYS; walked++) {
    const why = calendar.nonBusinessReason(day, purpose) ?? calendar.closedReason(day);
    if (!why) return { date: day, steppedOver };
    steppedOver.push(why);
    day = day.add({ days: 1 });
  }
  return { date: day, steppedOver };
}
