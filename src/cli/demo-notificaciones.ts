import { Buffer } from "node:buffer";
import { sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import PDFDocument from "pdfkit";
import { openPrivateKey } from "../domain/efirma/private-key.ts";
import { detachedCmsOf } from "../platform/crypto/detached-cms.ts";
import type { BuzonSystem } from "../system.ts";
import type { DemoEfirma } from "./demo-efirmas.ts";

/** The same bytes at every start: the deposit's idempotency key then answers the same act. */
const FIXED_DATE = new Date("2026-01-05T16:00:00Z");

/**
 * The demo's acts (docs/notificaciones.md): one to the mailbox enabled under the 2020 rules,
 * whose aviso goes to its e-mail on file (it shows in the «Bandeja de desarrollo»), and one to a
 * particular without an enabled mailbox, which goes to the estrados electrónicos. Signed by the
 * demo's administrator with her e.firma, as a public servant's browser would, and deposited
 * through the same use case as the API, once (fixed idempotency keys and bytes).
 */
export const DEMO_ACTS = [
  {
    idempotencyKey: "demo-notificacion-1",
    rfc: "XOJO740919U44",
    actType: "7.6",
    oficio: "DEMO/SUB-09/2026/0001",
    issuingUnit: "Subdelegación 09 Centro (demostración)",
    documentName: "Requerimiento de información (demostración).pdf",
    text: "Oficio de requerimiento de información faltante en el trámite. Documento de demostración: no es un acto del Instituto.",
  },
  {
    idempotencyKey: "demo-notificacion-2",
    rfc: "MOTR930411HJ7",
    actType: "7.1",
    oficio: "DEMO/SUB-09/2026/0002",
    issuingUnit: "Subdelegación 09 Centro (demostración)",
    documentName: "Determinación de la prima (demostración).pdf",
    text: "Resolución de Determinación de la Prima en el Seguro de Riesgos de Trabajo. Documento de demostración: no es un acto del Instituto.",
  },
] as const;

/** A one-page PDF with fixed metadata, so the same text always gives the same bytes. */
export function demoPdf(title: string, oficio: string, text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "LETTER",
      info: {
        Title: title,
        Author: "Instituto Mexicano del Seguro Social (demostración)",
        Producer: "Buzón IMSS (pdfkit)",
        CreationDate: FIXED_DATE,
        ModDate: FIXED_DATE,
      },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica-Bold").fontSize(14).text("Instituto Mexicano del Seguro Social");
    doc.moveDown().font("Helvetica").fontSize(11).text(`Oficio ${oficio}`);
    doc.moveDown().text(text);
    doc.end();
  });
}

/**
 * Deposits the demo's acts (once) and answers the instant they are made available while it is
 * still ahead on the legal clock. Rule a fixes it at deposit: deposited outside 09:30–18:00 of a
 * business day — a demo started at night or on a weekend — it is 09:30 of the next business
 * day, and until then the mailbox act is not in its addressee's «Mis notificaciones» and the
 * estrados one is not on the public estrados page (correct: an act on estrados is public from
 * its aviso). The banner says so, and how to get there with the demo clock.
 */
export async function ensureDemoNotificaciones(
  system: BuzonSystem,
  signer: DemoEfirma,
  signerRfc: string,
): Promise<Temporal.Instant | undefined> {
  const key = openPrivateKey(await readFile(signer.keyPath), signer.password);
  const certificate = await readFile(signer.cerPath);
  const avisos: Temporal.Instant[] = [];
  for (const act of DEMO_ACTS) {
    const pdf = await demoPdf(act.documentName, act.oficio, act.text);
    const signature = detachedCmsOf(certificate, sign("sha256", pdf, key));
    const deposited = await system.notificaciones.deposit(
      {
        idempotencyKey: act.idempotencyKey,
        rfc: act.rfc,
        actType: act.actType,
        oficio: act.oficio,
        issuingUnit: act.issuingUnit,
        documentName: act.documentName,
        document: pdf.toString("base64"),
        signature: Buffer.from(signature).toString("base64"),
      },
      { rfc: signerRfc, via: "sesion" },
    );
    avisos.push(Temporal.Instant.from(deposited.avisoAt));
  }
  const { now } = await system.notificaciones.context();
  return avisos
    .filter((aviso) => Temporal.Instant.compare(aviso, now) > 0)
    .sort(Temporal.Instant.compare)
    .at(-1);
}
