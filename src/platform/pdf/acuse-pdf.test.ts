import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Acuse, cadenaOriginal } from "../../domain/evidence/acuse.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { createDevelopmentSeal, type InstituteSeal, sealText } from "../crypto/seal.ts";
import {
  ACUSE_ATTACHMENT_FORMAT,
  type AcusePdfInput,
  acuseAttachment,
  renderAcusePdf,
} from "./acuse-pdf.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const PDFTOTEXT = "/usr/bin/pdftotext";
const PDFTOPPM = "/usr/bin/pdftoppm";
const SCREENSHOT = join(import.meta.dirname, "../../../e2e/screenshots/acuse-pdf.png");

/** Opened by the legal representative on Tuesday 11 Feb at 19:40:05, after hours (7.2). */
function apertura(): Acuse {
  return {
    folio: "BI-20250211-194005123",
    kind: "apertura_notificacion",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: at("2025-02-12T01:40:05Z"),
    countsAt: at("2025-02-12T15:30:00Z"),
    rule: "horario_notificacion",
    calendarVersion: "cff-2025.1",
    rulesVersion: RULES_VERSION,
    documents: [
      {
        name: "Resolución de la notificación 2025-17 (año fiscal ñandú).pdf",
        sha256: SHA_ABC,
        bytes: 48213,
      },
      { name: "Anexo único: cédula de liquidación.pdf", sha256: SHA_EMPTY, bytes: 0 },
    ],
  };
}

let dir: string;
let seal: InstituteSeal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "acuse-pdf-"));
  seal = await createDevelopmentSeal(join(dir, "sello"), new Date("2025-01-01T00:00:00Z"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function input(acuse = apertura()): AcusePdfInput {
  const cadena = cadenaOriginal(acuse);
  return {
    acuse,
    cadenaOriginal: cadena,
    seal: sealText(seal, cadena),
    sealCertificateNumber: seal.certificateNumber,
    verificationUrl: `https://buzon.imss.gob.mx/verificacion?folio=${acuse.folio}`,
    issuedAt: at("2025-02-12T01:40:05.123Z"),
  };
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
    expect(text).toContain("https://buzon.imss.gob.mx/verificacion?folio=BI-20250211-194005123");
    // The wrapped sello, joined back, is the whole sello.
    const compact = text.replace(/\s+/g, "");
    expect(compact).toContain(input().seal);
  });

  it("gives the same bytes for the same input", async () => {
    const a = await renderAcusePdf(input());
    const b = await renderAcusePdf(input());
    expect(a.equals(b)).toBe(true);
    expect(a.toString("latin1")).toContain("/CreationDate (D:20250212014005Z)");
  });

  it("embeds the acuse as acuse.json", async () => {
    const data = input();
    const pdf = await renderAcusePdf(data);
    const latin = pdf.toString("latin1");
    expect(latin).toContain("/EmbeddedFiles");
    expect(latin).toContain("(acuse.json)");
    const json = acuseAttachment(data);
    expect(json.format).toBe(ACUSE_ATTACHMENT_FORMAT);
    expect(json.cadenaOriginal).toBe(data.cadenaOriginal);
    expect(json.acuse).toMatchObject({ eventAt: "2025-02-11T19:40:05.000-06:00" });
  });

  it("refuses a cadena that does not match the acuse", async () => {
    const data = input();
    await expect(
      renderAcusePdf({ ...data, cadenaOriginal: `${data.cadenaOriginal}x` }),
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
