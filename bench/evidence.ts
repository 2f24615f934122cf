// Benchmark: acuses issued per second (seal + log append + durable write) against the raw
// RSA-2048 sign rate of node:crypto, measured in the same run; and checkpoint and proof times
// on a log of one million leaves. Figures go in the issue note.
// Run with `npm run bench:evidence`; set TEST_DATABASE_URL to include PostgreSQL (and the
// million-leaf log, which is built there).
//
// (a) raw RSA-2048 signatures of a cadena: one thread in a loop (sign() synchronously), and
//     on libuv's thread pool with enough in flight to keep every core busy (the machine's
//     ceiling). Issuance seals on the thread pool, so (a2) is the honest limit.
// (b) issueAcuse on PGlite with a data directory (files on disk): one caller waiting for each
//     acuse, and 64 callers at once (they share batches: one transaction, three INSERTs).
// (c) the same on PostgreSQL (synchronous_commit on: each batch's COMMIT is on disk).
// (d) a log of 1,000,000 leaves in PostgreSQL: build time (synthetic acuses written by SQL,
//     nodes computed once), then publishing a checkpoint and proofs read from stored nodes.
import { Buffer } from "node:buffer";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { verificationCodeOf } from "../src/domain/evidence/acuse-export.ts";
import { nodesCompletedBy } from "../src/domain/evidence/merkle.ts";
import { type AcuseInput, createEvidenceService } from "../src/features/evidence/service.ts";
import { createEvidenceStore } from "../src/features/evidence/store.ts";
import { systemClock } from "../src/platform/clock.ts";
import { createDevelopmentSeal, type InstituteSeal } from "../src/platform/crypto/seal.ts";
import { migrateToLatest, openDatabase } from "../src/platform/db/database.ts";
import type { Db } from "../src/platform/db/schema.ts";
import { promocionInput } from "../src/testing/acuse-input.ts";
import { createTestDatabase } from "../src/testing/database.ts";
import { formatRate, percentile, rate } from "./measure.ts";

const RAW_SECONDS = 3;
const ISSUE_SECONDS = 5;
const CONCURRENCY = 64;
const BIG_LOG = Number(process.env.BENCH_LOG_LEAVES ?? 1_000_000);
const PROOFS = 200;

const CADENA = Buffer.from(
  "||1|BI-20250203-100717151|promocion|EKU9003173C9|XOJI740919U48|representante_legal|2025-02-03T10:07:17.151-06:00|2025-02-03T10:07:17.151-06:00|momento_del_evento|IMSS:2025-1|lineamientos-2024-08-06|Promoción 1.pdf|abababababababababababababababababababababababababababababababab|1001||",
  "utf8",
);

function input(i: number): AcuseInput {
  return promocionInput(
    [{ name: `Promoción ${i}.pdf`, sha256: "ab".repeat(32), bytes: 1000 + i }],
    { calendarVersion: "IMSS:2025-1" },
  );
}

function rawSyncRate(seal: InstituteSeal): number {
  return rate(RAW_SECONDS, () => sign("sha256", CADENA, seal.privateKey)).perSecond;
}

/** Signatures on libuv's thread pool, `inFlight` at a time: every core busy. */
async function rawPoolRate(seal: InstituteSeal, inFlight: number): Promise<number> {
  const once = () =>
    new Promise<void>((resolve, reject) => {
      sign("sha256", CADENA, seal.privateKey, (error) => (error ? reject(error) : resolve()));
    });
  let calls = 0;
  const t0 = performance.now();
  const deadline = t0 + RAW_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await once();
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - t0) / 1000);
}

const logSigner = {
  name: "bench.invalid/log",
  privateKey: generateKeyPairSync("ed25519").privateKey,
};

/** `callers` loops issuing acuses until the deadline; returns acuses per second. */
async function issueRate(db: Db, seal: InstituteSeal, callers: number): Promise<number> {
  const service = createEvidenceService({
    store: createEvidenceStore(db),
    seal,
    clock: systemClock,
    logSigner,
  });
  await Promise.all(Array.from({ length: 50 }, (_, i) => service.issueAcuse(input(i)))); // warm-up
  let issued = 0;
  const t0 = performance.now();
  const deadline = t0 + ISSUE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await service.issueAcuse(input(issued));
        issued++;
      }
    }),
  );
  return issued / ((performance.now() - t0) / 1000);
}

const pct = (value: number, ceiling: number) => `${((100 * value) / ceiling).toFixed(1)} %`;
const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * Fills an empty database with `n` synthetic acuses (not sealed: only the log matters here),
 * their leaves and the nodes they complete, as issuance would have stored them.
 */
async function buildBigLog(db: Db, n: number): Promise<void> {
  await sql`
    insert into acuses (folio, kind, rfc, actor_rfc, capacity, event_at, counts_at, rule,
      calendar_version, rules_version, documents, cadena_original, seal,
      seal_certificate_number, leaf_index)
    select 'BI-' || to_char(t, 'YYYYMMDD') || '-' || to_char(t, 'HH24MISSMS'), 'promocion',
      'EKU9003173C9', 'EKU9003173C9', 'titular', t, t, 'momento_del_evento', 'bench', 'bench',
      '[]', 'cadena de prueba ' || i, 'sello' || i, 'x', i
    from generate_series(0, ${n - 1}) as i,
      lateral (select timestamptz '2030-01-01 06:00:00+00' + i * interval '1 millisecond') as s(t)
  `.execute(db);
  await sql`
    insert into log_leaves (leaf_index, leaf_hash, folio)
    select leaf_index, sha256('\\x00'::bytea || convert_to(cadena_original, 'UTF8')), folio
    from acuses order by leaf_index
  `.execute(db);
  const { rows } = await sql<{ leaf_hash: Uint8Array }>`
    select leaf_hash from log_leaves order by leaf_index
  `.execute(db);
  const nodes = nodesCompletedBy(
    0,
    [],
    rows.map((r) => new Uint8Array(r.leaf_hash)),
  );
  for (let i = 0; i < nodes.length; i += 10_000) {
    await db
      .insertInto("log_nodes")
      .values(
        nodes
          .slice(i, i + 10_000)
          .map((node) => ({ level: node.level, idx: node.index, hash: Buffer.from(node.hash) })),
      )
      .execute();
  }
}

async function bigLog(db: Db, seal: InstituteSeal, n: number): Promise<string[]> {
  const lines: string[] = [];
  let t0 = performance.now();
  await buildBigLog(db, n);
  lines.push(
    `(d) built a log of ${n.toLocaleString("en-US")} leaves in ${((performance.now() - t0) / 1000).toFixed(1)} s (synthetic; not part of the figures)`,
  );
  const service = createEvidenceService({
    store: createEvidenceStore(db),
    seal,
    clock: systemClock,
    logSigner,
  });
  t0 = performance.now();
  const checkpoint = await service.publishCheckpoint();
  lines.push(
    `(d) publish a signed checkpoint of ${checkpoint.size.toLocaleString("en-US")} leaves: ${ms(performance.now() - t0)}`,
  );
  const folios = await db
    .selectFrom("acuses")
    .select(["folio", "seal"])
    .where(
      "leaf_index",
      "in",
      Array.from({ length: PROOFS }, (_, i) => Math.floor(((i + 0.5) * n) / PROOFS)),
    )
    .execute();
  const time = async (what: string, work: (i: number) => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < folios.length; i++) {
      const start = performance.now();
      await work(i);
      times.push(performance.now() - start);
    }
    lines.push(
      `(d) ${what}: p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))} (${times.length} runs)`,
    );
  };
  await time("inclusion proof (folio → proof)", (i) =>
    service.inclusionProofFor(folios[i]!.folio, verificationCodeOf(folios[i]!.seal), n),
  );
  await time("consistency proof (random size → n)", (i) =>
    service.consistencyProof(1 + Math.floor(((i + 0.37) * (n - 1)) / PROOFS), n),
  );
  await time("tlog-proof export", (i) =>
    service.tlogProofFor(folios[i]!.folio, verificationCodeOf(folios[i]!.seal)),
  );
  // Growth after the build: one more acuse appended to the big log, sealed for real.
  t0 = performance.now();
  await service.issueAcuse(input(n));
  lines.push(
    `(d) issue one acuse onto the ${n.toLocaleString("en-US")}-leaf log: ${ms(performance.now() - t0)}`,
  );
  return lines;
}

const dir = await mkdtemp(join(tmpdir(), "buzon-bench-evidence-"));
try {
  const seal = await createDevelopmentSeal(join(dir, "sello"));
  const cores = availableParallelism();
  const rawSync = rawSyncRate(seal);
  const rawPool = await rawPoolRate(seal, 4 * cores);
  console.log(
    `node ${process.version}, ${cores} cores, RSA-2048 seal, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}`,
  );
  console.log(`(a1) raw RSA-2048 sign, one thread:          ${formatRate(rawSync)}`);
  console.log(`(a2) raw RSA-2048 sign, libuv thread pool:   ${formatRate(rawPool)}`);

  const rows: [string, number][] = [];
  const pglite = openDatabase({ engine: "pglite", dataDir: join(dir, "pglite") });
  try {
    await migrateToLatest(pglite.db);
    rows.push(["(b) PGlite (data dir), 1 caller", await issueRate(pglite.db, seal, 1)]);
    rows.push([
      `(b) PGlite (data dir), ${CONCURRENCY} callers`,
      await issueRate(pglite.db, seal, CONCURRENCY),
    ]);
  } finally {
    await pglite.close();
  }
  let bigLines: string[] = [];
  if (process.env.TEST_DATABASE_URL) {
    const postgres = await createTestDatabase("postgres");
    try {
      rows.push(["(c) PostgreSQL, 1 caller", await issueRate(postgres.db, seal, 1)]);
      rows.push([
        `(c) PostgreSQL, ${CONCURRENCY} callers`,
        await issueRate(postgres.db, seal, CONCURRENCY),
      ]);
    } finally {
      await postgres.dispose();
    }
    if (BIG_LOG > 0) {
      const big = await createTestDatabase("postgres");
      try {
        bigLines = await bigLog(big.db, seal, BIG_LOG);
      } finally {
        await big.dispose();
      }
    }
  } else {
    console.log("(c), (d) PostgreSQL: skipped (TEST_DATABASE_URL not set)");
  }
  for (const [name, perSecond] of rows) {
    console.log(
      `${name.padEnd(34)} ${formatRate(perSecond).padStart(9)}   ${pct(perSecond, rawSync)} of (a1)   ${pct(perSecond, rawPool)} of (a2)`,
    );
  }
  for (const line of bigLines) console.log(line);
} finally {
  await rm(dir, { recursive: true, force: true });
}
