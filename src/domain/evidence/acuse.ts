/**
 * The acuse: one model for every kind of actuación (Lineamientos 6.1), and its cadena original,
 * the canonical pipe-delimited string the Institute's seal signs. The format is documented in
 * docs/acuse.md; changing it means a new version, never an edit of an existing one, because
 * sealed acuses must verify years later: version 1 ({@link CADENA_VERSION}) and version 2
 * ({@link CADENA_VERSION_HABILITACION}, version 1 plus the mailbox's habilitación; ADR 0011)
 * both verify for ever.
 */
import { Buffer } from "node:buffer";
import { CodedError, DomainError } from "../errors.ts";
import { parseRfc } from "../identifiers/rfc.ts";
import { RULES, type RuleId } from "../plazos/rules.ts";
import { toZonaCentro } from "../time/zona-centro.ts";
import { FolioError, parseFolio } from "./folio.ts";

/** First field of a cadena original that states nothing about the mailbox (never edited). */
export const CADENA_VERSION = "1";

/**
 * First field of a cadena original that also states how the party's mailbox was enabled when
 * the act happened: version 1 with `habilitacion` after `rulesVersion` (ADR 0011).
 */
export const CADENA_VERSION_HABILITACION = "2";

export type CadenaVersion = typeof CADENA_VERSION | typeof CADENA_VERSION_HABILITACION;

/**
 * How the party's mailbox stood enabled at the moment of the act: under the 2020 Lineamientos
 * (imported from the padrón, numeral 5.4 and transitorio primero) or by its activation here
 * (validated means and the Terms signed, 5.1–5.3). The same values as the mailbox's provenance.
 */
export const HABILITACIONES = ["lineamientos_2020", "activacion"] as const;

export type Habilitacion = (typeof HABILITACIONES)[number];

export const ACUSE_KINDS = [
  "registro_medios_contacto",
  "validacion_medios_contacto",
  "firma_terminos",
  "apertura_notificacion",
  "constancia_cuarto_dia",
  "promocion",
  "autorizacion_32d",
  "revocacion_32d",
  "publicacion_estrados",
  "retiro_estrados",
  "aviso_notificacion",
  "acceso_posterior_notificacion",
  "cancelacion_notificacion",
] as const;

export type AcuseKind = (typeof ACUSE_KINDS)[number];

export const CAPACITIES = [
  "titular",
  "representante_legal",
  "persona_designada",
  "servidor_publico",
  "sistema",
] as const;

export type Capacity = (typeof CAPACITIES)[number];

/**
 * The rule that fixed `countsAt`: a rule of the plazos engine, or `momento_del_evento` when the
 * act counts when it happened (countsAt = eventAt).
 */
export const AT_EVENT_RULE = "momento_del_evento";
export type AcuseRule = RuleId | typeof AT_EVENT_RULE;

/**
 * Kinds whose legal instant may be later than the event, never earlier: a promoción received
 * on a non-business day counts at 00:00 of the next business day (Lineamientos 6.3); an
 * apertura outside 09:30–18:00 counts at 09:30 of the next business day (7.2, 7.4); the
 * constancia's event is the lapse of the three days and the notification counts on the fourth
 * (7.5, 7.6); the end of a publication on the estrados is the end of its tenth day, and the act
 * is notified at 00:00 of the eleventh business day, later when non-business days lie between
 * (CFF 139). Every other kind counts at the instant it happened.
 */
export const KINDS_COUNTING_LATER: ReadonlySet<AcuseKind> = new Set<AcuseKind>([
  "promocion",
  "apertura_notificacion",
  "constancia_cuarto_dia",
  "retiro_estrados",
]);

/**
 * Kinds that concern documents and must name at least one. The contact means' acuses may name
 * one (the statement of what was registered or validated, ADR 0012; older ones name none); the
 * others (32-D consents) name none, and a document given for them is refused rather than
 * silently kept.
 */
export const KINDS_WITH_DOCUMENTS: ReadonlySet<AcuseKind> = new Set<AcuseKind>([
  "firma_terminos",
  "apertura_notificacion",
  "constancia_cuarto_dia",
  "promocion",
  "publicacion_estrados",
  "retiro_estrados",
  "aviso_notificacion",
  "acceso_posterior_notificacion",
  "cancelacion_notificacion",
]);

/**
 * Kinds that may seal documents without having to: the means' registration and validation seal
 * the canonical statement of the means (ADR 0012), and those issued before it seal nothing.
 */
export const KINDS_WITH_OPTIONAL_DOCUMENTS: ReadonlySet<AcuseKind> = new Set<AcuseKind>([
  "registro_medios_contacto",
  "validacion_medios_contacto",
]);

export interface AcuseParties {
  /** The RFC of the person whose buzón this is (patrón, sujeto obligado). */
  rfc: string;
  /** The RFC of whoever acted: the titular, a representative, a public servant, the Institute. */
  actorRfc: string;
  capacity: Capacity;
}

export interface AcuseDocument {
  /** File name as shown to people; NFC-normalized and escaped in the cadena. */
  name: string;
  /** SHA-256 of the exact bytes, 64 hexadecimal digits (written lowercase in the cadena). */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
}

export interface Acuse {
  /** `BI-YYYYMMDD-HHmmssSSS`: also the instant the acuse was issued (see folio.ts). */
  folio: string;
  kind: AcuseKind;
  parties: AcuseParties;
  /** When the act happened, to the millisecond. */
  eventAt: Temporal.Instant;
  /** The legal instant it counts for, to the millisecond; never earlier than eventAt. */
  countsAt: Temporal.Instant;
  rule: AcuseRule;
  /** Version of the non-business-day calendar used for countsAt. */
  calendarVersion: string;
  /** RULES_VERSION of the plazos engine that computed countsAt. */
  rulesVersion: string;
  /** In the order the actuación lists them (escrito first, then anexos); order is sealed. */
  documents: readonly AcuseDocument[];
  /**
   * How the party's mailbox was enabled when the act happened, if the issuer states it (the
   * mailbox's own acuses do when it is enabled). Stated: cadena version 2; absent: version 1,
   * exactly as before. Never empty: absence is how "not stated" is written.
   */
  habilitacion?: Habilitacion | undefined;
}

export type AcuseErrorCode =
  | "invalid_folio"
  | "invalid_kind"
  | "invalid_rfc"
  | "invalid_capacity"
  | "invalid_instant"
  | "counts_before_event"
  | "counts_later_not_allowed"
  | "issued_before_event"
  | "invalid_rule"
  | "invalid_version"
  | "invalid_habilitacion"
  | "invalid_document"
  | "documents_required"
  | "documents_not_allowed";

/** Its pointer names the field at fault (`parties.rfc`, `documents[1].sha256`…). */
export class AcuseError extends CodedError<AcuseErrorCode> {}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
/** Version labels are plain tokens: no escaping needed, nothing to normalize. */
const VERSION_SHAPE = /^[A-Za-z0-9._:+-]{1,100}$/;

/**
 * Checks everything the model promises; throws the first {@link AcuseError} found. RFCs must be
 * already canonical (uppercase, no spaces); a wrong check character is accepted, as for a
 * certificate the SAT issued.
 */
export function validateAcuse(acuse: Acuse): void {
  try {
    parseFolio(acuse.folio);
  } catch (cause) {
    const message = cause instanceof FolioError ? cause.message : "El folio no es válido.";
    throw new AcuseError("invalid_folio", message, { pointer: "folio", cause });
  }
  if (!(ACUSE_KINDS as readonly string[]).includes(acuse.kind)) {
    throw new AcuseError(
      "invalid_kind",
      `«${String(acuse.kind).slice(0, 40)}» no es un tipo de acuse conocido.`,
      { pointer: "kind" },
    );
  }
  checkRfc(acuse.parties.rfc, "parties.rfc");
  checkRfc(acuse.parties.actorRfc, "parties.actorRfc");
  if (!(CAPACITIES as readonly string[]).includes(acuse.parties.capacity)) {
    throw new AcuseError(
      "invalid_capacity",
      `«${String(acuse.parties.capacity).slice(0, 40)}» no es un carácter con el que se pueda actuar (titular, representante legal, persona designada, servidor público o sistema).`,
      { pointer: "parties.capacity" },
    );
  }
  checkMillisecond(acuse.eventAt, "eventAt", "del evento");
  checkMillisecond(acuse.countsAt, "countsAt", "en que surte efectos");
  checkTimes(acuse);
  checkVersion(acuse.calendarVersion, "calendarVersion", "del calendario");
  checkVersion(acuse.rulesVersion, "rulesVersion", "de las reglas");
  checkHabilitacion(acuse.habilitacion);
  checkDocuments(acuse);
}

function checkHabilitacion(value: unknown): void {
  if (value === undefined || (HABILITACIONES as readonly unknown[]).includes(value)) return;
  throw new AcuseError(
    "invalid_habilitacion",
    `«${String(value).slice(0, 40)}» no es una forma de habilitación del buzón (lineamientos_2020 o activacion).`,
    { pointer: "habilitacion" },
  );
}

function checkRfc(value: string, pointer: string): void {
  try {
    const rfc = parseRfc(value, { context: "certificate", pointer });
    if (rfc.value !== value) {
      throw new AcuseError(
        "invalid_rfc",
        `El RFC «${value.slice(0, 20)}» debe escribirse en su forma canónica: «${rfc.value}».`,
        { pointer },
      );
    }
  } catch (cause) {
    if (cause instanceof AcuseError) throw cause;
    const message = cause instanceof DomainError ? cause.message : "El RFC no es válido.";
    throw new AcuseError("invalid_rfc", message, { pointer, cause });
  }
}

function checkMillisecond(instant: Temporal.Instant, pointer: string, what: string): void {
  if (!(instant instanceof Temporal.Instant)) {
    throw new AcuseError("invalid_instant", `Falta el instante ${what}.`, { pointer });
  }
  if (instant.epochNanoseconds % 1_000_000n !== 0n) {
    throw new AcuseError(
      "invalid_instant",
      `El instante ${what} debe expresarse al milisegundo; el acuse no conserva fracciones menores.`,
      { pointer },
    );
  }
}

function checkTimes(acuse: Acuse): void {
  const order = Temporal.Instant.compare(acuse.countsAt, acuse.eventAt);
  if (order < 0) {
    throw new AcuseError(
      "counts_before_event",
      "El instante en que surte efectos no puede ser anterior al del evento.",
      { pointer: "countsAt" },
    );
  }
  if (order > 0 && !KINDS_COUNTING_LATER.has(acuse.kind)) {
    throw new AcuseError(
      "counts_later_not_allowed",
      "Este tipo de acuse surte efectos en el momento del evento; el instante en que surte efectos debe ser el mismo.",
      { pointer: "countsAt" },
    );
  }
  const rule: string = acuse.rule;
  if (rule !== AT_EVENT_RULE && !Object.hasOwn(RULES, rule)) {
    throw new AcuseError(
      "invalid_rule",
      `«${rule.slice(0, 40)}» no es una regla conocida del motor de plazos.`,
      { pointer: "rule" },
    );
  }
  if (order > 0 && rule === AT_EVENT_RULE) {
    throw new AcuseError(
      "invalid_rule",
      `Si el acuse surte efectos después del evento, debe nombrar la regla que lo dispone, no «${AT_EVENT_RULE}».`,
      { pointer: "rule" },
    );
  }
  const issued = parseFolio(acuse.folio).instant;
  if (Temporal.Instant.compare(issued, acuse.eventAt) < 0) {
    throw new AcuseError(
      "issued_before_event",
      "El folio indica que el acuse se emitió antes del evento que hace constar.",
      { pointer: "folio" },
    );
  }
}

function checkVersion(value: string, pointer: string, what: string): void {
  if (typeof value !== "string" || !VERSION_SHAPE.test(value)) {
    throw new AcuseError(
      "invalid_version",
      `La versión ${what} debe ser un identificador de 1 a 100 caracteres (letras, dígitos, «.», «_», «:», «+» o «-»).`,
      { pointer },
    );
  }
}

function checkDocuments(acuse: Acuse): void {
  const { documents, kind } = acuse;
  if (KINDS_WITH_DOCUMENTS.has(kind) && documents.length === 0) {
    throw new AcuseError(
      "documents_required",
      "Este tipo de acuse debe nombrar al menos un documento con su huella SHA-256.",
      { pointer: "documents" },
    );
  }
  if (
    !KINDS_WITH_DOCUMENTS.has(kind) &&
    !KINDS_WITH_OPTIONAL_DOCUMENTS.has(kind) &&
    documents.length > 0
  ) {
    throw new AcuseError(
      "documents_not_allowed",
      "Este tipo de acuse no hace constar documentos.",
      { pointer: "documents" },
    );
  }
  documents.forEach((doc, i) => {
    const at = `documents[${i}]`;
    if (typeof doc.name !== "string" || doc.name.trim() === "") {
      throw new AcuseError("invalid_document", `El documento ${i + 1} no tiene nombre.`, {
        pointer: `${at}.name`,
      });
    }
    if (typeof doc.sha256 !== "string" || !SHA256_HEX.test(doc.sha256)) {
      throw new AcuseError(
        "invalid_document",
        `La huella SHA-256 del documento ${i + 1} debe tener 64 dígitos hexadecimales.`,
        { pointer: `${at}.sha256` },
      );
    }
    if (!Number.isSafeInteger(doc.bytes) || doc.bytes < 0) {
      throw new AcuseError(
        "invalid_document",
        `El tamaño del documento ${i + 1} debe ser un número entero de bytes, no negativo.`,
        { pointer: `${at}.bytes` },
      );
    }
  });
}

/**
 * A value as it goes into the cadena: NFC first, then percent-escaping of `%`, `|`, every
 * control character (`\p{Cc}`: U+0000–U+001F and U+007F–U+009F, so newlines and tabs) and the line/paragraph
 * separators U+2028 and U+2029, as `%XX` of their UTF-8 bytes in uppercase hexadecimal. Nothing
 * else changes (no trimming, no collapsing of spaces), so the escaping can be undone exactly.
 */
export function escapeCadenaValue(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[%|\p{Cc}\u2028\u2029]/gu, (ch) =>
      Array.from(
        Buffer.from(ch, "utf8"),
        (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
      ).join(""),
    );
}

/** `2025-02-03T10:07:17.151-06:00`: Zona Centro with its offset and exactly three decimals. */
export function cadenaInstant(instant: Temporal.Instant): string {
  return toZonaCentro(instant).toString({ timeZoneName: "never", fractionalSecondDigits: 3 });
}

/** The version of the acuse's cadena: 2 when it states the habilitación, else 1. */
export function cadenaVersionOf(acuse: Acuse): CadenaVersion {
  return acuse.habilitacion === undefined ? CADENA_VERSION : CADENA_VERSION_HABILITACION;
}

/**
 * The cadena original, after {@link validateAcuse}. Version 1:
 * `||1|folio|kind|rfc|actorRfc|capacity|eventAt|countsAt|rule|calendarVersion|rulesVersion|`
 * followed by `name|sha256|bytes|` for each document in order, and a closing `|` (so the string
 * ends with `||`, as the SAT's cadenas do). With no documents it ends `…|rulesVersion||`.
 * Version 2 (the acuse states its habilitación) is the same with `2` first and `habilitacion`
 * right after `rulesVersion`: `…|rulesVersion|habilitacion|` and then the documents.
 */
export function cadenaOriginal(acuse: Acuse): string {
  validateAcuse(acuse);
  const version = cadenaVersionOf(acuse);
  const fields = [
    version,
    acuse.folio,
    acuse.kind,
    acuse.parties.rfc,
    acuse.parties.actorRfc,
    acuse.parties.capacity,
    cadenaInstant(acuse.eventAt),
    cadenaInstant(acuse.countsAt),
    acuse.rule,
    acuse.calendarVersion,
    acuse.rulesVersion,
    ...(acuse.habilitacion === undefined ? [] : [acuse.habilitacion]),
    ...acuse.documents.flatMap((doc) => [doc.name, doc.sha256.toLowerCase(), String(doc.bytes)]),
  ];
  return `||${fields.map(escapeCadenaValue).join("|")}||`;
}

/** What the Institute's RSA-SHA256 seal signs: the UTF-8 bytes of the cadena original. */
export function sealInput(acuse: Acuse): Uint8Array {
  return new Uint8Array(Buffer.from(cadenaOriginal(acuse), "utf8"));
}
