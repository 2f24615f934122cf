import { nextBusinessDay } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { capitalize } from "../text.ts";
import {
  atLocalTime,
  spanishDate,
  spanishInstant,
  spanishTime,
  toZonaCentro,
} from "../time/zona-centro.ts";
import { dayWhy, describeSkipped } from "./explain.ts";
import { type ExplanationStep, step } from "./rules.ts";

export const NOTIFICATION_HOURS_START = Temporal.PlainTime.from("09:30");
export const NOTIFICATION_HOURS_END = Temporal.PlainTime.from("18:00");

/**
 * Rule a (Lineamientos 7.2): the instant a notification counts for. Within 09:30–18:00
 * (both inclusive) of a business day it counts as is; otherwise at 09:30 of the next business
 * day after the instant's local date — so 08:00 of a business day also moves to the next day,
 * as the text reads ("en día u hora inhábil … del día hábil siguiente").
 */
export function notificationInstant(
  calendar: BusinessCalendar,
  at: Temporal.Instant,
): { instant: Temporal.Instant; step: ExplanationStep } {
  const local = toZonaCentro(at);
  const date = local.toPlainDate();
  const time = local.toPlainTime();
  const dayReason = calendar.nonBusinessReason(date);
  const inHours =
    Temporal.PlainTime.compare(time, NOTIFICATION_HOURS_START) >= 0 &&
    Temporal.PlainTime.compare(time, NOTIFICATION_HOURS_END) <= 0;
  if (!dayReason && inHours) {
    return {
      instant: at,
      step: step(
        "horario_notificacion",
        `${capitalize(spanishInstant(at))} es día hábil dentro del horario de notificación (09:30 a 18:00): cuenta en ese momento.`,
      ),
    };
  }
  const why = dayReason
    ? `el ${spanishDate(date)} es inhábil: ${dayWhy(dayReason, calendar.authority)}; fundamento: ${dayReason.source}`
    : `las ${spanishTime(time)} están fuera del horario de notificación (09:30 a 18:00)`;
  const next = nextBusinessDay(calendar, date);
  const instant = atLocalTime(next.date, NOTIFICATION_HOURS_START);
  return {
    instant,
    step: step(
      "horario_notificacion",
      `${capitalize(spanishInstant(at))}: ${why}. Se tiene por realizada a las 09:30 del día hábil siguiente, ${spanishDate(next.date)}.${describeSkipped(next.skipped, { authority: calendar.authority })}`,
      dayReason ? [dayReason, ...next.skipped] : next.skipped,
    ),
  };
}
