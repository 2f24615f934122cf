/**
 * The signed opening of a notified act (CFF art. 134-I; Lineamientos 7.4–7.5): the exact text
 * the particular signs with the e.firma, and the refusals of the opening and the challenge.
 * Pure: the instant is an argument.
 */
import type { BusinessCalendar } from "../calendar/calendar.ts";
import { CodedError } from "../errors.ts";
import { opensAfterTerm } from "../plazos/notificacion.ts";
import { formatInstant, spanishDate, spanishInstant } from "../time/zona-centro.ts";

/** An opening challenge lives five minutes (real time), like the Terms' one. */
export const APERTURA_CHALLENGE_SECONDS = 300;

export type AperturaErrorCode =
  /** The challenge does not exist, is another session's or act's, was used or expired. */
  | "opening_challenge_invalid"
  /** The certificate is not the e.firma the session signed in with. */
  | "opening_signer_mismatch"
  /** The certificate or the signature does not verify (expired, revoked, wrong key…). */
  | "opening_signature_refused"
  /** The act was already opened (or already accessed after it was notified). */
  | "already_opened";

export class AperturaError extends CodedError<AperturaErrorCode> {}

/** What the particular signs: every part the signature must bind. */
export interface AperturaSigningParts {
  rfc: string;
  notificacionId: string;
  oficio: string;
  actType: string;
  actTypeName: string;
  documentName: string;
  documentSha256: string;
  /** The legal instant of the challenge (the clock of notifications). */
  at: Temporal.Instant;
  challengeId: string;
  nonce: string;
  /**
   * Whether the act was already notified otherwise when the challenge was made: then signing
   * records an access and changes nothing (Lineamientos 7.5); else it notifies (CFF 134-I).
   */
  alreadyNotified: boolean;
}

/**
 * The versions of the text. 1 labelled the challenge's instant «Fecha y hora», which read as the
 * opening's own instant; 2 says «Fecha y hora del desafío». The server builds new challenges in
 * the current one and still accepts a signature over version 1 of the same challenge (one
 * issued before the change, signed after): both bind the same fields. Texts already signed are
 * kept verbatim in their events and verify as they were.
 */
export const APERTURA_TEXT_FORMATS = [1, 2] as const;
export type AperturaTextFormat = (typeof APERTURA_TEXT_FORMATS)[number];
export const APERTURA_TEXT_FORMAT: AperturaTextFormat = 2;

/** Line breaks or pipes in a stored value cannot forge another line of the text. */
const oneLine = (value: string) => value.replace(/[\p{Cc}\u2028\u2029]+/gu, " ");

/**
 * The exact UTF-8 text of an opening, line by line, in Spanish: what it does, then each bound
 * field. The server rebuilds it from the challenge and the act to verify the signature.
 */
export function aperturaSigningText(
  parts: AperturaSigningParts,
  format: AperturaTextFormat = APERTURA_TEXT_FORMAT,
): string {
  const statement = parts.alreadyNotified
    ? "Con esta firma electrónica accedo al documento digital de un acto que ya se tiene por notificado (Lineamientos 7.5): el acceso queda registrado y no cambia la fecha de notificación."
    : "Con esta firma electrónica abro el documento digital y me doy por notificado del acto (CFF art. 134, fracción I; Lineamientos 7.4): la firma es el acuse de recibo de la notificación.";
  return [
    "Buzón IMSS — apertura de notificación electrónica",
    statement,
    `RFC: ${parts.rfc}`,
    `Acto: ${parts.notificacionId}`,
    `Oficio: ${oneLine(parts.oficio)}`,
    `Tipo de acto: ${parts.actType} ${oneLine(parts.actTypeName)}`,
    `Documento: ${oneLine(parts.documentName)}`,
    `SHA-256 del documento: ${parts.documentSha256}`,
    `${format === 1 ? "Fecha y hora" : "Fecha y hora del desafío"}: ${formatInstant(parts.at.round({ smallestUnit: "millisecond", roundingMode: "floor" }))}`,
    `Desafío: ${parts.challengeId}`,
    `Nonce: ${parts.nonce}`,
  ].join("\n");
}

/**
 * ADR 0002: why an opening at `at` of an act still waiting to be opened is refused — on the
 * fourth business day before 09:30 the three days to open are over and the law notifies at that
 * 09:30 (Lineamientos 7.5), with the constancia the sweep seals — or undefined when an opening
 * then would notify the act. `clock` is the engine's clock of the act (its last day to open and
 * the fourth day's 09:30). The one text of that refusal: the 409 of the challenge and of the
 * opening, and the reason the detail gives while the act cannot be opened (`openingRefusal`).
 */
export function openingAfterTerm(
  calendar: BusinessCalendar,
  clock: { openBy: string; deemedNotifiedAt: string },
  at: Temporal.Instant,
): string | undefined {
  const deemedAt = Temporal.Instant.from(clock.deemedNotifiedAt);
  if (!opensAfterTerm(calendar, at, deemedAt)) return undefined;
  return `El plazo de tres días hábiles para abrir este acto terminó el ${spanishDate(Temporal.PlainDate.from(clock.openBy))}: se tiene por notificado por ministerio de ley el ${spanishInstant(deemedAt, "minute")} (Lineamientos 7.5), y desde ese momento puedes consultarlo aquí.`;
}

/**
 * A version 7 UUID (RFC 9562) whose timestamp is `at`: the challenge's id carries the legal
 * instant its text names, while the row's own instants are the real clock's (the challenge's
 * lifetime is security, not legal time: moving the demo clock must not expire it).
 */
export function uuidV7At(at: Temporal.Instant, random: Uint8Array): string {
  if (random.length < 10) throw new RangeError("uuidV7At necesita 10 bytes aleatorios");
  const bytes = new Uint8Array(16);
  let ms = at.epochMilliseconds;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The instant of a version 7 UUID, or undefined for any other id. */
export function instantOfUuidV7(id: string): Temporal.Instant | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) {
    return undefined;
  }
  const ms = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
  return Temporal.Instant.fromEpochMilliseconds(ms);
}
