import { formatInstant } from "../time/zona-centro.ts";
import { PromocionError } from "./errors.ts";

/**
 * The manifest of a promoción: the exact text the particular signs with the e.firma in the
 * browser (issue 12 §1). It names everything the acuse will list, so the signature covers the
 * escrito and every attachment by hash, and the challenge binds it to one session and instant.
 *
 * Canonical form (UTF-8, NFC, lines joined by "\n", a final "\n", no other whitespace):
 *
 *     Buzón IMSS — Promoción electrónica
 *     Versión del manifiesto: 1
 *     RFC: <RFC of the mailbox>
 *     Tipo: <type id> (<type name>)
 *     Asunto: <subject>
 *     SHA-256 del escrito: <64 hex, of the text's UTF-8 bytes>
 *     Bytes del escrito: <n>
 *     Notificación que contesta: <uuid> | ninguna
 *     Anexos: <count>
 *     Anexo <i>: <bytes> bytes; SHA-256 <64 hex>; <name>          (one line each, in order)
 *     Instante: <Zona Centro ISO instant, ms>
 *     Desafío: <challenge uuid>
 *     Nonce: <base64url>
 *
 * The name goes last on its line so no name can be read as another field; names and the
 * subject cannot hold control or format characters (checked by {@link checkLine}). «Mis expedientes»
 * searches the anexos' names by reading these «Anexo» lines in SQL (migration 0039's
 * `expediente_anexos`): a version that changes them changes that function too.
 */
export const MANIFEST_VERSION = "1";

export interface ManifestAttachment {
  name: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  rfc: string;
  type: { id: string; name: string };
  subject: string;
  textSha256: string;
  textBytes: number;
  notificacionId: string | null;
  attachments: readonly ManifestAttachment[];
  at: Temporal.Instant;
  challengeId: string;
  nonce: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
// Invisible marks pasted text carries and nobody means: a soft hyphen from a word processor, a
// zero-width space or word joiner from a web page or a PDF, a BOM. Removed, not refused.
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g;
// Control characters, the line/paragraph separators some readers break lines at, and the other
// format characters (category Cf: the bidi controls U+200E/F, U+202A–E, U+2066–9…), which are
// invisible and can make a value read as another: «Comprobante\u202Efdp.exe» shows as
// «Comprobanteexe.pdf». The joiners (U+200C, U+200D) stay: emoji and some scripts need them, and
// they reorder nothing.
const CONTROL = /[\p{Cc}\u2028\u2029]|(?![\u200C\u200D])\p{Cf}/u;

/**
 * A one-line value: NFC, trimmed, without the invisible marks pasted text carries, not empty, no
 * control or other format characters, at most `max` chars.
 */
export function checkLine(value: string, what: string, pointer: string, max: number): string {
  const clean = value.normalize("NFC").replace(INVISIBLE, "").trim();
  const hidden = clean.match(CONTROL)?.[0];
  if (clean === "" || hidden !== undefined || [...clean].length > max) {
    // The character is invisible in the field: its code point says what to delete.
    const which = hidden
      ? ` Contiene el carácter U+${hidden.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}.`
      : "";
    throw new PromocionError(
      "promocion_invalid",
      `${what} debe ser una línea de texto, sin saltos ni caracteres de control o invisibles de formato (como los que invierten la dirección del texto), de 1 a ${max} caracteres.${which}`,
      { pointer },
    );
  }
  return clean;
}

/** The escrito as it is signed, stored and hashed: NFC, line ends as "\n". */
export function normalizeText(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n");
}

/** The canonical text of the manifest (see the module's comment). */
export function manifestText(m: Manifest): string {
  for (const a of m.attachments) {
    if (!HEX64.test(a.sha256) || !Number.isSafeInteger(a.size) || a.size < 0) {
      throw new PromocionError("promocion_invalid", "Anexo con huella o tamaño inválido.");
    }
  }
  return [
    "Buzón IMSS — Promoción electrónica",
    `Versión del manifiesto: ${MANIFEST_VERSION}`,
    `RFC: ${m.rfc}`,
    `Tipo: ${m.type.id} (${m.type.name})`,
    `Asunto: ${m.subject}`,
    `SHA-256 del escrito: ${m.textSha256}`,
    `Bytes del escrito: ${m.textBytes}`,
    `Notificación que contesta: ${m.notificacionId ?? "ninguna"}`,
    `Anexos: ${m.attachments.length}`,
    ...m.attachments.map(
      (a, i) => `Anexo ${i + 1}: ${a.size} bytes; SHA-256 ${a.sha256}; ${a.name}`,
    ),
    `Instante: ${formatInstant(m.at.round({ smallestUnit: "millisecond", roundingMode: "floor" }))}`,
    `Desafío: ${m.challengeId}`,
    `Nonce: ${m.nonce}`,
    "",
  ]
    .join("\n")
    .normalize("NFC");
}

const LINE = {
  head: "Buzón IMSS — Promoción electrónica",
  version: /^Versión del manifiesto: (\d+)$/,
  rfc: /^RFC: ([A-ZÑ&0-9]{12,13})$/,
  type: /^Tipo: ([a-z0-9_]+) \((.+)\)$/,
  subject: /^Asunto: (.+)$/,
  textSha: /^SHA-256 del escrito: ([0-9a-f]{64})$/,
  textBytes: /^Bytes del escrito: (\d+)$/,
  notificacion: /^Notificación que contesta: (ninguna|[0-9a-f-]{36})$/,
  count: /^Anexos: (\d+)$/,
  attachment: /^Anexo (\d+): (\d+) bytes; SHA-256 ([0-9a-f]{64}); (.+)$/,
  // As formatInstant writes it: a reader without Temporal still refuses anything else here.
  at: /^Instante: (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?[+-]\d{2}:\d{2})$/,
  challenge: /^Desafío: ([0-9a-f-]{36})$/,
  nonce: /^Nonce: ([A-Za-z0-9_-]+)$/,
};

/** A manifest's fields as its lines say them, the instant still as text. */
export type ManifestLines = Omit<Manifest, "at"> & { at: string };

/**
 * Reads a manifest's lines, each by its exact pattern and in its place, with nothing left over;
 * no Temporal, so the browser checks with it what the server asks it to sign in any engine
 * (web/src/data/promociones.ts). {@link parseManifest} adds the instant and the round trip.
 */
export function readManifest(text: string): ManifestLines | undefined {
  const lines = text.split("\n");
  if (lines.pop() !== "" || lines[0] !== LINE.head) return undefined;
  let i = 1;
  const next = (re: RegExp) => lines[i++]?.match(re) ?? undefined;
  const version = next(LINE.version);
  const rfc = next(LINE.rfc);
  const type = next(LINE.type);
  const subject = next(LINE.subject);
  const textSha = next(LINE.textSha);
  const textBytes = next(LINE.textBytes);
  const notificacion = next(LINE.notificacion);
  const count = next(LINE.count);
  if (!version || version[1] !== MANIFEST_VERSION) return undefined;
  if (!rfc || !type || !subject || !textSha || !textBytes || !notificacion || !count) {
    return undefined;
  }
  const attachments: ManifestAttachment[] = [];
  for (let k = 1; k <= Number(count[1]); k++) {
    const a = next(LINE.attachment);
    if (!a || Number(a[1]) !== k) return undefined;
    attachments.push({ size: Number(a[2]), sha256: a[3]!, name: a[4]! });
  }
  const at = next(LINE.at);
  const challenge = next(LINE.challenge);
  const nonce = next(LINE.nonce);
  if (!at || !challenge || !nonce || i !== lines.length) return undefined;
  return {
    rfc: rfc[1]!,
    type: { id: type[1]!, name: type[2]! },
    subject: subject[1]!,
    textSha256: textSha[1]!,
    textBytes: Number(textBytes[1]),
    notificacionId: notificacion[1] === "ninguna" ? null : notificacion[1]!,
    attachments,
    at: at[1]!,
    challengeId: challenge[1]!,
    nonce: nonce[1]!,
  };
}

/**
 * Reads a manifest back (a verifier's tool, and the test that the text is unambiguous): the
 * inverse of {@link manifestText}, or undefined when the text is not one it writes.
 */
export function parseManifest(text: string): Manifest | undefined {
  const lines = readManifest(text);
  if (!lines) return undefined;
  let instant: Temporal.Instant;
  try {
    instant = Temporal.Instant.from(lines.at);
  } catch {
    return undefined;
  }
  const manifest: Manifest = { ...lines, at: instant };
  return manifestText(manifest) === text ? manifest : undefined;
}
