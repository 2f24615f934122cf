/**
 * The statement a means acuse seals (ADR 0012): a canonical plain text of what was registered
 * or validated — the RFC, the kind, the normalized value and every scope — whose SHA-256 and
 * size are the acuse's one document. The cadena original stays as it is (version 1 or 2); the
 * exact text is kept beside the acuse, so anyone holding it can re-hash it.
 *
 * Canonical: UTF-8, NFC, LF line ends, one trailing LF, no trailing spaces, lines in a fixed
 * order, scopes in the order given (the RFC first, then the registros patronales). Changing the
 * form changes future hashes only; a sealed statement is kept verbatim and never re-rendered.
 */
import { internalError } from "../errors.ts";
import { RFC_SCOPE } from "./projection.ts";

/** The document's name in the acuse (and of the file attached to its PDF). */
export const MEANS_STATEMENT_NAME = "medios-de-contacto.txt";

export type MeansStatementAct = "registro" | "validacion";

export interface MeansStatementInput {
  act: MeansStatementAct;
  /** The RFC whose buzón it is, canonical. */
  rfc: string;
  kind: "correo" | "celular";
  /** Normalized: the e-mail in lowercase, the mobile as +52 and 10 digits. */
  value: string;
  /** `rfc` or registros patronales (11 characters), at least one. */
  scopes: readonly string[];
}

const TITLES: Record<MeansStatementAct, string> = {
  registro: "Buzón IMSS — Registro de medios de contacto",
  validacion: "Buzón IMSS — Validación de medios de contacto",
};

/** One line per scope: `Alcance: RFC` or `Alcance: Registro patronal Y5412345101`. */
export function scopeLine(scope: string): string {
  return scope === RFC_SCOPE ? "Alcance: RFC" : `Alcance: Registro patronal ${scope}`;
}

/** The canonical statement; input the services never give is an internal error (a bug). */
export function meansStatement(input: MeansStatementInput): string {
  if (input.scopes.length === 0) {
    throw internalError("constancia de medios sin alcance");
  }
  for (const field of [input.rfc, input.value, ...input.scopes]) {
    // One field, one line: a line break or a control character would forge another line.
    if (field === "" || /[\p{Cc}\u2028\u2029]/u.test(field) || field.trim() !== field) {
      throw internalError("un dato de la constancia de medios no es una sola línea de texto");
    }
  }
  const lines = [
    TITLES[input.act],
    `RFC: ${input.rfc}`,
    `Medio: ${input.kind}`,
    `Valor: ${input.value}`,
    ...[...new Set(input.scopes)].map(scopeLine),
  ];
  return `${lines.join("\n").normalize("NFC")}\n`;
}

/**
 * The statement's lines as people read them (PDF, verification page): the title apart, then
 * the `Campo: valor` lines. Whatever text is kept is shown; nothing is re-derived from it.
 */
export function statementLines(text: string): { title: string; lines: string[] } {
  const all = text.replace(/\n$/, "").split("\n");
  return { title: all[0] ?? "", lines: all.slice(1) };
}
