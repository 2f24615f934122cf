import { DomainError } from "../errors.ts";
import { SPANISH_MONTHS, SPANISH_WEEKDAYS } from "../text.ts";
import { MAX_YEAR, MIN_YEAR } from "./range.ts";

export { MAX_YEAR, MIN_YEAR };

/**
 * Zona Centro de México. CFF art. 13 and Lineamientos 7.2 fix legal time to it; since
 * 2022-10-30 it is UTC−06:00 all year, but we keep the IANA zone so history stays right.
 */
export const ZONA_CENTRO = "America/Mexico_City";

const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses an ISO 8601 instant that names its offset (`-06:00` or `Z`). A local time without an
 * offset is refused: it would be ambiguous evidence.
 */
export function parseInstant(text: string, field = "instante"): Temporal.Instant {
  const trimmed = text.trim();
  if (!INSTANT_WITH_OFFSET.test(trimmed)) {
    throw new DomainError(
      "invalid_instant",
      `El valor de «${field}» no es un instante ISO 8601 con zona horaria (por ejemplo 2025-04-11T17:00:00-06:00): «${truncate(trimmed)}».`,
      { pointer: field },
    );
  }
  let instant: Temporal.Instant;
  try {
    // Temporal folds a leap second (:60) into :59; evidence must not be silently changed.
    if (/T\d{2}:\d{2}:60/.test(trimmed)) throw new RangeError("leap second");
    instant = Temporal.Instant.from(trimmed);
  } catch {
    throw new DomainError(
      "invalid_instant",
      `El valor de «${field}» no es una fecha y hora válida: «${truncate(trimmed)}».`,
      { pointer: field },
    );
  }
  const year = toZonaCentro(instant).year;
  if (year < MIN_YEAR || year > MAX_YEAR) {
    // Named as it was sent: «2020-01-01T00:00:00Z» is still 2019 in Zona Centro, and a message
    // about «el año 2019» alone reads as if the system had misread it.
    throw new DomainError(
      "out_of_range",
      `«${truncate(trimmed)}» (${field}) cae en el año ${year} en Zona Centro, fuera del intervalo que el sistema calcula (${MIN_YEAR}–${MAX_YEAR}).`,
      { pointer: field },
    );
  }
  return instant;
}

export function parsePlainDate(text: string, field = "fecha"): Temporal.PlainDate {
  const trimmed = text.trim();
  if (!PLAIN_DATE.test(trimmed)) {
    throw new DomainError(
      "invalid_date",
      `El valor de «${field}» no es una fecha AAAA-MM-DD: «${truncate(trimmed)}».`,
      { pointer: field },
    );
  }
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(trimmed, { overflow: "reject" });
  } catch {
    throw new DomainError(
      "invalid_date",
      `La fecha «${truncate(trimmed)}» de «${field}» no existe en el calendario.`,
      { pointer: field },
    );
  }
  assertYearInRange(date.year, field);
  return date;
}

export function toZonaCentro(instant: Temporal.Instant): Temporal.ZonedDateTime {
  return instant.toZonedDateTimeISO(ZONA_CENTRO);
}

/** The instant at a local wall-clock time of a Zona Centro date. */
export function atLocalTime(date: Temporal.PlainDate, time: Temporal.PlainTime): Temporal.Instant {
  return date.toZonedDateTime({ timeZone: ZONA_CENTRO, plainTime: time }).toInstant();
}

/** `2025-04-21T09:30:00-06:00`: the form every result and acuse shows. */
export function formatInstant(instant: Temporal.Instant): string {
  return toZonaCentro(instant).toString({ timeZoneName: "never" });
}

/** `viernes 11 de abril de 2025`, written here rather than by Intl so the text is stable. */
export function spanishDate(date: Temporal.PlainDate): string {
  return `${SPANISH_WEEKDAYS[date.dayOfWeek - 1]} ${date.day} de ${SPANISH_MONTHS[date.month - 1]} de ${date.year}`;
}

export function spanishWeekday(date: Temporal.PlainDate): string {
  return SPANISH_WEEKDAYS[date.dayOfWeek - 1]!;
}

/**
 * `viernes 11 de abril de 2025 a las 17:00:00 (Zona Centro)`. A stored event keeps its
 * milliseconds (formatInstant gives them to machines); messages and acuses people read pass
 * `"second"`, which drops the fraction toward the past, so a deadline is never shown later
 * than it is. Legal reasoning keeps the full precision (18:00:00.000000001 is past 18:00).
 */
export function spanishInstant(
  instant: Temporal.Instant,
  precision: "exact" | "second" | "minute" = "exact",
): string {
  const local = toZonaCentro(
    precision === "exact"
      ? instant
      : instant.round({ smallestUnit: precision, roundingMode: "floor" }),
  );
  // "minute": explanation steps a person reads (hh:mm, as the portal writes), floored as well.
  const time =
    precision === "minute"
      ? local.toPlainTime().toString({ smallestUnit: "minute" })
      : spanishTime(local.toPlainTime());
  return `${spanishDate(local.toPlainDate())} a las ${time} (Zona Centro)`;
}

/** `18:00:00`, with the fraction only when there is one (`18:00:00.000000001`). */
export function spanishTime(time: Temporal.PlainTime): string {
  return time.toString();
}

function assertYearInRange(year: number, field: string): void {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError(
      "out_of_range",
      `El año ${year} de «${field}» está fuera del intervalo que el sistema calcula (${MIN_YEAR}–${MAX_YEAR}).`,
      { pointer: field },
    );
  }
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
