import { nextBusinessDay, nthBusinessDayAfter } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import {
  atLocalTime,
  formatInstant,
  spanishDate,
  spanishInstant,
  toZonaCentro,
} from "../time/zona-centro.ts";
import { retentionUntil } from "./conservacion.ts";
import { dayWhy, describeSkipped } from "./explain.ts";
import { challengeTerms } from "./notificacion.ts";
import { calendarWarnings } from "./readings.ts";
import { type ExplanationStep, RULES_VERSION, step, type Warning } from "./rules.ts";

/** CFF art. 139: «publicando el documento … durante diez días en la página electrónica». */
export const ESTRADOS_PUBLICATION_DAYS = 10;

/**
 * The hour the eleventh day counts from. CFF 139 fixes a date («se tendrá como fecha de
 * notificación la del decimoprimer día»), not an hour, and nothing happens at an hour that day:
 * no diligencia, no opening. So the act is notified from the first instant of that date in Zona
 * Centro, and whoever looks during the eleventh day sees it notified, as the law says it is all
 * that day. The window of rule a (09:30–18:00) governs notifications made at an hour (the
 * buzón's aviso and opening); applied here it would leave the act unnotified on the morning of
 * its notification date. The effect (CFF 135) depends only on the date, so the hour changes no
 * term.
 */
export const ESTRADOS_NOTIFICATION_TIME = Temporal.PlainTime.from("00:00");

export interface EstradosOptions {
  /** The TFJA calendar for the juicio de nulidad; absent, it is counted on `calendar`. */
  tfja?: BusinessCalendar | undefined;
  /** The act omits the medios de defensa: both terms double (LFDC art. 23). */
  sinMediosDeDefensa?: boolean | undefined;
}

export interface EstradosResult {
  publishedAt: string;
  /** The ten business days of publication, from the business day after the publication's date. */
  publicationDays: string[];
  lastPublicationDay: string;
  /** The eleventh business day counted from the day after the publication (CFF 139). */
  notifiedOn: string;
  /** `notifiedOn` at 00:00 Zona Centro (see {@link ESTRADOS_NOTIFICATION_TIME}). */
  notifiedAt: string;
  notifiedBy: "estrados";
  /** The business day after the notification (CFF art. 135). */
  effectiveOn: string;
  recursoInconformidadBy: string;
  juicioNulidadBy: string;
  recursoInconformidadDays: number;
  juicioNulidadDays: number;
  sinMediosDeDefensa: boolean;
  /** Consultable and printable until this date (Lineamientos 7.7). */
  availableUntil: string;
  calendarAuthority: string;
  calendarVersion: string;
  juicioNulidadCalendar: { authority: string; version: string };
  rulesVersion: string;
  warnings: Warning[];
  explanation: ExplanationStep[];
}

/**
 * A notification por estrados (CFF art. 139 as reformed DOF 12-11-2021; Lineamientos 7.8; LSS
 * art. 286-M): the document is published for ten days on the web page, counted from the day
 * after its publication, and the act is notified on the eleventh day counted the same way. The
 * days are business days (CFF art. 12: «en los plazos fijados en días no se contarán…»). Then
 * the effect and the terms to challenge it, as for any other notification.
 */
export function computeEstrados(
  calendar: BusinessCalendar,
  publishedAt: Temporal.Instant,
  options: EstradosOptions = {},
): EstradosResult {
  const result = computeCore(calendar, publishedAt, options);
  result.warnings = calendarWarnings(
    calendar,
    options,
    result,
    toZonaCentro(publishedAt).toPlainDate(),
    (cal, tfja) => computeCore(cal, publishedAt, { ...options, tfja }),
  );
  return result;
}

function computeCore(
  calendar: BusinessCalendar,
  publishedAt: Temporal.Instant,
  options: EstradosOptions,
): EstradosResult {
  const tfja = options.tfja ?? calendar;
  const sinMedios = options.sinMediosDeDefensa === true;
  const explanation: ExplanationStep[] = [];
  const named = new Set<string>();
  const onImss = { authority: calendar.authority, named };
  const publishedOn = toZonaCentro(publishedAt).toPlainDate();

  const count = nthBusinessDayAfter(calendar, publishedOn, ESTRADOS_PUBLICATION_DAYS + 1);
  const publicationDays = count.counted.slice(0, ESTRADOS_PUBLICATION_DAYS);
  const first = publicationDays[0]!;
  const last = publicationDays.at(-1)!;
  const notifiedOn = count.date;
  const skippedInPublication = count.skipped.filter((d) => d.date < last.toString());
  const skippedToEleventh = count.skipped.filter((d) => d.date > last.toString());

  // Published on a non-business day, the days still run from the day after its date (the
  // text counts from «el día siguiente a aquél en que el documento fue publicado»); the
  // Institute publishes within the notification hours, so this only answers the calculator.
  const publishedOnReason = calendar.nonBusinessReason(publishedOn);
  const publishedOnText = publishedOnReason
    ? ` El ${spanishDate(publishedOn)} es inhábil: ${dayWhy(publishedOnReason, calendar.authority)}; fundamento: ${publishedOnReason.source}. La publicación cuenta igual a partir del día siguiente.`
    : "";
  explanation.push(
    step(
      "estrados",
      `El documento se publicó en los estrados electrónicos el ${spanishInstant(publishedAt)}.${publishedOnText} Los diez días hábiles de publicación, contados a partir del día siguiente, van del ${spanishDate(first)} al ${spanishDate(last)}.${describeSkipped(skippedInPublication, onImss)}`,
      publishedOnReason ? [publishedOnReason, ...skippedInPublication] : skippedInPublication,
    ),
  );
  const notifiedAt = atLocalTime(notifiedOn, ESTRADOS_NOTIFICATION_TIME);
  explanation.push(
    step(
      "estrados",
      `Se tiene como fecha de notificación la del decimoprimer día hábil contado a partir del día siguiente a la publicación: ${spanishDate(notifiedOn)}. La ley fija el día y no una hora: la notificación cuenta desde las 00:00 (Zona Centro) de ese día.${describeSkipped(skippedToEleventh, onImss)}`,
      skippedToEleventh,
    ),
  );

  const effective = nextBusinessDay(calendar, notifiedOn);
  explanation.push(
    step(
      "surte_efectos",
      `Notificada el ${spanishDate(notifiedOn)}; surte efectos el día hábil siguiente: ${spanishDate(effective.date)}.${describeSkipped(effective.skipped, onImss)}`,
      effective.skipped,
    ),
  );
  const terms = challengeTerms(calendar, tfja, effective.date, sinMedios, named);
  explanation.push(...terms.steps);
  const retention = retentionUntil(notifiedAt);
  explanation.push(retention.step);

  return {
    publishedAt: formatInstant(publishedAt),
    publicationDays: publicationDays.map(String),
    lastPublicationDay: last.toString(),
    notifiedOn: notifiedOn.toString(),
    notifiedAt: formatInstant(notifiedAt),
    notifiedBy: "estrados",
    effectiveOn: effective.date.toString(),
    recursoInconformidadBy: terms.recurso.date.toString(),
    juicioNulidadBy: terms.nulidad.date.toString(),
    recursoInconformidadDays: terms.recursoDays,
    juicioNulidadDays: terms.nulidadDays,
    sinMediosDeDefensa: sinMedios,
    availableUntil: retention.date.toString(),
    calendarAuthority: calendar.authority,
    calendarVersion: calendar.version,
    juicioNulidadCalendar: { authority: tfja.authority, version: tfja.version },
    rulesVersion: RULES_VERSION,
    warnings: [],
    explanation,
  };
}
