/**
 * The exported acuse (`buzon-imss-acuse/1`): everything a person needs to verify an acuse
 * offline, years later, without trusting the Institute's servers — the sealed data, the cadena
 * original, the sello digital and the certificate that made it, the optional RFC 3161
 * time-stamp over the seal, and the log proof (c2sp.org/tlog-proof) against the first signed
 * checkpoint that covers the acuse. It is served as JSON and attached to the PDF as
 * `acuse.json`; `buzon verify` and the public verification page read it back.
 *
 * This module only shapes and parses it (pure, no crypto); the checks live in
 * src/features/verification.
 */

import { CodedError, type CodedErrorOptions } from "../errors.ts";
import {
  ACUSE_KINDS,
  type Acuse,
  type AcuseKind,
  CAPACITIES,
  type Capacity,
  HABILITACIONES,
  type Habilitacion,
} from "./acuse.ts";

export const ACUSE_EXPORT_FORMAT = "buzon-imss-acuse/1";

/** The acuse as exported: instants as `cadenaInstant` strings (Zona Centro, offset, 3 decimals). */
export interface ExportedAcuseData {
  folio: string;
  kind: AcuseKind;
  parties: { rfc: string; actorRfc: string; capacity: Capacity };
  eventAt: string;
  countsAt: string;
  rule: string;
  calendarVersion: string;
  rulesVersion: string;
  documents: { name: string; sha256: string; bytes: number }[];
  /** Only in acuses whose cadena is version 2 (they state it); absent in version 1. */
  habilitacion?: Habilitacion;
}

export interface ExportedTimestamp {
  /** RFC 3161 TimeStampToken (DER ContentInfo), base64. Its imprint is SHA-256(seal bytes). */
  token: string;
  /** genTime as the TSA wrote it, ISO 8601 UTC. Informative: the token is what counts. */
  genTime: string;
}

export interface ExportedLogProof {
  /** The log's note verifier key, `<origin>+<key id>+<base64 key>`. Compare with the published one. */
  verifierKey: string;
  /** c2sp.org/tlog-proof@v1 text; the leaf is the UTF-8 cadena original. */
  proof: string;
}

export interface AcuseExport {
  format: typeof ACUSE_EXPORT_FORMAT;
  acuse: ExportedAcuseData;
  cadenaOriginal: string;
  /** Sello digital: base64 RSA-SHA256 (PKCS#1 v1.5) over the UTF-8 cadena original. */
  seal: string;
  sealCertificateNumber: string;
  /** The seal's X.509 certificate, DER in base64. Compare its fingerprint with the published one. */
  sealCertificate: string;
  /** Code printed on the acuse and asked with the folio on the verification page. */
  verificationCode: string;
  verificationUrl: string;
  timestamp?: ExportedTimestamp;
  log?: ExportedLogProof;
  /**
   * The exact text of a document the Institute wrote and the acuse seals (the means'
   * statement, ADR 0012): its SHA-256 and size must be those of the document of that name.
   * Absent in every other export, which stays exactly as it was.
   */
  statement?: ExportedStatement;
}

export interface ExportedStatement {
  /** The name of the sealed document it is (e.g. `medios-de-contacto.txt`). */
  name: string;
  /** The text, verbatim: its UTF-8 bytes are what the document's SHA-256 covers. */
  text: string;
}

export type AcuseExportErrorCode = "malformed_export";

export class AcuseExportError extends CodedError<AcuseExportErrorCode> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("malformed_export", detail, options);
  }
}

/**
 * The code a person types with the folio: the last 8 characters of the sello digital (without
 * base64 padding), as the SAT asks for the last 8 of a CFDI's sello. 44 bits (a 256-byte seal
 * ends in `==`, so its last character carries 2): with the folio and the rate limits, not
 * guessable, and readable off the printed acuse.
 */
export function verificationCodeOf(seal: string): string {
  return seal.trim().replace(/=+$/, "").slice(-8);
}

/** The public verification page of an acuse, as the QR code opens it. */
export function verificationUrlOf(publicUrl: string, folio: string, seal: string): string {
  const base = publicUrl.replace(/\/+$/, "");
  return `${base}/verificacion/${encodeURIComponent(folio)}?codigo=${encodeURIComponent(verificationCodeOf(seal))}`;
}

/** The acuse's data in export form. */
export function exportedAcuseData(
  acuse: Acuse,
  instant: (i: Temporal.Instant) => string,
): ExportedAcuseData {
  const data: ExportedAcuseData = {
    folio: acuse.folio,
    kind: acuse.kind,
    parties: { ...acuse.parties },
    eventAt: instant(acuse.eventAt),
    countsAt: instant(acuse.countsAt),
    rule: acuse.rule,
    calendarVersion: acuse.calendarVersion,
    rulesVersion: acuse.rulesVersion,
    documents: acuse.documents.map((d) => ({ name: d.name, sha256: d.sha256, bytes: d.bytes })),
  };
  // A version-1 acuse's export stays exactly as it always was: no key at all.
  if (acuse.habilitacion !== undefined) data.habilitacion = acuse.habilitacion;
  return data;
}

/** Rebuilds the domain acuse from its exported data (the cadena check validates the rest). */
export function acuseFromExport(data: ExportedAcuseData): Acuse {
  let eventAt: Temporal.Instant;
  let countsAt: Temporal.Instant;
  try {
    eventAt = Temporal.Instant.from(data.eventAt);
    countsAt = Temporal.Instant.from(data.countsAt);
  } catch {
    throw new AcuseExportError("Los instantes del acuse no son fechas ISO 8601 válidas.", {
      pointer: "/acuse/eventAt",
    });
  }
  return {
    folio: data.folio,
    kind: data.kind,
    parties: { ...data.parties },
    eventAt,
    countsAt,
    rule: data.rule as Acuse["rule"],
    calendarVersion: data.calendarVersion,
    rulesVersion: data.rulesVersion,
    documents: data.documents.map((d) => ({ ...d })),
    ...(data.habilitacion === undefined ? {} : { habilitacion: data.habilitacion }),
  };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads an export strictly: every field present with its type, nothing unknown at the top level
 * or in the acuse. Throws {@link AcuseExportError} naming the field (JSON pointer).
 */
export function parseAcuseExport(json: unknown): AcuseExport {
  const root = object(json, "");
  allowOnly(
    root,
    [
      "format",
      "acuse",
      "cadenaOriginal",
      "seal",
      "sealCertificateNumber",
      "sealCertificate",
      "verificationCode",
      "verificationUrl",
      "timestamp",
      "log",
      "statement",
    ],
    "",
  );
  if (root.format !== ACUSE_EXPORT_FORMAT) {
    throw new AcuseExportError(
      `El archivo no es un acuse exportado del Buzón IMSS (se esperaba el formato ${ACUSE_EXPORT_FORMAT}).`,
      { pointer: "/format" },
    );
  }
  const a = object(root.acuse, "/acuse");
  allowOnly(
    a,
    [
      "folio",
      "kind",
      "parties",
      "eventAt",
      "countsAt",
      "rule",
      "calendarVersion",
      "rulesVersion",
      "documents",
      "habilitacion",
    ],
    "/acuse",
  );
  const parties = object(a.parties, "/acuse/parties");
  allowOnly(parties, ["rfc", "actorRfc", "capacity"], "/acuse/parties");
  const kind = string(a.kind, "/acuse/kind");
  if (!(ACUSE_KINDS as readonly string[]).includes(kind)) {
    throw new AcuseExportError(`Tipo de acuse desconocido: «${kind}».`, { pointer: "/acuse/kind" });
  }
  const capacity = string(parties.capacity, "/acuse/parties/capacity");
  if (!(CAPACITIES as readonly string[]).includes(capacity)) {
    throw new AcuseExportError(`Carácter desconocido: «${capacity}».`, {
      pointer: "/acuse/parties/capacity",
    });
  }
  if (!Array.isArray(a.documents)) {
    throw new AcuseExportError("Falta la lista de documentos.", { pointer: "/acuse/documents" });
  }
  const documents = a.documents.map((d, i) => {
    const doc = object(d, `/acuse/documents/${i}`);
    allowOnly(doc, ["name", "sha256", "bytes"], `/acuse/documents/${i}`);
    const bytes = doc.bytes;
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new AcuseExportError("El tamaño del documento no es un entero.", {
        pointer: `/acuse/documents/${i}/bytes`,
      });
    }
    return {
      name: string(doc.name, `/acuse/documents/${i}/name`),
      sha256: string(doc.sha256, `/acuse/documents/${i}/sha256`),
      bytes,
    };
  });
  let habilitacion: Habilitacion | undefined;
  if (a.habilitacion !== undefined) {
    const value = string(a.habilitacion, "/acuse/habilitacion");
    if (!(HABILITACIONES as readonly string[]).includes(value)) {
      throw new AcuseExportError(`Forma de habilitación del buzón desconocida: «${value}».`, {
        pointer: "/acuse/habilitacion",
      });
    }
    habilitacion = value as Habilitacion;
  }
  const result: AcuseExport = {
    format: ACUSE_EXPORT_FORMAT,
    acuse: {
      folio: string(a.folio, "/acuse/folio"),
      kind: kind as AcuseKind,
      parties: {
        rfc: string(parties.rfc, "/acuse/parties/rfc"),
        actorRfc: string(parties.actorRfc, "/acuse/parties/actorRfc"),
        capacity: capacity as Capacity,
      },
      eventAt: string(a.eventAt, "/acuse/eventAt"),
      countsAt: string(a.countsAt, "/acuse/countsAt"),
      rule: string(a.rule, "/acuse/rule"),
      calendarVersion: string(a.calendarVersion, "/acuse/calendarVersion"),
      rulesVersion: string(a.rulesVersion, "/acuse/rulesVersion"),
      documents,
      ...(habilitacion === undefined ? {} : { habilitacion }),
    },
    cadenaOriginal: string(root.cadenaOriginal, "/cadenaOriginal"),
    seal: base64(root.seal, "/seal"),
    sealCertificateNumber: string(root.sealCertificateNumber, "/sealCertificateNumber"),
    sealCertificate: base64(root.sealCertificate, "/sealCertificate"),
    verificationCode: string(root.verificationCode, "/verificationCode"),
    verificationUrl: string(root.verificationUrl, "/verificationUrl"),
  };
  if (root.timestamp !== undefined) {
    const t = object(root.timestamp, "/timestamp");
    allowOnly(t, ["token", "genTime"], "/timestamp");
    result.timestamp = {
      token: base64(t.token, "/timestamp/token"),
      genTime: string(t.genTime, "/timestamp/genTime"),
    };
  }
  if (root.log !== undefined) {
    const l = object(root.log, "/log");
    allowOnly(l, ["verifierKey", "proof"], "/log");
    result.log = {
      verifierKey: string(l.verifierKey, "/log/verifierKey"),
      proof: string(l.proof, "/log/proof"),
    };
  }
  if (root.statement !== undefined) {
    const st = object(root.statement, "/statement");
    allowOnly(st, ["name", "text"], "/statement");
    result.statement = {
      name: string(st.name, "/statement/name"),
      text: string(st.text, "/statement/text"),
    };
  }
  return result;
}

function object(value: unknown, pointer: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AcuseExportError(
      pointer === "" ? "El acuse exportado no es un objeto JSON." : `${pointer} no es un objeto.`,
      { pointer: pointer || "/" },
    );
  }
  return value as Record<string, unknown>;
}

function allowOnly(value: Record<string, unknown>, keys: readonly string[], pointer: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new AcuseExportError(`Campo no reconocido: ${pointer}/${key}.`, {
        pointer: `${pointer}/${key}`,
      });
    }
  }
}

function string(value: unknown, pointer: string): string {
  if (typeof value !== "string" || value.length > 1_000_000) {
    throw new AcuseExportError(`Falta ${pointer} o no es texto.`, { pointer });
  }
  return value;
}

function base64(value: unknown, pointer: string): string {
  const text = string(value, pointer);
  if (!BASE64.test(text)) throw new AcuseExportError(`${pointer} no es base64.`, { pointer });
  return text;
}
