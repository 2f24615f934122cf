/**
 * The Términos y Condiciones para el uso del Buzón IMSS (Lineamientos 5.3): what a person signs
 * to enable the mailbox, and whether a mailbox's signature is current. Pure: the web app imports
 * it too (no node-only imports). The signed-text format is documented in docs/efirma.md.
 */
import { TermsError } from "./errors.ts";

export const TERMS_TITLE = "Términos y Condiciones para el uso del Buzón IMSS";

/** How long a signing challenge lasts: enough to open the e.firma files, not to hoard it. */
export const TERMS_CHALLENGE_SECONDS = 300;

/** Far more than any version needs; a bigger text is a mistake. */
export const MAX_TERMS_BYTES = 256 * 1024;

/** What the browser signs: every part the signature must bind, in a fixed order. */
export interface TermsSigningParts {
  /** The mailbox's RFC (the persona moral's, when a representative signs). */
  rfc: string;
  /** The version's label: its number, `1`, `2`… */
  version: string;
  /** SHA-256 of the exact UTF-8 text of that version, lowercase hexadecimal. */
  sha256: string;
  /** The instant the Institute states for the signature (the challenge's), UTC. */
  at: Temporal.Instant;
  challengeId: string;
  nonce: string;
}

const PREFIX = "Buzón IMSS|terminos|";

/**
 * `Buzón IMSS|terminos|<RFC>|<versión>|<SHA-256>|<instante UTC ISO 8601>|<desafío>|<nonce>`,
 * as the sign-in's `challengeText`: one line, pipe-separated, nothing the person typed.
 */
export function termsSigningText(parts: TermsSigningParts): string {
  return `${PREFIX}${parts.rfc}|${parts.version}|${parts.sha256}|${parts.at.toString({ fractionalSecondDigits: 3 })}|${parts.challengeId}|${parts.nonce}`;
}

const SIGNING_TEXT =
  /^Buzón IMSS\|terminos\|([A-ZÑ&0-9]{12,13})\|([1-9][0-9]{0,8})\|([0-9a-f]{64})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})\|([A-Za-z0-9_-]{16,100})$/;

/** The parts of a signed text (to show what was signed), or undefined if it is not one. */
export function parseTermsSigningText(text: string): TermsSigningParts | undefined {
  const match = SIGNING_TEXT.exec(text);
  if (!match) return undefined;
  const [, rfc, version, sha256, at, challengeId, nonce] = match as unknown as string[];
  return {
    rfc: rfc as string,
    version: version as string,
    sha256: sha256 as string,
    at: Temporal.Instant.from(at as string),
    challengeId: challengeId as string,
    nonce: nonce as string,
  };
}

/** The name the acuse gives the signed document. */
export function termsDocumentName(version: string): string {
  return `${TERMS_TITLE}, versión ${version}`;
}

/**
 * Checks a text to publish as a new version. The text is kept exactly as given (its SHA-256 is
 * of these bytes), so nothing is normalized: only what cannot be a document is refused.
 */
export function checkTermsText(text: string): void {
  const refuse = (detail: string) => {
    throw new TermsError("terms_text_invalid", detail, { pointer: "/text" });
  };
  if (text.trim().length === 0) refuse("El texto de los Términos y Condiciones está vacío.");
  if (!text.isWellFormed()) refuse("El texto no es UTF-8 válido.");
  if (hasControlCharacters(text)) {
    refuse("El texto contiene caracteres de control: ¿es un archivo de texto?");
  }
  if (new TextEncoder().encode(text).length > MAX_TERMS_BYTES) {
    refuse(`El texto excede ${MAX_TERMS_BYTES / 1024} KiB.`);
  }
}

/** C0 controls but tab, line feed and carriage return, and DEL: a binary file, not a text. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) {
      return true;
    }
  }
  return false;
}
