/**
 * The padrón: the particulars the Institute knows (RFC, name, persona, registros patronales,
 * the e-mail on file, and whether their Buzón IMSS was enabled under the 2020 rules). Pure
 * rules for one imported row; the store and the import live in src/features/padron.
 */
import { DomainError } from "../errors.ts";
import { parseEmail } from "../identifiers/email.ts";
import { shown } from "../identifiers/normalize.ts";
import { parseRegistroPatronal } from "../identifiers/registro-patronal.ts";
import { type Persona, parseRfc } from "../identifiers/rfc.ts";
import { LINEAMIENTOS_ENTRY_INTO_FORCE } from "../plazos/habilitacion.ts";
import { ZONA_CENTRO } from "../time/zona-centro.ts";

export type { Persona };

/**
 * One particular as the padrón holds it. The store hands it out as `PadronEntry` (the [padron]
 * interface of issue 9), the same with a Date.
 */
export interface PadronRecord {
  rfc: string;
  name: string;
  persona: Persona;
  /** Sorted, without repeats. */
  registrosPatronales: string[];
  emailOnFile: string | null;
  /** Enabled under the 2020 Lineamientos: 5.4 counts it as enabled, with this provenance. */
  habilitacion2020: { at: Temporal.Instant } | null;
}

/** The CSV's columns, in order (docs/padron.md). */
export const PADRON_COLUMNS = [
  "rfc",
  "nombre",
  "persona",
  "registros_patronales",
  "correo",
  "habilitado_2020",
] as const;

export type PadronColumn = (typeof PADRON_COLUMNS)[number];

/** Why a row is refused. Stable: the report carries it for programs. */
export type PadronRefusalCode =
  | "malformed_row"
  | "invalid_rfc"
  | "generic_rfc"
  | "invalid_name"
  | "invalid_persona"
  | "invalid_registro_patronal"
  | "duplicate_registro_patronal"
  | "registro_of_another_rfc"
  | "invalid_email"
  | "invalid_habilitacion_2020"
  | "duplicate_rfc";

export interface PadronRefusal {
  code: PadronRefusalCode;
  /** Spanish, for the person who prepared the file. */
  reason: string;
}

export type PadronRowResult =
  | { ok: true; entry: PadronRecord; warnings: string[] }
  | { ok: false; rfc: string | undefined; refusal: PadronRefusal };

/** The 2020 Lineamientos (DOF 9 July 2020) were in force from the next day. */
export const LINEAMIENTOS_2020_ENTRY_INTO_FORCE = Temporal.PlainDate.from("2020-07-10");

/** Names are free text, but a cell this long is a broken file, not a name. */
export const MAX_NAME_LENGTH = 300;

/** More registros patronales than this in one cell is a broken file, not an employer. */
export const MAX_REGISTROS_PER_ENTRY = 500;

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

const startOfDay = (date: Temporal.PlainDate) =>
  date.toZonedDateTime({ timeZone: ZONA_CENTRO }).toInstant();

/**
 * Reads one row of the padrón CSV (cells by column name, already trimmed or not). Every
 * refusal names the column and the value, in Spanish; a row is refused at its first problem.
 * The RFC's check character is only a warning: the padrón copies what the SAT issued, and
 * some RFCs the SAT issued fail their own check (src/domain/identifiers/rfc.ts).
 */
export function readPadronRow(cells: Partial<Record<PadronColumn, string>>): PadronRowResult {
  const rawRfc = (cells.rfc ?? "").trim().toUpperCase() || undefined;
  const refuse = (code: PadronRefusalCode, reason: string): PadronRowResult => ({
    ok: false,
    rfc: rawRfc,
    refusal: { code, reason },
  });
  const warnings: string[] = [];

  let rfc: ReturnType<typeof parseRfc>;
  try {
    rfc = parseRfc(cells.rfc ?? "", { context: "certificate" });
  } catch (error) {
    if (error instanceof DomainError) return refuse("invalid_rfc", error.detail);
    throw error;
  }
  if (rfc.generic) {
    return refuse(
      "generic_rfc",
      `El RFC ${shown(rfc.value)} es genérico (público en general o extranjeros): no identifica a una persona particular.`,
    );
  }
  warnings.push(...rfc.warnings);

  const name = (cells.nombre ?? "").normalize("NFC").trim().replace(/\s+/gu, " ");
  if (name === "") return refuse("invalid_name", "El nombre o razón social está vacío.");
  if (name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    return refuse(
      "invalid_name",
      `El nombre o razón social ${shown(name)} no es válido: debe tener a lo más ${MAX_NAME_LENGTH} caracteres y ningún carácter de control.`,
    );
  }

  const persona = readPersona(cells.persona ?? "");
  if (persona === undefined) {
    return refuse(
      "invalid_persona",
      `La persona ${shown((cells.persona ?? "").trim())} no es válida: escriba «fisica» o «moral».`,
    );
  }
  if (persona !== rfc.persona) {
    return refuse(
      "invalid_persona",
      `El RFC ${shown(rfc.value)} es de persona ${rfc.persona === "fisica" ? "física (13 caracteres)" : "moral (12 caracteres)"}, pero la fila dice persona ${persona === "fisica" ? "física" : "moral"}.`,
    );
  }

  const registros = new Set<string>();
  const listed = (cells.registros_patronales ?? "").split(";").map((r) => r.trim());
  for (const text of listed.filter((r) => r !== "")) {
    let value: string;
    try {
      value = parseRegistroPatronal(text).value;
    } catch (error) {
      if (error instanceof DomainError) return refuse("invalid_registro_patronal", error.detail);
      throw error;
    }
    if (registros.has(value)) {
      return refuse(
        "duplicate_registro_patronal",
        `El registro patronal ${shown(value)} aparece dos veces en la misma fila.`,
      );
    }
    registros.add(value);
  }
  if (registros.size > MAX_REGISTROS_PER_ENTRY) {
    return refuse(
      "invalid_registro_patronal",
      `La fila tiene ${registros.size} registros patronales; se admiten a lo más ${MAX_REGISTROS_PER_ENTRY}.`,
    );
  }

  let emailOnFile: string | null = null;
  if ((cells.correo ?? "").trim() !== "") {
    try {
      emailOnFile = parseEmail(cells.correo ?? "").value;
    } catch (error) {
      if (error instanceof DomainError) return refuse("invalid_email", error.detail);
      throw error;
    }
  }

  let habilitacion2020: PadronRecord["habilitacion2020"] = null;
  const habilitado = (cells.habilitado_2020 ?? "").trim();
  if (habilitado !== "") {
    const at = readHabilitacion2020(habilitado);
    if (typeof at === "string") return refuse("invalid_habilitacion_2020", at);
    habilitacion2020 = { at };
  }

  return {
    ok: true,
    entry: {
      rfc: rfc.value,
      name,
      persona,
      registrosPatronales: [...registros].sort(),
      emailOnFile,
      habilitacion2020,
    },
    warnings,
  };
}

function readPersona(text: string): Persona | undefined {
  const value = text
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .trim()
    .toLowerCase();
  return value === "fisica" || value === "moral" ? value : undefined;
}

/**
 * When the mailbox was enabled under the 2020 rules: a date (start of that day, Zona Centro)
 * or an instant with its offset. It must fall while the 2020 Lineamientos were in force, since
 * 5.4 covers only mailboxes enabled before the current ones entered into force. Answers the
 * Spanish refusal as a string.
 */
function readHabilitacion2020(text: string): Temporal.Instant | string {
  // Not parseInstant/parsePlainDate of zona-centro.ts: those refuse years before the current
  // Lineamientos (MIN_YEAR), and these dates are all earlier by definition.
  let at: Temporal.Instant | undefined;
  try {
    if (PLAIN_DATE.test(text)) {
      at = startOfDay(Temporal.PlainDate.from(text, { overflow: "reject" }));
    } else if (INSTANT_WITH_OFFSET.test(text) && !/T\d{2}:\d{2}:60/.test(text)) {
      at = Temporal.Instant.from(text);
    }
  } catch {
    at = undefined;
  }
  if (at === undefined) {
    return `La fecha de habilitación ${shown(text)} no es válida: escriba AAAA-MM-DD o un instante ISO 8601 con zona horaria (por ejemplo 2021-03-15T10:00:00-06:00).`;
  }
  const from = startOfDay(LINEAMIENTOS_2020_ENTRY_INTO_FORCE);
  const until = startOfDay(LINEAMIENTOS_ENTRY_INTO_FORCE);
  if (Temporal.Instant.compare(at, from) < 0 || Temporal.Instant.compare(at, until) >= 0) {
    return `La fecha de habilitación ${shown(text)} no cae en la vigencia de los Lineamientos de 2020 (del ${LINEAMIENTOS_2020_ENTRY_INTO_FORCE} al ${LINEAMIENTOS_ENTRY_INTO_FORCE.subtract({ days: 1 })}): el numeral 5.4 solo reconoce buzones habilitados antes de la entrada en vigor de los Lineamientos vigentes.`;
  }
  return at;
}

/** Whether two entries say the same (a re-import of an unchanged row changes nothing). */
export function samePadronRecord(a: PadronRecord, b: PadronRecord): boolean {
  return (
    a.rfc === b.rfc &&
    a.name === b.name &&
    a.persona === b.persona &&
    a.emailOnFile === b.emailOnFile &&
    (a.habilitacion2020?.at.epochMilliseconds ?? null) ===
      (b.habilitacion2020?.at.epochMilliseconds ?? null) &&
    a.registrosPatronales.length === b.registrosPatronales.length &&
    a.registrosPatronales.every((r, i) => r === b.registrosPatronales[i])
  );
}
