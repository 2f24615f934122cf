import { FOLIO_PATTERN as SERVER_FOLIO_PATTERN } from "../../../../src/domain/evidence/folio-pattern.ts";
/** The folio and verification code as the page reads them: typed, or from the QR's address. */

/** Folio of an acuse: prefix, date and sequence, e.g. BI-20250203-100717151. */
export const FOLIO_PATTERN = new RegExp(SERVER_FOLIO_PATTERN);

/** The last 8 characters of the sello digital (base64 without padding): case-sensitive. */
export const CODE_PATTERN = /^[A-Za-z0-9+/]{8}$/;

/** Folios are upper case; spaces typed or pasted around or inside are dropped. */
export function normalizeFolio(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

export function isFolio(text: string): boolean {
  return FOLIO_PATTERN.test(text);
}

/** The code as typed: case is kept (it is part of the code); spaces are dropped. */
export function normalizeCode(text: string): string {
  return text.replace(/\s+/g, "");
}

/**
 * The code from `?codigo=`: a "+" left unencoded in the address reads back as a space (form
 * encoding), and a code never holds a space, so every space is a "+".
 */
export function codeFromQuery(value: string | null): string {
  // Not trimmed: a leading or trailing "+" arrives as a space too.
  return (value ?? "").replace(/ /g, "+");
}

export function isVerificationCode(text: string): boolean {
  return CODE_PATTERN.test(text);
}

export type FolioField = "folio" | "code";

/** Why the folio form cannot be sent (the first field to fix), or undefined when it can. */
export function folioFormRefusal(
  folio: string,
  code: string,
  messages: {
    folioMissing: string;
    folioInvalid: string;
    codeMissing: string;
    codeInvalid: string;
  },
): { field: FolioField; detail: string } | undefined {
  if (folio === "") return { field: "folio", detail: messages.folioMissing };
  if (!isFolio(folio)) return { field: "folio", detail: messages.folioInvalid };
  if (code === "") return { field: "code", detail: messages.codeMissing };
  if (!isVerificationCode(code)) return { field: "code", detail: messages.codeInvalid };
  return undefined;
}
