import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAcuseExport, verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { decodeBase64Strict, openCheckpoint } from "../../domain/evidence/checkpoint.ts";
import { leafHash, verifyConsistency, verifyInclusion } from "../../domain/evidence/merkle.ts";
import { verifyTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { createTestSystem } from "../../testing/server.ts";
import type { AcuseInput, IssuedAcuse } from "./service.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

const EVENT = Temporal.Instant.from("2025-02-03T16:07:17.151Z");

function input(i: number): AcuseInput {
  return promocionInput([{ name: `Promoción ${i}.pdf`, sha256: "ab".repeat(32), bytes: 100 + i }], {
    at: EVENT,
  });
}

/** The `codigo=` query of an acuse: per-folio routes need it (folios are guessable). */
const code = (acuse: IssuedAcuse | undefined) =>
  `codigo=${encodeURIComponent(verificationCodeOf(acuse?.seal ?? ""))}`;

const hashes = (list: string[]) =>
  list.map((h) => {
    const bytes = decodeBase64Strict(h);
    if (!bytes) throw new Error(`no es base64: ${h}`);
    return bytes;
  });

describe("/api/v1/log and /api/v1/acuses/{folio}/tlog-proof", () => {
  let system: System;
  let acuses: IssuedAcuse[];
  beforeAll(async () => {
    system = await createTestSystem();
    acuses = [];
    for (let i = 0; i < 3; i++) acuses.push(await system.evidence.issueAcuse(input(i)));
  });
  afterAll(async () => {
    await system.app.close();
  });

  const get = (url: string) => system.app.inject({ method: "GET", url });

  const verifier = async () => {
    const response = await get("/api/v1/log/verificador");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    return response.body;
  };

  const checkpoint = async () => {
    const response = await get("/api/v1/log/checkpoint");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    return response.body;
  };

  it("serves a signed checkpoint of the whole log, once per size", async () => {
    const key = await verifier();
    expect(key).toMatch(/^buzon-imss\.invalid\/log\+[0-9a-f]{8}\+/);
    const note = await checkpoint();
    expect(note.startsWith("buzon-imss.invalid/log\n3\n")).toBe(true);
    const opened = openCheckpoint(note, key);
    expect(opened.size).toBe(3);
    expect(await checkpoint()).toBe(note);
    expect((await system.evidence.latestCheckpoint())?.note).toBe(note);
  });

  it("proves inclusion of an acuse against the checkpoint's root", async () => {
    const opened = openCheckpoint(await checkpoint(), await verifier());
    for (const acuse of acuses) {
      const response = await get(`/api/v1/log/inclusion?folio=${acuse.folio}&${code(acuse)}`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ folio: acuse.folio, leafIndex: acuse.leafIndex, treeSize: 3 });
      const leaf = leafHash(Buffer.from(acuse.cadenaOriginal, "utf8"));
      expect(body.leafHash).toBe(Buffer.from(leaf).toString("base64"));
      verifyInclusion(leaf, body.leafIndex, body.treeSize, hashes(body.proof), opened.root);
    }
    const atTwo = (
      await get(`/api/v1/log/inclusion?folio=${acuses[1]?.folio}&${code(acuses[1])}&size=2`)
    ).json();
    expect(atTwo).toMatchObject({ leafIndex: 1, treeSize: 2 });
  });

  it("proves consistency between an older checkpoint and the latest", async () => {
    const key = await verifier();
    const older = openCheckpoint(await checkpoint(), key);
    const more = await system.evidence.issueAcuse(input(3));
    acuses.push(more);
    // GET /log/checkpoint publishes at most once a second; the timer or a proof would too.
    await system.evidence.publishCheckpoint();
    const newer = openCheckpoint(await checkpoint(), key);
    expect(newer.size).toBe(4);
    const response = await get(`/api/v1/log/consistencia?desde=${older.size}&hasta=${newer.size}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ size1: 3, size2: 4 });
    verifyConsistency(older.size, newer.size, hashes(body.proof), older.root, newer.root);
    expect(() =>
      verifyConsistency(older.size, newer.size, hashes(body.proof), newer.root, older.root),
    ).toThrow();
  });

  it("exports a tlog-proof that verifies offline, always against the first checkpoint covering the acuse", async () => {
    const key = await verifier();
    const acuse = acuses[0] as IssuedAcuse;
    const response = await get(`/api/v1/acuses/${acuse.folio}/tlog-proof?${code(acuse)}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body.startsWith("c2sp.org/tlog-proof@v1\nindex 0\n")).toBe(true);
    const verified = verifyTlogProof(response.body, Buffer.from(acuse.cadenaOriginal, "utf8"), key);
    expect(verified.index).toBe(0);
    const first = await system.database.db
      .selectFrom("log_checkpoints")
      .select("size")
      .where("size", ">", 0)
      .orderBy("size")
      .executeTakeFirstOrThrow();
    expect(verified.checkpoint.size).toBe(Number(first.size));
    // The log grows; the exported proof stays the same bytes.
    await system.evidence.issueAcuse(input(9));
    await system.evidence.publishCheckpoint();
    expect((await get(`/api/v1/acuses/${acuse.folio}/tlog-proof?${code(acuse)}`)).body).toBe(
      response.body,
    );
    expect(() =>
      verifyTlogProof(response.body, Buffer.from(`${acuse.cadenaOriginal}x`, "utf8"), key),
    ).toThrow();
  });

  it("exports a tlog-proof against a checkpoint the verifier kept (?tamano=N)", async () => {
    const key = await verifier();
    const kept = openCheckpoint(await checkpoint(), key);
    const acuse = acuses[1] as IssuedAcuse;
    const response = await get(
      `/api/v1/acuses/${acuse.folio}/tlog-proof?${code(acuse)}&tamano=${kept.size}`,
    );
    expect(response.statusCode).toBe(200);
    const verified = verifyTlogProof(response.body, Buffer.from(acuse.cadenaOriginal, "utf8"), key);
    expect(verified.checkpoint.size).toBe(kept.size);
    expect(Buffer.from(verified.checkpoint.root).equals(Buffer.from(kept.root))).toBe(true);
    for (const size of [1, kept.size + 5]) {
      const refused = await get(
        `/api/v1/acuses/${acuse.folio}/tlog-proof?${code(acuse)}&tamano=${size}`,
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toMatch(/punto de control/);
    }
  });

  it("serves the PDF and the JSON export only with the verification code", async () => {
    const acuse = acuses[2] as IssuedAcuse;
    const code = verificationCodeOf(acuse.seal);
    const pdf = await system.app.inject({
      method: "GET",
      url: `/api/v1/acuses/${acuse.folio}/pdf?codigo=${encodeURIComponent(code)}`,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const again = await system.app.inject({
      method: "GET",
      url: `/api/v1/acuses/${acuse.folio}/pdf?codigo=${encodeURIComponent(code)}`,
    });
    expect(again.rawPayload.equals(pdf.rawPayload)).toBe(true);
    const json = await get(`/api/v1/acuses/${acuse.folio}/json?codigo=${encodeURIComponent(code)}`);
    expect(json.statusCode).toBe(200);
    const exported = parseAcuseExport(json.json());
    expect(exported.cadenaOriginal).toBe(acuse.cadenaOriginal);
    expect(exported.verificationCode).toBe(code);
    expect(exported.verificationUrl).toBe(
      `http://127.0.0.1:8080/verificacion/${acuse.folio}?codigo=${encodeURIComponent(code)}`,
    );
    for (const url of [
      `/api/v1/acuses/${acuse.folio}/pdf?codigo=AAAAAAAA`,
      `/api/v1/acuses/${acuse.folio}/json?codigo=AAAAAAAA`,
      "/api/v1/acuses/BI-20000101-000000000/pdf?codigo=AAAAAAAA",
    ]) {
      const refused = await get(url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().detail).toContain("código de verificación");
    }
    expect((await get(`/api/v1/acuses/${acuse.folio}/pdf`)).statusCode).toBe(400);
  });

  it("tells nothing of a folio without its code: the same refusal for a wrong code and an unknown folio", async () => {
    const acuse = acuses[0] as IssuedAcuse;
    for (const [known, unknown] of [
      [
        `/api/v1/log/inclusion?folio=${acuse.folio}&codigo=AAAAAAAA`,
        "/api/v1/log/inclusion?folio=BI-20000101-000000000&codigo=AAAAAAAA",
      ],
      [
        `/api/v1/acuses/${acuse.folio}/tlog-proof?codigo=AAAAAAAA`,
        "/api/v1/acuses/BI-20000101-000000000/tlog-proof?codigo=AAAAAAAA",
      ],
    ] as const) {
      const [a, b] = [await get(known), await get(unknown)];
      expect([a.statusCode, b.statusCode]).toEqual([404, 404]);
      expect(a.json().detail.replace(acuse.folio, "F")).toBe(
        b.json().detail.replace("BI-20000101-000000000", "F"),
      );
    }
    for (const url of [
      `/api/v1/log/inclusion?folio=${acuse.folio}`,
      `/api/v1/acuses/${acuse.folio}/tlog-proof`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(400);
    }
  });

  it("publishes the seal certificate, the one every acuse names", async () => {
    const response = await get("/api/v1/sello/certificado");
    expect(response.statusCode).toBe(200);
    const certificate = new X509Certificate(response.body);
    expect(certificate.fingerprint256).toBe(system.evidence.sealCertificate().fingerprint256);
  });

  it("answers problem+json in Spanish for unknown folios and sizes out of range", async () => {
    const folio = acuses[2]?.folio as string;
    const c = code(acuses[2]);
    const cases: [string, number][] = [
      [`/api/v1/log/inclusion?folio=BI-20000101-000000000&${c}`, 404],
      [`/api/v1/acuses/BI-20000101-000000000/tlog-proof?${c}`, 404],
      [`/api/v1/acuses/no-es-folio/tlog-proof?${c}`, 400],
      [`/api/v1/log/inclusion?folio=no-es-folio&${c}`, 400],
      ["/api/v1/log/inclusion", 400],
      [`/api/v1/log/inclusion?folio=${folio}&${c}&size=2`, 400],
      [`/api/v1/log/inclusion?folio=${folio}&${c}&size=99`, 400],
      [`/api/v1/log/inclusion?folio=${folio}&${c}&size=0`, 400],
      ["/api/v1/log/consistencia?desde=0&hasta=2", 400],
      ["/api/v1/log/consistencia?desde=3&hasta=2", 400],
      ["/api/v1/log/consistencia?desde=1&hasta=99", 400],
      ["/api/v1/log/consistencia?desde=1", 400],
      ["/api/v1/log/consistencia?desde=uno&hasta=2", 400],
    ];
    for (const [url, status] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(status);
      expect(response.headers["content-type"], url).toMatch(/^application\/problem\+json/);
      const body = response.json();
      expect(body.status, url).toBe(status);
      expect(body.detail, url).toMatch(/[a-záéíóúñ]/);
    }
    const unknown = (await get(`/api/v1/log/inclusion?folio=BI-20000101-000000000&${c}`)).json();
    expect(unknown.detail).toBe(
      "No encontramos un acuse con el folio BI-20000101-000000000 y ese código de verificación.",
    );
    const range = (await get("/api/v1/log/consistencia?desde=3&hasta=2")).json();
    expect(range.detail).toContain("1 ≤ desde ≤ hasta");
  });
});
