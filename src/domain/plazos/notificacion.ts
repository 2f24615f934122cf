import { nextBusinessDay, nthBusinessDayAfter } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { extendToBusinessDay } from "../calendar/extension.ts";
import { DomainError } from "../errors.ts";
import {
  atLocalTime,
  formatInstant,
  spanishDate,
  spanishInstant,
  toZonaCentro,
} from "../time/zona-centro.ts";
import { retentionUntil } from "./conservacion.ts";
import { describeSkipped, joinSpanish } from "./explain.ts";
import { NOTIFICATION_HOURS_START, notificationInstant } from "./horario.ts";
import { readingWarnings } from "./readings.ts";
import { type ExplanationStep, RULES_VERSION, step, type Warning } from "./rules.ts";

export const DAYS_TO_OPEN = 3;
export const RECURSO_INCONFORMIDAD_DAYS = 15;
export const JUICIO_NULIDAD_DAYS = 30;

export interface NotificacionInput {
  /** When the aviso went to the contact means. */
  avisoAt: Temporal.Instant;
  /** When the person opened the document, if they did. */
  openedAt?: Temporal.Instant | undefined;
  /** The TFJA calendar for the juicio de nulidad; absent, it is counted on `calendar`. */
  tfja?: BusinessCalendar | undefined;
  /** The act omits the medios de defensa: both terms double (LFDC art. 23). */
  sinMediosDeDefensa?: boolean | undefined;
  /** A declared earlier knowledge of the act (CFF art. 135 ¶2), a Zona Centro date. */
  conocimiento?: Temporal.PlainDate | undefined;
  /**
   * The notification already sealed as evidence (the constancia's or the opening's event):
   * its instant governs over the one recomputed on `calendar`, which may be a later version
   * that declared a day non-business after the act was notified. The effect and the terms to
   * challenge are then counted from it on `calendar` (CFF 12: days declared before a term
   * ends count). `openBy` is the last day to open the constancia stated.
   */
  sealed?:
    | {
        notifiedAt: Temporal.Instant;
        notifiedBy?: "apertura" | "ministerio_de_ley" | undefined;
        openBy?: Temporal.PlainDate | undefined;
        calendarVersion?: string | undefined;
      }
    | undefined;
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
  /** The business day after it was made (CFF art. 135), or the declared knowledge (¶2). */
  effectiveOn: string;
  /** What `effectiveOn` comes from: the notification (CFF 135 ¶1) or the knowledge (¶2). */
  effectiveBy: "notificacion" | "conocimiento";
  recursoInconformidadBy: string;
  juicioNulidadBy: string;
  /** Business days of each term: 15 and 30, doubled without medios de defensa. */
  recursoInconformidadDays: number;
  juicioNulidadDays: number;
  sinMediosDeDefensa: boolean;
  conocimiento: string | null;
  /** Consultable and printable until this date (Lineamientos 7.7). */
  availableUntil: string;
  calendarAuthority: string;
  calendarVersion: string;
  /** The calendar the juicio de nulidad was counted on (LFPCA arts. 13 y 74). */
  juicioNulidadCalendar: { authority: string; version: string };
  rulesVersion: string;
  /** Debatable readings that touched this computation, each with the other reading's dates. */
  warnings: Warning[];
  explanation: ExplanationStep[];
}

/**
 * ADR 0002: whether an opening at `at`, before the deemed instant (`deemedAt`, 09:30 of the
 * fourth business day), comes after the three days to open: rule a would count it after that
 * 09:30 (an opening on the fourth day between 00:00 and 09:29 counts at 09:30 of the fifth), when
 * the law has already notified the act (Lineamientos 7.5). One made before the fourth day's date
 * counts at that 09:30 at the latest, and is an opening. The engine (rule c) and the Buzón's
 * refusal of such an opening (`openingAfterTerm`) both ask this.
 */
export function opensAfterTerm(
  calendar: BusinessCalendar,
  at: Temporal.Instant,
  deemedAt: Temporal.Instant,
): boolean {
  return (
    Temporal.Instant.compare(at, deemedAt) < 0 &&
    Temporal.Instant.compare(notificationInstant(calendar, at).instant, deemedAt) > 0
  );
}

/**
 * The whole clock of an electronic notification (Lineamientos 7.2–7.7; CFF arts. 12, 134-I,
 * 135; LFPCA arts. 13 y 74): from the aviso to the last day to challenge the act, with a
 * warning for each debatable reading that touched it.
 */
export function computeNotificacion(
  calendar: BusinessCalendar,
  input: NotificacionInput,
): NotificacionResult {
  const result = computeCore(calendar, input);
  result.warnings = readingWarnings(calendar, input, result, computeCore);
  return result;
}

function computeCore(calendar: BusinessCalendar, input: NotificacionInput): NotificacionResult {
  const { avisoAt, openedAt, conocimiento } = input;
  const tfja = input.tfja ?? calendar;
  const sinMedios = input.sinMediosDeDefensa === true;
  if (openedAt && Temporal.Instant.compare(openedAt, avisoAt) < 0) {
    throw new DomainError(
      "opened_before_aviso",
      "La apertura no puede ser anterior al envío del aviso.",
      { pointer: "abierto" },
    );
  }
  const explanation: ExplanationStep[] = [];
  // Each date is told once in the explanation: later steps only count the ones already named.
  const named = new Set<string>();
  const onImss = { authority: calendar.authority, named };
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
      `El aviso se envió el ${spanishInstant(avisoAt)}. Los tres días hábiles para abrir, contados desde el día hábil siguiente, son el ${joinSpanish(
        window.counted.slice(0, DAYS_TO_OPEN).map(spanishDate),
      )}, el último día para abrir.${describeSkipped(skippedToOpenBy, onImss)}`,
      skippedToOpenBy,
    ),
  );
  const deemedAt = atLocalTime(fourthDay, NOTIFICATION_HOURS_START);
  explanation.push(
    step(
      "cuarto_dia",
      `Si no se abre, la notificación se tiene por realizada el cuarto día hábil, ${spanishDate(fourthDay)}, a las 09:30 (Zona Centro), con acuse automático.${describeSkipped(skippedToFourth, onImss)}`,
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
    } else if (opensAfterTerm(calendar, openedAt, deemedAt)) {
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

  let sealedOpenBy = openBy;
  let sealedDeemedAt = deemedAt;
  const { sealed } = input;
  if (sealed && !sealed.notifiedAt.equals(notifiedAt)) {
    notifiedAt = sealed.notifiedAt;
    notifiedBy = sealed.notifiedBy ?? notifiedBy;
    if (notifiedBy === "ministerio_de_ley") {
      sealedDeemedAt = sealed.notifiedAt;
      sealedOpenBy = sealed.openBy ?? openBy;
    }
    const version = sealed.calendarVersion ? ` (calendario ${sealed.calendarVersion})` : "";
    explanation.push(
      step(
        notifiedBy === "ministerio_de_ley" ? "cuarto_dia" : "apertura",
        `La notificación quedó hecha y sellada el ${spanishInstant(sealed.notifiedAt)}${version}; un calendario publicado después no la cambia. Los plazos siguientes se cuentan desde esa fecha.`,
      ),
    );
  }

  // Rule d: effect the business day after the day it was made.
  const notifiedDate = toZonaCentro(notifiedAt).toPlainDate();
  const effective = nextBusinessDay(calendar, notifiedDate);
  // CFF 135 ¶2: a declared earlier knowledge takes the place of the effect, even on a
  // non-business day (the law says «desde la fecha»); the terms then run from the next one.
  const byKnowledge =
    conocimiento !== undefined && Temporal.PlainDate.compare(conocimiento, effective.date) < 0;
  explanation.push(
    step(
      "surte_efectos",
      byKnowledge
        ? `Notificada el ${spanishDate(notifiedDate)}; por sí sola surtiría efectos el día hábil siguiente, ${spanishDate(effective.date)}, pero la sustituye el conocimiento manifestado (paso siguiente).${describeSkipped(effective.skipped, onImss)}`
        : `Notificada el ${spanishDate(notifiedDate)}; surte efectos el día hábil siguiente: ${spanishDate(effective.date)}.${describeSkipped(effective.skipped, onImss)}`,
      effective.skipped,
    ),
  );
  let effectiveOn = effective.date;
  if (conocimiento) {
    if (byKnowledge) {
      effectiveOn = conocimiento;
      explanation.push(
        step(
          "conocimiento",
          `Se manifestó conocer el acto desde el ${spanishDate(conocimiento)}, antes de que surtiera efectos la notificación: la manifestación surte efectos de notificación desde esa fecha, y los plazos se cuentan a partir del día hábil siguiente.`,
        ),
      );
    } else {
      explanation.push(
        step(
          "conocimiento",
          `La fecha de conocimiento manifestada, ${spanishDate(conocimiento)}, no es anterior al día en que surte efectos la notificación: no cambia los plazos.`,
        ),
      );
    }
  }

  const terms = challengeTerms(calendar, tfja, effectiveOn, sinMedios, named);
  explanation.push(...terms.steps);
  const { recurso, nulidad, recursoDays, nulidadDays } = terms;

  const retention = retentionUntil(notifiedAt);
  explanation.push(retention.step);

  return {
    avisoAt: formatInstant(avisoAt),
    openedAt: openedAt ? formatInstant(openedAt) : null,
    openBy: sealedOpenBy.toString(),
    deemedNotifiedAt: formatInstant(sealedDeemedAt),
    notifiedAt: formatInstant(notifiedAt),
    notifiedBy,
    effectiveOn: effectiveOn.toString(),
    effectiveBy: byKnowledge ? "conocimiento" : "notificacion",
    recursoInconformidadBy: recurso.date.toString(),
    juicioNulidadBy: nulidad.date.toString(),
    recursoInconformidadDays: recursoDays,
    juicioNulidadDays: nulidadDays,
    sinMediosDeDefensa: sinMedios,
    conocimiento: conocimiento ? conocimiento.toString() : null,
    availableUntil: retention.date.toString(),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    juicioNulidadCalendar: { authority: tfja.authority, version: tfja.version },
    rulesVersion: RULES_VERSION,
    warnings: [],
    explanation,
  };
}

/**
 * Rule e: the terms to challenge an act, counted from the business day after `effectiveOn`;
 * the juicio de nulidad on the TFJA's calendar (LFPCA art. 74); doubled when the act omits the
 * medios de defensa (LFDC 23). Shared by every way an act is notified (buzón, estrados).
 */
export function challengeTerms(
  calendar: BusinessCalendar,
  tfja: BusinessCalendar,
  effectiveOn: Temporal.PlainDate,
  sinMedios: boolean,
  named: Set<string>,
) {
  const steps: ExplanationStep[] = [];
  const factor = sinMedios ? 2 : 1;
  const recursoDays = RECURSO_INCONFORMIDAD_DAYS * factor;
  const nulidadDays = JUICIO_NULIDAD_DAYS * factor;
  if (sinMedios) {
    steps.push(
      step(
        "medios_de_defensa",
        `El acto no señala los medios de defensa: los plazos se duplican (Ley Federal de los Derechos del Contribuyente art. 23, aplicable al IMSS como organismo fiscal autónomo): ${recursoDays} días hábiles para el recurso de inconformidad y ${nulidadDays} para el juicio de nulidad.`,
      ),
    );
  }
  const recurso = termEnd(calendar, effectiveOn, recursoDays, named);
  steps.push(
    step(
      "recurso_inconformidad",
      `El plazo de ${recursoDays} días hábiles para el recurso de inconformidad, en el calendario ${calendar.authority} ${calendar.version}, corre del ${spanishDate(recurso.first)} al ${spanishDate(recurso.date)}.${recurso.skippedText}${recurso.extension}`,
      recurso.skipped,
    ),
  );
  const nulidad = termEnd(tfja, effectiveOn, nulidadDays, named);
  steps.push(
    step(
      "juicio_nulidad",
      `El plazo de ${nulidadDays} días hábiles para el juicio de nulidad, en el calendario ${tfja.authority} ${tfja.version}, corre del ${spanishDate(nulidad.first)} al ${spanishDate(nulidad.date)}.${nulidad.skippedText}${nulidad.extension}`,
      nulidad.skipped,
    ),
  );
  return { recurso, nulidad, recursoDays, nulidadDays, steps };
}

/**
 * n business days after `after`, then CFF 12 last ¶ if the offices are closed on the last. The
 * terms to challenge an act, whichever way it was notified (buzón or estrados).
 */
export function termEnd(
  calendar: BusinessCalendar,
  after: Temporal.PlainDate,
  n: number,
  named: Set<string>,
) {
  const count = nthBusinessDayAfter(calendar, after, n);
  const extended = extendToBusinessDay(calendar, count.date);
  const moved = extended.steppedOver.length > 0;
  const closed = extended.steppedOver[0];
  return {
    first: count.counted[0]!,
    date: extended.date,
    skipped: moved ? [...count.skipped, ...extended.steppedOver] : count.skipped,
    skippedText: describeSkipped(count.skipped, { authority: calendar.authority, named }),
    extension: closed
      ? ` El último día, ${spanishDate(count.date)}, las oficinas permanecen cerradas: ${closed.reason}; fundamento: ${closed.source}. El plazo se prorroga al ${spanishDate(extended.date)}, CFF art. 12, último párrafo.`
      : "",
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
