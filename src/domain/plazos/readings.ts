import { nextBusinessDay } from "../calendar/business-days.ts";
import type { BusinessCalendar } from "../calendar/calendar.ts";
import type { NonBusinessDay } from "../calendar/cff-holidays.ts";
import { atLocalTime, spanishDate, toZonaCentro } from "../time/zona-centro.ts";
import { dayWhy } from "./explain.ts";
import { NOTIFICATION_HOURS_END, NOTIFICATION_HOURS_START } from "./horario.ts";
import type { NotificacionInput, NotificacionResult } from "./notificacion.ts";
import type { Warning } from "./rules.ts";

type Compute = (calendar: BusinessCalendar, input: NotificacionInput) => NotificacionResult;

/**
 * The debatable readings (ADR 0006–0008) and the calendar gaps that touched a computation. The
 * engine keeps its reading; each warning recomputes the whole clock under the other one and
 * carries its dates (only when one of them differs), so a reader can weigh the risk without
 * redoing the count. Warning texts cite the law, never an ADR: they are read by users.
 */
export function readingWarnings(
  calendar: BusinessCalendar,
  input: NotificacionInput,
  result: NotificacionResult,
  compute: Compute,
): Warning[] {
  const warnings: Warning[] = [];
  const avisoDate = toZonaCentro(input.avisoAt).toPlainDate();

  // CFF 135 ¶2 with a knowledge before the aviso: the terms ran from a day the engine has no
  // aviso for; it still counts them from the declared knowledge, as the law says.
  if (input.conocimiento && Temporal.PlainDate.compare(input.conocimiento, avisoDate) < 0) {
    warnings.push({
      code: "conocimiento_anterior_al_aviso",
      text: `La fecha de conocimiento manifestada, ${spanishDate(input.conocimiento)}, es anterior al aviso del ${spanishDate(avisoDate)}. Por el CFF art. 135, segundo párrafo, la notificación surte efectos desde esa fecha y los plazos corren desde el día hábil siguiente a ella, no desde el aviso: pueden haberse acortado o estar ya vencidos. Verifique la fecha manifestada.`,
      otherReading: null,
    });
  }

  // ADR 0006: an aviso after 18:00 or on a non-business day. The engine counts the three days
  // from the business day after the aviso's date (Lineamientos 7.4); the other reading takes
  // the aviso as sent at the next notification hour (CFF art. 13; 2a./J. 123/2005).
  const other = otherAvisoReading(calendar, input.avisoAt);
  if (other) {
    // Under that reading an opening before the deemed aviso is an opening at the aviso.
    const openedAt =
      input.openedAt && Temporal.Instant.compare(input.openedAt, other.instant) < 0
        ? other.instant
        : input.openedAt;
    const result2 = compute(calendar, { ...input, avisoAt: other.instant, openedAt });
    if (differs(result, result2)) {
      warnings.push({
        code: "aviso_fuera_de_horario",
        text: `El aviso se envió el ${shortInstant(input.avisoAt)}, ${other.why}. Este cálculo cuenta los tres días para abrir desde el día hábil siguiente a la fecha del aviso (Lineamientos 7.4). Otra lectura lo tiene por enviado a las 09:30 del ${spanishDate(toZonaCentro(other.instant).toPlainDate())} (CFF art. 13; SCJN 2a./J. 123/2005).`,
        otherReading: datesOf(result2),
      });
    }
  }

  // ADR 0007: an opening between 00:00 and 09:29 of a business day.
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
      const result2 = compute(calendar, { ...input, openedAt: sameDay });
      if (differs(result, result2)) {
        warnings.push({
          code: "apertura_antes_de_horario",
          text: `El documento se abrió el ${shortInstant(input.openedAt)}, antes de las 09:30. Este cálculo lee literalmente los Lineamientos 7.2: la apertura cuenta a las 09:30 del día hábil siguiente. Otra lectura la tiene por hecha a las 09:30 del mismo día.`,
          otherReading: datesOf(result2),
        });
      }
    }
  }

  warnings.push(
    ...calendarWarnings(calendar, input, result, avisoDate, (cal, tfja) =>
      compute(cal, { ...input, tfja }),
    ),
  );
  return warnings;
}

/** The dates a warning's other reading carries, common to every computation with terms. */
export interface TermDates {
  notifiedAt: string;
  effectiveOn: string;
  recursoInconformidadBy: string;
  juicioNulidadBy: string;
}

/**
 * The warnings about the calendars themselves, for any computation that runs from `from` to its
 * terms (a notification's clock, a publication on the estrados): the 1 October / 1 December
 * reading (ADR 0008), recomputed with `recompute` on the literal CFF 12, and the years the
 * authority's declaration is not loaded for.
 */
export function calendarWarnings(
  calendar: BusinessCalendar,
  input: { tfja?: BusinessCalendar | undefined },
  result: TermDates,
  from: Temporal.PlainDate,
  recompute: (calendar: BusinessCalendar, tfja: BusinessCalendar | undefined) => TermDates,
): Warning[] {
  const warnings: Warning[] = [];
  // ADR 0008: 1 October (CPEUM 83) against the 1 December CFF 12 still names.
  const last = [result.recursoInconformidadBy, result.juicioNulidadBy].sort().at(-1)!;
  const end = Temporal.PlainDate.from(last);
  const transmissions: number[] = [];
  for (let year = from.year; year <= end.year; year++) {
    if (year < 2024 || (year - 2024) % 6 !== 0) continue;
    const oct = Temporal.PlainDate.from({ year, month: 10, day: 1 });
    const dec = Temporal.PlainDate.from({ year, month: 12, day: 1 });
    const touches = (d: Temporal.PlainDate) =>
      Temporal.PlainDate.compare(d, from) > 0 && Temporal.PlainDate.compare(d, end) <= 0;
    if (touches(oct) || touches(dec)) transmissions.push(year);
  }
  if (transmissions.length > 0) {
    const other = recompute(
      literalCff12(calendar, transmissions),
      input.tfja ? literalCff12(input.tfja, transmissions) : undefined,
    );
    const years = transmissions.join(", ");
    if (differs(result, other)) {
      warnings.push({
        code: "transmision_poder_ejecutivo",
        text: `Este cálculo tiene como inhábil el 1 de octubre de ${years}, día de la transmisión del Poder Ejecutivo desde la reforma de 2014 al CPEUM art. 83, y no el 1 de diciembre que aún menciona el CFF art. 12. Otra lectura aplica el CFF literalmente: 1 de diciembre inhábil, 1 de octubre hábil.`,
        otherReading: datesOf(other),
      });
    }
  }

  // A year the authority's declaration is not loaded for: only CFF days are known.
  const spans: [BusinessCalendar, Temporal.PlainDate, Temporal.PlainDate][] = [
    [calendar, from, Temporal.PlainDate.from(result.recursoInconformidadBy)],
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
  for (const [cal, first, to] of spans) {
    const missing: number[] = [];
    for (let year = first.year; year <= to.year; year++)
      if (!cal.declares(year)) missing.push(year);
    if (missing.length === 0) continue;
    warnings.push({
      code: "calendario_sin_declaracion",
      text: `La versión ${cal.version} del calendario ${cal.authority} no contiene días inhábiles publicados por esa autoridad para ${missing.join(", ")}: solo se conocen los días del CFF art. 12 y los fines de semana. Si la autoridad declara otros días, las fechas pueden recorrerse; verifica su publicación en el DOF.`,
      otherReading: null,
    });
  }
  return warnings;
}

/**
 * The other reading of an aviso, when it has one: after 18:00 or on a non-business day, 09:30
 * of the next business day. Before 09:30 of a business day the aviso's date stays the same under
 * either reading (07:30–09:29 is even within CFF art. 13's hours), so the three days are counted
 * alike and there is nothing to warn about; an early opening is apertura_antes_de_horario's.
 */
function otherAvisoReading(
  calendar: BusinessCalendar,
  at: Temporal.Instant,
): { instant: Temporal.Instant; why: string } | undefined {
  const local = toZonaCentro(at);
  const reason = calendar.nonBusinessReason(local.toPlainDate());
  const late = Temporal.PlainTime.compare(local.toPlainTime(), NOTIFICATION_HOURS_END) > 0;
  if (!reason && !late) return undefined;
  const next = nextBusinessDay(calendar, local.toPlainDate()).date;
  return {
    instant: atLocalTime(next, NOTIFICATION_HOURS_START),
    why: reason
      ? `en día inhábil: ${dayWhy(reason, calendar.authority)}; fundamento: ${reason.source.replace(/\.$/, "")}`
      : "después de las 18:00, fuera del horario de notificación (Lineamientos 7.2: 09:30 a 18:00) y de las horas hábiles del CFF art. 13 (07:30 a 18:00)",
  };
}

/**
 * Whether the other reading moves a date that matters: the effect or a deadline. The
 * notification instant alone does not (it differs only when a declared knowledge governs both).
 */
function differs(result: TermDates, other: TermDates): boolean {
  return (
    result.effectiveOn !== other.effectiveOn ||
    result.recursoInconformidadBy !== other.recursoInconformidadBy ||
    result.juicioNulidadBy !== other.juicioNulidadBy
  );
}

/** «martes 3 de marzo de 2026 a las 19:00 (Zona Centro)»: minutes are enough in a warning. */
function shortInstant(instant: Temporal.Instant): string {
  const local = toZonaCentro(instant);
  const time = local.toPlainTime().toString({ smallestUnit: "minute" });
  return `${spanishDate(local.toPlainDate())} a las ${time} (Zona Centro)`;
}

function datesOf(other: TermDates): NonNullable<Warning["otherReading"]> {
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
