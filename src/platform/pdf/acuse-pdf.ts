/**
 * The PDF a person keeps for each acuse (issue 4 §3): Letter size, in Spanish, with the data,
 * the documents and their SHA-256, the cadena original, the sello digital, the Institute's
 * certificate number and a QR code that opens the public verification page.
 *
 * Only pdfkit's standard fonts (Helvetica, Courier) are used: they are not embedded and use
 * WinAnsi, which covers á é í ó ú ñ Ñ ü ¿ ¡ « » —. A character outside WinAnsi (in a file name,
 * say) cannot be drawn by them; the exact name stays in the attached `acuse.json`.
 *
 * It carries, as attachments, everything needed to verify it offline with `buzon verify` or
 * with OpenSSL alone: `acuse.json` (the export, src/domain/evidence/acuse-export.ts), the
 * cadena original, the detached CMS of the seal and the seal certificate, the raw seal bytes,
 * the RFC 3161 token over them (if any) and the log proof (if any).
 *
 * The Institute seals the whole file with a PAdES signature (pades.ts): any change to any byte,
 * visible text or attachment, breaks it in every PDF reader and in our verification. An acuse
 * sealed with the development seal carries a «DEMOSTRACIÓN — sin validez oficial» band on every
 * page.
 *
 * Same input, same bytes: the Info dictionary's CreationDate and ModDate and the signature's /M
 * are the instant of the folio (when the acuse was issued), the file ID pdfkit derives from them
 * is therefore fixed, the attachments carry the same dates, and the RSA PKCS#1 v1.5 signature is
 * deterministic. A signature time-stamp is the one exception the caller controls: the
 * timestamper must give the same token for the same signature (it is kept, not re-requested).
 */
import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { internalError } from "../../domain/errors.ts";
import {
  type AcuseKind,
  AT_EVENT_RULE,
  type Capacity,
  cadenaOriginal as computeCadena,
  type Habilitacion,
} from "../../domain/evidence/acuse.ts";
import { type AcuseExport, acuseFromExport } from "../../domain/evidence/acuse-export.ts";
import { parseCheckpointBody, parseSignedNote } from "../../domain/evidence/checkpoint.ts";
import { parseFolio } from "../../domain/evidence/folio.ts";
import { parseTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { statementLines } from "../../domain/mailbox/statement.ts";
import { RULES } from "../../domain/plazos/rules.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import { detachedCms, type InstituteSeal, isDevelopmentSeal } from "../crypto/seal.ts";
import { addPadesPlaceholder, type SignatureTimestamper, signPdf } from "./pades.ts";

export interface AcusePdfInput {
  /** The acuse as exported; its cadena must be exactly `cadenaOriginal` of its data. */
  export: AcuseExport;
  /** The seal that signs the PDF (PAdES): the Institute's current one. */
  seal: InstituteSeal;
  /** A time-stamp over the PDF signature's value (PAdES B-T), when a TSA is configured. */
  timestamper?: SignatureTimestamper;
}

/** The band printed on every page of an acuse sealed with the development seal. */
export const DEMO_BAND = "DEMOSTRACIÓN — sin validez oficial";

/** Names of the files attached to the PDF. */
export const ACUSE_PDF_FILES = {
  export: "acuse.json",
  cadena: "cadena-original.txt",
  cms: "sello.p7s",
  certificate: "sello.pem",
  sealBytes: "sello-digital.bin",
  timestamp: "sello-tiempo.tsr",
  logProof: "acuse.tlog-proof",
} as const;

export const KIND_LABELS: Record<AcuseKind, string> = {
  registro_medios_contacto: "Registro de medios de contacto",
  validacion_medios_contacto: "Validación de medios de contacto",
  firma_terminos: "Firma de términos y condiciones",
  apertura_notificacion: "Apertura de notificación",
  constancia_cuarto_dia: "Constancia de notificación al cuarto día hábil",
  promocion: "Presentación de promoción",
  autorizacion_32d: "Autorización de consulta de la opinión de cumplimiento (art. 32-D CFF)",
  revocacion_32d: "Revocación de la autorización de consulta (art. 32-D CFF)",
  publicacion_estrados: "Publicación en los estrados electrónicos (art. 139 CFF)",
  retiro_estrados:
    "Fin de la publicación en los estrados electrónicos y notificación (art. 139 CFF)",
  aviso_notificacion: "Aviso de notificación en el Buzón IMSS (Lineamientos 7.3)",
  acceso_posterior_notificacion:
    "Acceso a un documento ya notificado (no cambia la fecha de notificación, Lineamientos 7.5)",
  cancelacion_notificacion: "Cancelación de un acto antes de su notificación",
};

export const CAPACITY_LABELS: Record<Capacity, string> = {
  titular: "titular",
  representante_legal: "representante legal",
  persona_designada: "persona designada",
  servidor_publico: "servidor público",
  sistema: "sistema del Instituto",
};

/**
 * How the party's mailbox was enabled when the act happened, as a version-2 acuse states it
 * (ADR 0011): said in full, with its legal basis, on the PDF and the verification pages.
 */
export const HABILITACION_LABELS: Record<Habilitacion, string> = {
  lineamientos_2020: "Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)",
  activacion:
    "Buzón habilitado por su activación: medios de contacto validados y Términos y Condiciones firmados (numerales 5.1 a 5.3)",
};

/** The heading of the statement's section, by the kind of acuse that seals it. */
const STATEMENT_TITLES: Partial<Record<AcuseKind, string>> = {
  registro_medios_contacto: "Lo que se registró",
  validacion_medios_contacto: "Lo que se validó",
  constancia_cuarto_dia: "Lo que hace constar",
  aviso_notificacion: "Lo que hace constar",
};

/**
 * Why the act counts at that instant, in plain Spanish with its legal basis. The rule's id
 * (e.g. `recepcion_promocion`) is a technical detail, shown apart.
 */
export function ruleLabel(rule: string): string {
  if (rule === AT_EVENT_RULE) return "Se tiene por realizado en el instante en que ocurrió.";
  const known = (RULES as Record<string, { basis: string; summary: string } | undefined>)[rule];
  return known ? `${known.summary} (${known.basis})` : rule;
}

/** Where the acuse stands in the public log, in plain words (its leaf index counts from 0). */
export function logPositionText(index: number, size: number): string {
  return `Inscrito en el registro público de evidencias del Instituto: es el número ${(index + 1).toLocaleString("es-MX")} de ${size.toLocaleString("es-MX")} ${size === 1 ? "inscrito" : "inscritos"} cuando se emitió la prueba.`;
}

const GUINDA = "#611232";
const DORADO = "#BC955C";
const GRIS = "#545454";
const LINEA = "#D5D5D5";
const MARGIN = 48;
const LABEL_WIDTH = 170;
const MONO_SIZE = 7;
/** Courier advances 0.6 em per glyph. */
const MONO_ADVANCE = 0.6;
const QR_SIZE = 112;

export async function renderAcusePdf({
  export: exported,
  seal,
  timestamper,
}: AcusePdfInput): Promise<Buffer> {
  const acuse = acuseFromExport(exported.acuse);
  if (computeCadena(acuse) !== exported.cadenaOriginal) {
    throw internalError("La cadena original no corresponde a los datos del acuse.");
  }
  const issued = new Date(parseFolio(acuse.folio).instant.epochMilliseconds);
  const qr = await QRCode.toBuffer(exported.verificationUrl, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 2,
    scale: 6,
  });

  const doc = new PDFDocument({
    size: "LETTER",
    margin: MARGIN,
    lang: "es-MX",
    displayTitle: true,
    info: {
      Title: `Acuse de recibo electrónico ${acuse.folio}`,
      Author: "Instituto Mexicano del Seguro Social",
      Subject: `Buzón IMSS: ${KIND_LABELS[acuse.kind]}, folio ${acuse.folio}`,
      Keywords: `Buzón IMSS; acuse; ${acuse.folio}; ${ACUSE_PDF_FILES.export}`,
      Creator: "Buzón IMSS",
      Producer: "Buzón IMSS (pdfkit)",
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const demo = isDevelopmentSeal(
    new X509Certificate(Buffer.from(exported.sealCertificate, "base64")),
  );
  if (demo) {
    demoBand(doc);
    doc.on("pageAdded", () => demoBand(doc));
  }

  for (const file of attachments(exported)) {
    doc.file(file.content, {
      name: file.name,
      type: file.type,
      description: file.description,
      creationDate: issued,
      modifiedDate: issued,
    });
  }

  const width = doc.page.width - 2 * MARGIN;

  // Header band, gob.mx-like: guinda with a golden rule under it.
  doc.rect(0, 0, doc.page.width, 64).fill(GUINDA);
  doc.rect(0, 64, doc.page.width, 3).fill(DORADO);
  doc
    .fillColor("white")
    .font("Helvetica-Bold")
    .fontSize(17)
    .text("Buzón IMSS — Acuse de recibo electrónico", MARGIN, 18, { width, lineBreak: false });
  doc
    .font("Helvetica")
    .fontSize(9)
    .text("Instituto Mexicano del Seguro Social", MARGIN, 41, { width, lineBreak: false });

  // Folio, big.
  doc.y = 88;
  doc.fillColor(GRIS).font("Helvetica").fontSize(9).text("Folio", MARGIN, doc.y, { width });
  doc.fillColor("black").font("Helvetica-Bold").fontSize(24).text(acuse.folio, { width });
  doc.moveDown(0.5);

  section(doc, "Datos del acuse", width);
  const actor = `${acuse.parties.actorRfc}, en su carácter de ${CAPACITY_LABELS[acuse.parties.capacity]}`;
  const rows: [string, string][] = [
    ["Tipo de acuse", KIND_LABELS[acuse.kind]],
    ["RFC del titular del buzón", acuse.parties.rfc],
    ["Quién actuó y en qué carácter", actor],
    ["Fecha y hora del evento", spanishInstant(acuse.eventAt)],
    // countsAt is the legal instant of the act (Lineamientos 6.3, 7.2), not when it takes effect (CFF 135).
    ["Momento en que se tiene por realizado", spanishInstant(acuse.countsAt)],
    ["Por qué en ese momento", ruleLabel(acuse.rule)],
  ];
  if (acuse.habilitacion !== undefined) {
    rows.push(["Habilitación del buzón", HABILITACION_LABELS[acuse.habilitacion]]);
  }
  for (const [label, value] of rows) row(doc, label, value, width);
  doc.moveDown(0.6);

  // Only acuses that seal a statement (ADR 0012) get this section: the others keep their bytes.
  if (exported.statement) {
    section(doc, STATEMENT_TITLES[acuse.kind] ?? "Texto sellado", width);
    for (const line of statementLines(exported.statement.text).lines) {
      const colon = line.indexOf(": ");
      if (colon > 0) row(doc, line.slice(0, colon), line.slice(colon + 2), width);
      else row(doc, "", line, width);
    }
    doc
      .fillColor(GRIS)
      .font("Helvetica")
      .fontSize(8)
      .text(
        `Este texto es el documento «${exported.statement.name}» que el acuse hace constar (va adjunto a este PDF): su huella SHA-256 está en la lista de documentos y en la cadena original.`,
        MARGIN,
        doc.y,
        { width },
      );
    doc.moveDown(0.6);
  }

  section(doc, "Documentos", width);
  if (acuse.documents.length === 0) {
    doc
      .fillColor(GRIS)
      .font("Helvetica")
      .fontSize(9)
      .text("Este acuse no hace constar documentos.", {
        width,
      });
  }
  acuse.documents.forEach((d, i) => {
    ensureSpace(doc, 30);
    doc
      .fillColor("black")
      .font("Helvetica-Bold")
      .fontSize(9)
      .text(`${i + 1}. ${d.name}`, MARGIN, doc.y, { width, continued: true })
      .font("Helvetica")
      .fillColor(GRIS)
      .text(`  (${d.bytes.toLocaleString("es-MX")} bytes)`);
    doc
      .fillColor("black")
      .font("Courier")
      .fontSize(MONO_SIZE + 1)
      .text(`SHA-256: ${d.sha256.toLowerCase()}`, MARGIN + 12, doc.y, { width: width - 12 });
    doc.moveDown(0.3);
  });
  doc.moveDown(0.4);

  // QR code with the verification URL beside and under it.
  ensureSpace(doc, QR_SIZE + 30);
  section(doc, "Verificación", width);
  const top = doc.y;
  doc.image(qr, MARGIN, top, { width: QR_SIZE, height: QR_SIZE });
  const textX = MARGIN + QR_SIZE + 16;
  doc
    .fillColor("black")
    .font("Helvetica")
    .fontSize(9)
    .text(
      "Escanea el código QR o visita la dirección siguiente para verificar que este acuse es auténtico e íntegro. También puedes subir este PDF en la página «Verificación de documentos». El Instituto firma electrónicamente todo este archivo: si se modifica, aunque sea una letra, la firma deja de ser válida.",
      textX,
      top + 4,
      { width: width - QR_SIZE - 16 },
    );
  doc.moveDown(0.6);
  doc
    .fillColor(GRIS)
    .fontSize(9)
    .text("Código de verificación", textX, doc.y, { width: width - QR_SIZE - 16 });
  doc
    .fillColor("black")
    .font("Courier-Bold")
    .fontSize(14)
    .text(exported.verificationCode, textX, doc.y, { width: width - QR_SIZE - 16 });
  doc.y = top + QR_SIZE + 4;
  doc
    .fillColor(GUINDA)
    .font("Courier")
    .fontSize(MONO_SIZE + 1)
    .text(exported.verificationUrl, MARGIN, doc.y, {
      width,
      link: exported.verificationUrl,
    });
  doc.moveDown(1);
  ensureSpace(doc, 30);
  doc
    .fillColor(GRIS)
    .font("Helvetica")
    .fontSize(7.5)
    .text(
      "Salvo prueba en contrario, se presume que la actuación se realizó en la fecha y hora que este acuse indica (Lineamientos 6.1). Hora legal: Zona Centro de México. Acuses y notificaciones se pueden consultar e imprimir durante 5 años.",
      MARGIN,
      doc.y,
      { width },
    );

  doc.moveDown(1);
  section(doc, "Detalles técnicos", width);
  row(doc, "Regla aplicada (identificador)", acuse.rule, width);
  row(doc, "Calendario de días inhábiles", acuse.calendarVersion, width);
  row(doc, "Versión de las reglas", acuse.rulesVersion, width);
  doc.moveDown(0.4);
  subsection(doc, "Cadena original", width);
  mono(doc, exported.cadenaOriginal, width);
  doc.y += 10;

  subsection(doc, "Sello digital del Instituto (RSA-SHA256, base64)", width);
  mono(doc, exported.seal, width);
  doc.y += 6;
  row(doc, "Número de certificado del sello", exported.sealCertificateNumber, width);
  if (exported.timestamp) {
    row(
      doc,
      "Sello de tiempo (RFC 3161)",
      `${spanishInstant(Temporal.Instant.from(exported.timestamp.genTime))}, sobre el sello digital`,
      width,
    );
  }
  if (exported.log) {
    const proof = parseTlogProof(exported.log.proof);
    const { size } = parseCheckpointBody(parseSignedNote(proof.checkpoint).text);
    row(
      doc,
      "Registro público de evidencias",
      `${logPositionText(proof.index, size)} Prueba de inclusión: hoja ${proof.index} (índice desde 0) de un árbol de Merkle de ${size} hojas, con su punto de control firmado (archivo adjunto ${ACUSE_PDF_FILES.logProof}).`,
      width,
    );
  }
  row(
    doc,
    "Firma electrónica del PDF",
    "PAdES (ETSI.CAdES.detached) con el sello del Instituto sobre todo el archivo: cualquier cambio la rompe. Compruébala con Adobe Reader (panel de firmas) o con pdfsig de Poppler.",
    width,
  );
  doc.moveDown(0.4);

  doc.moveDown(0.6);
  ensureSpace(doc, 40);
  doc
    .fillColor(GRIS)
    .font("Helvetica")
    .fontSize(7.5)
    .text(
      `Archivos adjuntos a este PDF: ${attachments(exported)
        .map((f) => f.name)
        .join(
          ", ",
        )}. Con ellos cualquiera comprueba el sello sin nuestro sistema, por ejemplo: openssl cms -verify -binary -inform DER -in sello.p7s -content cadena-original.txt -CAfile sello.pem -purpose any`,
      MARGIN,
      doc.y,
      { width },
    );

  addPadesPlaceholder(doc, {
    name: "Instituto Mexicano del Seguro Social",
    reason: `Acuse de recibo electrónico ${acuse.folio}`,
    location: "México",
    contactInfo: exported.verificationUrl,
    signingTime: issued,
  });
  doc.end();
  return signPdf(await done, seal, timestamper);
}

interface Attachment {
  name: string;
  type: string;
  description: string;
  content: Buffer;
}

/** The files attached to the PDF, in a fixed order. */
function attachments(exported: AcuseExport): Attachment[] {
  const folio = exported.acuse.folio;
  const certificateDer = Buffer.from(exported.sealCertificate, "base64");
  const files: Attachment[] = [
    {
      name: ACUSE_PDF_FILES.export,
      type: "application/json",
      description: `Datos del acuse ${folio} para verificarlo (buzon verify)`,
      content: Buffer.from(`${JSON.stringify(exported, null, 2)}\n`, "utf8"),
    },
    {
      name: ACUSE_PDF_FILES.cadena,
      type: "text/plain",
      description: "Cadena original sellada (UTF-8, sin salto de línea final)",
      content: Buffer.from(exported.cadenaOriginal, "utf8"),
    },
    {
      name: ACUSE_PDF_FILES.cms,
      type: "application/pkcs7-signature",
      description: "Sello digital como firma CMS desprendida sobre la cadena original",
      content: detachedCms(certificateDer, exported.seal),
    },
    {
      name: ACUSE_PDF_FILES.certificate,
      type: "application/x-pem-file",
      description: "Certificado del sello digital del Instituto",
      content: Buffer.from(new X509Certificate(certificateDer).toString(), "utf8"),
    },
    {
      name: ACUSE_PDF_FILES.sealBytes,
      type: "application/octet-stream",
      description: "Sello digital en binario (lo que cubre el sello de tiempo)",
      content: Buffer.from(exported.seal, "base64"),
    },
  ];
  if (exported.timestamp) {
    files.push({
      name: ACUSE_PDF_FILES.timestamp,
      type: "application/timestamp-reply",
      description: "Sello de tiempo RFC 3161 (TimeStampToken) sobre el sello digital",
      content: Buffer.from(exported.timestamp.token, "base64"),
    });
  }
  if (exported.log) {
    files.push({
      name: ACUSE_PDF_FILES.logProof,
      type: "text/plain",
      description: "Prueba de inclusión en el registro público (c2sp.org/tlog-proof)",
      content: Buffer.from(exported.log.proof, "utf8"),
    });
  }
  if (exported.statement) {
    files.push({
      name: exported.statement.name,
      type: "text/plain",
      description:
        "Lo que el acuse hace constar, tal cual (su SHA-256 es la del documento sellado)",
      content: Buffer.from(exported.statement.text, "utf8"),
    });
  }
  return files;
}

function section(doc: PDFKit.PDFDocument, title: string, width: number): void {
  ensureSpace(doc, 40);
  doc.fillColor(GUINDA).font("Helvetica-Bold").fontSize(11).text(title, MARGIN, doc.y, { width });
  const y = doc.y + 1;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + width, y)
    .lineWidth(0.75)
    .strokeColor(DORADO)
    .stroke();
  doc.y = y + 5;
}

function subsection(doc: PDFKit.PDFDocument, title: string, width: number): void {
  ensureSpace(doc, 30);
  doc.fillColor(GUINDA).font("Helvetica-Bold").fontSize(9).text(title, MARGIN, doc.y, { width });
  doc.y += 2;
}

/**
 * The demonstration band at the foot of the page, drawn in the bottom margin (which is lifted
 * while drawing, or pdfkit would start a new page) without moving the text cursor.
 */
function demoBand(doc: PDFKit.PDFDocument): void {
  const { x, y } = doc;
  // pdfkit keeps the current font outside the PDF graphics state that save/restore cover.
  const state = doc as unknown as { _font: unknown; _fontSize: number };
  const font = state._font;
  const fontSize = state._fontSize;
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const top = doc.page.height - 34;
  doc.save();
  doc.rect(0, top, doc.page.width, 24).fill("#B00020");
  doc
    .fillColor("white")
    .font("Helvetica-Bold")
    .fontSize(11)
    .text(DEMO_BAND, 0, top + 7, {
      width: doc.page.width,
      align: "center",
      lineBreak: false,
    });
  doc.restore();
  state._font = font;
  doc.fontSize(fontSize);
  doc.page.margins.bottom = bottom;
  doc.x = x;
  doc.y = y;
}

/** A two-column table row: label on the left, value wrapped on the right, thin rule under. */
function row(doc: PDFKit.PDFDocument, label: string, value: string, width: number): void {
  doc.font("Helvetica").fontSize(9);
  const valueWidth = width - LABEL_WIDTH;
  const height = Math.max(
    doc.heightOfString(label, { width: LABEL_WIDTH - 8 }),
    doc.heightOfString(value, { width: valueWidth }),
  );
  ensureSpace(doc, height + 6);
  const top = doc.y;
  doc.fillColor(GRIS).text(label, MARGIN, top, { width: LABEL_WIDTH - 8 });
  doc.fillColor("black").text(value, MARGIN + LABEL_WIDTH, top, { width: valueWidth });
  const bottom = top + height + 3;
  doc
    .moveTo(MARGIN, bottom)
    .lineTo(MARGIN + width, bottom)
    .lineWidth(0.5)
    .strokeColor(LINEA)
    .stroke();
  doc.x = MARGIN;
  doc.y = bottom + 4;
}

/**
 * Long unbroken text (base64, the cadena) in Courier, cut into lines that fit exactly: pdfkit
 * would otherwise break only at spaces. Code points, not UTF-16 units, so nothing is split.
 */
function mono(doc: PDFKit.PDFDocument, text: string, width: number): void {
  const perLine = Math.floor(width / (MONO_SIZE * MONO_ADVANCE)) - 1;
  const chars = Array.from(text);
  doc.fillColor("black").font("Courier").fontSize(MONO_SIZE);
  for (let i = 0; i < chars.length; i += perLine) {
    const line = chars.slice(i, i + perLine).join("");
    ensureSpace(doc, MONO_SIZE * 1.3);
    doc.text(line, MARGIN, doc.y, { width, lineBreak: false });
  }
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}
