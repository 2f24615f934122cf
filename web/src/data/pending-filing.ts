/**
 * A promoción sent whose answer never arrived (the connection dropped, a proxy gave up on a long
 * upload, the server answered 5xx): the server may have filed it. Sending the same signed
 * challenge again answers that very promoción and its acuse (the API is idempotent per challenge,
 * issue 12 §6 «double submission»), where a new challenge would file it a second time with a
 * second acuse. So the challenge, the certificate and the signature are kept in this tab's
 * sessionStorage (a reload keeps them) under the content they signed, and the next «Firmar y
 * presentar» of the same content sends them again. Never the key nor its password.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { ApiError } from "../api/client.ts";
import { bytesToHex } from "../components/verification/files.ts";

export interface PendingFiling {
  challengeId: string;
  certificate: string;
  signature: string;
}

const PREFIX = "buzon.promocion-sin-respuesta:";

/** The storage this tab keeps; tests pass their own. */
export interface FilingStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function tabStorage(): FilingStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Storage refused (private mode): a lost answer is then only found in «Mis promociones».
    return undefined;
  }
}

/** The content a filing signs, as one key: the same promoción gives the same key. */
export function filingKey(content: unknown): string {
  return PREFIX + bytesToHex(sha256(new TextEncoder().encode(JSON.stringify(content))));
}

export function pendingFiling(key: string, storage = tabStorage()): PendingFiling | undefined {
  try {
    const kept = storage?.getItem(key);
    if (!kept) return undefined;
    const value = JSON.parse(kept) as Partial<PendingFiling>;
    return typeof value.challengeId === "string" &&
      typeof value.certificate === "string" &&
      typeof value.signature === "string"
      ? {
          challengeId: value.challengeId,
          certificate: value.certificate,
          signature: value.signature,
        }
      : undefined;
  } catch {
    return undefined;
  }
}

export function rememberFiling(key: string, filing: PendingFiling, storage = tabStorage()): void {
  try {
    storage?.setItem(key, JSON.stringify(filing));
  } catch {
    // Full or refused: nothing to resend then.
  }
}

export function forgetFiling(key: string, storage = tabStorage()): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing kept.
  }
}

/**
 * Whether a failed send may have been filed all the same: no answer at all (the client's network
 * problem has status 0) or a server or gateway error. A refusal (4xx) says it was not.
 */
export function answerLost(error: unknown): boolean {
  if (!(error instanceof ApiError)) return !(error instanceof DOMException);
  return error.problem.status === 0 || error.problem.status >= 500;
}
