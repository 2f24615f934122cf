import { Buffer } from "node:buffer";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcuseExport } from "../../domain/evidence/acuse-export.ts";
import {
  createTestLog,
  createTestSeal,
  sampleAcuse,
  sampleExport,
} from "../../testing/acuse-export.ts";
import { cmsVerifyArgs, openssl } from "../../testing/openssl.ts";
import {
  overwriteBytes,
  replaceVisibleText,
  uppercaseSignatureHex,
} from "../../testing/pdf-tamper.ts";
import type { InstituteSeal } from "../crypto/seal.ts";
import { renderAcusePdf } from "./acuse-pdf.ts";
import { readPdfSignature } from "./pades.ts";

const PDFSIG = "/usr/bin/pdfsig";
const PDFTOTEXT = "/usr/bin/pdftotext";

let dir: string;
let seal: InstituteSeal;
let exported: AcuseExport;
let pdf: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pades-"));
  seal = await createTestSeal(join(dir, "sello"));
  exported = await sampleExport(sampleAcuse(), seal, { log: createTestLog() });
  pdf = await renderAcusePdf({ export: exported, seal });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What Poppler's pdfsig says of a file (it exits non-zero for a broken signature). */
function pdfsig(bytes: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const run = spawnSync(PDFSIG, [file], { encoding: "utf8" });
  return `${run.stdout}${run.stderr}`;
}

function pdftotext(bytes: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

/** The ByteRange and the CMS of the file's one signature, as a PDF reader extracts them. */
function extract(bytes: Buffer): { signed: Buffer; cms: Buffer } {
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)/.exec(bytes.toString("latin1"));
  const [a, b, c, d] = match!.slice(1, 5).map(Number) as [number, number, number, number];
  const signed = Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  const hex = bytes.toString("latin1", b + 1, c - 1).replace(/(00)+$/, "");
  return { signed, cms: Buffer.from(hex.length % 2 ? `${hex}0` : hex, "hex") };
}

describe("the acuse PDF's PAdES signature", () => {
  it("is valid in Poppler's pdfsig, PAdES, over the whole file, by the seal", () => {
    const out = pdfsig(pdf, "acuse.pdf");
    expect(out).toContain("Signature Type: ETSI.CAdES.detached");
    expect(out).toContain("Total document signed");
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Signing Hash Algorithm: SHA-256");
    expect(out).toContain("Signer Certificate Common Name: SELLO DIGITAL DEL BUZÓN IMSS");
    // The development seal is not in NSS's trust store: the certificate is not trusted, fine.
    expect(out).toMatch(/Certificate Validation: Certificate issuer (is unknown|isn't Trusted)/);
  });

  it("verifies with openssl cms, signing-certificate-v2 included, over the ByteRange", () => {
    const { signed, cms } = extract(pdf);
    writeFileSync(join(dir, "firma.p7s"), cms);
    writeFileSync(join(dir, "firmado.bin"), signed);
    writeFileSync(join(dir, "sello.pem"), seal.certificate.toString());
    const verify = (content: string) =>
      openssl(
        cmsVerifyArgs({
          cms: join(dir, "firma.p7s"),
          content: join(dir, content),
          caFile: join(dir, "sello.pem"),
        }),
      );
    const good = verify("firmado.bin");
    expect(good.stderr).toContain("Verification successful");
    expect(good.status).toBe(0);
    const printed = execFileSync(
      "openssl",
      ["cms", "-cmsout", "-print", "-inform", "DER", "-in", join(dir, "firma.p7s")],
      { encoding: "utf8" },
    );
    expect(printed).toContain("id-smime-aa-signingCertificateV2");
    expect(printed).toContain("messageDigest");
    expect(printed).not.toContain("signingTime");
    writeFileSync(join(dir, "otro.bin"), Buffer.concat([signed, Buffer.from(" ")]));
    expect(verify("otro.bin").status).not.toBe(0);
  });

  it("is the same file on every rendering (no clock, deterministic RSA)", async () => {
    expect((await renderAcusePdf({ export: structuredClone(exported), seal })).equals(pdf)).toBe(
      true,
    );
  });

  it("reads back as valid, PAdES, whole-file, by the seal certificate", async () => {
    const read = await readPdfSignature(pdf);
    expect(read).toMatchObject({
      status: "read",
      coversWholeFile: true,
      pades: true,
      digestMatches: true,
      signatureValid: true,
      signingCertificateMatches: true,
      timestampToken: undefined,
    });
    if (read.status === "read") {
      expect(read.certificate.fingerprint256).toBe(seal.certificate.fingerprint256);
    }
  });

  it("breaks when four bytes are overwritten, in the signed part or in the middle", async () => {
    const intact = (out: string) =>
      out.includes("Signature is Valid.") && out.includes("Total document signed");
    // A quarter in: inside what the signature covers.
    const signedPart = overwriteBytes(pdf, 0.1);
    expect(intact(pdfsig(signedPart, "cuatro-bytes-firmados.pdf"))).toBe(false);
    const read = await readPdfSignature(signedPart);
    expect(read).toMatchObject({ status: "read", digestMatches: false });
    // The middle of the file falls in the signature's own padding: pdfsig then says the
    // document is not totally signed, and we refuse the damaged signature.
    const middle = overwriteBytes(pdf);
    expect(intact(pdfsig(middle, "cuatro-bytes.pdf"))).toBe(false);
    expect((await readPdfSignature(middle)).status).toBe("unreadable");
  });

  it("breaks when the visible RFC and date are rewritten, attachments untouched", async () => {
    const tampered = replaceVisibleText(
      replaceVisibleText(pdf, "EKU9003173C9", "XYZ9003173C9"),
      "09:30:00",
      "11:45:00",
    );
    const text = pdftotext(tampered, "rfc-cambiado.pdf");
    expect(text).toContain("XYZ9003173C9");
    expect(text).toContain("11:45:00");
    const out = pdfsig(tampered, "rfc-cambiado.pdf");
    expect(out.includes("Signature is Valid.") && out.includes("Total document signed")).toBe(
      false,
    );
    const read = await readPdfSignature(tampered);
    expect(read.status === "read" && read.digestMatches && read.coversWholeFile).toBe(false);
  });

  it("refuses the signature's hex in another letter case (same bytes, another file)", async () => {
    const recased = uppercaseSignatureHex(pdf);
    expect(recased.equals(pdf)).toBe(false);
    // PAdES leaves /Contents out of what it signs, so PDF readers cannot see this change.
    expect(await readPdfSignature(recased)).toEqual({
      status: "unreadable",
      reason: "el contenido de la firma del PDF está dañado",
    });
  });

  it("breaks when anything is appended (an incremental update)", async () => {
    const appended = Buffer.concat([pdf, Buffer.from("\n% otra versión\n")]);
    expect(pdfsig(appended, "anadido.pdf")).not.toContain("Total document signed");
    const read = await readPdfSignature(appended);
    expect(read).toMatchObject({ status: "read", coversWholeFile: false, digestMatches: true });
  });

  it("is missing from a PDF that has none", async () => {
    expect(await readPdfSignature(Buffer.from("%PDF-1.7\n%%EOF\n"))).toEqual({
      status: "missing",
    });
  });
});
