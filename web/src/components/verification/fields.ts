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

/** Why the folio form cannot be sent: every field to fix at once, none when it can. */
export function folioFormErrors(
  folio: string,
  code: string,
  messages: {
    folioMissing: string;
    folioInvalid: string;
    codeMissing: string;
    codeInvalid: string;
  },
): { folio?: string; code?: string } {
  const errors: { folio?: string; code?: string } = {};
  if (folio === "") errors.folio = messages.folioMissing;
  else if (!isFolio(folio)) errors.folio = messages.folioInvalid;
  if (code === "") errors.code = messages.codeMissing;
  else if (!isVerificationCode(code)) errors.code = messages.codeInvalid;
  return errors;
}
