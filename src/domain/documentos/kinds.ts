import { CodedError } from "../errors.ts";
import { sniffKind } from "../promociones/catalogo.ts";
import { SPANISH_MONTHS } from "../text.ts";

/**
 * «Mis documentos» (Lineamientos, «Mis expedientes» 4.1–4.3; issue 12 §2): the documents the
 * Institute publishes for a particular — the propuestas de cédula de determinación per registro
 * patronal (EMA monthly, EBA bimonthly), the constancia de semanas cotizadas and the constancia
 * de vigencia de derechos. The kinds are data (`catalogos/documentos.json`): a new kind or another
 * limit is a reviewed change of a file. Pure: the feature reads the file and hands the JSON here.
 */

/** Refusals of «Mis documentos». Stable: clients and the lote's report branch on them. */
export type DocumentoErrorCode =
  /** The catalogue file itself is not valid (a start-up refusal). */
  | "documento_catalogue_invalid"
  /** The kind is not in catalogos/documentos.json. */
  | "unknown_documento_kind"
  /** The period does not fit the kind (an EBA with an odd month, a month 13…). */
  | "documento_period_invalid"
  /** A registro patronal missing where the kind needs one, or given where it takes none. */
  | "documento_registro_invalid"
  /** The bytes are not a PDF. */
  | "documento_not_pdf"
  /** Over the kind's size limit. */
  | "documento_too_large"
  /** The same bytes were already published as another document (another RFC, kind or period). */
  | "documento_hash_conflict"
  /** The addressee is not in the padrón. */
  | "addressee_not_in_padron"
  /** The registro patronal is not one of the addressee's in the padrón. */
  | "registro_patronal_not_of_addressee";

export class DocumentoError extends CodedError<DocumentoErrorCode> {}

/**
 * How a kind's period is written. `mensual`: `AAAA-MM`. `bimestral`: `AAAA-MM` with the
 * bimester's closing month, always even (`2026-04` is marzo–abril; the IMSS bimesters are
 * enero–febrero … noviembre–diciembre, LSS art. 39-A and the EBA's «bimestre»). `fecha`: the
 * date the constancia speaks of, `AAAA-MM-DD`.
 */
export const PERIODICITIES = ["mensual", "bimestral", "fecha"] as const;
export type Periodicity = (typeof PERIODICITIES)[number];

export interface DocumentoKind {
  /** Stable id (`propuesta_cedula_ema`…): what the API, the lote and the list name. */
  id: string;
  name: string;
  /** The section of «Mis expedientes» (4.1, 4.2, 4.3). */
  apartado: string;
  periodo: Periodicity;
  /** Whether a document of this kind belongs to one of the RFC's registros patronales. */
  registroPatronal: "requerido" | "no_admitido";
  maxBytes: number;
}

export interface DocumentoCatalogue {
  version: string;
  source: string;
  kinds: readonly DocumentoKind[];
  find(id: string): DocumentoKind | undefined;
  /** The kind with this id, or a 422 naming the valid ones. */
  require(id: string, pointer?: string): DocumentoKind;
  /** The largest file any kind takes: the HTTP body's backstop. */
  largestBytes: number;
}

const ID = /^[a-z][a-z0-9_]{1,60}$/;
/** No PDF the Institute publishes for one person needs more; 100 MiB is a broken file. */
const MAX_BYTES_CEILING = 100 * 1024 * 1024;

function invalid(detail: string): DocumentoError {
  return new DocumentoError("documento_catalogue_invalid", `Catálogo de documentos: ${detail}`);
}

/** Validates the catalogue's JSON; any fault refuses it whole (the service does not start). */
export function parseDocumentoCatalogue(json: unknown): DocumentoCatalogue {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw invalid("se esperaba un objeto.");
  }
  const { version, source, kinds } = json as Record<string, unknown>;
  if (typeof version !== "string" || version === "") throw invalid("falta «version».");
  if (typeof source !== "string" || source === "") throw invalid("falta «source».");
  if (!Array.isArray(kinds) || kinds.length === 0) throw invalid("«kinds» debe ser una lista.");
  const seen = new Set<string>();
  const parsed = kinds.map((raw, i): DocumentoKind => {
    const at = `kinds[${i}]`;
    if (typeof raw !== "object" || raw === null) throw invalid(`${at} no es un objeto.`);
    const k = raw as Record<string, unknown>;
    if (typeof k.id !== "string" || !ID.test(k.id)) throw invalid(`${at}.id inválido.`);
    if (seen.has(k.id)) throw invalid(`${at}.id «${k.id}» repetido.`);
    seen.add(k.id);
    if (typeof k.name !== "string" || k.name.trim() === "") throw invalid(`${at}.name vacío.`);
    if (typeof k.apartado !== "string") throw invalid(`${at}.apartado inválido.`);
    if (!(PERIODICITIES as readonly unknown[]).includes(k.periodo)) {
      throw invalid(`${at}.periodo debe ser ${PERIODICITIES.join(", ")}.`);
    }
    if (k.registroPatronal !== "requerido" && k.registroPatronal !== "no_admitido") {
      throw invalid(`${at}.registroPatronal debe ser requerido o no_admitido.`);
    }
    if (
      typeof k.maxBytes !== "number" ||
      !Number.isInteger(k.maxBytes) ||
      k.maxBytes < 1024 ||
      k.maxBytes > MAX_BYTES_CEILING
    ) {
      throw invalid(`${at}.maxBytes debe ser un entero entre 1024 y ${MAX_BYTES_CEILING}.`);
    }
    return {
      id: k.id,
      name: k.name,
      apartado: k.apartado,
      periodo: k.periodo as Periodicity,
      registroPatronal: k.registroPatronal,
      maxBytes: k.maxBytes,
    };
  });
  const byId = new Map(parsed.map((k) => [k.id, k]));
  return {
    version,
    source,
    kinds: parsed,
    find: (id) => byId.get(id),
    require(id, pointer) {
      const kind = byId.get(id);
      if (!kind) {
        throw new DocumentoError(
          "unknown_documento_kind",
          `«${id}» no es un tipo de documento. Tipos: ${parsed.map((k) => k.id).join(", ")}.`,
          { pointer },
        );
      }
      return kind;
    },
    largestBytes: Math.max(...parsed.map((k) => k.maxBytes)),
  };
}

/** The first year the LSS of 1997 (the propuestas' regime) was in force. */
const FIRST_YEAR = 1997;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks a period against its kind and answers it as stored. `today` (Zona Centro) bounds it: a
 * propuesta is made for a period that has begun (the month or bimester of `today` at the
 * latest), and a constancia speaks of a day that has come.
 */
export function checkPeriod(
  kind: DocumentoKind,
  period: string,
  today: Temporal.PlainDate,
  pointer?: string,
): string {
  const refuse = (why: string) =>
    new DocumentoError("documento_period_invalid", `Periodo «${period}» de ${kind.name}: ${why}`, {
      pointer,
    });
  const text = period.trim();
  if (kind.periodo === "fecha") {
    const m = DAY.exec(text);
    if (!m) throw refuse("se espera la fecha AAAA-MM-DD.");
    let date: Temporal.PlainDate;
    try {
      date = Temporal.PlainDate.from(text, { overflow: "reject" });
    } catch {
      throw refuse("no es una fecha del calendario.");
    }
    if (date.year < FIRST_YEAR) throw refuse(`es anterior a ${FIRST_YEAR}.`);
    if (Temporal.PlainDate.compare(date, today) > 0) throw refuse("es una fecha futura.");
    return text;
  }
  const m = MONTH.exec(text);
  if (!m) {
    throw refuse(
      kind.periodo === "bimestral"
        ? "se espera AAAA-MM con el mes con que cierra el bimestre (02, 04, 06, 08, 10 o 12)."
        : "se espera AAAA-MM.",
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw refuse("el mes debe estar entre 01 y 12.");
  if (kind.periodo === "bimestral" && month % 2 !== 0) {
    throw refuse(
      "un bimestre se nombra por su mes de cierre, par (02 enero–febrero … 12 noviembre–diciembre); un mes impar no es un bimestre.",
    );
  }
  if (year < FIRST_YEAR) throw refuse(`es anterior a ${FIRST_YEAR}.`);
  // The period's first month must have begun.
  const firstMonth = kind.periodo === "bimestral" ? month - 1 : month;
  if (year * 12 + firstMonth > today.year * 12 + today.month) throw refuse("aún no comienza.");
  return text;
}

/** The period as people read it: «marzo de 2026», «2.º bimestre de 2026 (marzo–abril)», «15 de marzo de 2026». */
export function periodLabel(periodo: Periodicity, period: string): string {
  if (periodo === "fecha") {
    const m = DAY.exec(period);
    if (!m) return period;
    return `${Number(m[3])} de ${SPANISH_MONTHS[Number(m[2]) - 1]} de ${m[1]}`;
  }
  const m = MONTH.exec(period);
  if (!m) return period;
  const month = Number(m[2]);
  if (periodo === "mensual") return `${SPANISH_MONTHS[month - 1]} de ${m[1]}`;
  return `${month / 2}.º bimestre de ${m[1]} (${SPANISH_MONTHS[month - 2]}–${SPANISH_MONTHS[month - 1]})`;
}

/**
 * Whether the bytes are a PDF, told by its bytes as the promociones tell their anexos
 * (`%PDF-` at the start and `%%EOF` at the end: a truncated file is not one).
 */
export function isPdf(bytes: Uint8Array): boolean {
  return sniffKind(bytes) === "pdf";
}
