import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CodedError, type CodedErrorOptions } from "../../domain/errors.ts";
import type { NoteSigner } from "../../domain/evidence/checkpoint.ts";

/** The log's signing key cannot be read or is not an Ed25519 PKCS#8 key. */
export class LogKeyError extends CodedError<"log_key_invalid"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("log_key_invalid", detail, options);
  }
}

/** Reads the log's Ed25519 signing key (PKCS#8 PEM) and names it with the log's origin. */
export async function loadLogSigner(file: string, origin: string): Promise<NoteSigner> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch {
    throw new LogKeyError(`No se puede leer la clave del registro público ${file}.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new LogKeyError(`${file} no es una clave privada PKCS#8 en PEM.`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new LogKeyError(`La clave del registro ${file} debe ser Ed25519.`);
  }
  return { name: origin, privateKey: key };
}

/**
 * The development log key: loads `file`, or creates it (Ed25519, mode 0600) on first start.
 * Never for production: configure LOG_KEY_FILE.
 */
export async function createDevelopmentLogSigner(
  file: string,
  origin: string,
): Promise<NoteSigner> {
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    // "wx": two processes starting at once never overwrite each other's key.
    await writeFile(file, privateKey.export({ format: "pem", type: "pkcs8" }), {
      mode: 0o600,
      flag: "wx",
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
  return loadLogSigner(file, origin);
}
