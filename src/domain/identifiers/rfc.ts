/**
 * RFC (Registro Federal de Contribuyentes): shape, date and check character, following the
 * SAT's "Algoritmo para generar el RFC con homoclave" as summarized in domain-mx.md §2.1.
 */
import { DomainError } from "../errors.ts";
import {
  type IdentifierField,
  isRealYymmdd,
  normalizeIdentifier,
  type ParseOptions,
  shown,
} from "./normalize.ts";

export type Persona = "fisica" | "moral";

export interface Rfc {
  /** Trimmed and uppercased. */
  value: string;
  /** 13 characters: persona física; 12: persona moral. */
  persona: Persona;
  /** Whether the last character matches the SAT algorithm (always true for generic RFCs). */
  checkDigitValid: boolean;
  /** Público en general or extranjeros: valid, but nobody's own RFC. */
  generic: boolean;
  /** Spanish notes for people about what was accepted despite a doubt. */
  warnings: string[];
}

/**
 * The SAT's generic RFCs (público en general, extranjeros). They are valid by definition, not
 * by the algorithm: `XAXX010101000` computes to `4` (domain-mx.md §2.1, @nodecfdi/rfc rfc.js).
 */
export const GENERIC_RFCS: ReadonlySet<string> = new Set(["XAXX010101000", "XEXX010101000"]);

const RFC_FIELD: IdentifierField = {
  name: "El RFC",
  empty: "El RFC está vacío.",
  code: "invalid_rfc",
};

// 3 letters (moral) or 4 (física) from the name, YYMMDD, and 3 homoclave characters. The last
// homoclave character is the check character; only `0`–`9` and `A` can come out of the
// algorithm, but any letter is taken as shape and reported as a check mismatch instead, so a
// certificate the SAT issued is never refused over it.
const RFC_SHAPE = /^([A-ZÑ&]{3,4})(\d{6})([A-Z\d]{3})$/u;

// Values of the SAT table: 0–9 → 0–9, A–N → 10–23, & → 24, O–Z → 25–36, space → 37, Ñ → 38.
const RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

/**
 * The check character for the first 11 (moral) or 12 (física) characters of an RFC. A moral
 * body is left-padded with a space so both weigh 13 down to 2; `sum mod 11` of 0 gives `0`,
 * and `11 − r` of 10 gives `A`.
 */
export function rfcCheckDigit(body: string): string {
  if (body.length !== 11 && body.length !== 12) {
    throw new RangeError(`An RFC body has 11 or 12 characters, not ${body.length}`);
  }
  const padded = body.length === 11 ? ` ${body}` : body;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const value = RFC_ALPHABET.indexOf(padded[i]!);
    if (value < 0) throw new RangeError(`Not an RFC character: ${padded[i]}`);
    sum += value * (13 - i);
  }
  const r = sum % 11;
  if (r === 0) return "0";
  const d = 11 - r;
  return d === 10 ? "A" : String(d);
}

/**
 * Reads an RFC. Refuses (DomainError `invalid_rfc`) a bad length, shape or date always, and a
 * check mismatch only from a form: some RFCs the SAT issued fail their own check character
 * (`AAA010101AAA`, its old test RFC; `LME060822IH5`, a real taxpayer), so from a certificate
 * the mismatch becomes a warning.
 */
export function parseRfc(text: string, options: ParseOptions): Rfc {
  const { context, pointer } = options;
  const value = normalizeIdentifier(text, RFC_FIELD, pointer);
  if (value.length !== 12 && value.length !== 13) {
    throw new DomainError(
      "invalid_rfc",
      `El RFC ${shown(value)} debe tener 12 caracteres (persona moral) o 13 (persona física); tiene ${value.length}.`,
      { pointer },
    );
  }
  const match = RFC_SHAPE.exec(value);
  if (!match) {
    throw new DomainError(
      "invalid_rfc",
      `El RFC ${shown(value)} no tiene la forma de un RFC: 3 letras (persona moral) o 4 (persona física), la fecha en formato AAMMDD y una homoclave de 3 letras o dígitos.`,
      { pointer },
    );
  }
  const date = match[2]!;
  if (!isRealYymmdd(date)) {
    throw new DomainError(
      "invalid_rfc",
      `El RFC ${shown(value)} contiene una fecha que no existe (${date}, en formato AAMMDD).`,
      { pointer },
    );
  }
  const persona: Persona = value.length === 13 ? "fisica" : "moral";
  const warnings: string[] = [];
  if (GENERIC_RFCS.has(value)) {
    return { value, persona, checkDigitValid: true, generic: true, warnings };
  }
  const expected = rfcCheckDigit(value.slice(0, -1));
  const checkDigitValid = value.endsWith(expected);
  if (!checkDigitValid) {
    if (context === "form") {
      throw new DomainError(
        "invalid_rfc",
        `El dígito verificador del RFC ${shown(value)} no corresponde: según el algoritmo del SAT debería ser «${expected}». Revise que esté bien escrito.`,
        { pointer },
      );
    }
    warnings.push(
      `El dígito verificador del RFC ${shown(value)} no corresponde (el algoritmo del SAT da «${expected}»); se acepta porque así consta en el certificado emitido por el SAT.`,
    );
  }
  return { value, persona, checkDigitValid, generic: false, warnings };
}
