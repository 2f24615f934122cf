import { Buffer } from "node:buffer";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { CODE_DIGITS } from "../../domain/mailbox/means.ts";

/**
 * Validation codes: six random digits, kept only as an HMAC-SHA256 under a key that lives
 * outside the database (a file, like the outbox's key).
 *
 * Why a keyed hash and not scrypt or a plain hash: a code has only a million values, so any
 * unkeyed hash — however slow — is reversed by trying them all from a copy of the database
 * (scrypt at 100 ms would take a day on one core, less on many). Under a secret key the hash
 * says nothing without the key; online guessing is bounded by the attempts and the resend
 * limit instead (means.ts). The message binds the code to its registration (its acuse folio)
 * and to the send that issued it, so a hash copied to another means or a code from an earlier
 * send does not match.
 */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_DIGITS)
    .toString()
    .padStart(CODE_DIGITS, "0");
}

export function hashCode(key: Buffer, registration: string, send: number, code: string): Buffer {
  return createHmac("sha256", key)
    .update(`buzon-imss|codigo-medio|1|${registration}|${send}|${code}`, "utf8")
    .digest();
}

/** Whether `code` is the one hashed (constant time; a wrong shape is simply wrong). */
export function codeMatches(
  key: Buffer,
  stored: Uint8Array | null,
  registration: string,
  send: number,
  code: string,
): boolean {
  if (!stored || !/^\d+$/.test(code) || code.length !== CODE_DIGITS) return false;
  const expected = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const given = hashCode(key, registration, send, code);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
