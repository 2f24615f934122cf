/**
 * Offline verification of an exported acuse (`buzon-imss-acuse/1`): what `buzon verify` runs on
 * a PDF's `acuse.json` or on a JSON export, with no network and no file access. Every check is
 * made with what the verifier trusts (the Institute's seal certificate, the log's verifier key,
 * the TSA's certificate, a checkpoint they kept) when they give it, and otherwise with what the
 * file carries, said as a warning.
 *
 * Bad content never throws: a tampered field yields a failed check and the verdict `alterado`.
 * Only a structurally unreadable export is refused before, by parseAcuseExport; and a trusted
 * verifier key that is not a key at all is the caller's mistake (VerificationInputError).
 */
import { Buffer } from "node:buffer";
import { createHash, X509Certificate } from "node:crypto";
import { certificateNumberOf } from "../../domain/efirma/certificate.ts";
import { CodedError } from "../../domain/errors.ts";
import { type Acuse, cadenaOriginal, cadenaVersionOf } from "../../domain/evidence/acuse.ts";
import {
  type AcuseExport,
  acuseFromExport,
  type ExportedStatement,
  verificationCodeOf,
} from "../../domain/evidence/acuse-export.ts";
import {
  type Checkpoint,
  CheckpointError,
  encodeBase64,
  openCheckpoint,
  parseVerifierKey,
  type VerifierKey,
} from "../../domain/evidence/checkpoint.ts";
import { MerkleError } from "../../domain/evidence/errors.ts";
import { parseFolio } from "../../domain/evidence/folio.ts";
import { sealDigest } from "../../domain/evidence/seal-digest.ts";
import { TlogProofError, verifyTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import { isDevelopmentSeal, verifySealText } from "../../platform/crypto/seal.ts";
import {
  readTimestampToken,
  type Timestamp,
  TsaError,
  verifyTimestampToken,
} from "../../platform/crypto/tsa.ts";
import { CAPACITY_LABELS, HABILITACION_LABELS, KIND_LABELS } from "../../platform/pdf/acuse-pdf.ts";
import { pdfSignatureCheck } from "./pdf-signature.ts";
import type {
  AcuseVerification,
  CheckId,
  CheckOutcome,
  VerificationCheck,
  VerifiedAcuse,
} from "./types.ts";

/** What the verifier trusts, obtained from the Institute by other means than the file itself. */
export interface OfflineTrust {
  /** The Institute's seal certificates (current and past). Empty or absent: not compared. */
  sealCertificates?: X509Certificate[];
  /** The log's note verifier key, `<origin>+<hex key id>+<base64 key>`. */
  logVerifierKey?: string;
  /** The TSA's certificate, or the CA that issued it. Empty or absent: not compared. */
  tsaCertificates?: X509Certificate[];
  /** A signed checkpoint note of the log that the verifier kept from an earlier visit. */
  checkpoint?: string;
  /** The verifier is the Institute: a PDF time-stamp no trusted TSA anchors fails (pdf-signature.ts). */
  onlyTrustedStamps?: boolean;
  /** The Institute's public address: the QR link must point there. Absent: shown, not compared. */
  publicUrl?: string;
}

export type VerificationInputErrorCode = "invalid_verifier_key";

/** A trust input that is not what it should be: the verifier's mistake, not the acuse's. */
export class VerificationInputError extends CodedError<VerificationInputErrorCode> {}

/**
 * The route that serves a proof against a checkpoint of another size (docs/api.md). The per-folio
 * routes ask for the verification code too; it is base64 and can carry `+` and `/`.
 */
export function tlogProofPath(folio: string, size: number, code: string): string {
  return `/api/v1/acuses/${encodeURIComponent(folio)}/tlog-proof?codigo=${encodeURIComponent(code)}&tamano=${size}`;
}

const TITLES: Record<CheckId, string> = {
  enlace_verificacion: "Código y enlace de verificación",
  cadena: "Cadena original",
  sello: "Sello digital del Instituto",
  certificado_sello: "Certificado del sello",
  sello_tiempo: "Sello de tiempo (RFC 3161)",
  registro: "Registro público de evidencias",
  punto_de_control: "Punto de control que guardaste",
  coincide_con_registro: "Coincide con el registro del Instituto",
  firma_pdf: "Firma electrónica del PDF",
  firma: "Firma electrónica",
  certificado_firmante: "Certificado del firmante",
  revocacion: "Revocación del certificado",
  texto_sellado: "Texto de lo registrado",
};

/** Names of the cadena's fields, in order (docs/acuse.md «La cadena original»). */
const CADENA_FIELDS = [
  "versión",
  "folio",
  "tipo de acuse",
  "RFC del titular",
  "RFC de quien actuó",
  "carácter",
  "fecha y hora del evento",
  "momento en que se tiene por realizado",
  "regla",
  "versión del calendario",
  "versión de las reglas",
];
/** Version 2 (ADR 0011) adds one field after the rules version, before the documents. */
const CADENA_FIELDS_V2 = [...CADENA_FIELDS, "habilitación del buzón"];
const DOCUMENT_FIELDS = ["nombre", "SHA-256", "tamaño"];

/**
 * Verifies an export and, when it came from a PDF, the PDF itself: a PDF is authentic only if
 * its own PAdES signature is the Institute's over the whole file, unchanged. Its attached data
 * being intact says nothing of the text it shows.
 */
export async function verifyAcuseExport(
  exported: AcuseExport,
  trust: OfflineTrust = {},
  pdf?: Uint8Array,
): Promise<AcuseVerification> {
  const trustedKey = readTrustedKey(trust.logVerifierKey);
  const checks: VerificationCheck[] = [];
  const result: Omit<AcuseVerification, "verdict" | "summary" | "checks"> = {
    demonstration: false,
  };
  if (pdf) {
    checks.push(
      await pdfSignatureCheck(pdf, trust.sealCertificates ?? [], trust.tsaCertificates ?? [], {
        onlyTrustedStamps: trust.onlyTrustedStamps,
      }),
    );
  }

  const acuse = readAcuse(exported);
  checks.push(cadenaCheck(exported, acuse));
  result.acuse = verifiedAcuse(exported);
  if (exported.statement) checks.push(statementCheck(exported, exported.statement));

  const certificate = readCertificate(exported.sealCertificate);
  checks.push(sealCheck(exported, certificate));
  checks.push(linkCheck(exported, trust.publicUrl));
  checks.push(certificateCheck(exported, certificate, trust.sealCertificates ?? []));
  if (certificate) {
    result.demonstration = isDevelopmentSeal(certificate);
    result.seal = {
      certificateNumber: certificateNumberOf(certificate.serialNumber),
      subject: certificate.subject.split("\n").join(", "),
      fingerprint: certificate.fingerprint256,
    };
  }

  if (exported.timestamp) {
    const { check, stamp } = await timestampCheck(
      exported,
      exported.timestamp,
      trust.tsaCertificates ?? [],
    );
    checks.push(check);
    if (stamp) {
      result.timestamp = stamp.tsaName
        ? { genTime: stamp.genTime.toISOString(), tsa: stamp.tsaName }
        : { genTime: stamp.genTime.toISOString() };
    }
  }

  let proofCheckpoint: { checkpoint: Checkpoint; index: number; key: VerifierKey } | undefined;
  if (exported.log) {
    const { check, proof } = logCheck(exported, exported.log, trustedKey);
    checks.push(check);
    if (proof) {
      proofCheckpoint = proof;
      result.log = {
        leafIndex: proof.index,
        treeSize: proof.checkpoint.size,
        root: encodeBase64(proof.checkpoint.root),
      };
    }
  }
  if (trust.checkpoint !== undefined) {
    checks.push(keptCheckpointCheck(exported, trust.checkpoint, proofCheckpoint));
  }

  const failed = checks.filter((c) => c.outcome === "failed");
  const warnings = checks.filter((c) => c.outcome === "warning");
  const folio = exported.acuse.folio;
  // Without the Institute's certificate and log key from a trusted source, a coherent forgery
  // (own certificate, own log) passes every other check: say so instead of «auténtico».
  const unanchored =
    !(trust.sealCertificates && trust.sealCertificates.length > 0) ||
    (exported.log !== undefined && !trustedKey);
  let summary: string;
  const pdfFailed = failed.find((c) => c.id === "firma_pdf");
  if (pdfFailed) {
    summary = notIssuedSummary(pdfFailed);
    return { verdict: "alterado", summary, checks, ...result };
  }
  if (failed.length === 0 && unanchored) {
    summary = `El acuse ${folio} es coherente (sus datos, su sello y sus pruebas concuerdan entre sí), pero no se confirmó que lo emitió el Instituto: compara el certificado del sello y la clave del registro con los que publica el Instituto (opciones --sello-cer y --verificador).`;
    return { verdict: "no_confirmado", summary, checks, ...result };
  }
  if (failed.length > 0) {
    const names = failed.map((c) => lowerFirst(c.title)).join(", ");
    summary = `El acuse ${folio} fue alterado o no lo emitió el Instituto: no pasó ${failed.length === 1 ? "la comprobación" : "las comprobaciones"} de ${names}.`;
  } else if (warnings.length > 0) {
    const names = warnings.map((c) => lowerFirst(c.title)).join(", ");
    summary = `El acuse ${folio} es auténtico e íntegro, con ${warnings.length === 1 ? "una advertencia" : `${warnings.length} advertencias`}: ${names}.`;
  } else {
    summary = `El acuse ${folio} es auténtico e íntegro: sus datos, su sello digital y sus pruebas corresponden a lo que emitió el Instituto.`;
  }
  return { verdict: failed.length > 0 ? "alterado" : "autentico", summary, checks, ...result };
}

/** The headline when the PDF presented is not a file the Institute issued. */
export function notIssuedSummary(pdfCheck: VerificationCheck): string {
  return `El documento presentado no es el que emitió el Instituto. ${pdfCheck.detail} No confíes en lo que muestra; los datos auténticos son los del registro del Instituto.`;
}

/**
 * The answer for a PDF whose signature failed and whose attached data cannot be read either
 * (bytes overwritten in them): altered, with nothing of it to show.
 */
export function alteredUnreadablePdf(pdfCheck: VerificationCheck): AcuseVerification {
  return {
    verdict: "alterado",
    summary: `${notIssuedSummary(pdfCheck).replace(/ No confíes.*$/, "")} Tampoco se pudieron leer los datos sellados que lleva adjuntos.`,
    checks: [pdfCheck],
    demonstration: false,
  };
}

/**
 * The code and QR link are not sealed: they must be what the seal and folio give, and the link
 * must point to the Institute (a forged QR could send people to another site).
 */
function linkCheck(exported: AcuseExport, publicUrl: string | undefined): VerificationCheck {
  const code = verificationCodeOf(exported.seal);
  if (exported.verificationCode !== code) {
    return check(
      "enlace_verificacion",
      "failed",
      `El código de verificación del archivo (${exported.verificationCode}) no es el que da el sello digital (${code}).`,
    );
  }
  const url = exported.verificationUrl;
  const suffix = `/verificacion/${encodeURIComponent(exported.acuse.folio)}?codigo=${encodeURIComponent(code)}`;
  if (!url.endsWith(suffix)) {
    return check(
      "enlace_verificacion",
      "failed",
      `El enlace de verificación (${url}) no corresponde al folio y al código de este acuse.`,
    );
  }
  const origin = url.slice(0, -suffix.length);
  if (publicUrl === undefined) {
    return check(
      "enlace_verificacion",
      "ok",
      `El código corresponde al sello, y el enlace del QR al folio; apunta a ${origin}: comprueba que es la dirección del Instituto.`,
    );
  }
  const expected = publicUrl.replace(/\/+$/, "");
  return origin === expected
    ? check(
        "enlace_verificacion",
        "ok",
        `El código corresponde al sello, y el enlace del QR lleva a la verificación del Instituto (${expected}).`,
      )
    : // Not sealed, and the address may have changed since (a new domain, https): a warning.
      check(
        "enlace_verificacion",
        "warning",
        `El enlace del QR lleva a ${origin}, que no es la dirección actual del Instituto (${expected}): no lo uses; verifica siempre en la dirección del Instituto.`,
      );
}

function check(id: CheckId, outcome: CheckOutcome, detail: string): VerificationCheck {
  return { id, outcome, title: TITLES[id], detail };
}

function readTrustedKey(text: string | undefined): VerifierKey | undefined {
  if (text === undefined) return undefined;
  try {
    return parseVerifierKey(text.trim());
  } catch (error) {
    throw new VerificationInputError(
      "invalid_verifier_key",
      `La clave de verificación del registro que se dio como de confianza no es válida: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The acuse and its cadena.

type ReadAcuse = { acuse: Acuse } | { error: string };

function readAcuse(exported: AcuseExport): ReadAcuse {
  try {
    return { acuse: acuseFromExport(exported.acuse) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

function cadenaCheck(exported: AcuseExport, read: ReadAcuse): VerificationCheck {
  if ("error" in read) return check("cadena", "failed", read.error);
  let expected: string;
  try {
    expected = cadenaOriginal(read.acuse);
  } catch (error) {
    // AcuseError (validateAcuse) says which rule the data break, in Spanish.
    return check("cadena", "failed", `Los datos del acuse no son válidos: ${messageOf(error)}`);
  }
  if (expected === exported.cadenaOriginal) {
    return check(
      "cadena",
      "ok",
      `La cadena original es exactamente la que producen los datos del acuse (versión ${cadenaVersionOf(read.acuse)}).`,
    );
  }
  return check(
    "cadena",
    "failed",
    `La cadena original del archivo no es la que producen los datos del acuse: difieren en ${firstDifference(exported.cadenaOriginal, expected)}.`,
  );
}

/** Names the first field where two cadenas differ, for a person to look at. */
function firstDifference(given: string, expected: string): string {
  const split = (cadena: string) =>
    cadena.startsWith("||") && cadena.endsWith("||") ? cadena.slice(2, -2).split("|") : undefined;
  const a = split(given);
  const b = split(expected);
  if (!a || !b) return "su forma (no empieza y termina con «||»)";
  // The fields are named as the data's version lays them out (the expected cadena's).
  const fields = b[0] === "1" ? CADENA_FIELDS : CADENA_FIELDS_V2;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    if (i < fields.length) return `el campo «${fields[i]}»`;
    const document = Math.floor((i - fields.length) / 3) + 1;
    const field = DOCUMENT_FIELDS[(i - fields.length) % 3];
    return a[i] === undefined || b[i] === undefined
      ? "el número de documentos"
      : `el ${field} del documento ${document}`;
  }
  return "su forma";
}

/**
 * The statement the export carries (ADR 0012) must be, byte for byte, the document of its name
 * the acuse seals: same SHA-256 and size of its UTF-8 bytes. The cadena and seal checks prove
 * the document list; this one ties the text shown to it.
 */
function statementCheck(exported: AcuseExport, statement: ExportedStatement): VerificationCheck {
  const bytes = Buffer.from(statement.text, "utf8");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const sealed = exported.acuse.documents.find((d) => d.name === statement.name);
  if (!sealed) {
    return check(
      "texto_sellado",
      "failed",
      `El acuse no hace constar un documento «${statement.name}»: el texto que acompaña al archivo no es parte de lo sellado.`,
    );
  }
  return sealed.sha256.toLowerCase() === sha256 && sealed.bytes === bytes.length
    ? check(
        "texto_sellado",
        "ok",
        `El texto de «${statement.name}» es exactamente el documento que el acuse hace constar (SHA-256 ${sha256}, ${bytes.length.toLocaleString("es-MX")} bytes).`,
      )
    : check(
        "texto_sellado",
        "failed",
        `El texto de «${statement.name}» no es el que el acuse hace constar: su huella SHA-256 es ${sha256} y la sellada es ${sealed.sha256.toLowerCase()}.`,
      );
}

function verifiedAcuse(exported: AcuseExport): VerifiedAcuse {
  const a = exported.acuse;
  const text = (iso: string) => {
    try {
      return spanishInstant(Temporal.Instant.from(iso), "second");
    } catch {
      return iso;
    }
  };
  return {
    folio: a.folio,
    kind: a.kind,
    kindLabel: KIND_LABELS[a.kind] ?? a.kind,
    rfc: a.parties.rfc,
    actorRfc: a.parties.actorRfc,
    capacity: a.parties.capacity,
    capacityLabel: CAPACITY_LABELS[a.parties.capacity] ?? a.parties.capacity,
    eventAt: a.eventAt,
    countsAt: a.countsAt,
    eventAtText: text(a.eventAt),
    countsAtText: text(a.countsAt),
    rule: a.rule,
    calendarVersion: a.calendarVersion,
    rulesVersion: a.rulesVersion,
    documents: a.documents.map((d) => ({ name: d.name, sha256: d.sha256, bytes: d.bytes })),
    ...(a.habilitacion === undefined
      ? {}
      : { habilitacion: a.habilitacion, habilitacionLabel: HABILITACION_LABELS[a.habilitacion] }),
    ...(exported.statement === undefined
      ? {}
      : { statement: { name: exported.statement.name, text: exported.statement.text } }),
  };
}

// ---------------------------------------------------------------------------------------------
// The seal and its certificate.

function readCertificate(base64: string): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    return undefined;
  }
}

function sealCheck(
  exported: AcuseExport,
  certificate: X509Certificate | undefined,
): VerificationCheck {
  if (!certificate) {
    return check(
      "sello",
      "failed",
      "El certificado del sello que trae el archivo no es un certificado X.509 legible: no se puede comprobar el sello.",
    );
  }
  return verifySealText(certificate, exported.cadenaOriginal, exported.seal)
    ? check(
        "sello",
        "ok",
        "El sello digital es la firma RSA-SHA256 de la cadena original con la llave del certificado del sello.",
      )
    : check(
        "sello",
        "failed",
        "El sello digital no corresponde a la cadena original con ese certificado: la cadena o el sello se modificaron.",
      );
}

function certificateCheck(
  exported: AcuseExport,
  certificate: X509Certificate | undefined,
  trusted: X509Certificate[],
): VerificationCheck {
  if (!certificate) {
    return check(
      "certificado_sello",
      "failed",
      "El archivo no trae un certificado del sello legible.",
    );
  }
  const fingerprint = certificate.fingerprint256;
  const number = certificateNumberOf(certificate.serialNumber);
  if (trusted.length > 0 && !trusted.some((c) => c.fingerprint256 === fingerprint)) {
    return check(
      "certificado_sello",
      "failed",
      `El certificado del sello (número ${number}, huella SHA-256 ${fingerprint}) no es ninguno de los certificados de confianza del Instituto: el acuse no lo selló el Instituto con ellos.`,
    );
  }
  if (exported.sealCertificateNumber !== number) {
    return check(
      "certificado_sello",
      "failed",
      `El archivo dice que el número de certificado es ${exported.sealCertificateNumber}, pero el certificado que trae es el ${number}.`,
    );
  }
  const notValid = validityProblem(exported.acuse.folio, certificate);
  const base =
    trusted.length > 0
      ? `El certificado ${number} (huella SHA-256 ${fingerprint}) es uno de los certificados de confianza del Instituto.`
      : `El certificado ${number} venía dentro del mismo archivo y no se comparó con uno de confianza: compara su huella SHA-256 ${fingerprint} con la que publica el Instituto.`;
  if (notValid) return check("certificado_sello", "warning", `${base} ${notValid}`);
  return check("certificado_sello", trusted.length > 0 ? "ok" : "warning", base);
}

/** A seal made outside its certificate's validity is suspicious, though not proof of tampering. */
function validityProblem(folio: string, certificate: X509Certificate): string | undefined {
  let issued: Temporal.Instant;
  try {
    issued = parseFolio(folio).instant;
  } catch {
    return undefined; // the cadena check already says the folio is wrong
  }
  const from = Temporal.Instant.fromEpochMilliseconds(certificate.validFromDate.getTime());
  const to = Temporal.Instant.fromEpochMilliseconds(certificate.validToDate.getTime());
  if (Temporal.Instant.compare(issued, from) >= 0 && Temporal.Instant.compare(issued, to) <= 0) {
    return undefined;
  }
  return `Ojo: el certificado no estaba vigente cuando se emitió el acuse (${spanishInstant(issued)}); es vigente del ${spanishInstant(from)} al ${spanishInstant(to)}.`;
}

// ---------------------------------------------------------------------------------------------
// The RFC 3161 time-stamp over the seal bytes.

async function timestampCheck(
  exported: AcuseExport,
  timestamp: NonNullable<AcuseExport["timestamp"]>,
  trusted: X509Certificate[],
): Promise<{ check: VerificationCheck; stamp?: Timestamp }> {
  const token = Buffer.from(timestamp.token, "base64");
  const digest = sealDigest(exported.seal);
  const own = trusted.length === 0;
  let anchors = trusted;
  if (own) {
    const read = readTimestampToken(token);
    if (!read) {
      return {
        check: check(
          "sello_tiempo",
          "failed",
          "El sello de tiempo no es válido: no tiene la estructura de RFC 3161.",
        ),
      };
    }
    if (read.certificates.length === 0) {
      // Without the TSA's certificate the signature cannot be checked; the imprint still can.
      return {
        check: read.imprint.equals(digest)
          ? check(
              "sello_tiempo",
              "warning",
              "El sello de tiempo cubre este sello digital, pero no incluye el certificado de la autoridad que lo emitió: para comprobar su firma hace falta ese certificado o el de su autoridad certificadora.",
            )
          : check(
              "sello_tiempo",
              "failed",
              "El sello de tiempo no es válido: el sello de tiempo no corresponde a este documento.",
            ),
      };
    }
    anchors = read.certificates;
  }
  let stamp: Timestamp;
  try {
    stamp = await verifyTimestampToken(token, digest, anchors);
  } catch (error) {
    const reason = error instanceof TsaError ? error.message : messageOf(error);
    return { check: check("sello_tiempo", "failed", reason) };
  }
  const declared = instantOrUndefined(timestamp.genTime);
  if (
    declared === undefined ||
    Math.abs(declared.epochMilliseconds - stamp.genTime.getTime()) >= 1000
  ) {
    return {
      check: check(
        "sello_tiempo",
        "failed",
        `La hora del sello de tiempo que dice el archivo (${timestamp.genTime}) no es la que firmó la autoridad (${stamp.genTime.toISOString()}).`,
      ),
      stamp,
    };
  }
  const when = spanishInstant(Temporal.Instant.fromEpochMilliseconds(stamp.genTime.getTime()));
  const by = stamp.tsaName ? `, emitido por ${stamp.tsaName}` : "";
  return own
    ? {
        check: check(
          "sello_tiempo",
          "warning",
          `El sello digital existía el ${when}${by}; la autoridad de sellado no se comparó con una de confianza (se usó el certificado que trae el propio sello de tiempo).`,
        ),
        stamp,
      }
    : {
        check: check(
          "sello_tiempo",
          "ok",
          `El sello digital existía el ${when}${by}, según una autoridad de sellado de tiempo de confianza.`,
        ),
        stamp,
      };
}

function instantOrUndefined(text: string): Temporal.Instant | undefined {
  try {
    return Temporal.Instant.from(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The log proof and the checkpoint the verifier kept.

function logCheck(
  exported: AcuseExport,
  log: NonNullable<AcuseExport["log"]>,
  trustedKey: VerifierKey | undefined,
): {
  check: VerificationCheck;
  proof?: { checkpoint: Checkpoint; index: number; key: VerifierKey };
} {
  let key: VerifierKey;
  if (trustedKey) {
    key = trustedKey;
  } else {
    try {
      key = parseVerifierKey(log.verifierKey);
    } catch (error) {
      return {
        check: check(
          "registro",
          "failed",
          `La clave del registro que trae el archivo no es válida: ${messageOf(error)}`,
        ),
      };
    }
  }
  let verified: ReturnType<typeof verifyTlogProof>;
  try {
    verified = verifyTlogProof(
      log.proof,
      new Uint8Array(Buffer.from(exported.cadenaOriginal)),
      key,
    );
  } catch (error) {
    const known =
      error instanceof TlogProofError ||
      error instanceof CheckpointError ||
      error instanceof MerkleError;
    return {
      check: check(
        "registro",
        "failed",
        `La prueba de registro no demuestra que este acuse esté en el registro: ${known ? error.message : messageOf(error)}`,
      ),
    };
  }
  const { index, checkpoint } = verified;
  const where = `El acuse está inscrito en el registro público de evidencias: es el número ${(index + 1).toLocaleString("es-MX")} de ${checkpoint.size.toLocaleString("es-MX")}, según un punto de control firmado`;
  const proof = { checkpoint, index, key };
  return trustedKey
    ? {
        check: check("registro", "ok", `${where} con la clave de confianza del registro.`),
        proof,
      }
    : {
        check: check(
          "registro",
          "warning",
          `${where} con la clave que trae el propio archivo (${log.verifierKey}): compárala con la que publica el Instituto.`,
        ),
        proof,
      };
}

function keptCheckpointCheck(
  exported: AcuseExport,
  note: string,
  proof: { checkpoint: Checkpoint; index: number; key: VerifierKey } | undefined,
): VerificationCheck {
  if (!exported.log) {
    return check(
      "punto_de_control",
      "warning",
      "El archivo no trae prueba de registro: no hay con qué comparar tu punto de control.",
    );
  }
  if (!proof) {
    return check(
      "punto_de_control",
      "warning",
      "No se comparó con tu punto de control porque la prueba de registro del archivo no es válida.",
    );
  }
  let kept: Checkpoint;
  try {
    kept = openCheckpoint(note, proof.key);
  } catch (error) {
    return check(
      "punto_de_control",
      "warning",
      `Tu punto de control no se pudo abrir con la clave del registro: ${messageOf(error)}`,
    );
  }
  const ours = proof.checkpoint;
  if (kept.size === ours.size) {
    return encodeBase64(kept.root) === encodeBase64(ours.root)
      ? check(
          "punto_de_control",
          "ok",
          `Tu punto de control y el de la prueba son el mismo: ${leaves(ours.size)} con la misma raíz.`,
        )
      : check(
          "punto_de_control",
          "failed",
          `Tu punto de control y el de la prueba tienen ${leaves(ours.size)} pero raíces distintas: el registro se bifurcó (mostró dos historias distintas), y las dos firmas son de su clave.`,
        );
  }
  const path = tlogProofPath(exported.acuse.folio, kept.size, exported.verificationCode);
  if (kept.size <= proof.index) {
    return check(
      "punto_de_control",
      "warning",
      `Tu punto de control (${leaves(kept.size)}) es anterior a este acuse (el número ${(proof.index + 1).toLocaleString("es-MX")} del registro) y no lo puede contener: guarda uno más reciente, de N hojas, y pide la prueba del acuse contra él con GET ${tlogProofPath(exported.acuse.folio, 0, exported.verificationCode).replace(/0$/, "N")}.`,
    );
  }
  return check(
    "punto_de_control",
    "warning",
    `Tu punto de control es de ${leaves(kept.size)} y el de la prueba de ${leaves(ours.size)}: para compararlos pide la prueba del acuse contra tu punto de control con GET ${path} y verifícala con él.`,
  );
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** «1 hoja», «2 hojas». */
function leaves(n: number): string {
  return `${n.toLocaleString("es-MX")} ${n === 1 ? "hoja" : "hojas"}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
