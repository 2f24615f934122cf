import { Buffer } from "node:buffer";
import { createPublicKey, hash, type KeyObject, sign, verify } from "node:crypto";
import { equalBytes } from "../bytes.ts";
import { CodedError } from "../errors.ts";
import { HASH_SIZE } from "./merkle.ts";

/**
 * Signed checkpoints of the public evidence log.
 *
 * A checkpoint is a signed note (c2sp.org/signed-note@v1.0.0) whose text is the tree head in the
 * c2sp.org/tlog-checkpoint format:
 *
 *     <origin>\n
 *     <tree size, ASCII decimal, no leading zeroes>\n
 *     <base64 root hash (RFC 6962 = RFC 9162 §2.1 MTH)>\n
 *     [<non-empty extension line>\n ...]
 *     \n
 *     — <key name> <base64(4-byte key ID || Ed25519 signature)>\n
 *     [— <other key name> <...>\n ...]
 *
 * Spec points relied on (quoted in short where used):
 *  - tlog-checkpoint "Note text": at least three non-empty lines; origin non-empty; size with no
 *    leading zeroes; root is base64 (RFC 4648 §4, standard alphabet, padded); extension lines
 *    optional and non-empty. "The log's key name in its signature line SHOULD match the origin".
 *  - signed-note "Format": text ends in newline, then a blank line, then one or more signature
 *    lines "— <name> <base64>\n"; valid UTF-8, no control characters other than newline; key names
 *    non-empty without Unicode spaces or "+"; the signature is base64(key ID (uint32 BE) || sig).
 *  - signed-note "Signatures": unknown keys (name or ID differing) MUST be ignored; a known key
 *    whose signature fails SHOULD reject the note (we do); no verified known key MUST reject.
 *  - signed-note "Ed25519 signatures": type byte 0x01, RFC 8032 over the note text, key ID =
 *    SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4].
 *
 * The verifier key string `<name>+<8 hex key ID>+<base64(0x01 || public key)>` is the one of
 * golang.org/x/mod/sumdb/note (and of the C2SP tooling built on it); it is not spelled out in the
 * signed-note spec itself.
 *
 * Parsing is strict: everything is re-encoded and must give back the same bytes (canonical
 * decimal and base64, exactly one blank line, LF only, final newline), so one checkpoint has one
 * text.
 *
 * Pure domain: `node:crypto` and `node:buffer` only; keys are arguments.
 */

export type CheckpointErrorCode =
  /** The signed-note framing is wrong: final newline, blank line, signature lines, characters. */
  | "malformed_note"
  /** The verifier key string, or a signer, is not a valid Ed25519 note key. */
  | "malformed_key"
  /** No signature in the note is from the trusted key (name and key ID). */
  | "unknown_key"
  /** A signature from the trusted key does not verify. */
  | "bad_signature"
  /** The origin line is empty, invalid or not the expected one. */
  | "bad_origin"
  /** The tree size line is not a canonical decimal safe integer. */
  | "bad_size"
  /** The root hash line is not the canonical base64 of 32 bytes. */
  | "bad_root"
  /** The body has too few lines, an empty line or an invalid extension line. */
  | "malformed_checkpoint";

export class CheckpointError extends CodedError<CheckpointErrorCode> {}

/** A tree head: what a checkpoint says about the log. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Opaque extension lines (tlog-checkpoint: OPTIONAL, NOT RECOMMENDED). */
  readonly extensions: readonly string[];
}

export interface CheckpointInput {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly extensions?: readonly string[];
}

export interface NoteSigner {
  readonly name: string;
  /** An Ed25519 private key. */
  readonly privateKey: KeyObject;
}

/** An Ed25519 note verifier key. */
export interface VerifierKey {
  readonly name: string;
  /** SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
  readonly keyId: Uint8Array;
  /** The 32-byte RFC 8032 public key. */
  readonly publicKey: Uint8Array;
}

/** A signature line of a note, not yet verified. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** signed-note: "Ed25519 signatures ... signature type identifier byte 0x01". */
const ED25519_TYPE = 0x01;
const ED25519_KEY_SIZE = 32;
const ED25519_SIG_SIZE = 64;
const KEY_ID_SIZE = 4;
const SIG_PREFIX = "\u2014 ";
/** signed-note: verifiers MUST accept at least 16 signatures; we bound the count above that. */
export const MAX_SIGNATURES = 100;

// ---------------------------------------------------------------------------------------------
// Canonical encodings.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 (RFC 4648 §4), refusing any text that does not re-encode identically. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** ASCII decimal with no leading zeroes ("0" alone allowed), as a safe integer. */
export function parseDecimalStrict(text: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** signed-note: no ASCII control characters other than newline; and valid UTF-8 (well-formed). */
function hasForbiddenCharacters(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: this is the check for them.
  return /[\u0000-\u0009\u000b-\u001f]/.test(text) || !text.isWellFormed();
}

/** signed-note: key names are non-empty, without Unicode spaces or "+". */
function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasForbiddenCharacters(name);
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Keys.

/** signed-note: key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4]. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const input = Buffer.concat([
    Buffer.from(name, "utf8"),
    Buffer.of(0x0a, ED25519_TYPE),
    Buffer.from(publicKey),
  ]);
  return toBytes(hash("sha256", input, "buffer").subarray(0, KEY_ID_SIZE));
}

function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new CheckpointError(
      "malformed_key",
      `La clave es de tipo «${String(key.asymmetricKeyType)}»; las notas se firman con Ed25519.`,
    );
  }
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: "jwk" });
  return toBytes(Buffer.from(String(jwk.x), "base64url"));
}

function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") },
    format: "jwk",
  });
}

/** The verifier key of a signer: name, key ID and raw public key. */
export function verifierKeyOf(name: string, key: KeyObject): VerifierKey {
  if (!isValidKeyName(name)) {
    throw new CheckpointError(
      "malformed_key",
      `El nombre de clave «${name}» no es válido: no puede estar vacío ni tener espacios ni «+».`,
    );
  }
  const publicKey = rawEd25519PublicKey(key);
  return { name, keyId: ed25519KeyId(name, publicKey), publicKey };
}

/** `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(key: VerifierKey): string {
  const encoded = encodeBase64(Uint8Array.of(ED25519_TYPE, ...key.publicKey));
  return `${key.name}+${Buffer.from(key.keyId).toString("hex")}+${encoded}`;
}

/** Parses `<name>+<hex key ID>+<base64(0x01 || public key)>` and checks the key ID. */
export function parseVerifierKey(text: string): VerifierKey {
  const bad = (why: string): CheckpointError =>
    new CheckpointError("malformed_key", `La clave de verificación no es válida: ${why}.`);
  // Split at the first two "+" only: the base64 key may itself contain "+" (key names cannot).
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (second < 0) throw bad("debe tener la forma «nombre+idhex+clavebase64»");
  const name = text.slice(0, first);
  const hexId = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  if (!isValidKeyName(name)) throw bad(`el nombre «${name}» no es válido`);
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw bad("el identificador no son 8 cifras hexadecimales");
  const raw = decodeBase64Strict(encoded);
  if (raw === undefined) throw bad("la clave no está en base64 canónico");
  if (raw.length !== 1 + ED25519_KEY_SIZE || raw[0] !== ED25519_TYPE) {
    throw bad("no es una clave Ed25519 (tipo 0x01 seguido de 32 bytes)");
  }
  const publicKey = raw.slice(1);
  const keyId = ed25519KeyId(name, publicKey);
  if (Buffer.from(keyId).toString("hex") !== hexId) {
    throw bad("el identificador no corresponde al nombre y a la clave");
  }
  try {
    ed25519PublicKeyObject(publicKey);
  } catch (cause) {
    throw new CheckpointError("malformed_key", "La clave pública Ed25519 no es válida.", {
      cause,
    });
  }
  return { name, keyId, publicKey };
}

// ---------------------------------------------------------------------------------------------
// Checkpoint body (tlog-checkpoint "Note text").

/** Formats the note text of a checkpoint, refusing anything it could not parse back. */
export function formatCheckpointBody(checkpoint: CheckpointInput): string {
  const { origin, size, root } = checkpoint;
  const extensions = checkpoint.extensions ?? [];
  if (origin.length === 0 || origin.includes("\n") || hasForbiddenCharacters(origin)) {
    throw new CheckpointError(
      "bad_origin",
      "El origen del punto de control no puede estar vacío ni contener saltos de línea ni caracteres de control.",
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new CheckpointError(
      "bad_size",
      `El tamaño del árbol debe ser un entero no negativo de hasta 2^53 − 1; se recibió ${String(size)}.`,
    );
  }
  if (root.length !== HASH_SIZE) {
    throw new CheckpointError(
      "bad_root",
      `La raíz mide ${root.length} bytes; un hash SHA-256 mide ${HASH_SIZE}.`,
    );
  }
  for (const line of extensions) {
    if (line.length === 0 || line.includes("\n") || hasForbiddenCharacters(line)) {
      throw new CheckpointError(
        "malformed_checkpoint",
        "Las líneas de extensión no pueden estar vacías ni contener saltos de línea ni caracteres de control.",
      );
    }
  }
  return [origin, String(size), encodeBase64(root), ...extensions].map((l) => `${l}\n`).join("");
}

/** Parses the note text of a checkpoint strictly (canonical size and root, no empty lines). */
export function parseCheckpointBody(text: string): Checkpoint {
  if (!text.endsWith("\n") || hasForbiddenCharacters(text)) {
    throw new CheckpointError(
      "malformed_checkpoint",
      "El texto del punto de control debe terminar en salto de línea y no tener caracteres de control.",
    );
  }
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) {
    throw new CheckpointError(
      "malformed_checkpoint",
      "El punto de control debe tener al menos tres líneas: origen, tamaño y raíz.",
    );
  }
  const [origin, sizeText, rootText, ...extensions] = lines as [
    string,
    string,
    string,
    ...string[],
  ];
  if (origin.length === 0) {
    throw new CheckpointError("bad_origin", "El origen del punto de control está vacío.");
  }
  const size = parseDecimalStrict(sizeText);
  if (size === undefined) {
    throw new CheckpointError(
      "bad_size",
      `El tamaño «${sizeText}» no es un decimal canónico (sin ceros a la izquierda) de hasta 2^53 − 1.`,
    );
  }
  const root = decodeBase64Strict(rootText);
  if (root === undefined || root.length !== HASH_SIZE) {
    throw new CheckpointError(
      "bad_root",
      `La raíz «${rootText}» no es el base64 canónico de un hash SHA-256 de 32 bytes.`,
    );
  }
  if (extensions.some((line) => line.length === 0)) {
    throw new CheckpointError(
      "malformed_checkpoint",
      "El punto de control tiene una línea vacía donde sólo caben líneas de extensión no vacías.",
    );
  }
  return { origin, size, root, extensions };
}

// ---------------------------------------------------------------------------------------------
// Signed notes (signed-note "Format").

function malformedNote(why: string): CheckpointError {
  return new CheckpointError("malformed_note", `La nota firmada está mal formada: ${why}.`);
}

/** Splits a signed note into text and signature lines, without verifying anything. */
export function parseSignedNote(note: string): SignedNote {
  if (hasForbiddenCharacters(note)) {
    throw malformedNote("contiene caracteres de control (sólo se admite el salto de línea LF)");
  }
  if (!note.endsWith("\n")) throw malformedNote("no termina en salto de línea");
  // "the text is separated from the signatures by the last empty line in the note".
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw malformedNote("falta la línea en blanco antes de las firmas");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2, -1);
  if (block.length === 0) throw malformedNote("no tiene firmas tras la línea en blanco");
  const lines = block.split("\n");
  if (lines.length > MAX_SIGNATURES) {
    throw malformedNote(`tiene más de ${MAX_SIGNATURES} firmas`);
  }
  const signatures = lines.map((line, i): NoteSignature => {
    if (!line.startsWith(SIG_PREFIX)) {
      throw malformedNote(`la línea de firma ${i + 1} no empieza por «— »`);
    }
    const fields = line.slice(SIG_PREFIX.length).split(" ");
    if (fields.length !== 2) {
      throw malformedNote(`la línea de firma ${i + 1} no es «— nombre firma»`);
    }
    const [name, encoded] = fields as [string, string];
    if (!isValidKeyName(name)) {
      throw malformedNote(`el nombre de clave «${name}» de la firma ${i + 1} no es válido`);
    }
    const raw = decodeBase64Strict(encoded);
    if (raw === undefined || raw.length <= KEY_ID_SIZE) {
      throw malformedNote(`la firma ${i + 1} no es base64 canónico de identificador y firma`);
    }
    return { name, keyId: raw.slice(0, KEY_ID_SIZE), signature: raw.slice(KEY_ID_SIZE) };
  });
  if (text === "\n") throw malformedNote("el texto firmado está vacío");
  return { text, signatures };
}

/** Signs a note text (ending in newline) with Ed25519 and returns the signed note. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith("\n") || text === "\n" || hasForbiddenCharacters(text)) {
    throw malformedNote(
      "el texto a firmar debe terminar en salto de línea, sin caracteres de control",
    );
  }
  if (signer.privateKey.type !== "private") {
    throw new CheckpointError("malformed_key", "Para firmar hace falta la clave privada Ed25519.");
  }
  const key = verifierKeyOf(signer.name, signer.privateKey);
  const signature = sign(null, Buffer.from(text, "utf8"), signer.privateKey);
  const encoded = encodeBase64(Buffer.concat([key.keyId, signature]));
  return `${text}\n${SIG_PREFIX}${signer.name} ${encoded}\n`;
}

/**
 * Verifies a signed note against one trusted key and returns its text. Signatures from other
 * keys (another name or another key ID) are ignored; a signature from the trusted key that fails
 * rejects the note.
 */
export function openNote(note: string, verifierKey: string | VerifierKey): string {
  const key = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  const { text, signatures } = parseSignedNote(note);
  const ours = signatures.filter((s) => s.name === key.name && equalBytes(s.keyId, key.keyId));
  if (ours.length === 0) {
    throw new CheckpointError(
      "unknown_key",
      `La nota no lleva ninguna firma de la clave «${key.name}» (${Buffer.from(key.keyId).toString("hex")}).`,
    );
  }
  const publicKey = ed25519PublicKeyObject(key.publicKey);
  const message = Buffer.from(text, "utf8");
  for (const s of ours) {
    if (s.signature.length !== ED25519_SIG_SIZE || !verify(null, message, publicKey, s.signature)) {
      throw new CheckpointError(
        "bad_signature",
        `La firma de «${key.name}» no es válida: el punto de control fue alterado o no lo firmó esa clave.`,
      );
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints.

/** Formats and signs a checkpoint; the result is the signed note text. */
export function signCheckpoint(checkpoint: CheckpointInput, signer: NoteSigner): string {
  return signNote(formatCheckpointBody(checkpoint), signer);
}

export interface OpenCheckpointOptions {
  /**
   * The origin the checkpoint must carry. By default the key name (tlog-checkpoint: "The log's
   * key name in its signature line SHOULD match the origin line"; our log does).
   */
  readonly origin?: string;
}

/**
 * Verifies a signed checkpoint with the trusted key and parses it strictly. The text is only
 * parsed after its signature verifies (signed-note: "The text MUST be ignored unless the note is
 * signed by a trusted key and the signature has been verified").
 */
export function openCheckpoint(
  note: string,
  verifierKey: string | VerifierKey,
  options: OpenCheckpointOptions = {},
): Checkpoint {
  const key = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  const checkpoint = parseCheckpointBody(openNote(note, key));
  const expected = options.origin ?? key.name;
  if (checkpoint.origin !== expected) {
    throw new CheckpointError(
      "bad_origin",
      `El punto de control es del registro «${checkpoint.origin}», no de «${expected}».`,
    );
  }
  return checkpoint;
}
