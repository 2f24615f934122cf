import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "../domain/evidence/checkpoint.ts";
import { leafHash, verifyInclusion } from "../domain/evidence/merkle.ts";
import { sealDigest } from "../domain/evidence/seal-digest.ts";
import { createEvidenceStore } from "../features/evidence/store.ts";
import type { TestAcuse } from "../features/evidence/test-issuance-routes.ts";
import { verifyTimestampToken } from "../platform/crypto/tsa.ts";
import { type BuzonProcess, spawnBuzon, startServe } from "../testing/buzon-process.ts";
import { createTestDatabase, type TestDatabase } from "../testing/database.ts";
import { startTestTsa, type TestTsa } from "../testing/tsa-server.ts";

/**
 * Issue 8 §10: the API and the jobs scale apart. Two `buzon serve --no-worker` processes and
 * two `buzon worker` processes on one PostgreSQL: acuses issued through both servers are
 * time-stamped and checkpointed by the workers, each stamp asked of the TSA once.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "servers and workers as separate processes on PostgreSQL",
  () => {
    let database: TestDatabase;
    let tsa: TestTsa;
    let dataDir: string;
    const processes: BuzonProcess[] = [];
    let env: Record<string, string>;

    beforeAll(async () => {
      database = await createTestDatabase("postgres");
      tsa = await startTestTsa();
      dataDir = mkdtempSync(join(tmpdir(), "buzon-procesos-"));
      writeFileSync(join(dataDir, "tsa-ca.pem"), tsa.caPem);
      env = {
        BUZON_ENV: "test",
        // The roles apart, as in production: the processes serve as the serving role.
        ...database.env,
        // Shared by every process: the development seal and the log's key live here.
        DATA_DIR: dataDir,
        TSA_URL: tsa.url,
        TSA_CA_FILE: join(dataDir, "tsa-ca.pem"),
        ACUSE_TEST_ROUTE: "true",
        VERIFICATION_RATE_LIMIT: "100000",
        CHECKPOINT_INTERVAL_SECONDS: "1",
        LOG_LEVEL: "warn",
      };
    }, 60_000);
    afterAll(async () => {
      for (const p of processes) p.child.kill("SIGKILL");
      await Promise.all(processes.map((p) => p.exited));
      await tsa?.close();
      await database?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    // Four processes start on a shared machine: minutes, not the default seconds.
    it("time-stamps and checkpoints through the workers what both servers issued", {
      timeout: 240_000,
    }, async () => {
      // One server first: it creates the development seal the others then read.
      const a = await startServe(["--no-worker", "--port", "0"], env);
      processes.push(a);
      const b = await startServe(["--no-worker", "--port", "0"], env);
      processes.push(b);

      const issue = async (url: string, i: number) => {
        const answer = await fetch(`${url}/api/v1/pruebas/acuses`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rfc: i % 2 ? "EKU9003173C9" : "CACX7605101P8" }),
        });
        expect(answer.status).toBe(201);
        return (await answer.json()) as TestAcuse;
      };
      const issued = await Promise.all(
        Array.from({ length: 20 }, (_, i) => issue(i % 2 ? a.url : b.url, i)),
      );
      expect(issued.map((x) => x.leafIndex).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      // Servers without the worker asked the TSA nothing and published no checkpoint.
      const store = createEvidenceStore(database.db);
      expect(tsa.requests()).toBe(0);
      expect(await store.latestCheckpoint()).toBeUndefined();

      for (let i = 0; i < 2; i++) {
        const worker = spawnBuzon(["worker"], { ...env, LOG_LEVEL: "info" });
        processes.push(worker);
        await worker.waitFor(/trabajador en marcha/);
      }
      const deadline = Date.now() + 90_000;
      const done = async () =>
        (await store.latestCheckpoint())?.size === 20 &&
        (await store.withoutTimestamp(100)).length === 0;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error("los trabajadores no terminaron en 90 s");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Each stamp was asked once: the sweep runs in one worker at a time.
      expect(tsa.requests()).toBe(20);

      // What the workers wrote verifies with what the servers publish.
      const verifier = await (await fetch(`${a.url}/api/v1/log/verificador`)).text();
      const note = await (await fetch(`${b.url}/api/v1/log/checkpoint`)).text();
      const checkpoint = openCheckpoint(note, verifier);
      expect(checkpoint.size).toBe(20);
      const trusted = [new X509Certificate(tsa.caPem)];
      for (const acuse of issued) {
        const row = await store.byFolio(acuse.folio);
        const stamp = await store.timestampOf(acuse.folio);
        await verifyTimestampToken(stamp!.token, sealDigest(row!.seal), trusted);
        const answer = await fetch(
          `${a.url}/api/v1/log/inclusion?folio=${acuse.folio}&codigo=${encodeURIComponent(acuse.verificationCode)}&size=20`,
        );
        const proof = (await answer.json()) as { proof: string[] };
        expect(answer.status, JSON.stringify(proof)).toBe(200);
        expect(() =>
          verifyInclusion(
            leafHash(Buffer.from(row!.cadenaOriginal, "utf8")),
            acuse.leafIndex,
            20,
            proof.proof.map((h: string) => Buffer.from(h, "base64")),
            checkpoint.root,
          ),
        ).not.toThrow();
      }
    });
  },
);

describe("buzon worker on its own", () => {
  it("runs the jobs on the embedded database and stops cleanly on SIGTERM", {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-trabajador-"));
    try {
      const worker = spawnBuzon(["worker"], {
        BUZON_ENV: "test",
        DATA_DIR: dataDir,
        CHECKPOINT_INTERVAL_SECONDS: "1",
        LOG_LEVEL: "info",
      });
      // Its first run publishes the empty log's checkpoint: the jobs ran, with no HTTP server.
      await worker.waitFor(/punto de control del registro publicado/, 90_000);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(worker.output()).not.toMatch(/Buzón IMSS en http/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses to start with the jobs turned off", async () => {
    const worker = spawnBuzon(["worker"], { BUZON_ENV: "test", CHECKPOINT_INTERVAL_SECONDS: "0" });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain("CHECKPOINT_INTERVAL_SECONDS=0 apaga las tareas periódicas");
  });
});
