// Benchmark: acuses issued per second (seal + log append + durable write) against the raw
// RSA-2048 sign rate of node:crypto, measured in the same run. Figures go in the issue note.
// Run with `TZ=UTC node bench/evidence.ts`; set TEST_DATABASE_URL to include PostgreSQL.
//
// (a) node:crypto sign("sha256", cadena, sealKey) in a loop: the ceiling.
// (b) issueAcuse on PGlite with a data directory (files on disk), sequential and with N
//     concurrent callers.
// (c) the same on PostgreSQL (a fresh database, pool of 4), when TEST_DATABASE_URL is set.
// Every issuance is one transaction under the log's advisory lock, so concurrency does not
// add throughput yet: batching several acuses per transaction is the next step (issue 4 §5).
import { Buffer } from "node:buffer";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { RULES_VERSION } from "../src/domain/plazos/rules.ts";
import { type AcuseInput, createEvidenceService } from "../src/features/evidence/service.ts";
import { createEvidenceStore } from "../src/features/evidence/store.ts";
import { systemClock } from "../src/platform/clock.ts";
import { createDevelopmentSeal, type InstituteSeal } from "../src/platform/crypto/seal.ts";
import { migrateToLatest, openDatabase } from "../src/platform/db/database.ts";
import type { Db } from "../src/platform/db/schema.ts";
import { createTestDatabase } from "../src/testing/database.ts";

const RAW_SECONDS = 3;
const ISSUE_SECONDS = 4;
const CONCURRENCY = 16;

function input(i: number): AcuseInput {
  const at = Temporal.Now.instant().round({ smallestUnit: "millisecond", roundingMode: "floor" });
  return {
    kind: "promocion",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: at,
    countsAt: at,
    rule: "momento_del_evento",
    calendarVersion: "IMSS:2025-1",
    rulesVersion: RULES_VERSION,
    documents: [{ name: `Promoción ${i}.pdf`, sha256: "ab".repeat(32), bytes: 1000 + i }],
  };
}

function rawSignRate(seal: InstituteSeal): number {
  const data = Buffer.from(
    "||1|BI-20250203-100717151|promocion|EKU9003173C9|XOJI740919U48|representante_legal|2025-02-03T10:07:17.151-06:00|2025-02-03T10:07:17.151-06:00|momento_del_evento|IMSS:2025-1|lineamientos-2024-08-06|Promoción 1.pdf|abababababababababababababababababababababababababababababababab|1001||",
    "utf8",
  );
  const warm = performance.now() + 300;
  while (performance.now() < warm) sign("sha256", data, seal.privateKey);
  let calls = 0;
  const t0 = performance.now();
  const deadline = t0 + RAW_SECONDS * 1000;
  let now = t0;
  while (now < deadline) {
    for (let k = 0; k < 8; k++) sign("sha256", data, seal.privateKey);
    calls += 8;
    now = performance.now();
  }
  return calls / ((now - t0) / 1000);
}

/** `callers` loops issuing acuses until the deadline; returns acuses per second. */
async function issueRate(db: Db, seal: InstituteSeal, callers: number): Promise<number> {
  const service = createEvidenceService({
    store: createEvidenceStore(db),
    seal,
    clock: systemClock,
    logSigner: { name: "bench.invalid/log", privateKey: generateKeyPairSync("ed25519").privateKey },
  });
  for (let i = 0; i < 20; i++) await service.issueAcuse(input(i)); // warm-up
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

const fmt = (perSecond: number) => `${Math.round(perSecond).toLocaleString("en-US")} /s`;
const pct = (value: number, ceiling: number) => `${((100 * value) / ceiling).toFixed(1)} %`;

const dir = await mkdtemp(join(tmpdir(), "buzon-bench-evidence-"));
try {
  const seal = await createDevelopmentSeal(join(dir, "sello"));
  const raw = rawSignRate(seal);
  console.log(`node ${process.version}, RSA-2048 seal`);
  console.log(`(a) raw RSA-2048 sign (node:crypto):        ${fmt(raw)}`);

  const rows: [string, number][] = [];
  const pglite = openDatabase({ engine: "pglite", dataDir: join(dir, "pglite") });
  try {
    await migrateToLatest(pglite.db);
    rows.push(["(b) PGlite (data dir), sequential", await issueRate(pglite.db, seal, 1)]);
    rows.push([
      `(b) PGlite (data dir), ${CONCURRENCY} callers`,
      await issueRate(pglite.db, seal, CONCURRENCY),
    ]);
  } finally {
    await pglite.close();
  }
  if (process.env.TEST_DATABASE_URL) {
    const postgres = await createTestDatabase("postgres");
    try {
      rows.push(["(c) PostgreSQL, sequential", await issueRate(postgres.db, seal, 1)]);
      rows.push([
        `(c) PostgreSQL, ${CONCURRENCY} callers`,
        await issueRate(postgres.db, seal, CONCURRENCY),
      ]);
    } finally {
      await postgres.dispose();
    }
  } else {
    console.log("(c) PostgreSQL: skipped (TEST_DATABASE_URL not set)");
  }
  for (const [name, rate] of rows) {
    console.log(`${name.padEnd(42)} ${fmt(rate).padStart(8)}   ${pct(rate, raw)} of raw sign`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
