/**
 * E-mail addresses people give as contact means or the Institute keeps on file. Deliberately
 * the practical subset of RFC 5321 that mail servers accept from strangers: a dot-atom local
 * part and a domain of DNS labels with a TLD, no quoted strings, no IP literals, no comments.
 * Stored lowercased: the domain is case-insensitive, and no Mexican provider treats the local
 * part's case as significant, so two spellings of one mailbox must not count twice.
 */
import { DomainError } from "../errors.ts";
import { shown } from "./normalize.ts";

export interface Email {
  /** Trimmed, NFC and lowercased. */
  value: string;
}

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/;

/** Reads an e-mail address; refuses (DomainError `invalid_email`) what no mail server takes. */
export function parseEmail(text: string, options: { pointer?: string } = {}): Email {
  const { pointer } = options;
  const value = text.normalize("NFC").trim().toLowerCase();
  const refuse = (why: string) =>
    new DomainError("invalid_email", `El correo electrónico ${shown(value)} ${why}`, {
      pointer,
    });
  if (value === "") {
    throw new DomainError("invalid_email", "El correo electrónico está vacío.", { pointer });
  }
  if (value.length > 254) throw refuse("es demasiado largo (más de 254 caracteres).");
  const at = value.lastIndexOf("@");
  if (at < 0) throw refuse("no tiene «@».");
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === "" || local.length > 64 || !LOCAL.test(local)) {
    throw refuse(
      "no es válido: antes de «@» solo se admiten letras sin acento, dígitos y los signos . _ + - (sin puntos seguidos ni al principio o al final).",
    );
  }
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) {
    throw refuse(
      "no es válido: después de «@» debe ir un dominio como «empresa.com.mx», con letras sin acento, dígitos y guiones.",
    );
  }
  return { value };
}
