import { Buffer } from "node:buffer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDeflate } from "node:zlib";
import PDFDocument from "pdfkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Acuse } from "../../domain/evidence/acuse.ts";
import { type AcuseExport, AcuseExportError } from "../../domain/evidence/acuse-export.ts";
import { createTestSeal, otherAcuse, sampleExport } from "../../testing/acuse-export.ts";
import type { InstituteSeal } from "../crypto/seal.ts";
import { ACUSE_PDF_FILES, renderAcusePdf } from "./acuse-pdf.ts";
import {
  inflatesWithin,
  looksLikePdf,
  MAX_INFLATED_BYTES,
  MAX_PDF_BYTES,
  PdfReadError,
  type PdfReadErrorCode,
  readAcuseFromPdf,
  readPdfAttachments,
} from "./read-attachments.ts";

/** The sample promoción, its document's name with accents and parentheses. */
const acuse: Acuse = {
  ...otherAcuse(),
  documents: otherAcuse().documents.map((document) => ({
    ...document,
    name: "escrito (año 2025).pdf",
  })),
};

let dir: string;
let exported: AcuseExport;
let pdf: Buffer;
let seal: InstituteSeal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "leer-adjuntos-"));
  seal = await createTestSeal(join(dir, "sello"));
  exported = await sampleExport(acuse, seal);
  pdf = await renderAcusePdf({ export: exported, seal });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// PDF.js must say nothing, whatever it is given: neither here nor in its thread.
const printed: string[] = [];
const watch = { output: (text: string) => printed.push(text) };
const consoleSpies: ReturnType<typeof vi.spyOn>[] = [];
beforeEach(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    consoleSpies.push(vi.spyOn(console, method));
  }
});
afterEach(() => {
  expect(printed.splice(0)).toEqual([]);
  for (const spy of consoleSpies.splice(0)) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

/** A pdfkit PDF with these attachments (none by default). */
async function pdfWith(files: { name: string; content: string }[] = []): Promise<Buffer> {
  const doc = new PDFDocument({ size: "LETTER" });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on("end", () => resolve(Buffer.concat(chunks))),
  );
  for (const file of files) doc.file(Buffer.from(file.content, "utf8"), { name: file.name });
  doc.text("Un PDF cualquiera.");
  doc.end();
  return done;
}

async function refusal(promise: Promise<unknown>, code: PdfReadErrorCode): Promise<PdfReadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PdfReadError);
  expect((error as PdfReadError).code).toBe(code);
  return error as PdfReadError;
}

describe("readAcuseFromPdf", () => {
  it("reads back the export attached by renderAcusePdf", async () => {
    expect(await readAcuseFromPdf(new Uint8Array(pdf), watch)).toEqual(exported);
  });

  it("lists every attachment with its exact bytes, and leaves the caller's bytes alone", async () => {
    const bytes = new Uint8Array(pdf);
    const files = await readPdfAttachments(bytes, watch);
    // The EmbeddedFiles name tree is sorted by name.
    expect(files.map((f) => f.name)).toEqual([
      ACUSE_PDF_FILES.export,
      ACUSE_PDF_FILES.cadena,
      ACUSE_PDF_FILES.sealBytes,
      ACUSE_PDF_FILES.cms,
      ACUSE_PDF_FILES.certificate,
    ]);
    const byName = new Map(files.map((f) => [f.name, f]));
    expect(Buffer.from(byName.get(ACUSE_PDF_FILES.cadena)!.content).toString("utf8")).toBe(
      exported.cadenaOriginal,
    );
    expect(Buffer.from(byName.get(ACUSE_PDF_FILES.sealBytes)!.content).toString("base64")).toBe(
      exported.seal,
    );
    expect(byName.get(ACUSE_PDF_FILES.export)?.description).toContain(acuse.folio);
    expect(bytes.byteLength).toBe(pdf.length);
  });

  it("reads an export changed inside a regenerated PDF as it is (verification judges it)", async () => {
    const tampered = structuredClone(exported);
    tampered.verificationCode = "ZZZZZZZZ";
    const again = await renderAcusePdf({ export: tampered, seal });
    expect((await readAcuseFromPdf(new Uint8Array(again), watch)).verificationCode).toBe(
      "ZZZZZZZZ",
    );
  });

  it("refuses a PDF without attachments", async () => {
    const error = await refusal(
      readAcuseFromPdf(new Uint8Array(await pdfWith()), watch),
      "no_acuse_attachment",
    );
    expect(error.message).toBe(
      "El PDF no lleva adjunto el archivo acuse.json: no es un acuse del Buzón IMSS, o se guardó o imprimió de nuevo sin sus adjuntos.",
    );
  });

  it("refuses a PDF whose attachments do not include acuse.json", async () => {
    const other = await pdfWith([{ name: "otro.json", content: "{}" }]);
    expect((await readPdfAttachments(new Uint8Array(other), watch)).map((f) => f.name)).toEqual([
      "otro.json",
    ]);
    await refusal(readAcuseFromPdf(new Uint8Array(other), watch), "no_acuse_attachment");
  });

  it("refuses an acuse.json that is not JSON, or not an export, with the export's error", async () => {
    const notJson = await pdfWith([{ name: "acuse.json", content: "{ no es json" }]);
    await expect(readAcuseFromPdf(new Uint8Array(notJson), watch)).rejects.toThrow(
      "El adjunto acuse.json del PDF no es JSON válido en UTF-8.",
    );
    const notExport = await pdfWith([{ name: "acuse.json", content: '{"format":"otro/1"}' }]);
    const refused = await readAcuseFromPdf(new Uint8Array(notExport), watch).catch((e) => e);
    expect(refused).toBeInstanceOf(AcuseExportError);
    // Said of the attachment, in Spanish, with no pointer into the upload (a PDF has no fields).
    expect(refused.detail).toMatch(
      /^El adjunto acuse\.json del PDF no es un acuse exportado válido: El archivo no es un acuse exportado/,
    );
    expect(refused.errors).toBeUndefined();
  });

  it("refuses bytes that are not a PDF", async () => {
    const error = await refusal(
      readAcuseFromPdf(new Uint8Array(Buffer.from("esto no es un PDF, es texto\n".repeat(50)))),
      "not_pdf",
    );
    expect(error.message).toBe("El archivo no es un PDF (no empieza con «%PDF-»).");
    await refusal(readAcuseFromPdf(new Uint8Array(0), watch), "not_pdf");
    const garbage = new Uint8Array(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    await refusal(readAcuseFromPdf(garbage, watch), "not_pdf");
  });

  it("refuses a PDF header followed by garbage", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(2000, 0x41)]);
    const error = await refusal(readAcuseFromPdf(new Uint8Array(bytes), watch), "not_pdf");
    expect(error.message).toBe("El archivo no es un PDF legible: está dañado o incompleto.");
  });

  it("refuses a truncated acuse PDF", async () => {
    for (const fraction of [0.1, 0.5, 0.9]) {
      const cut = new Uint8Array(pdf.subarray(0, Math.floor(pdf.length * fraction)));
      const error = await readAcuseFromPdf(cut, watch).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `cortado al ${fraction * 100} %`).toBeInstanceOf(PdfReadError);
      expect(["not_pdf", "no_acuse_attachment"]).toContain((error as PdfReadError).code);
    }
  });

  it("refuses more than 10 MiB before parsing anything", async () => {
    const big = new Uint8Array(MAX_PDF_BYTES + 1);
    big.set(Buffer.from("%PDF-1.7\n"));
    const error = await refusal(readAcuseFromPdf(big, watch), "pdf_too_large");
    expect(error.message).toBe(
      "El archivo mide 10,485,761 bytes: un acuse en PDF no pasa de 10 MiB.",
    );
  });

  it("refuses a deflate bomb before parsing: a small PDF whose acuse.json inflates to 400 MiB", async () => {
    const bomb = await pdfWithAttachment("acuse.json", await deflatedZeros(400 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(inflatesWithin(bomb, MAX_INFLATED_BYTES)).toBe(false);
    const error = await refusal(readAcuseFromPdf(bomb, watch), "pdf_too_large");
    expect(error.message).toMatch(/crecen demasiado al descomprimirse/);
    // A truncated bomb (no end, no checksum) is measured by what it yields, as PDF.js reads it.
    const truncated = await pdfWithAttachment(
      "acuse.json",
      (await deflatedZeros(200 * 1024 * 1024)).subarray(0, 100_000),
    );
    expect(inflatesWithin(truncated, MAX_INFLATED_BYTES)).toBe(false);
    // The same kind of file, small when inflated, is read normally.
    const small = await pdfWithAttachment("otro.bin", await deflatedZeros(1024));
    expect(inflatesWithin(small, MAX_INFLATED_BYTES)).toBe(true);
    expect((await readPdfAttachments(small, watch)).map((f) => f.content.length)).toEqual([1024]);
  });

  it("stops, with the memory watchdog, what the stream check lets through", async () => {
    const bomb = await pdfWithAttachment("acuse.json", await deflatedZeros(400 * 1024 * 1024));
    const error = await refusal(
      readAcuseFromPdf(bomb, {
        ...watch,
        maxInflatedBytes: Number.POSITIVE_INFINITY,
        maxMemoryBytes: 96 * 1024 * 1024,
      }),
      "pdf_too_large",
    );
    expect(error.message).toMatch(/más de 96 MiB de memoria/);
  });

  it("gives up when the time runs out, stopping the parsing thread", async () => {
    const error = await refusal(readAcuseFromPdf(new Uint8Array(pdf), { timeoutMs: 1 }), "not_pdf");
    expect(error.message).toBe(
      "No se pudo leer el PDF en 0.001 segundos: está dañado o no es un acuse.",
    );
  });
});

/** `bytes` zero bytes, deflated (zlib) in chunks: the test never holds them inflated. */
async function deflatedZeros(bytes: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += zeros.length) {
    const piece = zeros.subarray(0, Math.min(zeros.length, bytes - written));
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

/** A minimal PDF (catalog, one page, EmbeddedFiles name tree) attaching a FlateDecode stream. */
async function pdfWithAttachment(name: string, deflated: Buffer): Promise<Uint8Array> {
  const objects: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
    Buffer.from(`<< /Names [(${name}) 5 0 R] >>`),
    Buffer.from(`<< /Type /Filespec /F (${name}) /UF (${name}) /EF << /F 6 0 R >> >>`),
    Buffer.concat([
      Buffer.from(
        `<< /Type /EmbeddedFile /Filter /FlateDecode /Length ${deflated.length} >>\nstream\n`,
      ),
      deflated,
      Buffer.from("\nendstream"),
    ]),
  ];
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n")];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      body,
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    `trailer << /Size ${objects.length + 1} /Root 1 0 R >>`,
    "startxref",
    String(length),
    "%%EOF",
    "",
  ].join("\n");
  parts.push(Buffer.from(xref));
  return new Uint8Array(Buffer.concat(parts));
}

describe("looksLikePdf", () => {
  it("finds the header at the start or within the first 1024 bytes only", () => {
    expect(looksLikePdf(new Uint8Array(pdf))).toBe(true);
    expect(looksLikePdf(new Uint8Array(Buffer.from(`${" ".repeat(1000)}%PDF-1.4`)))).toBe(true);
    expect(looksLikePdf(new Uint8Array(Buffer.from(`${" ".repeat(1100)}%PDF-1.4`)))).toBe(false);
    expect(looksLikePdf(new Uint8Array(Buffer.from('{"format":"buzon-imss-acuse/1"}')))).toBe(
      false,
    );
  });
});
