import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { SEGUNDO_AVISO_TEMPLATE } from "./aviso.ts";
import { AVISO_TEMPLATE } from "./templates.ts";

/** The messages that leave only inside the notification window: the first and second aviso. */
const WINDOWED: ReadonlySet<string> = new Set([AVISO_TEMPLATE, SEGUNDO_AVISO_TEMPLATE]);

/**
 * When an aviso found due at `at` may actually be sent (issue 11 §2: «the aviso goes out only
 * inside the notification window»): undefined inside 09:30–18:00 of a business day, otherwise
 * 09:30 of the next business day (rule a, the same `notificationInstant` that dated the aviso).
 * Its legal instant is not this one: it was fixed when the act was deposited. This only keeps
 * the message itself from arriving at night after a retry or a worker that was down. Every
 * other message (a validation code, a comunicado) goes at once, without reading the calendar.
 */
export async function avisoHoldUntil(
  template: string,
  at: Temporal.Instant,
  calendar: () => Promise<BusinessCalendar>,
): Promise<Temporal.Instant | undefined> {
  if (!WINDOWED.has(template)) return undefined;
  const { instant } = notificationInstant(await calendar(), at);
  return Temporal.Instant.compare(instant, at) > 0 ? instant : undefined;
}
