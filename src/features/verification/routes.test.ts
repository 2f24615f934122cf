import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { type AcuseExport, verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import { requestTimestamp } from "../../platform/crypto/tsa.ts";
import { renderAcusePdf } from "../../platform/pdf/acuse-pdf.ts";
import { readPdfSignature } from "../../platform/pdf/pades.ts";
import { createTestSeal } from "../../testing/acuse-export.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import {
  embedTimestampToken,
  overwriteBytes,
  replaceVisibleText,
  unsignedAcusePdf,
  uppercaseSignatureHex,
} from "../../testing/pdf-tamper.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { startTestTsa } from "../../testing/tsa-server.ts";
import type { AcuseInput, IssuedAcuse } from "../evidence/service.ts";
import { pdfSignatureCheck } from "./pdf-signature.ts";
import type { AcuseVerification, DocumentVerification, SignatureVerification } from "./types.ts";

const run = promisify(execFile);
const ESCRITO = Buffer.from("%PDF-1.4 escrito de promoción de prueba\n", "utf8");
const ESCRITO_SHA = createHash("sha256").update(ESCRITO).digest("hex");

function input(name: string, sha256 = ESCRITO_SHA): AcuseInput {
  return promocionInput([{ name, sha256, bytes: ESCRITO.length }], { actorRfc: "VADA800927DJ3" });
}

let system: TestSystem;
let acuse: IssuedAcuse;
let code: string;
let dir: string;

beforeAll(async () => {
  system = await createTestSystem({ trustDevCa: true });
  acuse = await system.evidence.issueAcuse(input("Escrito inicial.pdf"));
  code = verificationCodeOf(acuse.seal);
  dir = await mkdtemp(join(tmpdir(), "buzon-verificacion-"));
});
afterAll(async () => {
  await system.app.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string) => system.app.inject({ method: "GET", url });
const postPdf = (payload: Buffer) =>
  system.app.inject({
    method: "POST",
    url: "/api/v1/verificacion/pdf",
    headers: { "content-type": "application/pdf" },
    payload,
  });
const byFolio = (folio: string, codigo: string) =>
  get(`/api/v1/verificacion/acuses/${folio}?codigo=${encodeURIComponent(codigo)}`);
const outcomes = (answer: AcuseVerification) =>
  Object.fromEntries(answer.checks.map((c) => [c.id, c.outcome]));

async function exported(): Promise<AcuseExport> {
  const response = await get(
    `/api/v1/acuses/${acuse.folio}/json?codigo=${encodeURIComponent(code)}`,
  );
  expect(response.statusCode).toBe(200);
  return response.json() as AcuseExport;
}

describe("GET /api/v1/verificacion/acuses/{folio}?codigo=", () => {
  it("says the acuse is authentic, with its data, seal, log inclusion and links", async () => {
    const response = await byFolio(acuse.folio, code);
    expect(response.statusCode).toBe(200);
    const answer = response.json() as AcuseVerification;
    expect(answer.verdict).toBe("autentico");
    expect(outcomes(answer)).toMatchObject({
      cadena: "ok",
      sello: "ok",
      certificado_sello: "ok",
      registro: "ok",
    });
    expect(answer.acuse).toMatchObject({
      folio: acuse.folio,
      rfc: "EKU9003173C9",
      actorRfc: "VADA800927DJ3",
      kindLabel: "Presentación de promoción",
    });
    expect(answer.acuse?.eventAtText).toMatch(/\(Zona Centro\)$/);
    expect(answer.seal?.fingerprint).toBe(system.evidence.sealCertificate().fingerprint256);
    expect(answer.log).toMatchObject({ leafIndex: acuse.leafIndex });
    expect(answer.links?.pdf).toBe(
      `/api/v1/acuses/${acuse.folio}/pdf?codigo=${encodeURIComponent(code)}`,
    );
  });

  it("gives the same negative answer for a wrong code and an unknown folio", async () => {
    const wrong = (await byFolio(acuse.folio, "AAAAAAAA")).json() as AcuseVerification;
    const unknown = (await byFolio("BI-20000101-000000000", code)).json() as AcuseVerification;
    expect(wrong.verdict).toBe("no_encontrado");
    expect(unknown.verdict).toBe("no_encontrado");
    expect(wrong.acuse).toBeUndefined();
    expect(wrong.summary.replace(acuse.folio, "F")).toBe(
      unknown.summary.replace("BI-20000101-000000000", "F"),
    );
  });

  it("refuses malformed folios and missing codes as problem+json", async () => {
    for (const url of [
      "/api/v1/verificacion/acuses/no-es-folio?codigo=x",
      `/api/v1/verificacion/acuses/${acuse.folio}`,
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
  });
});

describe("POST /api/v1/verificacion/pdf and /acuse", () => {
  const institutePdf = async () =>
    (await get(`/api/v1/acuses/${acuse.folio}/pdf?codigo=${encodeURIComponent(code)}`)).rawPayload;

  it("the Institute's own PDF is authentic: its PAdES signature is the seal's, whole file", async () => {
    const answer = (await postPdf(await institutePdf())).json() as AcuseVerification;
    expect(answer.verdict).toBe("autentico");
    expect(outcomes(answer)).toMatchObject({ firma_pdf: "ok", coincide_con_registro: "ok" });
    expect(answer.record).toBeUndefined();
    expect(answer.demonstration).toBe(true);
  });

  it("a PDF whose attached data were altered and re-rendered (forger's seal) is «alterado»", async () => {
    const data = await exported();
    const forged = {
      ...data,
      acuse: { ...data.acuse, parties: { ...data.acuse.parties, rfc: "XAXX010101000" } },
    };
    // A forger recomputes the cadena too; the seal then no longer covers it.
    const { cadenaOriginal } = await import("../../domain/evidence/acuse.ts");
    const { acuseFromExport } = await import("../../domain/evidence/acuse-export.ts");
    forged.cadenaOriginal = cadenaOriginal(acuseFromExport(forged.acuse));
    const forgerSeal = await createTestSeal(join(dir, "sello-falso"));
    const answer = (
      await postPdf(await renderAcusePdf({ export: forged, seal: forgerSeal }))
    ).json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(outcomes(answer)).toMatchObject({
      firma_pdf: "failed",
      sello: "failed",
      coincide_con_registro: "failed",
    });
    expect(answer.links).toBeUndefined();
    expect(answer.record).toBeUndefined();
  });

  it("the visible RFC and date rewritten, attachments intact: «alterado», with the record apart", async () => {
    const pdf = await institutePdf();
    const countsAt = spanishInstant(acuse.countsAt).match(/\d\d:\d\d:\d\d/)![0];
    const tampered = replaceVisibleText(
      replaceVisibleText(pdf, "EKU9003173C9", "XYZ9003173C9"),
      countsAt,
      countsAt === "23:59:59" ? "00:00:00" : "23:59:59",
    );
    const answer = (await postPdf(tampered)).json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(answer.summary).toMatch(/^El documento presentado no es el que emitió el Instituto\./);
    // Its sealed attachments still verify: that does not make the PDF authentic.
    expect(outcomes(answer)).toMatchObject({
      firma_pdf: "failed",
      sello: "ok",
      coincide_con_registro: "ok",
    });
    expect(answer.record?.rfc).toBe("EKU9003173C9");
    expect(answer.record?.countsAt).toBe(answer.acuse?.countsAt);
    expect(answer.record?.folio).toBe(acuse.folio);
  });

  it("an unsigned PDF whose attachments are the record: «alterado», said to be maybe an older copy", async () => {
    const answer = (
      await postPdf(await unsignedAcusePdf(await exported()))
    ).json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(outcomes(answer)).toMatchObject({
      firma_pdf: "failed",
      sello: "ok",
      coincide_con_registro: "ok",
    });
    expect(answer.checks.filter((c) => c.outcome === "failed")).toHaveLength(1);
    expect(answer.olderCopy).toBe(true);
    const pdfCheck = answer.checks.find((c) => c.id === "firma_pdf");
    for (const text of [answer.summary, pdfCheck?.detail]) {
      expect(text).toContain("Puede ser una copia anterior");
      expect(text).toContain(
        "Descarga el PDF vigente, sellado por el Instituto, en la verificación por folio y código.",
      );
    }
    expect(answer.summary).toMatch(/^El documento presentado no es el que emitió el Instituto\./);
    // The record stays apart, and the current sealed PDF is where the link says.
    expect(answer.record?.folio).toBe(acuse.folio);
    const current = await get(answer.links!.pdf);
    expect(current.statusCode).toBe(200);
    expect((await postPdf(current.rawPayload)).json()).toMatchObject({ verdict: "autentico" });
  });

  it("an unsigned PDF whose attachments fail another check is not called an older copy", async () => {
    const data = await exported();
    const other = { ...data, verificationCode: "AAAAAAAA" };
    const answer = (await postPdf(await unsignedAcusePdf(other))).json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(outcomes(answer)).toMatchObject({ firma_pdf: "failed", enlace_verificacion: "failed" });
    expect(answer.olderCopy).toBeUndefined();
    expect(answer.summary).not.toContain("copia anterior");
  });

  it("four bytes overwritten in the middle of the file: «alterado»", async () => {
    const pdf = await institutePdf();
    for (const fraction of [0.5, 0.1, 0.9]) {
      const response = await postPdf(overwriteBytes(pdf, fraction));
      expect(response.statusCode).toBe(200);
      const answer = response.json() as AcuseVerification;
      expect(answer.verdict).toBe("alterado");
      expect(answer.summary).toMatch(/^El documento presentado no es el que emitió el Instituto/);
      expect(outcomes(answer).firma_pdf).toBe("failed");
    }
  });

  it("a signature hex digit rewritten in upper case (same signature bytes): «alterado»", async () => {
    const answer = (
      await postPdf(uppercaseSignatureHex(await institutePdf()))
    ).json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(answer.summary).toMatch(/^El documento presentado no es el que emitió el Instituto/);
    expect(outcomes(answer).firma_pdf).toBe("failed");
  });

  it("a time-stamp token of one's own put in the signature, when the Institute trusts no TSA: «alterado»", async () => {
    const pdf = await institutePdf();
    const read = await readPdfSignature(pdf);
    if (read.status !== "read") throw new Error("El PDF del Instituto no está firmado.");
    const tsa = await startTestTsa();
    try {
      const stamp = await requestTimestamp({
        url: tsa.url,
        digest: createHash("sha256").update(read.signatureValue).digest(),
        trusted: [new X509Certificate(tsa.caPem)],
      });
      const stamped = embedTimestampToken(pdf, stamp.token);
      // Still the seal's valid signature over every byte, with a token that verifies against
      // the certificates it carries: offline, without the TSA's certificate, only a warning.
      expect(await readPdfSignature(stamped)).toMatchObject({
        status: "read",
        coversWholeFile: true,
        digestMatches: true,
        signatureValid: true,
        timestampToken: Buffer.from(stamp.token),
      });
      const offline = await pdfSignatureCheck(stamped, system.evidence.sealCertificates());
      expect(offline.outcome).toBe("warning");
      const answer = (await postPdf(stamped)).json() as AcuseVerification;
      expect(answer.verdict).toBe("alterado");
      expect(answer.summary).toMatch(/^El documento presentado no es el que emitió el Instituto/);
      const check = answer.checks.find((c) => c.id === "firma_pdf");
      expect(check?.outcome).toBe("failed");
      expect(check?.detail).toContain("trae un sello de tiempo que el Instituto no puso");
    } finally {
      await tsa.close();
    }
  });

  it("a PDF with something appended (re-saved by another program) is «alterado»", async () => {
    const pdf = await institutePdf();
    // Append an incremental update, as a viewer that saves annotations does.
    const resaved = Buffer.concat([pdf, Buffer.from("\n% guardado de nuevo\n")]);
    const answer = (await postPdf(resaved)).json() as AcuseVerification;
    expect(outcomes(answer)).toMatchObject({ sello: "ok", firma_pdf: "failed" });
    expect(answer.verdict).toBe("alterado");
    expect(answer.record?.folio).toBe(acuse.folio);
  });

  it("refuses a PDF without an acuse, garbage, an empty body and oversized uploads", async () => {
    const plain = await new Promise<Buffer>((resolve) => {
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on("data", (c: Buffer) => chunks.push(c));
      doc.on("end", () => resolve(Buffer.concat(chunks)));
      doc.text("Sin acuse");
      doc.end();
    });
    const noAcuse = await postPdf(plain);
    expect(noAcuse.statusCode).toBe(400);
    expect(noAcuse.json()).toMatchObject({ code: "no_acuse_attachment" });
    expect(noAcuse.json().detail).toMatch(/^El PDF no lleva adjunto el archivo acuse\.json/);
    const garbage = await postPdf(Buffer.from("esto no es un PDF"));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toMatchObject({ code: "not_pdf" });
    expect((await postPdf(Buffer.alloc(0))).json()).toMatchObject({
      status: 400,
      code: "validation",
    });
    const huge = await postPdf(Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toMatch(/[a-záéíóú]/);
    // An unsigned PDF whose acuse.json is not an export: the attachment's problem, in Spanish,
    // said of the attachment (no pointer into a PDF).
    const wrongExport = await postPdf(
      await unsignedAcusePdf({ ...(await exported()), format: "otro/1" } as unknown as AcuseExport),
    );
    expect(wrongExport.statusCode).toBe(400);
    expect(wrongExport.json()).toMatchObject({ code: "malformed_export" });
    expect(wrongExport.json().detail).toMatch(
      /^El adjunto acuse\.json del PDF no es un acuse exportado válido: El archivo no es un acuse exportado/,
    );
    expect(wrongExport.json().errors).toBeUndefined();
    const wrongType = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/pdf",
      headers: { "content-type": "text/plain" },
      payload: "hola",
    });
    expect(wrongType.statusCode).toBe(415);
  });

  it("checks an uploaded JSON export and catches a changed seal", async () => {
    const data = await exported();
    const ok = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/acuse",
      payload: data,
    });
    expect((ok.json() as AcuseVerification).verdict).toBe("autentico");
    const seal = Buffer.from(data.seal, "base64");
    seal[5] = (seal[5] ?? 0) ^ 1;
    const tampered = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/acuse",
      payload: { ...data, seal: seal.toString("base64") },
    });
    const answer = tampered.json() as AcuseVerification;
    expect(answer.verdict).toBe("alterado");
    expect(outcomes(answer).sello).toBe("failed");
    const malformed = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/acuse",
      payload: { format: "otro" },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      code: "malformed_export",
      errors: [{ pointer: "/format" }],
    });
    expect(malformed.json().detail).toContain("buzon-imss-acuse/1");
  });
});

describe("GET /api/v1/verificacion/documentos/{sha256}", () => {
  it("finds the acuses that seal the document, and none for a changed byte", async () => {
    const found = (
      await get(`/api/v1/verificacion/documentos/${ESCRITO_SHA.toUpperCase()}`)
    ).json() as DocumentVerification;
    expect(found.verdict).toBe("autentico");
    expect(found.acuses.map((a) => [a.log?.leafIndex, a.documentName])).toContainEqual([
      acuse.leafIndex,
      "Escrito inicial.pdf",
    ]);
    expect(found.total).toBe(found.acuses.length);
    // What and when, never who: a public document's hash must not list the people behind it.
    const raw = JSON.stringify(found);
    for (const secret of ["EKU9003173C9", "VADA800927DJ3", acuse.folio, acuse.seal.slice(-8)]) {
      expect(raw).not.toContain(secret);
    }
    const changed = Buffer.from(ESCRITO);
    changed[0] = 0x25 ^ 1;
    const other = createHash("sha256").update(changed).digest("hex");
    const none = (
      await get(`/api/v1/verificacion/documentos/${other}`)
    ).json() as DocumentVerification;
    expect(none.verdict).toBe("no_encontrado");
    expect(none.acuses).toEqual([]);
    expect((await get("/api/v1/verificacion/documentos/xyz")).statusCode).toBe(400);
  });
});

describe("a public document sealed by many acuses", () => {
  it("lists the first ten, counts them all, and names nobody", async () => {
    const terms = createHash("sha256").update("Términos y Condiciones v1").digest("hex");
    await Promise.all(
      Array.from({ length: 12 }, () =>
        system.evidence.issueAcuse({ ...input("Términos v1.pdf", terms), kind: "firma_terminos" }),
      ),
    );
    const answer = (
      await get(`/api/v1/verificacion/documentos/${terms}`)
    ).json() as DocumentVerification;
    expect(answer.verdict).toBe("autentico");
    expect(answer.total).toBe(12);
    expect(answer.acuses).toHaveLength(10);
    expect(answer.summary).toContain("lo hacen constar 12 acuses (se muestran los primeros 10)");
    expect(new Set(answer.acuses.map((a) => a.kindLabel))).toEqual(
      new Set(["Firma de términos y condiciones"]),
    );
    expect(JSON.stringify(answer)).not.toMatch(/EKU9003173C9|VADA800927DJ3|BI-\d{8}/);
  });
});

describe("POST /api/v1/verificacion/firma", () => {
  it("verifies a document signed with a servant's e.firma (openssl cms -sign) and names the acuses", async () => {
    const servant = await issueTestEfirma({ rfc: "GOMA800101AB1", name: "MARIA GOMEZ ALVAREZ" });
    const doc = join(dir, "escrito.pdf");
    await writeFile(doc, ESCRITO);
    const cert = join(dir, "servidor.pem");
    const key = join(dir, "servidor-key.pem");
    await writeFile(cert, new X509Certificate(await readFile(servant.cerPath)).toString());
    const privateKey = openPrivateKey(await readFile(servant.keyPath), servant.password);
    await writeFile(key, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
    const sig = join(dir, "escrito.p7s");
    await run("openssl", [
      "cms",
      "-sign",
      "-binary",
      "-in",
      doc,
      "-signer",
      cert,
      "-inkey",
      key,
      "-outform",
      "DER",
      "-out",
      sig,
    ]);
    const firma = (await readFile(sig)).toString("base64");
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: ESCRITO_SHA, firma },
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json() as SignatureVerification;
    // The test system checks no revocation source: valid, but not confirmed.
    expect(answer.verdict).toBe("no_confirmado");
    expect(answer.checks.find((c) => c.id === "revocacion")?.outcome).toBe("warning");
    expect(answer.signer?.rfc).toBe("GOMA800101AB1");
    expect(answer.acuses.map((a) => a.log?.leafIndex)).toContain(acuse.leafIndex);
    const other = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: "00".repeat(32), firma },
    });
    expect((other.json() as SignatureVerification).verdict).toBe("alterado");
  });
});

describe("rate limits on public verification", () => {
  it("answers 429 in Spanish past VERIFICATION_RATE_LIMIT per address, on verification and per-folio routes", async () => {
    const limited = await createTestSystem({ env: { VERIFICATION_RATE_LIMIT: "2" } });
    try {
      const issued = await limited.evidence.issueAcuse(input("Escrito.pdf"));
      const codigo = encodeURIComponent(verificationCodeOf(issued.seal));
      for (const url of [
        `/api/v1/verificacion/acuses/${issued.folio}?codigo=AAAAAAAA`,
        `/api/v1/acuses/${issued.folio}/json?codigo=${codigo}`,
      ]) {
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await limited.app.inject({ method: "GET", url }));
        expect(answers.map((a) => a.statusCode).slice(0, 2)).not.toContain(429);
        const refused = answers[2]!;
        expect(refused.statusCode, url).toBe(429);
        expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(refused.json().detail).toMatch(/^Demasiados intentos\. Espera \d+ segundos/);
      }
    } finally {
      await limited.app.close();
    }
  });
});
