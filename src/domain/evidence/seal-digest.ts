import { Buffer } from "node:buffer";
import { hash } from "node:crypto";

/**
 * SHA-256 of the raw bytes of an acuse's seal (base64 in the acuse): what its RFC 3161 token
 * covers, as CAdES-T stamps a signature. The one definition for issuing and for verifying.
 */
export function sealDigest(sealB64: string): Buffer {
  return hash("sha256", Buffer.from(sealB64, "base64"), "buffer");
}
