/**
 * NSS (Número de Seguridad Social, 11 digits): subdelegación (2), year of registration (2),
 * birth year (2, `97` when unknown), consecutive (4) and a check digit (domain-mx.md §2.3).
 */
import { DomainError } from "../errors.ts";
import { type IdentifierField, normalizeIdentifier, shown } from "./normalize.ts";

export interface Nss {
  /** The 11 digits. */
  value: string;
}

const NSS_FIELD: IdentifierField = {
  name: "El NSS",
  empty: "El NSS está vacío.",
  code: "invalid_nss",
};

/**
 * The IMSS check digit for the first 10 digits. The IMSS rule (weights 1,2,1,2… from the left,
 * digits of products ≥ 10 added, `(10 − sum mod 10) mod 10`) is exactly Luhn over the full
 * 11 digits, since the doubled positions are the even ones counted from the check digit.
 */
export function nssCheckDigit(body: string): string {
  if (!/^\d{10}$/.test(body)) {
    throw new RangeError(`An NSS body has 10 digits: ${body}`);
  }
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const product = Number(body[i]) * (i % 2 === 0 ? 1 : 2);
    sum += product >= 10 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * Reads an NSS. It only comes from forms (no certificate carries it), so a wrong check digit
 * is refused (DomainError `invalid_nss`) like a wrong shape.
 */
export function parseNss(text: string, options: { pointer?: string } = {}): Nss {
  const { pointer } = options;
  const value = normalizeIdentifier(text, NSS_FIELD, pointer);
  if (!/^\d{11}$/.test(value)) {
    throw new DomainError(
      "invalid_nss",
      `El NSS ${shown(value)} no tiene la forma de un número de seguridad social: debe tener 11 dígitos; tiene ${value.length} caracteres.`,
      { pointer },
    );
  }
  const expected = nssCheckDigit(value.slice(0, 10));
  if (!value.endsWith(expected)) {
    throw new DomainError(
      "invalid_nss",
      `El dígito verificador del NSS ${shown(value)} no corresponde: debería ser «${expected}». Revise que esté bien escrito.`,
      { pointer },
    );
  }
  return { value };
}
