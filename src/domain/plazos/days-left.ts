import { nthBusinessDayAfter } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { zonaCentroDateString } from "../time/zona-centro.ts";
import { DAYS_TO_OPEN } from "./notificacion.ts";

/**
 * Business days left to open an act at `at` (Lineamientos 7.4): of the opening term's three
 * business days — counted from the business day after the aviso's date, up to `openBy`, as
 * `computeNotificacion` counts them — those from `at`'s Zona Centro date on, that day included
 * when it is one of them. On the aviso's own day (or before it) all three are ahead; after
 * `openBy`, 0. Counted on `calendar`, the version that gives `openBy`.
 */
export function businessDaysLeftToOpen(
  calendar: BusinessCalendar,
  avisoAt: Temporal.Instant,
  at: Temporal.Instant,
): number {
  const avisoDate = Temporal.PlainDate.from(zonaCentroDateString(avisoAt));
  const today = zonaCentroDateString(at);
  const term = nthBusinessDayAfter(calendar, avisoDate, DAYS_TO_OPEN);
  // ISO dates compare as text.
  return term.counted.filter((day) => day.toString() >= today).length;
}
