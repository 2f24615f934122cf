import { nextBusinessDay } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { capitalize } from "../text.ts";
import {
  atLocalTime,
  formatInstant,
  spanishDate,
  spanishInstant,
  toZonaCentro,
} from "../time/zona-centro.ts";
import { dayWhy, describeSkipped } from "./explain.ts";
import { type ExplanationStep, RULES_VERSION, step } from "./rules.ts";

export interface PromocionResult {
  sentAt: string;
  receivedAt: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/**
 * Rule f (Lineamientos 6.3): a promoción is accepted at any hour; sent on a non-business day
 * it counts as received at the first hour (00:00, Zona Centro) of the next business day.
 */
export function computePromocion(
  calendar: BusinessCalendar,
  sentAt: Temporal.Instant,
): PromocionResult {
  const date = toZonaCentro(sentAt).toPlainDate();
  const reason = calendar.nonBusinessReason(date);
  let receivedAt = sentAt;
  let explanation: ExplanationStep;
  if (!reason) {
    explanation = step(
      "recepcion_promocion",
      `${capitalize(spanishInstant(sentAt))} es día hábil: la promoción se tiene por recibida en ese momento.`,
    );
  } else {
    const next = nextBusinessDay(calendar, date);
    receivedAt = atLocalTime(next.date, Temporal.PlainTime.from("00:00"));
    explanation = step(
      "recepcion_promocion",
      `${capitalize(spanishInstant(sentAt))}: el ${spanishDate(date)} es inhábil: ${dayWhy(reason, calendar.authority)}; fundamento: ${reason.source}. Se tiene por recibida a la primera hora del día hábil siguiente, ${spanishDate(next.date)} a las 00:00 (Zona Centro).${describeSkipped(next.skipped, { authority: calendar.authority })}`,
      [reason, ...next.skipped],
    );
  }
  return {
    sentAt: formatInstant(sentAt),
    receivedAt: formatInstant(receivedAt),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    rulesVersion: RULES_VERSION,
    explanation: [explanation],
  };
}
