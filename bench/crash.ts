// Crash harness (issue 8 §10): acuses must survive kill -9. Run with `npm run crash` (PostgreSQL,
// 100 rounds) or `npm run crash -- --engine pglite --rounds 20`. Not part of `npm test`.
//
// Each round starts the real `buzon serve` (bin/buzon.js, with its worker publishing checkpoints
// every second), lets many concurrent clients issue acuses through POST /api/v1/pruebas/acuses,
// and kills the server with SIGKILL at a random moment (now and then while it is still starting).
// Then, with the server down, the database is read directly and, after the restart, the API:
// - every acuse a client saw acknowledged (a 201) is present, at the leaf it was told;
// - the log has no gap: leaf indexes 0…n−1, each leaf the hash of its acuse's cadena original,
//   every acuse a leaf, every complete node stored and equal to the harness's own tree;
// - every seal verifies with the seal certificate the server publishes;
// - every checkpoint is signed by the log's key, has the root of the harness's tree at its size,
//   and is consistent with the next one (consistency proofs from the API);
// - every acknowledged acuse has an inclusion proof, from the API, against the latest checkpoint.
// Figures are printed at the end; any failure is listed and the exit code is 1.
import { Buffer } from "node:buffer";
import { verify, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { openCheckpoint } from "../src/domain/evidence/checkpoint.ts";
import {
  leafHash,
  MemoryTree,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "../src/domain/evidence/merkle.ts";
import type { TestAcuse } from "../src/features/evidence/test-issuance-routes.ts";
import { type DatabaseHandle, openDatabase } from "../src/platform/db/database.ts";
import { type BuzonProcess, spawnBuzon } from "../src/testing/buzon-process.ts";
import { seeded } from "./measure.ts";

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "postgres" },
    rounds: { type: "string" },
    clients: { type: "string", default: "16" },
    seed: { type: "string" },
    "database-url": { type: "string" },
  },
});
const engine = values.engine === "pglite" ? "pglite" : "postgres";
const rounds = Number(values.rounds ?? (engine === "pglite" ? 20 : 100));
const clients = Number(values.clients);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
const baseUrl =
  values["database-url"] ??
  process.env.CRASH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** Seeded, so a failing run can be repeated with --seed. */
const random = seeded(seed);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failures: string[] = [];
const fail = (message: string) => {
  failures.push(message);
  console.error(`FALLA: ${message}`);
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---- Set-up -------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "buzon-crash-"));
const dataDir = engine === "pglite" ? join(work, "pglite") : work;
let databaseUrl: string | undefined;
let databaseName: string | undefined;
if (engine === "postgres") {
  databaseName = `buzon_crash_${seed}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${databaseName} with (force)`);
  await admin.query(`create database ${databaseName}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
}
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env: Record<string, string> = {
  BUZON_ENV: "test",
  HOST: "127.0.0.1",
  PORT: String(port),
  DATA_DIR: dataDir,
  ACUSE_TEST_ROUTE: "true",
  // The harness issues as fast as the server answers, all from one address.
  ACUSE_TEST_RATE_LIMIT: "1000000",
  CHECKPOINT_INTERVAL_SECONDS: "1",
  VERIFICATION_RATE_LIMIT: "100000",
  LOG_LEVEL: "error",
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
};

// ---- What the harness knows -----------------------------------------------------------------

interface Ack extends TestAcuse {
  round: number;
}
const acked = new Map<string, Ack>();
/** Acknowledged acuses not yet found in the database / not yet proved through the API. */
let unchecked: Ack[] = [];
let unproved: Ack[] = [];
const tree = new MemoryTree();
/** Checkpoints verified so far, by size (increasing). */
const checkpoints: { size: number; root: Uint8Array }[] = [];
let consistencyChecked = 0;
let verifierKey: string | undefined;
let sealCertificate: X509Certificate | undefined;
const figures = {
  rounds: 0,
  killedWhileStarting: 0,
  requests: 0,
  acknowledged: 0,
  lost: 0,
  inclusionProofs: 0,
  consistencyProofs: 0,
  sealsVerified: 0,
  restartMs: [] as number[],
};

// ---- Checks with the server down: the database itself ---------------------------------------

async function openDb(): Promise<DatabaseHandle> {
  return databaseUrl
    ? openDatabase({ engine: "postgres", url: databaseUrl, poolSize: 2 })
    : openDatabase({ engine: "pglite", dataDir });
}

async function checkDatabase(round: number): Promise<void> {
  const database = await openDb();
  try {
    const db = database.db;
    const from = tree.size;
    const leaves = await sql<{
      leaf_index: string | number;
      leaf_hash: Uint8Array;
      acuse_leaf: string | number | null;
      cadena_original: string | null;
      seal: string | null;
    }>`
      select l.leaf_index, l.leaf_hash, a.leaf_index as acuse_leaf, a.cadena_original, a.seal
      from log_leaves l left join acuses a on a.folio = l.folio
      where l.leaf_index >= ${from} order by l.leaf_index
    `.execute(db);
    for (const [i, row] of leaves.rows.entries()) {
      const index = Number(row.leaf_index);
      if (index !== from + i) {
        fail(
          `ronda ${round}: hueco en el registro, se esperaba la hoja ${from + i} y está ${index}`,
        );
        return;
      }
      if (row.cadena_original === null || Number(row.acuse_leaf) !== index) {
        fail(`ronda ${round}: la hoja ${index} no corresponde a su acuse`);
        return;
      }
      const hash = leafHash(Buffer.from(row.cadena_original, "utf8"));
      if (!Buffer.from(hash).equals(Buffer.from(row.leaf_hash))) {
        fail(`ronda ${round}: la hoja ${index} no es el hash de la cadena de su acuse`);
      }
      if (
        sealCertificate &&
        !verify(
          "sha256",
          Buffer.from(row.cadena_original, "utf8"),
          sealCertificate.publicKey,
          Buffer.from(row.seal ?? "", "base64"),
        )
      ) {
        fail(`ronda ${round}: el sello de la hoja ${index} no verifica`);
      } else if (sealCertificate) figures.sealsVerified++;
      tree.append(hash);
    }
    const counts = await sql<{ acuses: string | number; leaves: string | number }>`
      select (select count(*) from acuses) as acuses, (select count(*) from log_leaves) as leaves
    `.execute(db);
    const { acuses, leaves: leafCount } = counts.rows[0]!;
    if (Number(acuses) !== tree.size || Number(leafCount) !== tree.size) {
      fail(
        `ronda ${round}: ${acuses} acuses y ${leafCount} hojas para un registro de ${tree.size}`,
      );
    }

    // Nodes: the new ones equal the harness's tree, and every complete block is stored once.
    const nodes = await sql<{ level: number; idx: string | number; hash: Uint8Array }>`
      select level, idx, hash from log_nodes
      where (idx + 1) * (1::bigint << level) > ${from}
    `.execute(db);
    for (const node of nodes.rows) {
      const start = Number(node.idx) * 2 ** node.level;
      const end = start + 2 ** node.level;
      if (end > tree.size) {
        fail(`ronda ${round}: nodo ${node.level}/${node.idx} más allá del registro`);
      } else if (!Buffer.from(tree.subtreeHash(start, end)).equals(Buffer.from(node.hash))) {
        fail(`ronda ${round}: el nodo ${node.level}/${node.idx} no es el del árbol`);
      }
    }
    const perLevel = await sql<{ level: number; n: string | number }>`
      select level, count(*) as n from log_nodes group by level
    `.execute(db);
    for (let level = 1; 2 ** level <= tree.size; level++) {
      const stored = Number(perLevel.rows.find((r) => r.level === level)?.n ?? 0);
      if (stored !== Math.floor(tree.size / 2 ** level)) {
        fail(`ronda ${round}: nivel ${level} con ${stored} nodos para ${tree.size} hojas`);
      }
    }

    // Every acknowledged acuse is there, at the leaf it was told.
    if (unchecked.length > 0) {
      const found = await db
        .selectFrom("acuses")
        .select(["folio", "leaf_index"])
        .where(
          "folio",
          "in",
          unchecked.map((a) => a.folio),
        )
        .execute();
      const at = new Map(found.map((r) => [r.folio, Number(r.leaf_index)]));
      for (const ack of unchecked) {
        if (at.get(ack.folio) === undefined) {
          figures.lost++;
          fail(
            `ronda ${round}: el acuse ${ack.folio} (confirmado en la ronda ${ack.round}) se perdió`,
          );
        } else if (at.get(ack.folio) !== ack.leafIndex) {
          fail(`ronda ${round}: el acuse ${ack.folio} cambió de hoja`);
        }
      }
      unchecked = [];
    }

    // Checkpoints: signed by the log's key, with the tree's root at their size.
    const last = checkpoints.at(-1)?.size ?? 0;
    const stored = await db
      .selectFrom("log_checkpoints")
      .select(["size", "note"])
      .where("size", ">", last)
      .orderBy("size")
      .execute();
    for (const row of stored) checkCheckpoint(row.note, `ronda ${round}`);
  } finally {
    await database.close();
  }
}

function checkCheckpoint(note: string, where: string): number | undefined {
  if (!verifierKey) return undefined;
  try {
    const checkpoint = openCheckpoint(note, verifierKey);
    const last = checkpoints.at(-1);
    if (checkpoint.size > tree.size) {
      fail(`${where}: punto de control de ${checkpoint.size} hojas en un registro de ${tree.size}`);
      return undefined;
    }
    if (!Buffer.from(rootOf(tree, checkpoint.size)).equals(Buffer.from(checkpoint.root))) {
      fail(
        `${where}: el punto de control de ${checkpoint.size} hojas no tiene la raíz del registro`,
      );
    }
    if (!last || checkpoint.size > last.size) {
      checkpoints.push({ size: checkpoint.size, root: checkpoint.root });
    } else if (checkpoint.size < last.size) {
      fail(`${where}: punto de control de ${checkpoint.size} hojas después de uno de ${last.size}`);
    }
    return checkpoint.size;
  } catch (error) {
    fail(`${where}: punto de control inválido: ${(error as Error).message}`);
    return undefined;
  }
}

// ---- Checks with the server up: the API -----------------------------------------------------

async function getText(path: string): Promise<string> {
  const answer = await fetch(`${url}${path}`);
  if (!answer.ok) throw new Error(`${path}: HTTP ${answer.status} ${await answer.text()}`);
  return answer.text();
}

async function checkApi(round: number): Promise<void> {
  if (!verifierKey) {
    verifierKey = (await getText("/api/v1/log/verificador")).trim();
    sealCertificate = new X509Certificate(await getText("/api/v1/sello/certificado"));
  } else if ((await getText("/api/v1/log/verificador")).trim() !== verifierKey) {
    fail(`ronda ${round}: la clave del registro cambió`);
  }
  if (tree.size === 0) return;
  // The latest checkpoint covers the whole log (no client is issuing yet).
  // On-demand checkpoints may lag the log by up to a second by design (one publication a
  // second per process): ask again for a few seconds.
  let note = await getText("/api/v1/log/checkpoint");
  for (let i = 0; i < 30 && openCheckpoint(note, verifierKey).size < tree.size; i++) {
    await sleep(100);
    note = await getText("/api/v1/log/checkpoint");
  }
  const size = checkCheckpoint(note, `ronda ${round} (API)`);
  if (size !== tree.size) {
    fail(
      `ronda ${round}: el último punto de control tiene ${size} hojas y el registro ${tree.size}:\n${note}`,
    );
    return;
  }
  const root = checkpoints.at(-1)!.root;
  // Each acknowledged acuse, by its folio and code, against the latest checkpoint.
  const batch = unproved;
  unproved = [];
  for (let i = 0; i < batch.length; i += 32) {
    await Promise.all(
      batch.slice(i, i + 32).map(async (ack) => {
        try {
          const proof = JSON.parse(
            await getText(
              `/api/v1/log/inclusion?folio=${ack.folio}&codigo=${encodeURIComponent(ack.verificationCode)}&size=${size}`,
            ),
          ) as { proof: string[] };
          verifyInclusion(
            tree.subtreeHash(ack.leafIndex, ack.leafIndex + 1),
            ack.leafIndex,
            size,
            proof.proof.map((h) => Buffer.from(h, "base64")),
            root,
          );
          figures.inclusionProofs++;
        } catch (error) {
          fail(
            `ronda ${round}: el acuse ${ack.folio} no se prueba incluido: ${(error as Error).message}`,
          );
        }
      }),
    );
  }
  // Each checkpoint consistent with the next.
  for (; consistencyChecked + 1 < checkpoints.length; consistencyChecked++) {
    const a = checkpoints[consistencyChecked]!;
    const b = checkpoints[consistencyChecked + 1]!;
    try {
      const answer = JSON.parse(
        await getText(`/api/v1/log/consistencia?desde=${a.size}&hasta=${b.size}`),
      ) as { proof: string[] };
      verifyConsistency(
        a.size,
        b.size,
        answer.proof.map((h) => Buffer.from(h, "base64")),
        a.root,
        b.root,
      );
      figures.consistencyProofs++;
    } catch (error) {
      fail(`ronda ${round}: ${a.size} → ${b.size} no es consistente: ${(error as Error).message}`);
    }
  }
}

// ---- Clients ------------------------------------------------------------------------------

const RFCS = ["EKU9003173C9", "CACX7605101P8", "VADA800927DJ3", "XOJI740919U48"];

async function client(id: number, round: number, stop: { now: boolean }): Promise<void> {
  let i = 0;
  while (!stop.now) {
    figures.requests++;
    try {
      const answer = await fetch(`${url}/api/v1/pruebas/acuses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rfc: RFCS[(id + i++) % RFCS.length] }),
      });
      if (answer.status !== 201) {
        fail(`ronda ${round}: emitir respondió ${answer.status} ${await answer.text()}`);
        await sleep(100);
        continue;
      }
      const body = (await answer.json()) as TestAcuse;
      const ack = { ...body, round };
      if (acked.has(ack.folio)) fail(`ronda ${round}: folio repetido ${ack.folio}`);
      acked.set(ack.folio, ack);
      unchecked.push(ack);
      unproved.push(ack);
      figures.acknowledged++;
    } catch {
      // The server is gone: what was not answered was not acknowledged.
      await sleep(20);
    }
  }
}

// ---- Rounds -------------------------------------------------------------------------------

async function startServer(): Promise<BuzonProcess> {
  return spawnBuzon(["serve"], env);
}

async function kill(server: BuzonProcess): Promise<void> {
  server.child.kill("SIGKILL");
  await server.exited;
}

function progress(round: number): void {
  if (round % 10 === 0 || round === rounds) {
    console.log(
      `  ronda ${round}: ${figures.acknowledged} confirmados, ${tree.size} hojas, ${checkpoints.length} puntos de control, ${failures.length} fallas`,
    );
  }
}

const started = performance.now();
console.log(
  `crash harness — ${engine}, ${rounds} rounds, ${clients} clients, seed ${seed}, Node ${process.version}`,
);
try {
  for (let round = 1; round <= rounds; round++) {
    const t0 = performance.now();
    const server = await startServer();
    if (round > 1 && random() < 0.1) {
      // Killed while starting (migrating, loading the seal, opening the database).
      await sleep(random() * 1500);
      await kill(server);
      figures.killedWhileStarting++;
      await checkDatabase(round);
      figures.rounds++;
      progress(round);
      continue;
    }
    await server.waitFor(/Buzón IMSS en (http:\/\/\S+)/, 180_000);
    figures.restartMs.push(performance.now() - t0);
    await checkApi(round);
    const stop = { now: false };
    const running = Array.from({ length: clients }, (_, id) => client(id, round, stop));
    await sleep(200 + random() * 1800);
    await kill(server);
    stop.now = true;
    await Promise.all(running);
    await checkDatabase(round);
    figures.rounds++;
    progress(round);
  }
  // Last restart: everything acknowledged proved through the API, then a graceful stop.
  const server = await startServer();
  await server.waitFor(/Buzón IMSS en (http:\/\/\S+)/, 180_000);
  await checkApi(rounds + 1);
  server.child.kill("SIGTERM");
  const code = await server.exited;
  if (code !== 0) fail(`el cierre ordenado terminó con ${code}`);
  await checkDatabase(rounds + 1);
} finally {
  if (databaseName) {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
  rmSync(work, { recursive: true, force: true });
}

const seconds = (performance.now() - started) / 1000;
const restarts = figures.restartMs.sort((a, b) => a - b);
console.log(
  [
    `engine ${engine}, seed ${seed}: ${figures.rounds} rounds (${figures.killedWhileStarting} killed while starting) in ${seconds.toFixed(0)} s`,
    `acuses acknowledged ${figures.acknowledged} of ${figures.requests} requests; lost ${figures.lost}`,
    `log ${tree.size} leaves (acknowledged or not, all sealed and verified: ${figures.sealsVerified} seals), ${checkpoints.length} checkpoints, ${figures.consistencyProofs} consistency proofs, ${figures.inclusionProofs} inclusion proofs verified`,
    `restart to listening: median ${(restarts[Math.floor(restarts.length / 2)] ?? 0).toFixed(0)} ms, max ${(restarts.at(-1) ?? 0).toFixed(0)} ms`,
    `failures ${failures.length}`,
  ].join("\n"),
);
process.exitCode = failures.length > 0 ? 1 : 0;
