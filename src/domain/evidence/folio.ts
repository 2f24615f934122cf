/**
 * Folios of acuses in the portal's form: `BI-20250203-100717151` is the prefix, the local date
 * (Zona Centro) and the local time to the millisecond of the moment the acuse was issued (seed
 * 004: "número de folio: BI-20250203-100717151, fecha: 03/02/2025 10:07").
 *
 * Uniqueness is not something a pure function can promise: it is enforced by the database.
 * The store (future work) keeps a unique index on the folio and, inside the transaction that
 * issues the acuse, reads the last issued instant under a lock (or a sequence row) and applies
 * {@link nextFolioInstant}. Every process then gets a strictly later millisecond than the last
 * one committed, so folios are unique and strictly increasing across processes; the unique
 * index is the backstop if a store ever forgets the lock.
 */
import { MAX_YEAR, MIN_YEAR, toZonaCentro, ZONA_CENTRO } from "../time/zona-centro.ts";

export type FolioErrorCode = "invalid_folio";

export class FolioError extends Error {
  readonly code: FolioErrorCode;

  constructor(code: FolioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FolioError";
    this.code = code;
  }
}

export const DEFAULT_FOLIO_PREFIX = "BI";

/** 1 to 8 uppercase ASCII letters: `BI` today; other channels may get their own prefix. */
const PREFIX_SHAPE = /^[A-Z]{1,8}$/;
const FOLIO_SHAPE = /^([A-Z]{1,8})-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(\d{3})$/;

export interface Folio {
  /** The folio as written: `BI-20250203-100717151`. */
  value: string;
  prefix: string;
  /** The instant it names, to the millisecond. */
  instant: Temporal.Instant;
}

/** `BI-YYYYMMDD-HHmmssSSS` in Zona Centro local time; sub-millisecond digits are dropped. */
export function formatFolio(instant: Temporal.Instant, prefix = DEFAULT_FOLIO_PREFIX): string {
  if (!PREFIX_SHAPE.test(prefix)) {
    throw new FolioError(
      "invalid_folio",
      `El prefijo de folio «${prefix.slice(0, 20)}» no es válido: deben ser de 1 a 8 letras mayúsculas sin acentos.`,
    );
  }
  const local = toZonaCentro(instant);
  const date = `${pad(local.year, 4)}${pad(local.month, 2)}${pad(local.day, 2)}`;
  const time = `${pad(local.hour, 2)}${pad(local.minute, 2)}${pad(local.second, 2)}${pad(local.millisecond, 3)}`;
  return `${prefix}-${date}-${time}`;
}

/**
 * Reads a folio strictly: exact shape, a date that exists, a time of day that exists (no hour
 * 24, no leap second) and, if Zona Centro ever again has summer time, a local time that is not
 * skipped or repeated by the change (such a folio would not name one instant).
 */
export function parseFolio(text: string): Folio {
  const match = FOLIO_SHAPE.exec(text);
  if (!match) {
    throw new FolioError(
      "invalid_folio",
      `«${shownFolio(text)}» no es un folio: se espera un prefijo de letras mayúsculas, la fecha AAAAMMDD y la hora HHmmssSSS, por ejemplo BI-20250203-100717151.`,
    );
  }
  const [year, month, day, hour, minute, second, millisecond] = match.slice(2).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new FolioError(
      "invalid_folio",
      `El año ${year} del folio «${shownFolio(text)}» está fuera del intervalo que el sistema admite (${MIN_YEAR}–${MAX_YEAR}).`,
    );
  }
  let zoned: Temporal.ZonedDateTime;
  try {
    const plain = Temporal.PlainDateTime.from(
      { year, month, day, hour, minute, second, millisecond },
      { overflow: "reject" },
    );
    zoned = plain.toZonedDateTime(ZONA_CENTRO, { disambiguation: "reject" });
  } catch (cause) {
    throw new FolioError(
      "invalid_folio",
      `El folio «${shownFolio(text)}» contiene una fecha u hora que no existe en Zona Centro.`,
      { cause },
    );
  }
  return { value: text, prefix: match[1]!, instant: zoned.toInstant() };
}

/**
 * The instant the next folio names: `now`, or one millisecond after the last folio issued if
 * the clock has not moved past it (same millisecond, a clock stepped back, another process
 * ahead of this one), truncated to the millisecond. Applied under the store's lock, it makes
 * folios strictly increasing; see the module comment.
 */
export function nextFolioInstant(
  lastIssued: Temporal.Instant | undefined,
  now: Temporal.Instant,
): Temporal.Instant {
  const nowMs = truncateToMillisecond(now);
  if (lastIssued === undefined) return nowMs;
  const after = truncateToMillisecond(lastIssued).add({ milliseconds: 1 });
  return Temporal.Instant.compare(nowMs, after) >= 0 ? nowMs : after;
}

export function truncateToMillisecond(instant: Temporal.Instant): Temporal.Instant {
  return instant.round({ smallestUnit: "millisecond", roundingMode: "floor" });
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function shownFolio(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
