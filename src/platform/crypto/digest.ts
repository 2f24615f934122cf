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
