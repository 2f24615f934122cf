import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { internalError } from "../../domain/errors.ts";
import { ConfigError } from "../../platform/config.ts";
import { refuseKeyFileOpenToOthers } from "../../platform/crypto/key-file.ts";

/**
 * The outbox's secret fields (validation codes) at rest: AES-256-GCM under a key kept in a file
 * outside the database, so a copy of the database alone does not reveal a code still valid.
 * Envelope: version (1 byte) ‖ key id (8) ‖ IV (12) ‖ tag (16) ‖ ciphertext. The idempotency key
 * is the associated data: an envelope moved to another message does not open.
 *
 * `enqueue(executor, message)` has no place for a key, so the process keeps a keyring: the key
 * installed last seals, any key installed opens (tests build several systems in one process).
 * A process that enqueues a secret before any key is installed (a test of another feature,
 * a one-shot tool) seals with a key of its own that dies with it: only its own worker can
 * deliver those.
 */
const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + 8 + IV_BYTES + TAG_BYTES;

const keyring = new Map<string, Buffer>();
let current: { id: Buffer; key: Buffer } | undefined;

function idOf(key: Buffer): Buffer {
  return createHash("sha256").update("buzon-outbox-key").update(key).digest().subarray(0, 8);
}

/** Makes `key` the one that seals from now on (and one that opens). */
export function installSecretKey(key: Buffer): void {
  if (key.length !== KEY_BYTES)
    throw internalError("la llave de la bandeja de salida no mide 32 bytes");
  const id = idOf(key);
  keyring.set(id.toString("hex"), key);
  current = { id, key };
}

function sealingKey() {
  if (!current) installSecretKey(randomBytes(KEY_BYTES));
  return current as { id: Buffer; key: Buffer };
}

export function sealSecret(secret: Record<string, string>, idempotencyKey: string): Buffer {
  const { id, key } = sealingKey();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(idempotencyKey, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(secret), "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), id, iv, cipher.getAuthTag(), body]);
}

/** The secret, or undefined when no installed key opens it (another key, damaged bytes). */
export function openSecret(
  bytes: Uint8Array,
  idempotencyKey: string,
): Record<string, string> | undefined {
  // PGlite answers bytea as a Uint8Array, pg as a Buffer.
  const envelope = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (envelope.length < HEADER || envelope[0] !== VERSION) return undefined;
  const key = keyring.get(envelope.subarray(1, 9).toString("hex"));
  if (!key) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, envelope.subarray(9, 9 + IV_BYTES));
    decipher.setAAD(Buffer.from(idempotencyKey, "utf8"));
    decipher.setAuthTag(envelope.subarray(9 + IV_BYTES, HEADER));
    const text = Buffer.concat([
      decipher.update(envelope.subarray(HEADER)),
      decipher.final(),
    ]).toString("utf8");
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return undefined;
  }
}

/**
 * Reads the outbox key from `file` (base64 of 32 bytes), creating it (mode 600) when absent.
 * Refuses a file others may read: whoever reads it reads the codes in the outbox.
 */
export async function loadSecretKeyFile(file: string, variable: string): Promise<Buffer> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // «wx»: two processes starting at once on one data directory do not overwrite each other.
    await writeFile(file, `${randomBytes(KEY_BYTES).toString("base64")}\n`, {
      flag: "wx",
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await refuseKeyFileOpenToOthers(file, variable);
  const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      `${variable} (${file}) no contiene una llave AES-256 (32 bytes en base64).`,
    );
  }
  return key;
}
