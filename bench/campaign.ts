// The reminder campaign of transitorio primero over a padrón on PostgreSQL: messages enqueued
// per second by the campaign (keyset reads of those not enabled, enqueueMany through the outbox,
// one transaction per batch) against a raw multi-row INSERT of the same rows into the same
// table, in the same run. Goal: ratio ≥ 0.5.
//
// Run with `npm run bench:campaign` (1,000,000 entries); BENCH_ROWS=50000 for a quick run.
// The database: a fresh one beside TEST_DATABASE_URL (default the local server), dropped after.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import pg from "pg";
import { CAMPAIGN_BATCH_ROWS, createReminderCampaign } from "../src/features/padron/campaign.ts";
import { RECORDATORIO_TEMPLATE } from "../src/features/padron/templates.ts";
import { fixedClock } from "../src/platform/clock.ts";
import { migrateToLatest, openDatabase } from "../src/platform/db/database.ts";
import { formatRate } from "./measure.ts";

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const baseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `buzon_bench_campaign_${randomBytes(4).toString("hex")}`;

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 2 });
const db = handle.db;

try {
  await migrateToLatest(db);
  const importId = "00000000-0000-4000-8000-00000000be4c";
  await db
    .insertInto("padron_imports")
    .values({
      id: importId,
      file_name: "bench.csv",
      sha256: "0".repeat(64),
      actor: "bench",
      started_at: new Date(),
      finished_at: new Date(),
      rows_read: rows,
      inserted: rows,
      updated: 0,
      unchanged: 0,
      refused: 0,
      refusals: "[]",
    })
    .execute();
  // Personas morales BxY000000AB1…: 12 characters, unique up to 26 million.
  await sql`
    insert into padron_entries
      (rfc, name, persona, registros_patronales, email_on_file, created_at, updated_at, import_id)
    select 'B' || chr(65 + (i / 1000000) % 26) || chr(65 + (i / 26000000) % 26)
             || lpad((i % 1000000)::text, 6, '0') || 'AB1',
           'EMPRESA DE PRUEBA ' || i || ' SA DE CV', 'moral', '{}',
           'nomina' || i || '@empresa' || (i % 97) || '.example', now(), now(), ${importId}
      from generate_series(0, ${rows - 1}) as i
  `.execute(db);
  await sql`analyze padron_entries`.execute(db);
  console.log(`Padrón de prueba: ${rows.toLocaleString("en-US")} entradas, ninguna habilitada.`);

  const clock = fixedClock("2026-11-23T18:00:00Z");
  const publicUrl = "https://buzon.example/";
  const fechaLimite = "sábado 1 de febrero de 2025";

  // Baseline: the same rows (read before the clock starts) in multi-row INSERTs of the same
  // batch size, straight into the outbox.
  const source = await db
    .selectFrom("padron_entries")
    .select(["rfc", "name", "email_on_file"])
    .orderBy("rfc")
    .execute();
  let t0 = performance.now();
  for (let start = 0; start < source.length; start += CAMPAIGN_BATCH_ROWS) {
    const values = source.slice(start, start + CAMPAIGN_BATCH_ROWS).map((r) => ({
      idempotency_key: `padron:recordatorio:base:${r.rfc}`,
      channel: "correo" as const,
      recipient: r.email_on_file!,
      template: RECORDATORIO_TEMPLATE,
      data: JSON.stringify({ nombre: r.name, rfc: r.rfc, fechaLimite, url: publicUrl }),
      rfc: r.rfc,
    }));
    await db.insertInto("outbox").values(values).execute();
  }
  const baseline = rows / ((performance.now() - t0) / 1000);
  // delivery_attempts refuses TRUNCATE (append-only); no attempt exists, so delete and rewrite
  // the table, and the campaign starts from an outbox as empty as the baseline's.
  await sql`delete from outbox`.execute(db);
  await sql`vacuum full analyze outbox`.execute(db);

  const campaign = createReminderCampaign({ db, clock, publicUrl });
  t0 = performance.now();
  const report = await campaign({ campaign: "bench" });
  const campaignRate = report.enqueued / ((performance.now() - t0) / 1000);
  if (report.enqueued !== rows) throw new Error(`se encolaron ${report.enqueued} de ${rows}`);

  t0 = performance.now();
  const again = await campaign({ campaign: "bench" });
  const rerunRate = again.recipients / ((performance.now() - t0) / 1000);
  if (again.enqueued !== 0) throw new Error(`la repetición encoló ${again.enqueued}`);

  const ratio = campaignRate / baseline;
  console.log(`INSERT multi-fila directo (línea base): ${formatRate(baseline)}`);
  console.log(
    `Campaña (lectura + enqueueMany, lotes de ${CAMPAIGN_BATCH_ROWS}): ${formatRate(campaignRate)}`,
  );
  console.log(
    `Razón campaña / línea base: ${ratio.toFixed(2)} (meta ≥ 0.5) ${ratio >= 0.5 ? "✓" : "✗"}`,
  );
  console.log(
    `Repetición de la campaña (nada nuevo que encolar): ${formatRate(rerunRate)} destinatarios revisados`,
  );
  if (ratio < 0.5) process.exitCode = 1;
} finally {
  await handle.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
