import type { BusinessCalendar } from "../calendar/calendar.ts";
import type { NonBusinessDay } from "../calendar/cff-holidays.ts";
import { atLocalTime, spanishDate, spanishInstant, toZonaCentro } from "../time/zona-centro.ts";
import { NOTIFICATION_HOURS_START, notificationInstant } from "./horario.ts";
import type { NotificacionInput, NotificacionResult } from "./notificacion.ts";
import type { Warning } from "./rules.ts";

type Compute = (calendar: BusinessCalendar, input: NotificacionInput) => NotificacionResult;

/**
 * The debatable readings (ADR 0006–0008) and the calendar gaps that touched a computation. The
 * engine keeps its reading; each warning recomputes the whole clock under the other one and
 * names its dates, so a reader can weigh the risk without redoing the count.
 */
export function readingWarnings(
  calendar: BusinessCalendar,
  input: NotificacionInput,
  result: NotificacionResult,
  compute: Compute,
): Warning[] {
  const warnings: Warning[] = [];
  const avisoDate = toZonaCentro(input.avisoAt).toPlainDate();

  // ADR 0006: an aviso outside 09:30–18:00 or on a non-business day.
  const aviso = notificationInstant(calendar, input.avisoAt);
  if (!aviso.instant.equals(input.avisoAt)) {
    // Under that reading an opening before the deemed aviso is an opening at the aviso.
    const openedAt =
      input.openedAt && Temporal.Instant.compare(input.openedAt, aviso.instant) < 0
        ? aviso.instant
        : input.openedAt;
    const other = compute(calendar, { ...input, avisoAt: aviso.instant, openedAt });
    warnings.push({
      code: "aviso_fuera_de_horario",
      text: `El aviso se envió el ${spanishInstant(input.avisoAt)}, fuera del horario de notificación (09:30 a 18:00 de un día hábil). Este cálculo cuenta los tres días desde el día hábil siguiente a la fecha del aviso (Lineamientos 7.4). Como diligencia fuera de horario es cuestionable (CFF art. 13; SCJN 2a./J. 123/2005); si el aviso se tuviera por enviado a las 09:30 del ${spanishDate(toZonaCentro(aviso.instant).toPlainDate())}, ${summary(other)}`,
      otherReading: datesOf(other),
    });
  }

  // ADR 0007 (ADR 0002 stands): an opening between 00:00 and 09:29 of a business day.
  if (input.openedAt) {
    const local = toZonaCentro(input.openedAt);
    const date = local.toPlainDate();
    const early =
      Temporal.PlainTime.compare(local.toPlainTime(), NOTIFICATION_HOURS_START) < 0 &&
      calendar.isBusinessDay(date);
    if (
      early &&
      Temporal.Instant.compare(input.openedAt, Temporal.Instant.from(result.deemedNotifiedAt)) < 0
    ) {
      const sameDay = atLocalTime(date, NOTIFICATION_HOURS_START);
      const other = compute(calendar, { ...input, openedAt: sameDay });
      warnings.push({
        code: "apertura_antes_de_horario",
        text: `El documento se abrió el ${spanishInstant(input.openedAt)}, antes de las 09:30. Este cálculo lee los Lineamientos 7.2 literalmente: la apertura cuenta a las 09:30 del día hábil siguiente (ADR 0002). Si se tuviera por hecha a las 09:30 del mismo día, ${summary(other)}`,
        otherReading: datesOf(other),
      });
    }
  }

  // ADR 0008: 1 October (CPEUM 83) against the 1 December CFF 12 still names.
  const last = [result.recursoInconformidadBy, result.juicioNulidadBy].sort().at(-1)!;
  const end = Temporal.PlainDate.from(last);
  const transmissions: number[] = [];
  for (let year = avisoDate.year; year <= end.year; year++) {
    if (year < 2024 || (year - 2024) % 6 !== 0) continue;
    const oct = Temporal.PlainDate.from({ year, month: 10, day: 1 });
    const dec = Temporal.PlainDate.from({ year, month: 12, day: 1 });
    const touches = (d: Temporal.PlainDate) =>
      Temporal.PlainDate.compare(d, avisoDate) > 0 && Temporal.PlainDate.compare(d, end) <= 0;
    if (touches(oct) || touches(dec)) transmissions.push(year);
  }
  if (transmissions.length > 0) {
    const other = compute(literalCff12(calendar, transmissions), {
      ...input,
      tfja: input.tfja ? literalCff12(input.tfja, transmissions) : undefined,
    });
    const years = transmissions.join(", ");
    warnings.push({
      code: "transmision_poder_ejecutivo",
      text: `Este cálculo tiene como inhábil el 1 de octubre de ${years}, día de la transmisión del Poder Ejecutivo desde la reforma de 2014 al CPEUM art. 83, y no el 1 de diciembre que aún menciona el CFF art. 12. Leído literalmente el CFF (1 de diciembre inhábil, 1 de octubre hábil), ${summary(other)}`,
      otherReading: datesOf(other),
    });
  }

  // A year the authority's declaration is not loaded for: only CFF days are known.
  const spans: [BusinessCalendar, Temporal.PlainDate, Temporal.PlainDate][] = [
    [calendar, avisoDate, Temporal.PlainDate.from(result.recursoInconformidadBy)],
  ];
  if (input.tfja) {
    spans.push([
      input.tfja,
      Temporal.PlainDate.from(result.effectiveOn),
      Temporal.PlainDate.from(result.juicioNulidadBy),
    ]);
  } else {
    spans[0]![2] = end;
  }
  for (const [cal, from, to] of spans) {
    const missing: number[] = [];
    for (let year = from.year; year <= to.year; year++) if (!cal.declares(year)) missing.push(year);
    if (missing.length === 0) continue;
    warnings.push({
      code: "calendario_sin_declaracion",
      text: `La versión ${cal.version} del calendario ${cal.authority} no contiene días inhábiles publicados por esa autoridad para ${missing.join(", ")}: solo se conocen los días del CFF art. 12 y los fines de semana. Si la autoridad declara otros días, las fechas pueden recorrerse; verifique su publicación en el DOF.`,
      otherReading: null,
    });
  }
  return warnings;
}

function summary(other: NotificacionResult): string {
  const notified = spanishInstant(Temporal.Instant.from(other.notifiedAt));
  const day = (d: string) => spanishDate(Temporal.PlainDate.from(d));
  return `la notificación se tendría por hecha el ${notified}, surtiría efectos el ${day(other.effectiveOn)}, y los plazos vencerían el ${day(other.recursoInconformidadBy)} (recurso de inconformidad) y el ${day(other.juicioNulidadBy)} (juicio de nulidad).`;
}

function datesOf(other: NotificacionResult): NonNullable<Warning["otherReading"]> {
  return {
    notifiedAt: other.notifiedAt,
    effectiveOn: other.effectiveOn,
    recursoInconformidadBy: other.recursoInconformidadBy,
    juicioNulidadBy: other.juicioNulidadBy,
  };
}

/** The calendar read with CFF art. 12 literally: 1 December inhábil, 1 October not. */
function literalCff12(base: BusinessCalendar, years: number[]): BusinessCalendar {
  const isOct = (d: Temporal.PlainDate) => years.includes(d.year) && d.month === 10 && d.day === 1;
  const isDec = (d: Temporal.PlainDate) => years.includes(d.year) && d.month === 12 && d.day === 1;
  const december = (d: Temporal.PlainDate): NonBusinessDay => ({
    date: d.toString(),
    reason: "1 de diciembre, transmisión del Poder Ejecutivo (texto literal del CFF)",
    source: "CFF art. 12, primer párrafo",
    kind: "cff",
  });
  const nonBusinessReason: BusinessCalendar["nonBusinessReason"] = (date, purpose) => {
    if (isDec(date) && date.dayOfWeek < 6) return december(date);
    const reason = base.nonBusinessReason(date, purpose);
    if (isOct(date) && reason?.kind === "cff" && date.dayOfWeek < 6) return undefined;
    return reason;
  };
  return {
    ...base,
    nonBusinessReason,
    isBusinessDay: (date, purpose) => nonBusinessReason(date, purpose) === undefined,
  };
}
