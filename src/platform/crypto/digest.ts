import type { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";

/** SHA-256 of a secret, for storing and comparing it without keeping it. */
export function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Constant-time equality of two digests. */
export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** SHA-256 of bytes (or a string's UTF-8 bytes) in lowercase hexadecimal: the system's hashes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
