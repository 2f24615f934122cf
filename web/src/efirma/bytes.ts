/**
 * Byte helpers shared by the e.firma code. node-forge works on "binary strings" (one char per
 * byte); WebCrypto and the API work on Uint8Array and base64.
 */

const CHUNK = 0x8000;

/** One char per byte, the form node-forge reads. */
export function toBinaryString(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return binary;
}

/** The bytes of a binary string (each char must be below 256). */
export function fromBinaryString(binary: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i) & 0xff;
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  return btoa(toBinaryString(bytes));
}

const PEM_BEGIN = "-----BEGIN ";

/**
 * The text of a PEM file, or undefined when the bytes are not PEM (a DER file). Only the first
 * bytes are looked at: PEM is ASCII and starts with its armour, perhaps after some blank lines
 * or explanatory text.
 */
export function pemText(bytes: Uint8Array): string | undefined {
  const head = toBinaryString(bytes.subarray(0, 4096));
  if (!head.includes(PEM_BEGIN)) return undefined;
  for (const byte of bytes) {
    // Anything outside printable ASCII and whitespace means this is not a PEM file.
    if (byte > 0x7e || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d)) {
      return undefined;
    }
  }
  return toBinaryString(bytes);
}

/** Base64 (as the server sends DER) → bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  return fromBinaryString(atob(base64));
}
