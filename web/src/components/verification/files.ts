/**
 * What the verification page does with the files a person picks, before anything is sent: size
 * limits, a first look at the bytes, and the SHA-256 of a document computed here (the document
 * itself never leaves the browser).
 */
import { sha256 } from "@noble/hashes/sha2.js";

/** The acuse PDFs the Institute renders are far smaller; the server refuses anything larger. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
/** A detached CMS with its certificates is a few KiB. */
export const MAX_SIGNATURE_BYTES = 1024 * 1024;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hexadecimal, as `sha256sum` prints it and the acuse shows it. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += HEX[byte];
  return hex;
}

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/**
 * SHA-256 of a file, in hexadecimal, read in pieces (`Blob.stream()`), so a document of tens of
 * MiB is never held whole in the tab (a phone's memory); `onChunk` sees each piece too, so one
 * pass also sniffs an anexo's kind. @noble/hashes because WebCrypto's digest takes only a whole
 * buffer (and exists only in secure contexts).
 */
export async function sha256Hex(
  file: Blob,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<string> {
  const hash = sha256.create();
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    onChunk?.(value);
  }
  return bytesToHex(hash.digest());
}

/** The JSON export (acuse.json) is a few KiB; the server takes up to 1 MiB. */
export const MAX_EXPORT_BYTES = 1024 * 1024;

/** Whether the bytes start like a JSON object (after a BOM or blanks): an exported acuse.json. */
export function looksLikeJson(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[i] ?? 0)) i++;
  return head[i] === 0x7b; // "{"
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** Readers accept the header anywhere in the first 1024 bytes (ISO 32000-1, annex H.3). */
const PDF_HEADER_WINDOW = 1024;

/** Whether the bytes start like a PDF file. */
export function looksLikePdf(head: Uint8Array): boolean {
  const last = Math.min(head.length, PDF_HEADER_WINDOW) - PDF_MAGIC.length;
  for (let start = 0; start <= last; start++) {
    if (PDF_MAGIC.every((byte, i) => head[start + i] === byte)) return true;
  }
  return false;
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;
const DER_SEQUENCE = 0x30;

/**
 * The detached CMS of a signature file as base64 of its DER bytes: a .p7s/.cms in DER is
 * encoded as it is; a .pem (or a bare base64 text) gives the base64 inside its armour. Undefined
 * when the bytes cannot be a CMS (every CMS is an ASN.1 SEQUENCE).
 */
export function signatureToBase64(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === DER_SEQUENCE) return bytesToBase64(bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const body = PEM_BLOCK.exec(text)?.[1] ?? text;
  if (!BASE64_TEXT.test(body)) return undefined;
  const base64 = body.replace(/\s+/g, "");
  // Base64 of a DER SEQUENCE starts with "M" (0x30 → 001100…).
  return base64.startsWith("M") && base64.length % 4 === 0 ? base64 : undefined;
}

const SIZE_UNITS = ["KiB", "MiB", "GiB"] as const;

/**
 * A file size in Spanish (es-MX): «512 bytes», «1 byte», «1.5 MiB». `rounding: "up"` for sizes
 * over a limit, so 10 MiB and one byte reads «10.1 MiB», not «10 MiB».
 */
export function formatBytes(bytes: number, rounding: "nearest" | "up" = "nearest"): string {
  const format = (n: number, digits: number) =>
    new Intl.NumberFormat("es-MX", { maximumFractionDigits: digits }).format(n);
  if (bytes < 1024) return `${format(bytes, 0)} ${bytes === 1 ? "byte" : "bytes"}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (rounding === "up") value = Math.ceil(value * 10) / 10;
  return `${format(value, 1)} ${SIZE_UNITS[unit]}`;
}
