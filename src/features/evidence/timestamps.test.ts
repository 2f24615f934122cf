import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { sealDigest } from "../../domain/evidence/seal-digest.ts";
import { systemClock } from "../../platform/clock.ts";
import { requestTimestamp, verifyTimestampToken } from "../../platform/crypto/tsa.ts";
import { createJobLeases } from "../../platform/jobs/leases.ts";
import { renderAcusePdf } from "../../platform/pdf/acuse-pdf.ts";
import { readPdfSignature } from "../../platform/pdf/pades.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/database.ts";
import { evidenceKeys } from "../../testing/evidence-keys.ts";
import { startTestTsa, type TestTsa } from "../../testing/tsa-server.ts";
import { pdfSignatureCheck } from "../verification/pdf-signature.ts";
import { type AcuseInput, createEvidenceService } from "./service.ts";
import { createEvidenceStore } from "./store.ts";
import type { TsaSettings } from "./timestamps.ts";
import { createEvidenceJob } from "./worker.ts";

const run = promisify(execFile);

function input(i: number): AcuseInput {
  return promocionInput([{ name: `Escrito ${i}.pdf`, sha256: "ef".repeat(32), bytes: 10 + i }]);
}

const keys = evidenceKeys();
let tsa: TestTsa;
let database: TestDatabase;
const warnings: string[] = [];
const log = { warn: (_data: object, message: string) => warnings.push(message) };
const quiet = { info: () => {}, error: () => {} };

beforeAll(async () => {
  tsa = await startTestTsa();
});
afterAll(async () => {
  await tsa.close();
});
beforeEach(async () => {
  database = await createTestDatabase("pglite");
  warnings.length = 0;
});
afterEach(async () => {
  await database.dispose();
});

const settings = (url = tsa.url): TsaSettings => ({
  url,
  trusted: [new X509Certificate(tsa.caPem)],
  timeoutMs: 2000,
});
const serviceWith = (tsaSettings?: TsaSettings) =>
  createEvidenceService({
    ...keys.serviceOn(database.db),
    clock: systemClock,
    tsa: tsaSettings,
    log,
  });

describe("RFC 3161 time-stamps of the acuses' seals", () => {
  it("stamps each acuse after it is sealed, keeps the token, and OpenSSL accepts it", async () => {
    const evidence = serviceWith(settings());
    const issued = await Promise.all([
      evidence.issueAcuse(input(1)),
      evidence.issueAcuse(input(2)),
    ]);
    await evidence.settle();
    const store = createEvidenceStore(database.db);
    for (const acuse of issued) {
      const stored = await store.timestampOf(acuse.folio);
      expect(stored).toBeDefined();
      const checked = await verifyTimestampToken(stored!.token, sealDigest(acuse.seal), [
        new X509Certificate(tsa.caPem),
      ]);
      expect(Math.abs(checked.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    }
    // The export carries it; a third party checks it with OpenSSL alone over the seal bytes.
    const exported = await evidence.exportByFolio(issued[0]!.folio);
    expect(exported?.timestamp).toBeDefined();
    const files = await mkdtemp(join(keys.dir, "openssl-"));
    await writeFile(
      join(files, "sello-tiempo.tsr"),
      Buffer.from(exported!.timestamp!.token, "base64"),
    );
    await writeFile(join(files, "sello-digital.bin"), Buffer.from(exported!.seal, "base64"));
    await writeFile(join(files, "ca.pem"), tsa.caPem);
    await writeFile(join(files, "tsa.pem"), tsa.certificatePem);
    const args = (data: string) => [
      "ts",
      "-verify",
      "-in",
      join(files, "sello-tiempo.tsr"),
      "-token_in",
      "-data",
      join(files, data),
      "-CAfile",
      join(files, "ca.pem"),
      "-untrusted",
      join(files, "tsa.pem"),
    ];
    const ok = await run("openssl", args("sello-digital.bin"));
    expect(ok.stdout).toContain("Verification: OK");
    await writeFile(join(files, "otro.bin"), Buffer.from("otro sello"));
    await expect(run("openssl", args("otro.bin"))).rejects.toThrow();
  });

  it("issues the acuse even when the TSA is down, and the sweep stamps it later", async () => {
    const down = serviceWith(settings("http://127.0.0.1:9/tsa"));
    const issued = await down.issueAcuse(input(3));
    await down.settle();
    expect(issued.folio).toMatch(/^BI-/);
    expect(warnings).toContain("no se obtuvo el sello de tiempo del acuse");
    const store = createEvidenceStore(database.db);
    expect(await store.timestampOf(issued.folio)).toBeUndefined();

    const up = serviceWith(settings());
    const runJob = createEvidenceJob(up, quiet, createJobLeases(database.db));
    await runJob();
    expect(await store.timestampOf(issued.folio)).toBeDefined();
    expect(await up.stampPending()).toBe(0);
  });

  it("leaves stamping to the worker when the server does not run it, one worker at a time", async () => {
    const server = createEvidenceService({
      ...keys.serviceOn(database.db),
      clock: systemClock,
      tsa: settings(),
      stampOnIssue: false,
    });
    const issued = await server.issueAcuse(input(6));
    await server.settle();
    const store = createEvidenceStore(database.db);
    expect(await store.timestampOf(issued.folio)).toBeUndefined();

    // Another worker holds the sweep's lease: this one publishes the checkpoint, stamps nothing.
    const other = createJobLeases(database.db, "otro-proceso");
    let release!: () => void;
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const held = other.run("sellos_de_tiempo", 60, () => {
      started();
      return new Promise<void>((r) => (release = r));
    });
    await begun;
    const runJob = createEvidenceJob(serviceWith(settings()), quiet, createJobLeases(database.db));
    await runJob();
    expect((await store.latestCheckpoint())?.size).toBe(1);
    expect(await store.timestampOf(issued.folio)).toBeUndefined();
    release();
    await held;
    await runJob();
    expect(await store.timestampOf(issued.folio)).toBeDefined();
  });

  it("without a TSA, acuses carry no time-stamp and nothing is retried", async () => {
    const evidence = serviceWith();
    const issued = await evidence.issueAcuse(input(4));
    await evidence.settle();
    expect((await evidence.exportByFolio(issued.folio))?.timestamp).toBeUndefined();
    expect(await evidence.stampPending()).toBe(0);
  });
});

describe("the evidence worker", () => {
  it("publishes a checkpoint when the log grew, and says so", async () => {
    const evidence = serviceWith();
    await evidence.issueAcuse(input(5));
    const infos: string[] = [];
    const runJob = createEvidenceJob(
      evidence,
      { info: (_d, message) => infos.push(message), error: () => {} },
      createJobLeases(database.db),
    );
    await runJob();
    expect((await evidence.latestCheckpoint())?.size).toBe(1);
    expect(infos).toContain("punto de control del registro publicado");
    await runJob();
    expect(infos.filter((m) => m === "punto de control del registro publicado")).toHaveLength(1);
  });

  it("logs a failed run and keeps going", async () => {
    const evidence = serviceWith();
    const errors: string[] = [];
    const runJob = createEvidenceJob(
      evidence,
      { info: () => {}, error: (_d, m) => errors.push(m) },
      createJobLeases(database.db),
    );
    await database.dispose();
    await runJob();
    expect(errors).toEqual(["falló la tarea periódica del registro"]);
    database = await createTestDatabase("pglite");
  });
});

describe("the signature time-stamp of the acuse PDF (PAdES B-T)", () => {
  it("embeds a token over the PDF signature value, asked once and kept: same bytes again", async () => {
    const evidence = serviceWith(settings());
    const issued = await evidence.issueAcuse(input(7));
    await evidence.settle();
    const row = (await evidence.acuseByFolioAndCode(
      issued.folio,
      verificationCodeOf(issued.seal),
    ))!;
    const before = tsa.requests();
    const pdf = await evidence.pdfOf(row);
    expect(tsa.requests()).toBe(before + 1);
    const read = await readPdfSignature(pdf);
    expect(read).toMatchObject({ status: "read", digestMatches: true, coversWholeFile: true });
    if (read.status !== "read") return;
    expect(read.timestampToken).toBeDefined();
    // The token covers SHA-256 of this PDF's signature value, not the acuse's seal.
    const stamp = await verifyTimestampToken(
      read.timestampToken!,
      createHash("sha256").update(read.signatureValue).digest(),
      [new X509Certificate(tsa.caPem)],
    );
    expect(Math.abs(stamp.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    // Poppler accepts the signature with its unsigned time-stamp attribute.
    const file = join(keys.dir, "bt.pdf");
    await writeFile(file, pdf);
    const out = await run("pdfsig", [file]).then(
      (r) => r.stdout,
      (e: { stdout: string }) => e.stdout,
    );
    expect(out).toContain("Signature is Valid");
    expect(out).toContain("Total document signed");
    // A later download embeds the kept token: the same file, and no new request.
    expect((await evidence.pdfOf(row)).equals(pdf)).toBe(true);
    expect(tsa.requests()).toBe(before + 1);
    // Verification checks the token too, against the trusted TSA.
    const trusted = [new X509Certificate(tsa.caPem)];
    const check = await pdfSignatureCheck(pdf, [keys.seal.certificate], trusted);
    expect(check.outcome).toBe("ok");
    expect(check.detail).toContain("Un sello de tiempo de una autoridad de confianza dice");
    // Without a trusted TSA the token anchors only in itself (anyone can mint one with any
    // date): the check warns and does not state its date.
    const selfAnchored = await pdfSignatureCheck(pdf, [keys.seal.certificate], []);
    expect(selfAnchored.outcome).toBe("warning");
    expect(selfAnchored.detail).toContain("no se toma su fecha");
    expect(selfAnchored.detail).not.toContain("dice que la firma existía");

    // The token sits outside the ByteRange: one over something else, put in its place while
    // the signature stays valid, is caught.
    const other = await requestTimestamp({
      url: tsa.url,
      digest: createHash("sha256").update("otra firma").digest(),
      trusted,
    });
    const swapped = await renderAcusePdf({
      export: await evidence.exportOf(row),
      seal: keys.seal,
      timestamper: async () => other.token,
    });
    expect(await readPdfSignature(swapped)).toMatchObject({ signatureValid: true });
    expect((await pdfSignatureCheck(swapped, [keys.seal.certificate], trusted)).outcome).toBe(
      "failed",
    );
  });

  it("signs without it when the TSA is down, and the PDF is still valid", async () => {
    const down = serviceWith(settings("http://127.0.0.1:9/tsa"));
    const issued = await down.issueAcuse(input(8));
    await down.settle();
    const row = (await down.acuseByFolioAndCode(issued.folio, verificationCodeOf(issued.seal)))!;
    const pdf = await down.pdfOf(row);
    const read = await readPdfSignature(pdf);
    expect(read).toMatchObject({
      status: "read",
      signatureValid: true,
      digestMatches: true,
      coversWholeFile: true,
      timestampToken: undefined,
    });
    expect(warnings).toContain(
      "no se obtuvo el sello de tiempo de la firma del PDF; se firma sin él",
    );
  });
});
