// Notifications on PostgreSQL, each against the bare SQL of the same rows in the same run:
//
// (a) The fourth-day sweep over BENCH_ACTS pending acts (default 1,000,000):
//     - baseline: one bare UPDATE marking the same rows notified (a scratch table: ours are
//       append-only and have no state column to update);
//     - decide: the sweep's decision without sealing, with the statements of its group record
//       (sweeps.ts, issueDecided) — keyset reads of the acts due (partial index, a probe of the
//       once-only index per act), each batch in one transaction that locks its acts in one
//       statement (for update skip locked), re-reads and projects their timelines and appends
//       the `constancia_cuarto_dia` events in one statement (BENCH_DEBUG: time per phase);
//     - with acuses: the real sweep (`issueConstancias`) on BENCH_ACUSES acts (default 20,000):
//       the same inside each batch's issuance transaction, plus the sealed acuse of each (RSA
//       seal, Merkle log leaf), extrapolated to BENCH_ACTS at the measured rate;
//     - the seal alone: the constancias' cadenas signed again with an RSA-2048 key, on one core
//       and on libuv's threads as issuance signs: the bound any sweep that seals each act has.
// (b) «Mis notificaciones»: BENCH_RFCS addressees (default 20) with BENCH_PER_RFC acts each
//     (default 10,000); BENCH_SESSIONS concurrent callers (default 200) ask the first page
//     (50) of the service's list (the projection and the engine's dates of each act) against a
//     raw SELECT of the same page; p50/p99 of each, in two load models:
//     - closed loop: each caller asks again the moment it is answered (BENCH_CALLS pages in
//       all): a stress test, where the queue for the pool's connections dominates;
//     - paced: each of the BENCH_SESSIONS sessions asks one page every BENCH_PACE_MS (default
//       1000) for BENCH_PACE_S seconds (default 15), each starting at its own offset, as people
//       paging do; a latency counts from the instant the request was due, so a late start counts.
//     The paced run is repeated through the HTTP route (GET /api/v1/notificaciones, app.inject
//     in-process) with one real e.firma session per caller (sign-ins done before the timer).
//     Each paced run also gives this process's CPU time per page, which the machine's load
//     moves far less than latencies.
//
// Run with `npm run bench:notificaciones`; BENCH_ACTS=100000 BENCH_ACUSES=5000 for a quick run.
// The database: a fresh one beside TEST_DATABASE_URL (default the local server), dropped after.
import { Buffer } from "node:buffer";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import pg from "pg";
import { checkTransition, projectNotificacion } from "../src/domain/notificaciones/lifecycle.ts";
import { appendNotificacionEvents, eventsOf } from "../src/features/notificaciones/store.ts";
import { actsToSweep, tryLockNotificaciones } from "../src/features/notificaciones/sweep-store.ts";
import { avisoTerm } from "../src/features/notificaciones/sweeps.ts";
import { lifecycleEvents } from "../src/features/notificaciones/views.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type InstituteSeal, sealText } from "../src/platform/crypto/seal.ts";
import { openDatabase } from "../src/platform/db/database.ts";
import { buildSystem } from "../src/system.ts";
import { fisicaRfc } from "../src/testing/acts.ts";
import { issueFisicaEfirma, testDevCa } from "../src/testing/efirma.ts";
import { percentile, seeded } from "./measure.ts";
import { signInOverHttp } from "./session.ts";

const acts = Number(process.env.BENCH_ACTS ?? 1_000_000);
const acuses = Number(process.env.BENCH_ACUSES ?? 20_000);
const rfcs = Number(process.env.BENCH_RFCS ?? 20);
const perRfc = Number(process.env.BENCH_PER_RFC ?? 10_000);
const sessions = Number(process.env.BENCH_SESSIONS ?? 200);
const calls = Number(process.env.BENCH_CALLS ?? 4000);
const batch = Number(process.env.BENCH_BATCH ?? 256);
const paceMs = Number(process.env.BENCH_PACE_MS ?? 1000);
const paceSeconds = Number(process.env.BENCH_PACE_S ?? 15);
const baseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `buzon_bench_notif_${randomBytes(4).toString("hex")}`;

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const dataDir = await mkdtemp(join(tmpdir(), "buzon-bench-notif-"));

const at = (text: string) => Temporal.Instant.from(text);
// Monday 4 Jan 2027: the acuses' acts (notified Friday 8 at 09:30). Tuesday 5: the decided ones
// (notified Monday 11 at 09:30). Monday 1 Feb: «Mis notificaciones» (pending).
const ACUSES_DAY = "2027-01-04";
const DECIDE_DAY = "2027-01-05";
const LIST_DAY = "2027-02-01";
let now = at("2027-01-04T09:00:00-06:00");

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmt = (s: number) => `${s.toFixed(2)} s`;

/** `count` acts with their `depositada` event, avisos between 10:00 and 17:59 of `day`. */
async function insertActs(
  db: ReturnType<typeof openDatabase>["db"],
  count: number,
  day: string,
  rfcOf: string,
): Promise<void> {
  const chunk = 200_000;
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk) - 1;
    await sql`
      with inserted as (
        insert into notificaciones
          (id, idempotency_key, request_sha256, rfc, registro_patronal, act_type, oficio,
           issuing_unit, document_name, document_sha256, document_bytes, signature, signer_rfc,
           signer_certificate_number, deposited_by, deposited_at, aviso_at, estrados,
           calendar_version, rules_version, replaces_id)
        select gen_random_uuid(), gen_random_uuid()::text, repeat('a', 64), ${sql.raw(rfcOf)},
               null, '7.1', 'oficio ' || i, 'Subdelegación', 'Resolución.pdf',
               md5(i::text) || md5((i + 1)::text), 1000, '\\x3000'::bytea, 'NOTI800101AB1',
               '30001000000500003416', 'NOTI800101AB1',
               (${day}::date + time '10:00' + (i % 28000) * interval '1 second')
                 at time zone 'America/Mexico_City',
               (${day}::date + time '10:00' + (i % 28000) * interval '1 second')
                 at time zone 'America/Mexico_City',
               false, 'bench-1', 'lineamientos-2024-08-06.4', null
          from generate_series(${start}::int, ${end}::int) as i
        returning id, aviso_at
      )
      insert into notificacion_events (notificacion_id, type, at, recorded_at, data)
      select id, 'depositada', aviso_at, aviso_at,
             jsonb_build_object('avisoAt', aviso_at, 'estrados', false)
        from inserted
    `.execute(db);
  }
}

const handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 10 });
const db = handle.db;
const system = await buildSystem({
  config: loadConfig({
    BUZON_ENV: "test",
    LOG_LEVEL: "silent",
    DATABASE_URL: url.toString(),
    DATA_DIR: dataDir,
    CHECKPOINT_INTERVAL_SECONDS: "0",
    NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0",
    DELIVERY_INTERVAL_SECONDS: "0",
    NOTIFICACION_SWEEP_BATCH: String(batch),
    // Every caller of (b) signs in from the same address before the timer.
    SIGNIN_RATE_LIMIT: String(sessions * 4),
  }),
  database: handle,
  initialCalendar: { authority: "IMSS", version: "bench-1", years: [2027], days: [] },
  trustAnchors: [(await testDevCa()).certificate],
  clock: () => now,
  worker: false,
});

try {
  // ---- (a) the fourth-day sweep ----
  let t0 = performance.now();
  // Spread over 676 addressees each (personas morales with a valid date in the RFC).
  await insertActs(
    db,
    acuses,
    ACUSES_DAY,
    "'A' || chr(65 + i % 26) || chr(65 + (i / 26) % 26) || '900101AB1'",
  );
  await insertActs(
    db,
    acts,
    DECIDE_DAY,
    "'D' || chr(65 + i % 26) || chr(65 + (i / 26) % 26) || '900101AB1'",
  );
  await sql`analyze notificaciones`.execute(db);
  await sql`analyze notificacion_events`.execute(db);
  console.log(
    `(a) ${acts.toLocaleString("en-US")} + ${acuses.toLocaleString("en-US")} actos pendientes escritos en ${fmt(seconds(t0))}`,
  );

  // Baseline: the same rows' state flipped by one bare UPDATE.
  await sql`create table bench_state as
    select id, false as notified from notificaciones
     where aviso_at >= ${new Date(at(`${DECIDE_DAY}T00:00:00-06:00`).epochMilliseconds)}`.execute(
    db,
  );
  t0 = performance.now();
  const updated = await sql`update bench_state set notified = true where not notified`.execute(db);
  const bare = seconds(t0);

  // With acuses: the real sweep on the acuses' day only (Friday 8 at 10:00).
  now = at("2027-01-08T10:00:00-06:00");
  t0 = performance.now();
  const sealed = await system.notificacionSweeps.issueConstancias();
  const withAcuses = seconds(t0);

  // The seal alone, right after the sweep (the same load): the constancias' own cadenas signed
  // again with an RSA-2048 key (the development seal's size), on one core, then as issuance
  // signs them (libuv's threads).
  const { rows: cadenas } = await sql<{ cadena_original: string }>`
    select cadena_original from acuses where kind = 'constancia_cuarto_dia'
     order by leaf_index limit ${Math.max(1, Math.min(sealed.done, 4000))}`.execute(db);
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  t0 = performance.now();
  for (const c of cadenas) sign("sha256", Buffer.from(c.cadena_original, "utf8"), rsa);
  const signedPerCore = cadenas.length / seconds(t0);
  const sealLike = { privateKey: rsa } as InstituteSeal;
  t0 = performance.now();
  await Promise.all(cadenas.map((c) => sealText(sealLike, c.cadena_original)));
  const signedInPool = cadenas.length / seconds(t0);

  // Decide: the sweep's reads, locks, projections and appends without the seal (Monday 11).
  now = at("2027-01-11T10:00:00-06:00");
  const calendar = await system.calendars.calendar();
  const term = avisoTerm(calendar, Temporal.PlainDate.from(DECIDE_DAY));
  const from = new Date(at(`${DECIDE_DAY}T00:00:00-06:00`).epochMilliseconds);
  const until = new Date(at("2027-01-06T00:00:00-06:00").epochMilliseconds);
  let decided = 0;
  if (process.env.BENCH_DEBUG) {
    const plan = await sql<{ "QUERY PLAN": string }>`explain analyze
      select n.id from notificaciones n
       where not n.estrados and n.aviso_at < ${until} and n.aviso_at >= ${from}
         and (n.aviso_at, n.id) > (${from}::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid)
         and not (select exists (select 1 from notificacion_events e where e.notificacion_id = n.id
               and e.type in ('constancia_cuarto_dia', 'abierta', 'cancelada')))
       order by n.aviso_at, n.id limit 256`.execute(db);
    console.log(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
  }
  t0 = performance.now();
  let after: { avisoAt: Date; id: string } | undefined;
  let reading = 0;
  const phases = { lock: 0, read: 0, project: 0, append: 0 };
  for (;;) {
    const r0 = performance.now();
    const rows = await actsToSweep(db, {
      from,
      until,
      after,
      settledBy: ["constancia_cuarto_dia", "abierta", "cancelada"],
      limit: batch,
    });
    reading += seconds(r0);
    if (rows.length === 0) break;
    await db.transaction().execute(async (tx) => {
      // As the sweep's group record does (sweeps.ts, issueDecided): the batch's acts locked in
      // one statement (skip locked), their timelines read in one, each projected, the events
      // appended in one.
      let p0 = performance.now();
      const locked = await tryLockNotificaciones(
        tx,
        rows.map((r) => r.id),
      );
      phases.lock += seconds(p0);
      p0 = performance.now();
      const events = await eventsOf(tx, [...locked]);
      phases.read += seconds(p0);
      p0 = performance.now();
      const values = [];
      for (const row of rows) {
        if (!locked.has(row.id)) continue;
        const avisoAt = Temporal.Instant.fromEpochMilliseconds(row.aviso_at.getTime());
        const p = projectNotificacion(
          lifecycleEvents(events.get(row.id) ?? []),
          { avisoAt, deemedNotifiedAt: term.deemedNotifiedAt },
          now,
        );
        checkTransition(p, "constancia_cuarto_dia");
        values.push({
          notificacionId: row.id,
          type: "constancia_cuarto_dia" as const,
          at: term.deemedNotifiedAt,
          recordedAt: now,
          acuseFolio: null,
          data: { fourthBusinessDay: term.fourthBusinessDay.toString() },
        });
      }
      phases.project += seconds(p0);
      p0 = performance.now();
      decided += (await appendNotificacionEvents(tx, values)).size;
      phases.append += seconds(p0);
    });
    const last = rows.at(-1)!;
    after = { avisoAt: last.aviso_at, id: last.id };
    if (rows.length < batch) break;
  }
  const decide = seconds(t0);
  if (process.env.BENCH_DEBUG) {
    console.log(
      `    (lecturas por llave ${fmt(reading)}, candados ${fmt(phases.lock)}, líneas de tiempo ${fmt(phases.read)}, proyección ${fmt(phases.project)}, eventos ${fmt(phases.append)})`,
    );
  }
  const perActSealed = withAcuses / Math.max(1, sealed.done);

  console.log(
    `    UPDATE simple de ${Number(updated.numAffectedRows ?? 0).toLocaleString("en-US")} filas: ${fmt(bare)}`,
  );
  console.log(
    `    decidir (leer por llave, bloquear, proyectar, anexar el evento) ${decided.toLocaleString("en-US")} actos: ${fmt(decide)}  (${Math.round(decided / decide).toLocaleString("en-US")}/s; razón UPDATE/decidir ${(bare / decide).toFixed(3)})`,
  );
  console.log(
    `    con acuses (barrido real, sello RSA y registro Merkle) ${sealed.done.toLocaleString("en-US")} actos: ${fmt(withAcuses)}  (${Math.round(sealed.done / withAcuses).toLocaleString("en-US")}/s; extrapolado a ${acts.toLocaleString("en-US")}: ${fmt(perActSealed * acts)}; razón UPDATE/con acuses ${(bare / (perActSealed * acts)).toFixed(4)})`,
  );
  console.log(
    `    solo firmas RSA-2048 de ${cadenas.length.toLocaleString("en-US")} cadenas: ${Math.round(signedPerCore).toLocaleString("en-US")}/s en un núcleo, ${Math.round(signedInPool).toLocaleString("en-US")}/s en los hilos de libuv (${availableParallelism()} CPU; razón barrido/firmas ${(sealed.done / withAcuses / signedInPool).toFixed(2)}; un millón de firmas: ${fmt(1_000_000 / signedInPool)})`,
  );

  // ---- (b) «Mis notificaciones» ----
  now = at(`${LIST_DAY}T09:00:00-06:00`);
  t0 = performance.now();
  // Personas físicas (LA.., LB.., …), so each can sign in with an e.firma of the test CA.
  const listRfcs = Array.from({ length: rfcs }, (_, i) =>
    fisicaRfc(
      `L${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}X`,
    ),
  );
  for (const rfc of listRfcs) await insertActs(db, perRfc, LIST_DAY, `'${rfc}'`);
  await sql`analyze notificaciones`.execute(db);
  await sql`analyze notificacion_events`.execute(db);
  console.log(
    `(b) ${rfcs} RFC × ${perRfc.toLocaleString("en-US")} actos escritos en ${fmt(seconds(t0))}`,
  );
  now = at(`${LIST_DAY}T18:00:00-06:00`);
  const page = 50;

  async function measure(call: (rfc: string) => Promise<unknown>): Promise<number[]> {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: sessions }, async (_, s) => {
        for (;;) {
          const i = next++;
          if (i >= calls) return;
          const rfc = listRfcs[(s + i) % listRfcs.length]!;
          const c0 = performance.now();
          await call(rfc);
          latencies.push(performance.now() - c0);
        }
      }),
    );
    return latencies;
  }
  const raw = (rfc: string) =>
    sql`select * from notificaciones where rfc = ${rfc}
         order by deposited_at desc, id desc limit ${page}`.execute(db);
  const service = (rfc: string) => system.notificaciones.list(rfc, { limit: page });
  await measure(raw);
  await measure(service);
  const rawLatencies = await measure(raw);
  const serviceLatencies = await measure(service);
  const p = (values: number[], q: number) => `${percentile(values, q).toFixed(1)} ms`;
  const report = (label: string, raw: number[], measured: number[]) =>
    console.log(
      `      ${label}: p50 ${p(measured, 50)}  p99 ${p(measured, 99)}  (${measured.length} páginas; SELECT p50 ${p(raw, 50)} p99 ${p(raw, 99)}; razón p99 SELECT/${label.split(" ")[0]} ${(percentile(raw, 99) / percentile(measured, 99)).toFixed(2)})${cpuOf(raw, measured)}`,
    );
  /** This process's CPU (user + system) per page of each paced run: what load does not move. */
  const cpuPerPage = new WeakMap<number[], number>();
  const cpuOf = (raw: number[], measured: number[]) => {
    const [a, b] = [cpuPerPage.get(raw), cpuPerPage.get(measured)];
    return a === undefined || b === undefined
      ? ""
      : `\n        CPU de este proceso por página: ${b.toFixed(2)} ms (SELECT ${a.toFixed(2)} ms)`;
  };
  console.log(
    `    lazo cerrado: ${sessions} llamadores a la vez, ${calls} páginas de ${page} (pool de 10 conexiones):`,
  );
  report("servicio", rawLatencies, serviceLatencies);

  /** Each session asks a page every paceMs, from its own offset; latency from when it was due. */
  async function paced(call: (rfc: string, session: number) => Promise<unknown>) {
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const end = start + paceSeconds * 1000;
    await Promise.all(
      Array.from({ length: sessions }, async (_, s) => {
        let due = start + seeded(s + 1)() * paceMs;
        for (; due < end; due += paceMs) {
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          await call(listRfcs[s % listRfcs.length]!, s);
          latencies.push(performance.now() - due);
        }
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    cpuPerPage.set(latencies, (cpu.user + cpu.system) / 1000 / latencies.length);
    return latencies;
  }
  console.log(
    `    a ritmo: ${sessions} sesiones, una página de ${page} cada ${paceMs} ms durante ${paceSeconds} s:`,
  );
  const rawPaced = await paced(raw);
  report("servicio", rawPaced, await paced(service));

  // One real e.firma session per caller: the sign-ins happen before the timer.
  const efirmas = await Promise.all(
    listRfcs.map((rfc, i) => issueFisicaEfirma(rfc, `PERSONA ${i}`)),
  );
  const cookies: string[] = [];
  for (let s = 0; s < sessions; s++) {
    cookies.push((await signInOverHttp(system.app, efirmas[s % efirmas.length]!)).cookie);
  }
  const http = async (_rfc: string, s: number) => {
    const response = await system.app.inject({
      method: "GET",
      url: `/api/v1/notificaciones?limite=${page}`,
      cookies: { buzon_sesion: cookies[s]! },
    });
    if (response.statusCode !== 200)
      throw new Error(`lista: ${response.statusCode} ${response.body}`);
  };
  for (let s = 0; s < sessions; s++) await http("", s);
  report("HTTP (ruta con sesión, app.inject)", rawPaced, await paced(http));
} finally {
  await system.app.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
