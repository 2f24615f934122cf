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

const HOUR_MS = 3_600_000;
/**
 * Zona Centro's UTC offset (ms) of each UTC hour seen, or null when the offset changes within
 * that hour: the zone's history has changed only on whole UTC hours, but if it ever does not,
 * that hour simply takes the slow path. Offsets of the past never change within a process (its
 * tz data is fixed), so the cache cannot go stale; it is bounded all the same.
 */
const OFFSETS = new Map<number, number | null>();
const MAX_OFFSETS = 100_000;

function offsetMsOfHour(hour: number): number | null {
  let offset = OFFSETS.get(hour);
  if (offset !== undefined) return offset;
  const at = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONA_CENTRO).offsetNanoseconds;
  const first = at(hour * HOUR_MS);
  // Whole minutes only: an offset of seconds (1922's local mean time) is Temporal's to print.
  offset =
    first === at(hour * HOUR_MS + HOUR_MS - 1) && first % 60_000_000_000 === 0
      ? first / 1_000_000
      : null;
  if (OFFSETS.size >= MAX_OFFSETS) OFFSETS.clear();
  OFFSETS.set(hour, offset);
  return offset;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

interface WallClock {
  year: number;
  month: number;
  day: number;
  /** Milliseconds since the local midnight. */
  time: number;
  offsetMs: number;
}

/**
 * The Zona Centro wall clock of an instant of whole milliseconds; undefined when Temporal must
 * answer (sub-millisecond instants, an hour whose offset changes or is not whole minutes, years
 * outside four digits). Lists format thousands of instants a second: this is Temporal's answer
 * at a fraction of its cost (tested against it). The date is the proleptic Gregorian civil date
 * of the local day count (H. Hinnant's days-to-civil), as ISO 8601 and Temporal use.
 */
function wallClock(instant: Temporal.Instant): WallClock | undefined {
  const ms = instant.epochMilliseconds;
  // Outside years 1000–9999 (with a day to spare): Temporal's, as its printing is.
  if (ms < -30_610_310_400_000 || ms > 253_402_387_200_000) return undefined;
  if (instant.epochNanoseconds !== BigInt(ms) * 1_000_000n) return undefined;
  const offsetMs = offsetMsOfHour(Math.floor(ms / HOUR_MS));
  if (offsetMs === null) return undefined;
  const local = ms + offsetMs;
  const days = Math.floor(local / 86_400_000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) return undefined;
  return { year, month, day, time: local - days * 86_400_000, offsetMs };
}

/** `2025-04-21T09:30:00-06:00`: the form every result and acuse shows. */
export function formatInstant(instant: Temporal.Instant): string {
  const clock = wallClock(instant);
  if (!clock) return toZonaCentro(instant).toString({ timeZoneName: "never" });
  const { time, offsetMs } = clock;
  const millis = time % 1000;
  // Temporal's "auto" fraction: the digits it needs, trailing zeros dropped.
  const fraction = millis === 0 ? "" : `.${String(millis).padStart(3, "0").replace(/0+$/, "")}`;
  const seconds = Math.floor(time / 1000);
  const sign = offsetMs < 0 ? "-" : "+";
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${dateText(clock)}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}${fraction}${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * `value` with every string that is wholly an ISO 8601 instant naming its offset (`…Z`,
 * `…+00:00`, `…-06:00`) written as formatInstant writes it, in Zona Centro: the same instant,
 * one notation. Objects and arrays are walked; any other value, and a string that merely
 * contains an instant (a signed text), is kept as it is. For showing stored data (an event's
 * `data` written before every writer used formatInstant), never for rewriting it.
 */
export function zonaCentroInstants(value: unknown): unknown {
  if (typeof value === "string") {
    if (!INSTANT_WITH_OFFSET.test(value)) return value;
    try {
      return formatInstant(Temporal.Instant.from(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(zonaCentroInstants);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, zonaCentroInstants(item)]),
    );
  }
  return value;
}

const dateText = ({ year, month, day }: WallClock) => `${year}-${pad2(month)}-${pad2(day)}`;

/** `2025-04-21`: the Zona Centro date of an instant (formatInstant's first ten characters). */
export function zonaCentroDateString(instant: Temporal.Instant): string {
  const clock = wallClock(instant);
  return clock ? dateText(clock) : toZonaCentro(instant).toPlainDate().toString();
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
