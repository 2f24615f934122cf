import { DomainError, type DomainErrorCode } from "../errors.ts";

/**
 * Where an identifier came from. A person typing into a form can be asked to correct it; a
 * certificate the SAT issued cannot be corrected by anyone here, so its check digit is only
 * reported (domain-mx.md §2.1: "never block login" on a checksum mismatch).
 */
export type IdentifierContext = "form" | "certificate";

export interface ParseOptions {
  context: IdentifierContext;
  /** Where the value sits in the request (JSON pointer or field name), for the refusal. */
  pointer?: string;
}

/** Long input is cut in messages so a refusal never echoes a whole payload back. */
const SHOWN_MAX = 40;

/** The value as it appears in a message: `«VALUE»`, cut when long. */
export function shown(value: string): string {
  const cut = value.length > SHOWN_MAX ? `${value.slice(0, SHOWN_MAX)}…` : value;
  return `«${cut}»`;
}

/** How refusals name a field: with its article, since Spanish agrees in gender. */
export interface IdentifierField {
  /** "El RFC", "La CURP"… */
  name: string;
  /** The whole message for empty input ("La CURP está vacía."). */
  empty: string;
  code: DomainErrorCode;
}

/**
 * Trims and uppercases. NFC first, so an `Ñ` typed as `N` + combining tilde (macOS input,
 * some PDFs) counts as the one letter the SAT tables know. Internal spaces and hyphens are
 * refused rather than dropped: identifiers printed as `92-91-90-8443-1` are common, but
 * silently joining pieces would also accept two values pasted together.
 */
export function normalizeIdentifier(
  text: string,
  field: IdentifierField,
  pointer: string | undefined,
): string {
  const value = text.normalize("NFC").trim().toUpperCase();
  if (value === "") {
    throw new DomainError(field.code, field.empty, { pointer });
  }
  if (/[\s\-‐‑‒–—]/u.test(value)) {
    throw new DomainError(
      field.code,
      `${field.name} ${shown(value)} no debe contener espacios ni guiones: escriba todos sus caracteres seguidos.`,
      { pointer },
    );
  }
  return value;
}

/**
 * Whether `YYMMDD` names a real day. The century is not written, so 29 February is accepted
 * whenever YY is a multiple of 4: every such year from 1904 to 2096 is a leap year, and `00`
 * is read as 2000 (leap), as @nodecfdi/rfc does (domain-mx.md §2.1). Only 1900 would differ,
 * and nobody with a current RFC or CURP was born or incorporated on 29 February 1900.
 */
export function isRealYymmdd(yymmdd: string): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const daysInMonth = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return dd <= daysInMonth[mm - 1]!;
}
