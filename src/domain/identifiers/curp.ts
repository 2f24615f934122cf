/**
 * CURP (Clave Única de Registro de Población, 18 characters): shape, date, state and check
 * digit, following domain-mx.md §2.2.
 */
import { DomainError } from "../errors.ts";
import {
  type IdentifierField,
  isRealYymmdd,
  normalizeIdentifier,
  type ParseOptions,
  shown,
} from "./normalize.ts";

export type CurpSexo = "H" | "M" | "X";

export interface Curp {
  /** Trimmed and uppercased. */
  value: string;
  /** `X` (no binario) has been issued by RENAPO since 2023, besides `H` and `M`. */
  sexo: CurpSexo;
  /** Two-letter entity of birth; `NE` = nacido en el extranjero. */
  entidad: string;
  checkDigitValid: boolean;
  /** Spanish notes for people about what was accepted despite a doubt. */
  warnings: string[];
}

/**
 * Entity codes used in CURPs: the 32 federal entities (Ciudad de México still as `DF`) plus
 * `NE` for people born abroad (domain-mx.md §2.2, validate-curp validStates.js).
 */
export const CURP_ENTIDADES: ReadonlySet<string> = new Set(
  [
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS",
    "NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE",
  ]
    .join(" ")
    .split(" "),
);

const CURP_FIELD: IdentifierField = {
  name: "La CURP",
  empty: "La CURP está vacía.",
  code: "invalid_curp",
};

// 4 letters from the names, YYMMDD, sex, entity, the first inner consonant of each surname and
// of the given name, a homonymy character (digit up to 1999, letter from 2000) and the check
// digit. `Ñ` never appears (RENAPO writes `X`). The second letter is a vowel or `X` by the
// generation rules, but it is not checked: an irregular old CURP still belongs to someone.
const CURP_SHAPE = /^[A-Z]{4}(\d{6})([HMX])([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$/u;

// Index = value, so `Ñ` = 24 and `O` = 25 … `Z` = 36, as in RENAPO's table.
const CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/** The check digit for the first 17 characters: weights 18 down to 2, `(10 − sum mod 10) mod 10`. */
export function curpCheckDigit(body: string): string {
  if (body.length !== 17) {
    throw new RangeError(`A CURP body has 17 characters, not ${body.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CURP_ALPHABET.indexOf(body[i]!);
    if (value < 0) throw new RangeError(`Not a CURP character: ${body[i]}`);
    sum += value * (18 - i);
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * Reads a CURP. Refuses (DomainError `invalid_curp`) a bad length, shape, date or entity
 * always, and a check mismatch only from a form: the SAT's own test certificate carries
 * `HEGT761003MDFRNN09`, whose digit computes to 7, so from a certificate it is a warning.
 */
export function parseCurp(text: string, options: ParseOptions): Curp {
  const { context, pointer } = options;
  const value = normalizeIdentifier(text, CURP_FIELD, pointer);
  if (value.length !== 18) {
    throw new DomainError(
      "invalid_curp",
      `La CURP ${shown(value)} debe tener 18 caracteres; tiene ${value.length}.`,
      { pointer },
    );
  }
  const match = CURP_SHAPE.exec(value);
  if (!match) {
    throw new DomainError(
      "invalid_curp",
      `La CURP ${shown(value)} no tiene la forma de una CURP: 4 letras, la fecha de nacimiento en formato AAMMDD, el sexo (H, M o X), la entidad (2 letras), 3 consonantes, un carácter diferenciador y un dígito verificador.`,
      { pointer },
    );
  }
  const date = match[1]!;
  if (!isRealYymmdd(date)) {
    throw new DomainError(
      "invalid_curp",
      `La CURP ${shown(value)} contiene una fecha de nacimiento que no existe (${date}, en formato AAMMDD).`,
      { pointer },
    );
  }
  const entidad = match[3]!;
  if (!CURP_ENTIDADES.has(entidad)) {
    throw new DomainError(
      "invalid_curp",
      `La CURP ${shown(value)} indica una entidad de nacimiento que no existe («${entidad}»).`,
      { pointer },
    );
  }
  const sexo = match[2] as CurpSexo;
  const warnings: string[] = [];
  const expected = curpCheckDigit(value.slice(0, 17));
  const checkDigitValid = value.endsWith(expected);
  if (!checkDigitValid) {
    if (context === "form") {
      throw new DomainError(
        "invalid_curp",
        `El dígito verificador de la CURP ${shown(value)} no corresponde: según el algoritmo de RENAPO debería ser «${expected}». Revise que esté bien escrita.`,
        { pointer },
      );
    }
    warnings.push(
      `El dígito verificador de la CURP ${shown(value)} no corresponde (el algoritmo de RENAPO da «${expected}»); se acepta porque así consta en el certificado emitido por el SAT.`,
    );
  }
  return { value, sexo, entidad, checkDigitValid, warnings };
}
