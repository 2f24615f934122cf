// Benchmark: depositing signed notifications through the batch path (the service's one deposit:
// PDF and CMS checks, the signer's certificate and role, the padrón, the mailbox lock, the blob
// store, the act, its event and its avisos in one transaction) and releasing their avisos (the
// sweep seals each aviso's acuse and writes `aviso_emitido`), against a raw multi-row INSERT of
// the very rows that run wrote, into copies of the same tables (same columns, constraints and
// indexes; no triggers, no identity: the ids are given), in the same run. Figures go in the issue note, never in assertions.
//
// Run with `TEST_DATABASE_URL=postgres://… npm run bench:deposito`; BENCH_DEPOSITS (default
// 100000) acts, BENCH_RFCS (default 1000) addressees with enabled mailboxes, BENCH_CHUNK (default
// the batch's, 100) acts per chunk, BENCH_CONCURRENCY (default the batch's, 4) chunks in flight,
// BENCH_POOL (default 10, the server's) connections. Signatures are made before the timer with a development-CA
// e.firma over small distinct PDFs.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import {
  DEFAULT_BATCH_CONCURRENCY,
  DEFAULT_CHUNK_SIZE,
  depositBatch,
} from "../src/features/notificaciones/batch.ts";
import type { DepositInput } from "../src/features/notificaciones/deposit.ts";
import {
  enableMailbox,
  fisicaRfc,
  padronWith,
  pdfOf,
  signerOf,
} from "../src/features/notificaciones/test-support.ts";
import { isProblemCode, PROBLEMS } from "../src/platform/http/errors.ts";
import { issueFisicaEfirma } from "../src/testing/efirma.ts";
import { createTestSystem } from "../src/testing/server.ts";
import { formatRate } from "./measure.ts";

if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write("bench:deposito mide PostgreSQL: defina TEST_DATABASE_URL.\n");
  process.exit(2);
}
const N = Number(process.env.BENCH_DEPOSITS ?? 100_000);
const RFCS = Number(process.env.BENCH_RFCS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_BATCH_CONCURRENCY);
const CHUNK = Number(process.env.BENCH_CHUNK ?? DEFAULT_CHUNK_SIZE);
/** Connections of the pool: 10, what `buzon serve` and `buzon notificar` open by default. */
const POOL = Number(process.env.BENCH_POOL ?? 10);
/** Monday 14 Dec 2026, 10:00 Zona Centro: inside the window, each aviso counts at its deposit. */
const NOW = Temporal.Instant.from("2026-12-14T10:00:00-06:00");

const ALPHABET = "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";
/** Persona moral RFCs with their check digit: BEN900317 + two characters + the digit. */
const rfcs = Array.from({ length: RFCS }, (_, i) => {
  const body = `BEN900317${ALPHABET[Math.floor(i / ALPHABET.length) % ALPHABET.length]}${ALPHABET[i % ALPHABET.length]}`;
  return `${body}${rfcCheckDigit(body)}`;
});

const system = await createTestSystem({
  engine: "postgres",
  poolSize: POOL,
  trustDevCa: true,
  clock: () => NOW,
  // No background sweep: the release is measured on its own, after the deposits.
  env: { NOTIFICACION_SWEEP_BATCH: "512", NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0" },
});
const db = system.database.db;
try {
  process.stderr.write(`Preparando ${RFCS} destinatarios y ${N} actos firmados…\n`);
  await padronWith(
    db,
    rfcs.map((rfc) => ({ rfc })),
    NOW,
  );
  for (const rfc of rfcs) await enableMailbox(db, rfc, NOW);
  const notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
  await system.staff.set({ rfc: notificador.rfc, role: "notificador", name: "NORA" }, "bench");
  const sign = await signerOf(notificador);
  let t0 = performance.now();
  const inputs: DepositInput[] = Array.from({ length: N }, (_, i) => {
    const pdf = pdfOf(`acto ${i} ${NOW.epochMilliseconds}`);
    return {
      idempotencyKey: `bench-${i}`,
      rfc: rfcs[i % RFCS]!,
      actType: "7.1",
      oficio: `09 53 01 9200/${i}`,
      issuingUnit: "Subdelegación Centro",
      documentName: `acto-${i}.pdf`,
      document: pdf.toString("base64"),
      signature: Buffer.from(sign(pdf)).toString("base64"),
    };
  });
  const signSeconds = (performance.now() - t0) / 1000;

  // (b) the batch path, then the release of the avisos.
  t0 = performance.now();
  const { counts } = await depositBatch(
    inputs,
    (input) => ({ input }),
    { rfc: notificador.rfc, via: "linea_de_comandos" },
    (inputs, depositor) => system.notificaciones.depositMany(inputs, depositor),
    {
      concurrency: CONCURRENCY,
      chunkSize: CHUNK,
      statusOf: (code) => (isProblemCode(code) ? PROBLEMS[code].status : 500),
    },
  );
  const depositSeconds = (performance.now() - t0) / 1000;
  if (counts.deposited !== N) throw new Error(`depositados ${counts.deposited} de ${N}`);
  // Acts sent to estrados have no aviso to release (the addressee's mailbox was not enabled).
  const { rows: reasons } = await sql<{ reason: string | null; n: string }>`
    select data->>'estradosReason' as reason, count(*) as n from notificacion_events
     where type = 'depositada' group by 1 order by 1`.execute(db);
  const onEstrados = reasons.reduce((n, r) => n + (r.reason ? Number(r.n) : 0), 0);
  if (onEstrados > 0) process.stderr.write(`En estrados: ${JSON.stringify(reasons)}\n`);
  const avisos = N - onEstrados;
  // Until every aviso is sealed: a pass leaves for the next what another transaction held.
  t0 = performance.now();
  const sealed = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from notificacion_events
           where type = 'aviso_emitido'`.execute(db)
      ).rows[0]?.n ?? 0,
    );
  let released = 0;
  for (let pass = 0; pass < 50 && released < avisos; pass++) {
    const report = await system.notificacionSweeps.issueAvisos();
    released = await sealed();
    if (process.env.BENCH_DEBUG) {
      process.stderr.write(`${JSON.stringify({ ...report, sealed: released })}\n`);
    }
  }
  const releaseSeconds = (performance.now() - t0) / 1000;
  if (released !== avisos) throw new Error(`avisos sellados ${released} de ${avisos}`);

  // (a) raw: the same rows, copied into twin tables by multi-row INSERTs of 1000: first those
  // the deposit wrote (the act, its blob, its `depositada` event, its avisos in the outbox),
  // then those the release wrote, each part timed on its own.
  const owner = system.database.asOwner;
  const tables = [
    "blobs",
    "notificaciones",
    "notificacion_events",
    "outbox",
    "acuses",
    "acuse_statements",
    "log_leaves",
    "log_nodes",
  ] as const;
  for (const table of tables) {
    await sql`create table ${sql.id(`raw_${table}`)} (like ${sql.id(table)} including defaults including constraints including indexes)`.execute(
      owner,
    );
  }
  const read = async (table: string, where = sql`true`) =>
    (
      await sql<
        Record<string, unknown>
      >`select * from ${sql.id(table)} where ${where} order by 1`.execute(owner)
    ).rows;
  const depositParts = [
    ["blobs", await read("blobs")],
    ["notificaciones", await read("notificaciones")],
    ["notificacion_events", await read("notificacion_events", sql`type = 'depositada'`)],
    ["outbox", await read("outbox")],
  ] as const;
  const releaseParts = [
    ["notificacion_events", await read("notificacion_events", sql`type <> 'depositada'`)],
    ["acuses", await read("acuses")],
    ["acuse_statements", await read("acuse_statements")],
    ["log_leaves", await read("log_leaves")],
    ["log_nodes", await read("log_nodes")],
  ] as const;
  const insertRaw = async (parts: readonly (readonly [string, Record<string, unknown>[]])[]) => {
    const start = performance.now();
    for (const [table, all] of parts) {
      for (let i = 0; i < all.length; i += 1000) {
        const chunk = all.slice(i, i + 1000).map((row) => {
          const copy: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(row)) {
            copy[k] =
              v !== null && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v)
                ? JSON.stringify(v)
                : v;
          }
          return copy;
        });
        // biome-ignore lint/suspicious/noExplicitAny: twin tables outside the typed schema
        await (owner as any).insertInto(`raw_${table}`).values(chunk).execute();
      }
    }
    return (performance.now() - start) / 1000;
  };
  const rawDepositSeconds = await insertRaw(depositParts);
  const rawReleaseSeconds = await insertRaw(releaseParts);
  const rawSeconds = rawDepositSeconds + rawReleaseSeconds;
  const count = (parts: readonly (readonly [string, unknown[]])[]) =>
    parts.reduce((n, [, all]) => n + all.length, 0);
  const rowCount = count(depositParts) + count(releaseParts);

  const pathSeconds = depositSeconds + releaseSeconds;
  const line = (label: string, perSecond: number) =>
    `  ${label.padEnd(44)} ${formatRate(perSecond).padStart(12)}`;
  process.stdout.write(
    [
      `bench:deposito on PostgreSQL: ${N} acts to ${RFCS} addressees (2 validated means each), chunks of ${CHUNK}, ${CONCURRENCY} in flight, ${POOL} connections`,
      `  signatures made before the timer: ${signSeconds.toFixed(1)} s`,
      line("deposit (batch path), acts/s", N / depositSeconds),
      line(`release of the ${avisos} avisos (acuse + event), acts/s`, avisos / releaseSeconds),
      line("deposit + release, acts/s", N / pathSeconds),
      line(`raw multi-row INSERT of the same ${rowCount} rows, acts/s`, N / rawSeconds),
      line(`  of which the deposit's ${count(depositParts)} rows, acts/s`, N / rawDepositSeconds),
      `  ratio deposit / raw of its rows: ${(rawDepositSeconds / depositSeconds).toFixed(3)}`,
      `  ratio release / raw of its rows: ${(rawReleaseSeconds / releaseSeconds).toFixed(3)}`,
      `  ratio (deposit + release) / raw: ${(rawSeconds / pathSeconds).toFixed(3)}  (goal ≥ 0.5)`,
      `  seconds: deposit ${depositSeconds.toFixed(1)}, release ${releaseSeconds.toFixed(1)}, raw ${rawSeconds.toFixed(1)} (deposit's ${rawDepositSeconds.toFixed(1)}, release's ${rawReleaseSeconds.toFixed(1)})`,
      "",
    ].join("\n"),
  );
} finally {
  await system.app.close();
}
