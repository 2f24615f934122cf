import { bytesToBase64 } from "./bytes.ts";
import { SIGNATURE_ALGORITHM } from "./privateKey.ts";

/**
 * Signs a text exactly as given: RSASSA-PKCS1-v1_5 with SHA-256 over its UTF-8 bytes. Returns
 * the signature in base64.
 */
export async function signText(key: CryptoKey, text: string): Promise<string> {
  const data = new TextEncoder().encode(text);
  const signature = await crypto.subtle.sign(SIGNATURE_ALGORITHM.name, key, data);
  return bytesToBase64(new Uint8Array(signature));
}

/** Signs bytes as they are (a document): RSASSA-PKCS1-v1_5 with SHA-256; the raw signature. */
export async function signBytes(
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SIGNATURE_ALGORITHM.name, key, data));
}
