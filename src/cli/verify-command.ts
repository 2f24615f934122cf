import type { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import {
  type AcuseExport,
  AcuseExportError,
  parseAcuseExport,
} from "../domain/evidence/acuse-export.ts";
import { parseVerifierKey } from "../domain/evidence/checkpoint.ts";
import { statementLines } from "../domain/mailbox/statement.ts";
import { spanishInstant } from "../domain/time/zona-centro.ts";
import {
  alteredUnreadablePdf,
  type OfflineTrust,
  verifyAcuseExport,
} from "../features/verification/offline.ts";
import { pdfSignatureCheck } from "../features/verification/pdf-signature.ts";
import type { AcuseVerification, CheckOutcome } from "../features/verification/types.ts";
import { logPositionText, ruleLabel } from "../platform/pdf/acuse-pdf.ts";
import {
  looksLikePdf,
  MAX_PDF_BYTES,
  PdfReadError,
  readAcuseFromPdf,
} from "../platform/pdf/read-attachments.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/** Certificates, keys and checkpoints are small: anything larger is not one. */
const MAX_TRUST_FILE_BYTES = 256 * 1024;

const MARKS: Record<CheckOutcome, string> = { ok: "✔", failed: "✖", warning: "⚠" };

/**
 * `buzon verify <archivo> [--sello-cer F] [--verificador K|F] [--punto-de-control F]
 * [--tsa-cer F] [--json]`: verifies an acuse offline, from its PDF (the attached acuse.json) or
 * its JSON export. Exit 0 authentic, 1 altered, 2 bad usage or unreadable file.
 */
export async function verifyCommand(args: string[], parse: ArgsParser): Promise<number> {
  const { values, positionals } = parse(args, {
    "sello-cer": { type: "string" },
    verificador: { type: "string" },
    "punto-de-control": { type: "string" },
    "tsa-cer": { type: "string" },
    json: { type: "boolean" },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) {
    throw new UsageError("Falta el archivo del acuse: buzon verify <acuse.pdf | acuse.json>.");
  }
  if (extra.length > 0) throw new UsageError(`Argumento inesperado: «${extra[0]}».`);

  const trust: OfflineTrust = {};
  if (values["sello-cer"] !== undefined) {
    trust.sealCertificates = await readCertificates(values["sello-cer"], "--sello-cer");
  }
  if (values["tsa-cer"] !== undefined) {
    trust.tsaCertificates = await readCertificates(values["tsa-cer"], "--tsa-cer");
  }
  if (values.verificador !== undefined) {
    trust.logVerifierKey = await readVerifierKey(values.verificador);
  }
  if (values["punto-de-control"] !== undefined) {
    const bytes = await readArgFile(
      values["punto-de-control"],
      "punto de control",
      MAX_TRUST_FILE_BYTES,
    );
    trust.checkpoint = bytes.toString("utf8");
  }

  const read = await readExport(file, trust);
  const result = "verdict" in read ? read : await verifyAcuseExport(read.exported, trust, read.pdf);
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : formatForPeople(result),
  );
  return EXIT_CODES[result.verdict];
}

/**
 * The export inside a PDF (attachment acuse.json, with the PDF itself, whose own signature is
 * checked too) or a JSON export, refused in Spanish. A signed PDF whose attachments cannot be
 * read (bytes overwritten in them) is already an answer: altered.
 */
async function readExport(
  path: string,
  trust: OfflineTrust,
): Promise<{ exported: AcuseExport; pdf?: Uint8Array } | AcuseVerification> {
  const bytes = await readArgFile(path, "acuse", MAX_PDF_BYTES);
  if (looksLikePdf(bytes)) {
    const pdf = new Uint8Array(bytes);
    try {
      return { exported: await readAcuseFromPdf(pdf), pdf };
    } catch (error) {
      const unreadable = !(error instanceof PdfReadError) || error.code === "no_acuse_attachment";
      if (unreadable && bytes.includes("/ByteRange")) {
        const signature = await pdfSignatureCheck(
          pdf,
          trust.sealCertificates ?? [],
          trust.tsaCertificates ?? [],
        );
        if (signature.outcome === "failed") return alteredUnreadablePdf(signature);
      }
      // Both say what is wrong with the file in Spanish (the attachment's problem, for an export).
      if (error instanceof PdfReadError || error instanceof AcuseExportError) {
        throw new UsageError(`${path}: ${error.detail}`);
      }
      throw error;
    }
  }
  try {
    let json: unknown;
    try {
      json = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""),
      );
    } catch {
      throw new UsageError(
        `${path} no es un PDF ni un acuse exportado en JSON (buzon-imss-acuse/1).`,
      );
    }
    return { exported: parseAcuseExport(json) };
  } catch (error) {
    if (error instanceof AcuseExportError) {
      throw new UsageError(`${path} no es un acuse exportado válido: ${error.message}`);
    }
    throw error;
  }
}

/** One certificate or several (a PEM bundle), PEM or DER. */
async function readCertificates(path: string, option: string): Promise<X509Certificate[]> {
  const bytes = await readArgFile(path, "certificado", MAX_TRUST_FILE_BYTES);
  const text = bytes.toString("latin1");
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    return pems ? pems.map((pem) => new X509Certificate(pem)) : [new X509Certificate(bytes)];
  } catch {
    throw new UsageError(`${path} (${option}) no es un certificado X.509 en PEM o DER.`);
  }
}

/** `--verificador`: the key itself (`origen+id+clave`) or a file that contains it. */
async function readVerifierKey(value: string): Promise<string> {
  let text = value.trim();
  const isFile = await stat(value).then(
    (info) => info.isFile(),
    () => false,
  );
  if (isFile) {
    text = (await readArgFile(value, "clave de verificación", MAX_TRUST_FILE_BYTES))
      .toString("utf8")
      .trim();
  }
  try {
    parseVerifierKey(text);
  } catch (error) {
    throw new UsageError(
      `--verificador no es una clave de verificación del registro (origen+id+clave) ni un archivo que la contenga: ${(error as Error).message}`,
    );
  }
  return text;
}

/** Reads a file named on the command line, refusing what cannot be one (a device, a huge file). */
async function readArgFile(path: string, what: string, maxBytes: number): Promise<Buffer> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`No se pudo leer el archivo de ${what}: ${path}`);
  }
  if (!info.isFile()) throw new UsageError(`${path} no es un archivo de ${what}.`);
  if (info.size > maxBytes) {
    throw new UsageError(
      `${path} mide ${info.size.toLocaleString("es-MX")} bytes: es demasiado grande para un archivo de ${what}.`,
    );
  }
  try {
    return await readFile(path);
  } catch {
    throw new UsageError(`No se pudo leer el archivo de ${what}: ${path}`);
  }
}

/** 0 authentic, 1 altered, 3 coherent but not anchored to trusted sources (2: unreadable input). */
const EXIT_CODES: Record<AcuseVerification["verdict"], number> = {
  autentico: 0,
  alterado: 1,
  no_encontrado: 1,
  no_confirmado: 3,
};

const HEADLINES: Record<AcuseVerification["verdict"], string> = {
  autentico: "AUTÉNTICO",
  alterado: "ALTERADO",
  no_encontrado: "NO ENCONTRADO",
  no_confirmado: "SIN CONFIRMAR",
};

/** People's text for the demonstration flag (web, PDF and here say the same). */
export const DEMO_NOTICE =
  "DEMOSTRACIÓN — sin validez oficial: este acuse lo selló el sello de desarrollo de un sistema de prueba.";

/**
 * The verdict first, then the acuse's data in plain Spanish, the technical details apart, then
 * one line per check. When the file is altered its data are labelled as the file's, untrusted.
 */
export function formatForPeople(result: AcuseVerification): string {
  const lines: string[] = [];
  lines.push(`${HEADLINES[result.verdict]}: ${result.summary}`, "");
  if (result.demonstration) lines.push(DEMO_NOTICE, "");
  const a = result.acuse;
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) lines.push(`  ${`${label}:`.padEnd(width + 2)}${value}`);
  };
  if (a) {
    lines.push(
      result.verdict === "alterado"
        ? "Lo que dicen los datos que trae el archivo (no confíes en ellos):"
        : "Datos del acuse:",
    );
    const rows: [string, string][] = [
      ["Folio", a.folio],
      ["Tipo de acuse", a.kindLabel],
      ["RFC del titular del buzón", a.rfc],
      ["Quién actuó", `${a.actorRfc}, en su carácter de ${a.capacityLabel}`],
      ["Fecha y hora del evento", a.eventAtText],
      ["Se tiene por realizado", a.countsAtText],
      ["Por qué en ese momento", ruleLabel(a.rule)],
    ];
    if (a.habilitacionLabel) rows.push(["Habilitación del buzón", a.habilitacionLabel]);
    if (result.log) {
      rows.push(["Registro público", logPositionText(result.log.leafIndex, result.log.treeSize)]);
    }
    table(rows);
    if (a.statement) {
      // What a means acuse sealed (ADR 0012), as kept; «texto_sellado» says whether it is.
      lines.push(`  ${statementTitle(a.kind)} (${a.statement.name}):`);
      for (const line of statementLines(a.statement.text).lines) lines.push(`    ${line}`);
    }
    lines.push(a.documents.length === 0 ? "  Documentos: ninguno" : "  Documentos:");
    a.documents.forEach((d, i) => {
      lines.push(`    ${i + 1}. ${d.name} (${d.bytes.toLocaleString("es-MX")} bytes)`);
      lines.push(`       SHA-256: ${d.sha256}`);
    });
    lines.push("");
  }
  const technical: [string, string][] = [];
  if (a) {
    technical.push(
      ["Regla (identificador)", a.rule],
      ["Calendario", a.calendarVersion],
      ["Versión de las reglas", a.rulesVersion],
    );
  }
  if (result.seal) {
    technical.push(
      ["Certificado del sello", result.seal.certificateNumber],
      ["Huella SHA-256", result.seal.fingerprint],
    );
  }
  if (result.timestamp) {
    const when = spanishInstant(Temporal.Instant.from(result.timestamp.genTime));
    technical.push([
      "Sello de tiempo",
      `${when}${result.timestamp.tsa ? `, por ${result.timestamp.tsa}` : ""}`,
    ]);
  }
  if (result.log) {
    technical.push([
      "Registro",
      `hoja ${result.log.leafIndex} (índice desde 0) de un árbol de ${result.log.treeSize} ${result.log.treeSize === 1 ? "hoja" : "hojas"}; raíz (base64) ${result.log.root}`,
    ]);
  }
  if (technical.length > 0) {
    lines.push("Detalles técnicos:");
    table(technical);
    lines.push("");
  }
  lines.push("Comprobaciones:");
  for (const c of result.checks) lines.push(`  ${MARKS[c.outcome]} ${c.title}: ${c.detail}`);
  return `${lines.join("\n")}\n`;
}

function statementTitle(kind: string): string {
  if (kind === "registro_medios_contacto") return "Lo que se registró";
  if (kind === "validacion_medios_contacto") return "Lo que se validó";
  return "Texto sellado";
}
