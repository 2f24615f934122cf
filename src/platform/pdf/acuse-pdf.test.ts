import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Acuse } from "../../domain/evidence/acuse.ts";
import { type AcuseExport, parseAcuseExport } from "../../domain/evidence/acuse-export.ts";
import {
  createTestLog,
  createTestSeal,
  sampleAcuse,
  sampleExport,
} from "../../testing/acuse-export.ts";
import { cmsVerifyArgs, newKeyArgs, openssl } from "../../testing/openssl.ts";
import { type InstituteSeal, isDevelopmentSeal, loadSeal } from "../crypto/seal.ts";
import { ACUSE_PDF_FILES, type AcusePdfInput, renderAcusePdf } from "./acuse-pdf.ts";

const SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const PDFTOTEXT = "/usr/bin/pdftotext";
const PDFTOPPM = "/usr/bin/pdftoppm";
const PDFDETACH = "/usr/bin/pdfdetach";
const SCREENSHOT = join(import.meta.dirname, "../../../e2e/screenshots/acuse-pdf.png");

/**
 * Opened by the legal representative on Tuesday 11 Feb at 19:40:05, after hours (7.2): the sample
 * acuse, with an annex.
 */
function apertura(): Acuse {
  const acuse = sampleAcuse();
  return {
    ...acuse,
    documents: [
      ...acuse.documents,
      { name: "Anexo único: cédula de liquidación.pdf", sha256: SHA_EMPTY, bytes: 0 },
    ],
  };
}

let dir: string;
let seal: InstituteSeal;
/** The export of apertura(), leaf 2 of a three-leaf log. */
let sample: AcuseExport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "acuse-pdf-"));
  seal = await createTestSeal(join(dir, "sello"));
  sample = await sampleExport(apertura(), seal, {
    log: createTestLog(),
    verifierKey: "no se usa aquí",
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the sample export, as renderAcusePdf takes it. */
function input(): AcusePdfInput {
  return { export: structuredClone(sample), seal };
}

describe("renderAcusePdf", () => {
  it("renders a small Letter PDF whose text has the folio, the zone and the accents", async () => {
    const pdf = await renderAcusePdf(input());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeLessThan(200 * 1024);
    // Letter: 612 × 792 points.
    expect(pdf.toString("latin1")).toMatch(/\/MediaBox \[0 0 612 792\]/);
    // The QR code is embedded as an image.
    expect(pdf.toString("latin1")).toMatch(/\/Subtype \/Image/);

    expect(existsSync(PDFTOTEXT)).toBe(true);
    const file = join(dir, "acuse.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    expect(text).toContain("BI-20250211-194005123");
    expect(text).toContain("Acuse");
    expect(text).toContain("Zona Centro");
    expect(text).toContain("Apertura de notificación");
    expect(text).toContain("Buzón IMSS");
    expect(text).toContain("martes 11 de febrero de 2025 a las 19:40:05 (Zona Centro)");
    expect(text).toContain("miércoles 12 de febrero de 2025 a las 09:30:00 (Zona Centro)");
    expect(text).toContain("en su carácter de representante legal");
    expect(text).toContain("«Verificación de documentos»");
    expect(text).toContain("ñandú");
    expect(text).toContain(seal.certificateNumber);
    const data = input().export;
    // The wrapped sello and URL, joined back, are whole.
    const compact = text.replace(/\s+/g, "");
    expect(compact).toContain(data.seal);
    expect(compact).toContain(data.verificationUrl);
    expect(text).toContain("Código de verificación");
    expect(text).toContain(data.verificationCode);
    const flat = text.replace(/\s+/g, " ");
    // Plain Spanish first; identifiers and indices only under «Detalles técnicos».
    expect(flat).toContain("es el número 3 de 3 inscritos");
    expect(flat).not.toContain("se cuentan desde 0");
    const [plain, technical] = flat.split("Detalles técnicos");
    expect(plain).toContain("Por qué en ese momento Las notificaciones se hacen de 09:30 a 18:00");
    expect(plain).not.toContain("horario_notificacion");
    expect(technical).toContain("Regla aplicada (identificador) horario_notificacion");
    // Sealed with the development seal: the band is on every page.
    const pages = text.split("\f").filter((page) => page.trim() !== "");
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain("DEMOSTRACIÓN — sin validez oficial");
  });

  it("says in words how the mailbox was enabled when the acuse states it (version 2), and only then", async () => {
    const exported = await sampleExport({ ...apertura(), habilitacion: "lineamientos_2020" }, seal);
    const file = join(dir, "habilitacion.pdf");
    writeFileSync(file, await renderAcusePdf({ export: exported, seal }));
    const text = execFileSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    const [plain, technical] = text.replace(/\s+/g, " ").split("Detalles técnicos");
    expect(plain).toContain(
      "Habilitación del buzón Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)",
    );
    expect(technical?.replace(/\s+/g, "")).toContain("|lineamientos_2020|");
    // A version-1 acuse says nothing about it.
    const v1 = join(dir, "sin-habilitacion.pdf");
    writeFileSync(v1, await renderAcusePdf(input()));
    expect(execFileSync(PDFTOTEXT, ["-enc", "UTF-8", v1, "-"], { encoding: "utf8" })).not.toContain(
      "Habilitación del buzón",
    );
  });

  it("prints no demonstration band when the seal is not the development one", async () => {
    // A seal as an operator configures it: its certificate does not carry the marker.
    const key = join(dir, "real-key.pem");
    const cert = join(dir, "real.pem");
    execFileSync(
      "openssl",
      newKeyArgs({
        key: "rsa:2048",
        keyOut: key,
        out: cert,
        days: 3650,
        subject: "/C=MX/O=INSTITUTO MEXICANO DEL SEGURO SOCIAL/CN=SELLO DIGITAL",
      }),
      { stdio: "ignore" },
    );
    const real = await loadSeal({ keyFile: key, certFile: cert });
    expect(isDevelopmentSeal(real.certificate)).toBe(false);
    expect(isDevelopmentSeal(seal.certificate)).toBe(true);
    const exported = await sampleExport(apertura(), real);
    const file = join(dir, "real.pdf");
    writeFileSync(file, await renderAcusePdf({ export: exported, seal: real }));
    const text = execFileSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    expect(text).toContain("BI-20250211-194005123");
    expect(text).not.toContain("DEMOSTRACIÓN");
  });

  it("gives the same bytes for the same input", async () => {
    const a = await renderAcusePdf(input());
    const b = await renderAcusePdf(input());
    expect(a.equals(b)).toBe(true);
    // The folio's instant: 19:40:05.123 in Zona Centro.
    expect(a.toString("latin1")).toContain("/CreationDate (D:20250212014005Z)");
  });

  it("attaches the export and the files OpenSSL needs, which pdfdetach extracts", async () => {
    const data = input();
    const file = join(dir, "adjuntos.pdf");
    writeFileSync(file, await renderAcusePdf(data));
    const out = join(dir, "adjuntos");
    mkdirSync(out, { recursive: true });
    execFileSync(PDFDETACH, ["-saveall", "-o", out, file]);
    const read = (name: string) => readFileSync(join(out, name));
    expect(parseAcuseExport(JSON.parse(read(ACUSE_PDF_FILES.export).toString("utf8")))).toEqual(
      data.export,
    );
    expect(read(ACUSE_PDF_FILES.cadena).toString("utf8")).toBe(data.export.cadenaOriginal);
    expect(read(ACUSE_PDF_FILES.sealBytes).toString("base64")).toBe(data.export.seal);
    expect(read(ACUSE_PDF_FILES.logProof).toString("utf8")).toBe(data.export.log?.proof);
    expect(existsSync(join(out, ACUSE_PDF_FILES.timestamp))).toBe(false);
    const verified = openssl(
      cmsVerifyArgs({
        cms: join(out, ACUSE_PDF_FILES.cms),
        content: join(out, ACUSE_PDF_FILES.cadena),
        caFile: join(out, ACUSE_PDF_FILES.certificate),
      }),
    );
    expect(verified.stderr).toContain("Verification successful");
    expect(verified.status).toBe(0);
  });

  it("refuses a cadena that does not match the acuse", async () => {
    const data = input().export;
    await expect(
      renderAcusePdf({ export: { ...data, cadenaOriginal: `${data.cadenaOriginal}x` }, seal }),
    ).rejects.toThrow(/cadena original/);
  });

  it("renders page 1 with pdftoppm", async () => {
    const file = join(dir, "render.pdf");
    writeFileSync(file, await renderAcusePdf(input()));
    const prefix = join(dir, "page");
    execFileSync(PDFTOPPM, ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", file, prefix]);
    const png = readFileSync(`${prefix}.png`);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // A sharper rendering for people to look at (e2e/screenshots is gitignored).
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    execFileSync(PDFTOPPM, [
      "-png",
      "-r",
      "110",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      file,
      SCREENSHOT.replace(/\.png$/, ""),
    ]);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
