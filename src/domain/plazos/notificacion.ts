import { nextBusinessDay, nthBusinessDayAfter } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { DomainError } from "../errors.ts";
import {
  atLocalTime,
  formatInstant,
  spanishDate,
  spanishInstant,
  toZonaCentro,
} from "../time/zona-centro.ts";
import { retentionUntil } from "./conservacion.ts";
import { describeSkipped } from "./explain.ts";
import { NOTIFICATION_HOURS_START, notificationInstant } from "./horario.ts";
import { type ExplanationStep, RULES_VERSION, step } from "./rules.ts";

export const DAYS_TO_OPEN = 3;
export const RECURSO_INCONFORMIDAD_DAYS = 15;
export const JUICIO_NULIDAD_DAYS = 30;

export interface NotificacionInput {
  /** When the aviso went to the contact means. */
  avisoAt: Temporal.Instant;
  /** When the person opened the document, if they did. */
  openedAt?: Temporal.Instant | undefined;
}

export interface NotificacionResult {
  avisoAt: string;
  openedAt: string | null;
  /** Last of the three business days to open (Lineamientos 7.4). */
  openBy: string;
  /** 09:30 of the 4th business day: when it is notified if not opened (Lineamientos 7.5). */
  deemedNotifiedAt: string;
  notifiedAt: string;
  notifiedBy: "apertura" | "ministerio_de_ley";
  /** The business day after it was made (CFF art. 135). */
  effectiveOn: string;
  recursoInconformidadBy: string;
  juicioNulidadBy: string;
  /** Consultable and printable until this date (Lineamientos 7.7). */
  availableUntil: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/**
 * The whole clock of an electronic notification (Lineamientos 7.2–7.7; CFF arts. 12, 134-I,
 * 135): from the aviso to the last day to challenge the act.
 */
export function computeNotificacion(
  calendar: BusinessCalendar,
  input: NotificacionInput,
): NotificacionResult {
  const { avisoAt, openedAt } = input;
  if (openedAt && Temporal.Instant.compare(openedAt, avisoAt) < 0) {
    throw new DomainError(
      "opened_before_aviso",
      "La apertura no puede ser anterior al envío del aviso.",
      { pointer: "abierto" },
    );
  }
  const explanation: ExplanationStep[] = [];
  const avisoDate = toZonaCentro(avisoAt).toPlainDate();

  // Rule b: three business days to open, from the business day after the aviso's date.
  const window = nthBusinessDayAfter(calendar, avisoDate, DAYS_TO_OPEN + 1);
  const openBy = window.counted[DAYS_TO_OPEN - 1]!;
  const fourthDay = window.date;
  const skippedToOpenBy = window.skipped.filter((d) => d.date < openBy.toString());
  const skippedToFourth = window.skipped.filter((d) => d.date > openBy.toString());
  explanation.push(
    step(
      "plazo_apertura",
      `El aviso se envió el ${spanishInstant(avisoAt)}. Los tres días hábiles para abrir se cuentan desde el día hábil siguiente: ${window.counted
        .slice(0, DAYS_TO_OPEN)
        .map((d, i) => `día ${i + 1}, ${spanishDate(d)}`)
        .join(
          "; ",
        )}. Último día para abrir: ${spanishDate(openBy)}.${describeSkipped(skippedToOpenBy)}`,
      skippedToOpenBy,
    ),
  );
  const deemedAt = atLocalTime(fourthDay, NOTIFICATION_HOURS_START);
  explanation.push(
    step(
      "cuarto_dia",
      `Si no se abre, la notificación se tiene por realizada el cuarto día hábil, ${spanishDate(fourthDay)}, a las 09:30 (Zona Centro), con acuse automático.${describeSkipped(skippedToFourth)}`,
      skippedToFourth,
    ),
  );

  // Rule c: an opening before the deemed instant makes the notification, at the opening.
  let notifiedAt = deemedAt;
  let notifiedBy: NotificacionResult["notifiedBy"] = "ministerio_de_ley";
  if (openedAt) {
    const normalized = notificationInstant(calendar, openedAt);
    if (Temporal.Instant.compare(openedAt, deemedAt) >= 0) {
      explanation.push(
        step(
          "apertura",
          `El documento se abrió el ${spanishInstant(openedAt)}, cuando la notificación ya se tenía por realizada el cuarto día hábil; la apertura no cambia la fecha de notificación.`,
        ),
      );
    } else if (Temporal.Instant.compare(normalized.instant, deemedAt) > 0) {
      // Opened on the 4th business day before 09:30: rule a would move the opening to the
      // 5th, but the three days had already run out, so Lineamientos 7.5 makes it notified
      // at 09:30 of the 4th. The earlier of the two legal instants governs.
      explanation.push(
        step(
          "apertura",
          `El documento se abrió el ${spanishInstant(openedAt)}, después de vencidos los tres días hábiles y antes de las 09:30: por horario, la apertura contaría hasta el día hábil siguiente, pero la notificación ya se tiene por realizada el cuarto día hábil a las 09:30 (Lineamientos 7.5).`,
        ),
        normalized.step,
      );
    } else {
      notifiedAt = normalized.instant;
      notifiedBy = "apertura";
      explanation.push(
        step(
          "apertura",
          `El documento se abrió el ${spanishInstant(openedAt)}, antes del cuarto día hábil: la notificación queda hecha por la apertura.`,
        ),
        normalized.step,
      );
    }
  }

  // Rule d: effect the business day after the day it was made.
  const notifiedDate = toZonaCentro(notifiedAt).toPlainDate();
  const effective = nextBusinessDay(calendar, notifiedDate);
  explanation.push(
    step(
      "surte_efectos",
      `Notificada el ${spanishDate(notifiedDate)}; surte efectos el día hábil siguiente: ${spanishDate(effective.date)}.${describeSkipped(effective.skipped)}`,
      effective.skipped,
    ),
  );

  // Rule e: terms to challenge, counted from the business day after the effect.
  const recurso = nthBusinessDayAfter(calendar, effective.date, RECURSO_INCONFORMIDAD_DAYS);
  const firstTermDay = recurso.counted[0]!;
  explanation.push(
    step(
      "recurso_inconformidad",
      `El plazo de ${RECURSO_INCONFORMIDAD_DAYS} días hábiles para el recurso de inconformidad corre del ${spanishDate(firstTermDay)} al ${spanishDate(recurso.date)}.${describeSkipped(recurso.skipped)}`,
      recurso.skipped,
    ),
  );
  const nulidad = nthBusinessDayAfter(calendar, effective.date, JUICIO_NULIDAD_DAYS);
  explanation.push(
    step(
      "juicio_nulidad",
      `El plazo de ${JUICIO_NULIDAD_DAYS} días hábiles para el juicio de nulidad corre del ${spanishDate(firstTermDay)} al ${spanishDate(nulidad.date)}.${describeSkipped(nulidad.skipped)}`,
      nulidad.skipped,
    ),
  );

  const retention = retentionUntil(notifiedAt);
  explanation.push(retention.step);

  return {
    avisoAt: formatInstant(avisoAt),
    openedAt: openedAt ? formatInstant(openedAt) : null,
    openBy: openBy.toString(),
    deemedNotifiedAt: formatInstant(deemedAt),
    notifiedAt: formatInstant(notifiedAt),
    notifiedBy,
    effectiveOn: effective.date.toString(),
    recursoInconformidadBy: recurso.date.toString(),
    juicioNulidadBy: nulidad.date.toString(),
    availableUntil: retention.date.toString(),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    rulesVersion: RULES_VERSION,
    explanation,
  };
}

export interface EmisionResult {
  at: string;
  notifiedAt: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/** Rule a alone: the instant an acuse generated at `at` counts as a notification. */
export function computeEmision(calendar: BusinessCalendar, at: Temporal.Instant): EmisionResult {
  const { instant, step: only } = notificationInstant(calendar, at);
  return {
    at: formatInstant(at),
    notifiedAt: formatInstant(instant),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    rulesVersion: RULES_VERSION,
    explanation: [only],
  };
}
