/**
 * The PDF a person keeps for each acuse (issue 4 §3): Letter size, in Spanish, with the data,
 * the documents and their SHA-256, the cadena original, the sello digital, the Institute's
 * certificate number and a QR code that opens the public verification page.
 *
 * Only pdfkit's standard fonts (Helvetica, Courier) are used: they are not embedded and use
 * WinAnsi, which covers á é í ó ú ñ Ñ ü ¿ ¡ « » —. A character outside WinAnsi (in a file name,
 * say) cannot be drawn by them; the exact name stays in the attached `acuse.json`.
 *
 * Same input, same bytes: the Info dictionary's CreationDate and ModDate are `issuedAt`, the
 * file ID pdfkit derives from them is therefore fixed, and the attachment carries the same dates.
 */
import { Buffer } from "node:buffer";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import {
  type Acuse,
  type AcuseKind,
  AT_EVENT_RULE,
  type Capacity,
  cadenaInstant,
  cadenaOriginal as computeCadena,
} from "../../domain/evidence/acuse.ts";
import { RULES } from "../../domain/plazos/rules.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";

export interface AcusePdfInput {
  acuse: Acuse;
  /** Must be exactly `cadenaOriginal(acuse)`; a mismatch is refused. */
  cadenaOriginal: string;
  /** The sello digital, base64 (see `sealText`). */
  seal: string;
  sealCertificateNumber: string;
  /** Public verification page for this folio; the QR code encodes it. */
  verificationUrl: string;
  /** When the PDF is issued; written as CreationDate and ModDate. */
  issuedAt: Temporal.Instant;
}

/** Name of the embedded file that `buzon verify` reads back. */
export const ACUSE_ATTACHMENT_NAME = "acuse.json";
/** `format` field of the embedded JSON. */
export const ACUSE_ATTACHMENT_FORMAT = "buzon-imss-acuse/1";

export const KIND_LABELS: Record<AcuseKind, string> = {
  registro_medios_contacto: "Registro de medios de contacto",
  validacion_medios_contacto: "Validación de medios de contacto",
  firma_terminos: "Firma de términos y condiciones",
  apertura_notificacion: "Apertura de notificación",
  constancia_cuarto_dia: "Constancia de notificación al cuarto día hábil",
  promocion: "Presentación de promoción",
  autorizacion_32d: "Autorización de consulta de la opinión de cumplimiento (art. 32-D CFF)",
  revocacion_32d: "Revocación de la autorización de consulta (art. 32-D CFF)",
};

export const CAPACITY_LABELS: Record<Capacity, string> = {
  titular: "titular",
  representante_legal: "representante legal",
  persona_designada: "persona designada",
  servidor_publico: "servidor público",
  sistema: "sistema del Instituto",
};

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

/** The JSON embedded as `acuse.json`: the acuse with instants in Zona Centro, and its seal. */
export function acuseAttachment(input: AcusePdfInput): Record<string, unknown> {
  const { acuse } = input;
  return {
    format: ACUSE_ATTACHMENT_FORMAT,
    acuse: {
      folio: acuse.folio,
      kind: acuse.kind,
      parties: { ...acuse.parties },
      eventAt: cadenaInstant(acuse.eventAt),
      countsAt: cadenaInstant(acuse.countsAt),
      rule: acuse.rule,
      calendarVersion: acuse.calendarVersion,
      rulesVersion: acuse.rulesVersion,
      documents: acuse.documents.map((d) => ({ name: d.name, sha256: d.sha256, bytes: d.bytes })),
    },
    cadenaOriginal: input.cadenaOriginal,
    seal: input.seal,
    sealCertificateNumber: input.sealCertificateNumber,
    verificationUrl: input.verificationUrl,
  };
}

export async function renderAcusePdf(input: AcusePdfInput): Promise<Buffer> {
  const { acuse } = input;
  if (computeCadena(acuse) !== input.cadenaOriginal) {
    throw new Error("La cadena original no corresponde a los datos del acuse.");
  }
  const issued = new Date(input.issuedAt.epochMilliseconds);
  const qr = await QRCode.toBuffer(input.verificationUrl, {
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
      Keywords: `Buzón IMSS; acuse; ${acuse.folio}; ${ACUSE_ATTACHMENT_NAME}`,
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

  doc.file(Buffer.from(JSON.stringify(acuseAttachment(input), null, 2), "utf8"), {
    name: ACUSE_ATTACHMENT_NAME,
    type: "application/json",
    description: `Datos del acuse ${acuse.folio} para verificarlo (buzon verify)`,
    creationDate: issued,
    modifiedDate: issued,
  });

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
  const rule =
    acuse.rule === AT_EVENT_RULE
      ? "Momento del evento (surte efectos en el instante en que ocurrió)"
      : `${acuse.rule} (${RULES[acuse.rule].basis})`;
  const actor = `${acuse.parties.actorRfc}, en su carácter de ${CAPACITY_LABELS[acuse.parties.capacity]}`;
  const rows: [string, string][] = [
    ["Tipo de acuse", KIND_LABELS[acuse.kind]],
    ["RFC del titular del buzón", acuse.parties.rfc],
    ["Quién actuó y en qué carácter", actor],
    ["Fecha y hora del evento", spanishInstant(acuse.eventAt)],
    // countsAt is the legal instant of the act (Lineamientos 6.3, 7.2), not when it takes effect (CFF 135).
    ["Momento en que se tiene por realizado", spanishInstant(acuse.countsAt)],
    ["Regla aplicada", rule],
    ["Calendario de días inhábiles", acuse.calendarVersion],
    ["Versión de las reglas", acuse.rulesVersion],
  ];
  for (const [label, value] of rows) row(doc, label, value, width);
  doc.moveDown(0.6);

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

  section(doc, "Cadena original", width);
  mono(doc, input.cadenaOriginal, width);
  doc.y += 10;

  section(doc, "Sello digital del Instituto (RSA-SHA256, base64)", width);
  mono(doc, input.seal, width);
  doc.y += 6;
  row(doc, "Número de certificado del sello", input.sealCertificateNumber, width);
  doc.moveDown(0.8);

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
      "Escanee el código QR o visite la dirección siguiente para verificar que este acuse es auténtico e íntegro. También puede subir este PDF en la página «Verificación de documentos» o usar «buzon verify».",
      textX,
      top + 4,
      { width: width - QR_SIZE - 16 },
    );
  doc.y = top + QR_SIZE + 4;
  doc
    .fillColor(GUINDA)
    .font("Courier")
    .fontSize(MONO_SIZE + 1)
    .text(input.verificationUrl, MARGIN, doc.y, {
      width,
      link: input.verificationUrl,
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

  doc.end();
  return done;
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
