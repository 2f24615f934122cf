import { Buffer } from "node:buffer";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cadenaOriginal } from "../../domain/evidence/acuse.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseFolio } from "../../domain/evidence/folio.ts";
import { inclusionProof, leafHash, MemoryTree, rootOf } from "../../domain/evidence/merkle.ts";
import { type Clock, fixedClock } from "../../platform/clock.ts";
import {
  createDevelopmentSeal,
  type InstituteSeal,
  verifySealText,
} from "../../platform/crypto/seal.ts";
import { openDatabase } from "../../platform/db/database.ts";
import type { Db } from "../../platform/db/schema.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { evidenceKeys } from "../../testing/evidence-keys.ts";
import { verifyAcuseExport } from "../verification/offline.ts";
import { type AcuseInput, createEvidenceService } from "./service.ts";
import { createEvidenceStore } from "./store.ts";

const EVENT = Temporal.Instant.from("2025-02-03T16:07:17.151Z");
// Every issuance reads the same millisecond: only the lock keeps folios apart.
const NOW: Clock = fixedClock("2025-02-03T16:07:18Z");

function input(i: number): AcuseInput {
  return promocionInput(
    [
      { name: `Promoción número ${i}.pdf`, sha256: "ab".repeat(32), bytes: 1000 + i },
      { name: "Anexo | uno.pdf", sha256: "CD".repeat(32), bytes: 7 },
    ],
    { at: EVENT, calendarVersion: "IMSS:2025-1" },
  );
}

const keys = evidenceKeys();

describe.each(ENGINES)("evidence store on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  const serviceOn = (db: Db, clock: Clock = NOW) =>
    createEvidenceService({ ...keys.serviceOn(db), clock });

  it("issues a sealed acuse, stores it and appends its leaf", async () => {
    const service = serviceOn(database.db);
    const issued = await service.issueAcuse(input(1));
    expect(issued.folio).toBe("BI-20250203-100718000");
    expect(issued.leafIndex).toBe(0);
    expect(issued.sealCertificateNumber).toBe(keys.seal.certificateNumber);
    const {
      cadenaOriginal: _c,
      seal: _s,
      sealCertificateNumber: _n,
      leafIndex: _l,
      createdAt: _t,
      ...model
    } = issued;
    expect(issued.cadenaOriginal).toBe(cadenaOriginal(model));
    expect(issued.cadenaOriginal).toContain("Anexo %7C uno.pdf");
    expect(verifySealText(keys.seal.certificate, issued.cadenaOriginal, issued.seal)).toBe(true);
    expect(verifySealText(keys.seal.certificate, `${issued.cadenaOriginal} `, issued.seal)).toBe(
      false,
    );

    const again = await service.acuseByFolio(issued.folio);
    expect(again).toEqual(issued);
    expect(again?.eventAt.equals(EVENT)).toBe(true);
    expect(await service.acuseByFolio("BI-20250203-100718999")).toBeUndefined();

    const second = await service.issueAcuse(input(2));
    expect(second.folio).toBe("BI-20250203-100718000-0001");
    expect(second.leafIndex).toBe(1);
  });

  it("refuses an invalid acuse without writing anything", async () => {
    const service = serviceOn(database.db);
    await expect(service.issueAcuse({ ...input(1), documents: [] })).rejects.toMatchObject({
      code: "documents_required",
    });
    expect((await createEvidenceStore(database.db).head()).size).toBe(0);
  });

  it("refuses only the invalid acuse of a batch; the others are issued", async () => {
    const service = serviceOn(database.db);
    const results = await Promise.allSettled([
      service.issueAcuse(input(1)),
      service.issueAcuse({ ...input(2), documents: [] }),
      service.issueAcuse(input(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const issued = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expectLog(issued);
    await expectStoredLog(database.db, 2);
  });

  it("issues 600 concurrent acuses in batches: one log, every node stored once", async () => {
    const service = createEvidenceService({
      ...keys.serviceOn(database.db),
      clock: NOW,
      maxBatch: 64,
    });
    const issued = await Promise.all(
      Array.from({ length: 600 }, (_, i) => service.issueAcuse(input(i))),
    );
    expectLog(issued);
    // The clock reads one millisecond: folios keep it and count, never run ahead of it.
    expect(new Set(issued.map((a) => parseFolio(a.folio).instant.toString()))).toEqual(
      new Set(["2025-02-03T16:07:18Z"]),
    );
    await expectStoredLog(database.db, 600);
  });

  it("gives unique, strictly increasing folios and contiguous leaves under 20 concurrent issuances", async () => {
    const service = serviceOn(database.db);
    const issued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.issueAcuse(input(i))),
    );
    expectLog(issued);
    await expectStoredLog(database.db, 20);
  });

  it.runIf(engine === "postgres")(
    "keeps folios unique across two separate pools, as two server processes would",
    async () => {
      const url = database.url as string;
      const a = openDatabase({ engine: "postgres", url, poolSize: 4 });
      const b = openDatabase({ engine: "postgres", url, poolSize: 4 });
      try {
        const sa = serviceOn(a.db);
        const sb = serviceOn(b.db);
        const issued = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? sa : sb).issueAcuse(input(i))),
        );
        expectLog(issued);
        await expectStoredLog(database.db, 40);
      } finally {
        await a.close();
        await b.close();
      }
    },
  );

  it("refuses to update, delete or truncate acuses, leaves, nodes, time-stamps and checkpoints: append-only", async () => {
    const service = serviceOn(database.db);
    const [issued] = await Promise.all([
      service.issueAcuse(input(1)),
      service.issueAcuse(input(2)),
    ]);
    if (!issued) throw new Error("no se emitió");
    await sql`insert into log_checkpoints (size, root, note) values (1, ${Buffer.alloc(32)}, 'nota')`.execute(
      database.db,
    );
    await createEvidenceStore(database.db).saveTimestamp({
      folio: issued.folio,
      token: Buffer.from("token"),
      genTime: new Date(),
      tsaSerial: "01",
    });
    await expect(
      database.db
        .updateTable("log_nodes")
        .set({ hash: Buffer.alloc(32) })
        .execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(
      database.db.updateTable("acuse_timestamps").set({ tsa_serial: "02" }).execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(database.db.updateTable("acuses").set({ seal: "AAAA" }).execute()).rejects.toThrow(
      /solo admite inserciones/,
    );
    await expect(
      database.db
        .updateTable("log_leaves")
        .set({ leaf_hash: Buffer.alloc(32) })
        .execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(
      database.db.updateTable("log_checkpoints").set({ note: "otra" }).execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    // The row triggers fire before any foreign-key check, so the refusal is the append-only one.
    for (const table of [
      "log_leaves",
      "acuses",
      "log_checkpoints",
      "log_nodes",
      "acuse_timestamps",
      "seal_certificates",
    ] as const) {
      await expect(database.db.deleteFrom(table).execute()).rejects.toThrow(
        /solo admite inserciones/,
      );
      // Truncating takes a right the serving role lacks; even the owner meets the trigger.
      await expect(
        sql`truncate ${sql.table(table)} cascade`.execute(database.asOwner),
      ).rejects.toThrow(/solo admite inserciones/);
    }
    // A PDF signature's time-stamp, once kept, stays as it is.
    const evidenceStore = createEvidenceStore(database.db);
    await evidenceStore.savePdfSignatureTimestamp("ab".repeat(32), new Uint8Array([1]), new Date());
    await evidenceStore.savePdfSignatureTimestamp("ab".repeat(32), new Uint8Array([2]), new Date());
    expect(await evidenceStore.pdfSignatureTimestamp("ab".repeat(32))).toEqual(new Uint8Array([1]));
    await expect(database.db.deleteFrom("pdf_signature_timestamps").execute()).rejects.toThrow(
      /solo admite inserciones/,
    );
    await expect(sql`truncate pdf_signature_timestamps`.execute(database.asOwner)).rejects.toThrow(
      /solo admite inserciones/,
    );
    expect(await service.acuseByFolio(issued.folio)).toEqual(issued);
    expect((await createEvidenceStore(database.db).head()).size).toBe(2);
  });

  it("refuses a leaf that is not the next one of the log", async () => {
    const service = serviceOn(database.db);
    const first = await service.issueAcuse(input(1));
    await expect(
      sql`insert into log_leaves (leaf_index, leaf_hash, folio) values (5, ${Buffer.alloc(32)}, ${first.folio})`.execute(
        database.db,
      ),
    ).rejects.toThrow(/no es la siguiente del registro/);
  });

  it("answers every acuse of a batch whose transaction fails, writes nothing, and keeps issuing", async () => {
    const service = serviceOn(database.db);
    // The folio the clock gives is taken (by a row the log never had): the INSERT fails.
    await sql`
      insert into acuses (folio, kind, rfc, actor_rfc, capacity, event_at, counts_at, rule,
        calendar_version, rules_version, documents, cadena_original, seal,
        seal_certificate_number, leaf_index)
      values ('BI-20250203-100718000', 'promocion', 'EKU9003173C9', 'EKU9003173C9', 'titular',
        now(), now(), 'momento_del_evento', 'x', 'x', '[]', 'x', 'x', 'x', 99)
    `.execute(database.db);
    const results = await Promise.allSettled([1, 2, 3].map((i) => service.issueAcuse(input(i))));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((await createEvidenceStore(database.db).head()).size).toBe(0);
    const { count } = await database.db
      .selectFrom("log_nodes")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
    // The queue is not stuck: later acuses are answered (here refused the same way, at once).
    await expect(service.issueAcuse(input(4))).rejects.toThrow();
    const later = serviceOn(database.db, fixedClock("2025-02-03T16:07:19Z"));
    expect((await later.issueAcuse(input(5))).folio).toBe("BI-20250203-100719000");
  });

  it("publishes checkpoints under the log lock: concurrent with issuance, each is the tree's root", async () => {
    const service = serviceOn(database.db);
    await service.issueAcuse(input(0));
    const work: Promise<unknown>[] = [];
    for (let i = 1; i <= 30; i++) {
      work.push(service.issueAcuse(input(i)));
      if (i % 3 === 0) work.push(service.publishCheckpoint());
    }
    await Promise.all(work);
    await service.publishCheckpoint();
    const rows = await database.db
      .selectFrom("acuses")
      .innerJoin("log_leaves", "log_leaves.folio", "acuses.folio")
      .select(["acuses.cadena_original"])
      .orderBy("acuses.leaf_index")
      .execute();
    const leaves = rows.map((r) => leafHash(Buffer.from(r.cadena_original, "utf8")));
    const checkpoints = await database.db
      .selectFrom("log_checkpoints")
      .select(["size", "root"])
      .execute();
    expect(new Set(checkpoints.map((c) => Number(c.size))).size).toBe(checkpoints.length);
    expect(checkpoints.map((c) => Number(c.size))).toContain(31);
    for (const c of checkpoints) {
      expect(Buffer.from(c.root).equals(Buffer.from(rootOf(leaves, Number(c.size))))).toBe(true);
    }
  });

  it("exports an old acuse with the certificate that sealed it, after the seal is renewed", async () => {
    const before = await serviceOn(database.db).issueAcuse(input(1));
    const renewed = await createDevelopmentSeal(join(keys.dir, "sello-renovado"));
    const serviceWith = (previous: InstituteSeal[]) =>
      createEvidenceService({
        ...keys.serviceOn(database.db),
        seal: renewed,
        clock: fixedClock("2025-02-03T16:07:19Z"),
        previousSealCertificates: previous.map((s) => s.certificate),
      });
    const after = serviceWith([keys.seal]);
    const newer = await after.issueAcuse(input(2));
    expect(newer.sealCertificateNumber).toBe(renewed.certificateNumber);
    const old = await after.exportByFolio(before.folio);
    expect(old?.sealCertificate).toBe(keys.seal.certificateDer.toString("base64"));
    expect(after.sealCertificates().map((c) => c.fingerprint256)).toEqual([
      renewed.certificate.fingerprint256,
      keys.seal.certificate.fingerprint256,
    ]);
    const verdictOf = async (service: typeof after, folio: string) =>
      (
        await verifyAcuseExport((await service.exportByFolio(folio))!, {
          sealCertificates: service.sealCertificates(),
          logVerifierKey: service.verifierKey(),
          publicUrl: service.publicUrl(),
        })
      ).verdict;
    expect(await verdictOf(after, before.folio)).toBe("autentico");
    expect(await verdictOf(after, newer.folio)).toBe("autentico");
    // Trust comes from the configuration, not from rows: the old certificate, although
    // recorded in the database, is not trusted unless configured.
    const forgetful = serviceWith([]);
    expect(forgetful.sealCertificates()).toHaveLength(1);
    expect(await verdictOf(forgetful, before.folio)).toBe("alterado");
  });

  it("offers no update or delete method", () => {
    const store = createEvidenceStore(database.db);
    const names = [...Object.keys(store), ...Object.keys(serviceOn(database.db))];
    expect(names.filter((n) => /^(update|delete|remove|edit|replace)|^set[A-Z]/.test(n))).toEqual(
      [],
    );
    expect(Object.keys(store).sort()).toEqual([
      "appendBatch",
      "appendStatements",
      "byFolio",
      "bySealedDocument",
      "checkpointOfSize",
      "firstCheckpointCovering",
      "head",
      "latestByRfc",
      "latestCheckpoint",
      "nodes",
      "pageByRfc",
      "pdfSignatureTimestamp",
      "saveCheckpoint",
      "savePdfSignatureTimestamp",
      "saveSealCertificate",
      "saveTimestamp",
      "sealCertificates",
      "statementOf",
      "timestampOf",
      "withLogLock",
      "withoutTimestamp",
    ]);
  });

  it("publishes one checkpoint per log size, idempotently", async () => {
    const service = serviceOn(database.db);
    expect(await service.latestCheckpoint()).toBeUndefined();
    const empty = await service.publishCheckpoint();
    expect(empty.size).toBe(0);
    await service.issueAcuse(input(1));
    await service.issueAcuse(input(2));
    const [a, b] = await Promise.all([service.publishCheckpoint(), service.publishCheckpoint()]);
    expect(a?.size).toBe(2);
    expect(b?.note).toBe(a?.note);
    expect(await service.latestCheckpoint()).toEqual(a);
    const store = createEvidenceStore(database.db);
    expect(await store.saveCheckpoint({ size: 2, root: new Uint8Array(32), note: "x" })).toEqual(a);
    const { count } = await database.db
      .selectFrom("log_checkpoints")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(2);
  });
});

type Issued = Awaited<ReturnType<ReturnType<typeof createEvidenceService>["issueAcuse"]>>;

/** Folios unique and increasing in leaf order; leaves 0..n-1; seals and leaf hashes right. */
function expectLog(issued: Issued[]): void {
  const byLeaf = [...issued].sort((x, y) => x.leafIndex - y.leafIndex);
  expect(byLeaf.map((a) => a.leafIndex)).toEqual(issued.map((_, i) => i));
  expect(new Set(issued.map((a) => a.folio)).size).toBe(issued.length);
  for (let i = 1; i < byLeaf.length; i++) {
    const before = parseFolio(byLeaf[i - 1]!.folio);
    const after = parseFolio(byLeaf[i]!.folio);
    const order =
      Temporal.Instant.compare(after.instant, before.instant) ||
      Math.sign(after.sequence - before.sequence);
    expect(order).toBe(1);
    expect(byLeaf[i]!.folio > byLeaf[i - 1]!.folio).toBe(true);
  }
  for (const a of issued) {
    expect(verifySealText(keys.seal.certificate, a.cadenaOriginal, a.seal)).toBe(true);
  }
}

/** The stored leaves are the leaf hashes of the stored cadenas, and the roots agree. */
async function expectStoredLog(db: Db, n: number): Promise<void> {
  const service = createEvidenceService({
    ...keys.serviceOn(db),
    clock: NOW,
  });
  const rows = await db
    .selectFrom("acuses")
    .innerJoin("log_leaves", "log_leaves.folio", "acuses.folio")
    .select(["acuses.cadena_original", "log_leaves.leaf_hash", "acuses.leaf_index"])
    .orderBy("acuses.leaf_index")
    .execute();
  expect(rows).toHaveLength(n);
  const recomputed = rows.map((r) => leafHash(Buffer.from(r.cadena_original, "utf8")));
  rows.forEach((r, i) => {
    expect(Buffer.from(r.leaf_hash).equals(Buffer.from(recomputed[i]!))).toBe(true);
  });
  // The published root and proofs, read from the stored nodes, equal the reference's.
  const checkpoint = await service.publishCheckpoint();
  expect(checkpoint.size).toBe(n);
  expect(Buffer.from(checkpoint.root).equals(Buffer.from(rootOf(recomputed)))).toBe(true);
  const index = Math.floor(n / 3);
  const { folio, seal: sello } = await db
    .selectFrom("acuses")
    .select(["folio", "seal"])
    .where("leaf_index", "=", index)
    .executeTakeFirstOrThrow();
  const answer = await service.inclusionProofFor(folio, verificationCodeOf(sello));
  expect(answer.proof).toEqual(
    inclusionProof(recomputed, index, n).map((h) => Buffer.from(h).toString("base64")),
  );
  // Every complete aligned block is stored exactly once, with the reference's hash.
  const tree = new MemoryTree(recomputed);
  const nodes = await db.selectFrom("log_nodes").select(["level", "idx", "hash"]).execute();
  let expected = 0;
  for (let level = 1; 2 ** level <= n; level++) expected += Math.floor(n / 2 ** level);
  expect(nodes).toHaveLength(expected);
  for (const node of nodes) {
    expect(
      Buffer.from(node.hash).equals(Buffer.from(tree.node(node.level, Number(node.idx)))),
    ).toBe(true);
  }
}
