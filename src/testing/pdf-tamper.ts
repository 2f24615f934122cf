/**
 * The attacks people tried on acuse PDFs (issue 8 §1), for the tests: the visible text changed
 * by rewriting a page's content stream (the attachments kept), bytes overwritten in the middle
 * of the file, a hex digit of the signature written in upper case, and a time-stamp token of
 * one's own put in the signature. And an acuse PDF as they were before the Institute sealed
 * them (no PAdES signature), which people may still hold.
 */
import { Buffer } from "node:buffer";
import { deflateSync, inflateSync } from "node:zlib";
import * as asn1js from "asn1js";
import PDFDocument from "pdfkit";
import type { AcuseExport } from "../domain/evidence/acuse-export.ts";
import { PADES_OID } from "../platform/crypto/pades-cms.ts";
import { withPkijs } from "../platform/crypto/pkijs-engine.ts";
import { ACUSE_PDF_FILES } from "../platform/pdf/acuse-pdf.ts";

/**
 * Replaces, in every Flate content stream, the text `from` by `to` (same length, WinAnsi) as
 * pdfkit writes it (hex strings), then rebuilds the cross-reference table so the file is still
 * a well-formed PDF that any viewer shows with the new text. Throws if `from` is nowhere.
 */
export function replaceVisibleText(pdf: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error("El texto nuevo debe medir lo mismo.");
  const hexFrom = Buffer.from(from, "latin1").toString("hex");
  const hexTo = Buffer.from(to, "latin1").toString("hex");
  const parts: Buffer[] = [];
  let copied = 0;
  let next = 0;
  let replaced = false;
  for (;;) {
    const keyword = pdf.indexOf("stream\n", next, "latin1");
    if (keyword < 0) break;
    next = keyword + 1;
    if (pdf.toString("latin1", keyword - 3, keyword) === "end") continue;
    const start = keyword + "stream\n".length;
    const end = pdf.indexOf("\nendstream", start, "latin1");
    if (end < 0) break;
    next = end + 1;
    let text: string;
    try {
      text = inflateSync(pdf.subarray(start, end)).toString("latin1");
    } catch {
      continue;
    }
    if (!text.includes(hexFrom)) continue;
    replaced = true;
    const stream = deflateSync(Buffer.from(text.replaceAll(hexFrom, hexTo), "latin1"));
    // The stream's dictionary, just before `stream`, says its /Length.
    const dictStart = pdf.lastIndexOf("<<", keyword);
    const dict = pdf
      .toString("latin1", dictStart, start)
      .replace(/\/Length \d+/, `/Length ${stream.length}`);
    parts.push(pdf.subarray(copied, dictStart), Buffer.from(dict, "latin1"), stream);
    copied = end;
  }
  if (!replaced) throw new Error(`El texto «${from}» no está en el PDF.`);
  parts.push(pdf.subarray(copied));
  return rebuildXref(Buffer.concat(parts));
}

/** Overwrites four bytes at `fraction` of the file (the middle by default). */
export function overwriteBytes(pdf: Buffer, fraction = 0.5, bytes = "XXXX"): Buffer {
  const copy = Buffer.from(pdf);
  copy.write(bytes, Math.floor(copy.length * fraction), "latin1");
  return copy;
}

/**
 * Writes one hex digit of the signature's /Contents in upper case: the same signature bytes,
 * but another file, in the only region the signature does not cover.
 */
export function uppercaseSignatureHex(pdf: Buffer): Buffer {
  const match = /\/Contents\s*<([0-9a-f]+)>/.exec(pdf.toString("latin1"));
  const digit = match?.[1]?.search(/[a-f]/) ?? -1;
  if (!match || digit < 0) throw new Error("El PDF no tiene una firma en hexadecimal minúscula.");
  const at = match.index + match[0].indexOf("<") + 1 + digit;
  const copy = Buffer.from(pdf);
  copy[at] = copy[at]! - 0x20; // 'a'..'f' → 'A'..'F'
  return copy;
}

/**
 * Puts `token` in the signature of a signed PDF as its signature time-stamp, without the seal's
 * key: the time-stamp is an unsigned attribute of the CMS, in /Contents, which the signature
 * does not cover. What anyone can do with a token from a TSA of their own.
 */
export function embedTimestampToken(pdf: Buffer, token: Uint8Array): Buffer {
  const match = /\/Contents\s*<([0-9a-f]+)>/.exec(pdf.toString("latin1"));
  if (!match) throw new Error("El PDF no tiene una firma en hexadecimal minúscula.");
  const hex = match[1]!;
  const pkijs = withPkijs();
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(Buffer.from(hex, "hex")));
  const signed = new pkijs.SignedData({ schema: info.content });
  const signer = signed.signerInfos[0];
  if (!signer) throw new Error("La firma del PDF no tiene firmante.");
  signer.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [
      new pkijs.Attribute({
        type: PADES_OID.signatureTimeStampToken,
        values: [asn1js.fromBER(new Uint8Array(token)).result],
      }),
    ],
  });
  const der = new pkijs.ContentInfo({
    contentType: PADES_OID.signedData,
    content: signed.toSchema(true),
  })
    .toSchema()
    .toBER();
  const written = Buffer.from(der).toString("hex").padEnd(hex.length, "0");
  if (written.length > hex.length) throw new Error("El sello de tiempo no cabe en la firma.");
  const copy = Buffer.from(pdf);
  copy.write(written, match.index + match[0].indexOf("<") + 1, "latin1");
  return copy;
}

/** Rewrites the classic xref table (one subsection from 0) and startxref of a pdfkit file. */
function rebuildXref(pdf: Buffer): Buffer {
  const text = pdf.toString("latin1");
  const xref = text.lastIndexOf("\nxref\n") + 1;
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(xref));
  if (!header) throw new Error("El PDF no tiene una tabla xref clásica.");
  const count = Number(header[1]);
  const offsets: number[] = [];
  for (const match of text.slice(0, xref).matchAll(/(?<=\n)(\d+) 0 obj\b/g)) {
    offsets[Number(match[1])] = match.index;
  }
  const rows = ["0000000000 65535 f "];
  for (let i = 1; i < count; i++) {
    rows.push(`${String(offsets[i] ?? 0).padStart(10, "0")} 00000 n `);
  }
  const trailer = text.indexOf("trailer", xref);
  const tail = text.slice(trailer).replace(/startxref\n\d+/, `startxref\n${xref}`);
  return Buffer.from(
    `${text.slice(0, xref)}xref\n0 ${count}\n${rows.join("\n")}\n${tail}`,
    "latin1",
  );
}

/**
 * An acuse PDF without a PAdES signature that carries the export (acuse.json) as its
 * attachment, as the Institute issued them before it sealed its PDFs.
 */
export function unsignedAcusePdf(exported: AcuseExport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER" });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.file(Buffer.from(`${JSON.stringify(exported, null, 2)}\n`, "utf8"), {
      name: ACUSE_PDF_FILES.export,
      type: "application/json",
    });
    doc.text(`Acuse de recibo electrónico ${exported.acuse.folio}`);
    doc.end();
  });
}
