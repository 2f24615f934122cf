import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IssuedEfirma, initDevCa, issueEfirma } from "../../platform/crypto/dev-ca.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import { ENGINES } from "../../testing/database.ts";
import { fisicaIdentity, issueFisicaEfirma, testDevCa } from "../../testing/efirma.ts";
import { type OcspResponder, startOpensslResponder } from "../../testing/ocsp-responder.ts";
import { createTestSystem } from "../../testing/server.ts";
import { MORAL, signedActBody } from "./test-fixture.ts";
import { enableMailbox, fisicaRfc, padronWith } from "./test-support.ts";

/**
 * The deposit's judgement of the signer's certificate (issue 11 §1: «the server checks
 * signature, certificate, revocation…»), through POST /api/v1/notificaciones and its lote on
 * both engines, with OpenSSL's OCSP responder on loopback answering from the test CA's index:
 * one public servant, a notificador, whose valid e.firma deposits, and whose revoked, expired
 * or foreign-issued ones (the same RFC and name) are refused with a 422 that says why; with
 * the responder down, a certificate whose status cannot be confirmed is a 503. A refused act
 * leaves nothing behind: no act, no blob, no event, no aviso.
 */

type System = Awaited<ReturnType<typeof createTestSystem>>;

const NOTIFICADOR = fisicaRfc("NOTI");
const NAME = "NORA TIRADO";

/** The notificador's e.firmas: the one in use, and the ones the deposit must refuse. */
let valid: IssuedEfirma;
/** Another valid e.firma of hers (a renewal) no responder was ever asked about. */
let renewed: IssuedEfirma;
let revoked: IssuedEfirma;
let expired: IssuedEfirma;
/** Her name and RFC, issued by a CA of the same name that the Institute does not trust. */
let foreign: IssuedEfirma;
let foreignCaDir: string;

beforeAll(async () => {
  // Every certificate before any responder starts: OpenSSL's reads its index as it starts.
  await testDevCa();
  valid = await issueFisicaEfirma(NOTIFICADOR, NAME);
  renewed = await issueFisicaEfirma(NOTIFICADOR, NAME);
  revoked = await issueFisicaEfirma(NOTIFICADOR, NAME, { revoked: true });
  expired = await issueFisicaEfirma(NOTIFICADOR, NAME, { validity: "vencido" });
  foreignCaDir = mkdtempSync(join(tmpdir(), "buzon-ca-ajena-"));
  foreign = await issueEfirma(await initDevCa(foreignCaDir), fisicaIdentity(NOTIFICADOR, NAME));
});
afterAll(() => {
  // It holds a CA private key: leave nothing behind.
  if (foreignCaDir) rmSync(foreignCaDir, { recursive: true, force: true });
});

/** The system on `engine`, asking the responder on loopback about every signer. */
function signerFixture(engine: (typeof ENGINES)[number]) {
  const f = {
    system: undefined as unknown as System,
    responder: undefined as unknown as OcspResponder,
  };
  beforeAll(async () => {
    f.responder = await startOpensslResponder((await testDevCa()).dir);
    // Real time: the responder's answers are fresh for the checker's clock, and the
    // certificates (valid from a day before now) are judged at the instant of the request.
    f.system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      env: {
        OCSP_URL: f.responder.url,
        // Answers kept five minutes, as in production: the e.firma asked about before an
        // outage still deposits during it.
        OCSP_CACHE_SECONDS: "300",
        REVOCATION_UNAVAILABLE: "refuse",
      },
    });
    const db = f.system.database.db;
    const now = Temporal.Now.instant();
    await padronWith(db, [{ rfc: MORAL }], now);
    await enableMailbox(db, MORAL, now);
    await f.system.staff.set({ rfc: NOTIFICADOR, role: "notificador", name: NAME }, "pruebas");
  });
  afterAll(async () => {
    f.responder?.process.kill();
    await f.system?.app.close();
  });
  return f;
}

const actSignedBy = (signer: IssuedEfirma) => signedActBody(signer);

type Act = Awaited<ReturnType<typeof actSignedBy>>;

const shaOf = (act: Act) => sha256Hex(Buffer.from(act.document, "base64"));

/** The date the message states: Temporal's form of the certificate's notAfter. */
async function validToOf(efirma: IssuedEfirma): Promise<string> {
  const x509 = new X509Certificate(await readFile(efirma.cerPath));
  return Temporal.Instant.fromEpochMilliseconds(x509.validToDate.getTime()).toString();
}

function deposit(system: System, payload: Act) {
  return system.app.inject({
    method: "POST",
    url: "/api/v1/notificaciones",
    payload,
    headers: { authorization: `Bearer ${system.adminToken}` },
  });
}

function depositLote(system: System, items: Act[]) {
  return system.app.inject({
    method: "POST",
    url: "/api/v1/notificaciones/lote",
    payload: { items },
    headers: { authorization: `Bearer ${system.adminToken}` },
  });
}

async function counts(system: System) {
  const db = system.database.db;
  const n = async (table: "notificaciones" | "notificacion_events" | "outbox" | "blobs") =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]
        ?.n,
    );
  return {
    acts: await n("notificaciones"),
    events: await n("notificacion_events"),
    avisos: await n("outbox"),
    blobs: await n("blobs"),
  };
}

/**
 * Nothing of the refused acts anywhere: no act by key or document, no blob record, no bytes in
 * the store; and the tables grew by exactly what `accepted` acts write (one act, one
 * `depositada`, one blob, an aviso to each of the mailbox's two validated means).
 */
async function expectOnlyAccepted(
  system: System,
  before: Awaited<ReturnType<typeof counts>>,
  refused: Act[],
  accepted: number,
) {
  const db = system.database.db;
  expect(await counts(system)).toEqual({
    acts: before.acts + accepted,
    events: before.events + accepted,
    avisos: before.avisos + 2 * accepted,
    blobs: before.blobs + accepted,
  });
  if (refused.length === 0) return;
  const shas = refused.map(shaOf);
  expect(
    await db
      .selectFrom("notificaciones")
      .select("id")
      .where((eb) =>
        eb.or([
          eb(
            "idempotency_key",
            "in",
            refused.map((a) => a.idempotencyKey),
          ),
          eb("document_sha256", "in", shas),
        ]),
      )
      .execute(),
  ).toEqual([]);
  expect(
    await db.selectFrom("blobs").select("sha256").where("sha256", "in", shas).execute(),
  ).toEqual([]);
  for (const sha of shas) expect(await system.blobs.has(sha)).toBe(false);
}

describe.each(ENGINES)("the deposit judges the signer's certificate on %s", (engine) => {
  const f = signerFixture(engine);

  it("deposits an act signed with the notificador's valid e.firma, its status asked of the responder", async () => {
    const before = await counts(f.system);
    const act = await actSignedBy(valid);
    const response = await deposit(f.system, act);
    expect(response.statusCode, response.body).toBe(201);
    const row = await f.system.database.db
      .selectFrom("notificaciones")
      .select(["signer_rfc", "signer_certificate_number", "document_sha256"])
      .where("id", "=", response.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      signer_rfc: NOTIFICADOR,
      signer_certificate_number: valid.certificateNumber,
      document_sha256: shaOf(act),
    });
    await expectOnlyAccepted(f.system, before, [], 1);
  });

  it.each([
    ["revoked", () => revoked, async () => /está revocado/],
    [
      "expired",
      () => expired,
      async () => new RegExp(`venció el ${(await validToOf(expired)).replaceAll(".", "\\.")}`),
    ],
    [
      "from a CA the Institute does not trust",
      () => foreign,
      async () => /no fue emitido por una autoridad certificadora reconocida/,
    ],
  ])(
    "refuses an act whose signer's certificate is %s: 422, and nothing written",
    async (_, signer, says) => {
      const before = await counts(f.system);
      const act = await actSignedBy(signer());
      const response = await deposit(f.system, act);
      expect(response.statusCode, response.body).toBe(422);
      const problem = response.json();
      expect(problem).toMatchObject({
        code: "document_signature_invalid",
        errors: [{ pointer: "/signature" }],
      });
      expect(problem.detail).toMatch(/^El certificado de quien firmó no es aceptable: /);
      expect(problem.detail).toMatch(await says());
      await expectOnlyAccepted(f.system, before, [act], 0);
    },
  );

  it("in a lote, refuses each act signed with a revoked, expired or foreign certificate and deposits the others", async () => {
    const before = await counts(f.system);
    const items = [
      await actSignedBy(valid),
      await actSignedBy(revoked),
      await actSignedBy(expired),
      await actSignedBy(foreign),
      await actSignedBy(valid),
    ];
    const response = await depositLote(f.system, items);
    expect(response.statusCode, response.body).toBe(207);
    const { results } = response.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 422, 422, 422, 201]);
    expect(results[0]).toMatchObject({ index: 0, outcome: "depositado" });
    expect(results[4]).toMatchObject({ index: 4, outcome: "depositado" });
    const refusals = results.slice(1, 4);
    refusals.forEach((r: { index: number; idempotencyKey: string }, i: number) => {
      expect(r).toMatchObject({
        index: i + 1,
        idempotencyKey: items[i + 1]!.idempotencyKey,
        outcome: "rechazado",
        code: "document_signature_invalid",
      });
    });
    expect(refusals[0].detail).toContain("está revocado");
    expect(refusals[1].detail).toContain(`venció el ${await validToOf(expired)}`);
    expect(refusals[2].detail).toContain(
      "no fue emitido por una autoridad certificadora reconocida",
    );
    await expectOnlyAccepted(f.system, before, items.slice(1, 4), 2);
  });

  // Last: it stops the responder.
  it("answers 503 revocation_unavailable for a signer whose status cannot be confirmed, alone and in a lote, and deposits the others", async () => {
    // Asked (or cached) while the responder is up.
    const first = await deposit(f.system, await actSignedBy(valid));
    expect(first.statusCode, first.body).toBe(201);
    // The responder goes away.
    f.responder.process.kill();
    await new Promise((resolve) => f.responder.process.once("exit", resolve));

    const before = await counts(f.system);
    const alone = await actSignedBy(renewed);
    const response = await deposit(f.system, alone);
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json()).toMatchObject({
      code: "revocation_unavailable",
      detail: expect.stringContaining(
        "No fue posible confirmar con el SAT que el certificado no está revocado",
      ),
    });
    await expectOnlyAccepted(f.system, before, [alone], 0);

    const items = [await actSignedBy(valid), await actSignedBy(renewed), await actSignedBy(valid)];
    const lote = await depositLote(f.system, items);
    expect(lote.statusCode, lote.body).toBe(207);
    const { results } = lote.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 503, 201]);
    expect(results[1]).toMatchObject({
      index: 1,
      idempotencyKey: items[1]!.idempotencyKey,
      outcome: "rechazado",
      code: "revocation_unavailable",
      detail: expect.stringContaining("No fue posible confirmar con el SAT"),
    });
    await expectOnlyAccepted(f.system, before, [alone, items[1]!], 2);
  });
});
