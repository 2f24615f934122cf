/**
 * IMSS registro patronal (11 characters): one letter and 10 digits, e.g. `B5510768108` from
 * the SAT's CFDI nómina guide (domain-mx.md §2.4).
 */
import { DomainError } from "../errors.ts";
import { type IdentifierField, normalizeIdentifier, shown } from "./normalize.ts";

export interface RegistroPatronal {
  /** Trimmed and uppercased. */
  value: string;
}

const REGISTRO_PATRONAL_FIELD: IdentifierField = {
  name: "El registro patronal",
  empty: "El registro patronal está vacío.",
  code: "invalid_registro_patronal",
};

// Shape only. The last digit is described as a check digit, but the IMSS has not published
// its algorithm and none was found in code or pages (domain-mx.md §2.4), so it is treated as
// opaque: guessing a rule would refuse real employers.
const REGISTRO_PATRONAL_SHAPE = /^[A-Z]\d{10}$/;

/** Reads a registro patronal; refuses (DomainError `invalid_registro_patronal`) a bad shape. */
export function parseRegistroPatronal(
  text: string,
  options: { pointer?: string } = {},
): RegistroPatronal {
  const { pointer } = options;
  const value = normalizeIdentifier(text, REGISTRO_PATRONAL_FIELD, pointer);
  if (!REGISTRO_PATRONAL_SHAPE.test(value)) {
    throw new DomainError(
      "invalid_registro_patronal",
      `El registro patronal ${shown(value)} no tiene la forma de un registro patronal del IMSS: una letra seguida de 10 dígitos (11 caracteres).`,
      { pointer },
    );
  }
  return { value };
}
