/**
 * Folios of acuses in the portal's form: `BI-20250203-100717151` is the prefix, the local date
 * (Zona Centro) and the local time to the millisecond of the moment the acuse was issued (seed
 * 004: "número de folio: BI-20250203-100717151, fecha: 03/02/2025 10:07").
 *
 * A folio never runs ahead of the clock: when several acuses are issued in the same
 * millisecond (or the clock was set back), the later ones keep the last folio's time and add a
 * sequence, `BI-20250203-100717151-0001`, `-0002`… (4 digits, so text order is issuance order).
 * The portal's form is the common case, with no suffix.
 *
 * Uniqueness is not something a pure function can promise: it is enforced by the database.
 * The store keeps a unique index on the folio and, inside the transaction that issues acuses,
 * reads the last issued folio under a lock and applies {@link nextFolio}; folios are then unique
 * and strictly increasing across processes, and the unique index is the backstop.
 */

import { CodedError } from "../errors.ts";
import { MAX_YEAR, MIN_YEAR, toZonaCentro, ZONA_CENTRO } from "../time/zona-centro.ts";

export type FolioErrorCode = "invalid_folio";

export class FolioError extends CodedError<FolioErrorCode> {}

export const DEFAULT_FOLIO_PREFIX = "BI";

/** 1 to 8 uppercase ASCII letters: `BI` today; other channels may get their own prefix. */
const PREFIX_SHAPE = /^[A-Z]{1,8}$/;
const FOLIO_SHAPE =
  /^([A-Z]{1,8})-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(\d{3})(?:-(\d{4}))?$/;
/** Most acuses one millisecond can name (sequence 0 has no suffix). */
export const MAX_FOLIO_SEQUENCE = 9999;

export interface Folio {
  /** The folio as written: `BI-20250203-100717151`. */
  value: string;
  prefix: string;
  /** The instant it names, to the millisecond. */
  instant: Temporal.Instant;
  /** 0 for the first acuse of its millisecond; 1, 2… for the next ones (`-0001`, `-0002`). */
  sequence: number;
}

/**
 * `BI-YYYYMMDD-HHmmssSSS` in Zona Centro local time, with `-NNNN` when `sequence` > 0;
 * sub-millisecond digits are dropped.
 */
export function formatFolio(
  instant: Temporal.Instant,
  prefix = DEFAULT_FOLIO_PREFIX,
  sequence = 0,
): string {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_FOLIO_SEQUENCE) {
    throw new FolioError(
      "invalid_folio",
      `La secuencia de folio ${sequence} no es válida: va de 0 a ${MAX_FOLIO_SEQUENCE}.`,
    );
  }
  if (!PREFIX_SHAPE.test(prefix)) {
    throw new FolioError(
      "invalid_folio",
      `El prefijo de folio «${prefix.slice(0, 20)}» no es válido: deben ser de 1 a 8 letras mayúsculas sin acentos.`,
    );
  }
  const local = toZonaCentro(instant);
  const date = `${pad(local.year, 4)}${pad(local.month, 2)}${pad(local.day, 2)}`;
  const time = `${pad(local.hour, 2)}${pad(local.minute, 2)}${pad(local.second, 2)}${pad(local.millisecond, 3)}`;
  return sequence === 0
    ? `${prefix}-${date}-${time}`
    : `${prefix}-${date}-${time}-${pad(sequence, 4)}`;
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
      `«${shownFolio(text)}» no es un folio: se espera un prefijo de letras mayúsculas, la fecha AAAAMMDD y la hora HHmmssSSS, por ejemplo BI-20250203-100717151 (y, si hubo varios acuses en el mismo milésimo de segundo, -0001, -0002…).`,
    );
  }
  const [year, month, day, hour, minute, second, millisecond] = match.slice(2, 9).map(Number) as [
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
  const sequence = match[9] === undefined ? 0 : Number(match[9]);
  if (match[9] !== undefined && sequence === 0) {
    throw new FolioError(
      "invalid_folio",
      `El folio «${shownFolio(text)}» lleva la secuencia -0000, que no existe: el primer acuse de cada milésimo de segundo no lleva secuencia.`,
    );
  }
  return { value: text, prefix: match[1]!, instant: zoned.toInstant(), sequence };
}

/**
 * The next folio's instant and sequence: `now` truncated to the millisecond when the clock has
 * moved past the last folio; otherwise (same millisecond, a clock set back, another process
 * ahead) the last folio's instant with the next sequence. Applied under the store's lock, it
 * makes folios strictly increasing without ever naming a time later than the last one issued
 * or the clock: under load folios keep the true millisecond instead of drifting ahead.
 */
export function nextFolio(
  last: Pick<Folio, "instant" | "sequence"> | undefined,
  now: Temporal.Instant,
): { instant: Temporal.Instant; sequence: number } {
  const nowMs = truncateToMillisecond(now);
  if (last === undefined) return { instant: nowMs, sequence: 0 };
  const lastMs = truncateToMillisecond(last.instant);
  if (Temporal.Instant.compare(nowMs, lastMs) > 0) return { instant: nowMs, sequence: 0 };
  if (last.sequence >= MAX_FOLIO_SEQUENCE) {
    // 10,000 acuses in one millisecond: take the next millisecond rather than fail.
    return { instant: lastMs.add({ milliseconds: 1 }), sequence: 0 };
  }
  return { instant: lastMs, sequence: last.sequence + 1 };
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
