// «Mis expedientes» under load (issue 12 §6): BENCH_SESSIONS signed-in sessions (default 200)
// over BENCH_RFCS addressees (default 20) holding BENCH_PER_RFC items each (default 10,000: 40 %
// notifications, 20 % promociones, 30 % documents, 10 % comunicados to the RFC, plus general and
// segment comunicados everyone's list reads), spread over three years. Each scenario is measured
// against the bare SQL of the same page in the same run (the one statement the store sends for
// the page's keys, `keysOnly`, with the same limit: the page plus one), with the same
// concurrency and load model:
//
//   sin búsqueda       the first page, no filter;
//   búsqueda           q of one or two words (rotating: type names, oficio numbers, a registro
//                      patronal, words of subjects and titles, a word nothing has);
//   búsqueda+filtros   q with clase, desde/hasta or registroPatronal;
//   HTTP               GET /api/v1/expedientes?q=… with a real session cookie (app.inject: the
//                      whole Fastify path, session check and serialisation, without a socket).
//
// Two load models: paced (each session asks one page a second for BENCH_SECONDS, default 15,
// the sessions' starts spread over the first second; latency counted from the instant the
// request was due, so a late start counts) and closed loop (the sessions ask back to back,
// BENCH_CALLS pages in all, default 2,000: latency there is mostly the wait for one of the pool's
// connections). p50/p95/p99 of each and the ratio p99 raw / p99 measured.
//
// The seeded rows are what the real paths write (depositada, aviso_emitido and, after the fourth
// business day, constancia_cuarto_dia events with their acuses; each promoción's acuse de recibo
// and its timeline; documents with their kind's period and registro; comunicados with some read
// marks), inserted in bulk, one statement per RFC and class. The tsvector columns are generated
// by PostgreSQL as in production.
//
// Run with `npm run bench:expedientes` (BENCH_EXPLAIN=1 prints the plans of the page's statement
// for one session's searches first). Database: a fresh one beside TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test), dropped after; if no server answers there, PGlite in
// memory (said so in the output: one connection, so concurrency only queues). The pool is
// BENCH_POOL connections (default 10, the production default).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import pg from "pg";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { RULES_VERSION } from "../src/domain/plazos/rules.ts";
import type { ExpedienteFilters } from "../src/features/expedientes/schemas.ts";
import { INSTITUTO_RFC } from "../src/features/notificaciones/aviso.ts";
import { avisoTerm } from "../src/features/notificaciones/sweeps.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type DatabaseHandle, openDatabase } from "../src/platform/db/database.ts";
import { buildSystem } from "../src/system.ts";
import { issueTestEfirma, testDevCa } from "../src/testing/efirma.ts";
import { percentile } from "./measure.ts";
import { type BenchSession, signInOverHttp } from "./session.ts";

const rfcCount = Number(process.env.BENCH_RFCS ?? 20);
const perRfc = Number(process.env.BENCH_PER_RFC ?? 10_000);
const sessionCount = Number(process.env.BENCH_SESSIONS ?? 200);
const pacedSeconds = Number(process.env.BENCH_SECONDS ?? 15);
const closedCalls = Number(process.env.BENCH_CALLS ?? 2000);
const poolSize = Number(process.env.BENCH_POOL ?? 10);
const only = process.env.BENCH_ONLY?.split(",");
const baseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
if (rfcCount < 1 || rfcCount > 1999) throw new Error("BENCH_RFCS: de 1 a 1999");

const ZONE = "America/Mexico_City";
const YEAR_MS = 365 * 24 * 3600 * 1000;
const now = Temporal.Now.instant();
const nowDate = new Date(now.epochMilliseconds);
/** Three years of items per RFC, the newest an hour ago; item i of RFC r at start + i·step + 7r ms. */
const start = new Date(now.epochMilliseconds - 3 * YEAR_MS - 3600_000);
const step = Math.floor((3 * YEAR_MS) / perRfc);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

// ---- the database: a fresh one on the server, or PGlite when none answers ----
async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
const engine = (await reachable(baseUrl)) ? "postgres" : "pglite";
const dbName = `buzon_bench_exp_${randomBytes(4).toString("hex")}`;
let handle: DatabaseHandle;
let dropDatabase = async () => {};
if (engine === "postgres") {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize });
  dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: baseUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${dbName} with (force)`);
    await cleanup.end();
  };
} else {
  console.log(
    `AVISO: no hay PostgreSQL en ${new URL(baseUrl).host}: se mide en PGlite (una sola conexión; las cifras no valen como las de PostgreSQL).`,
  );
  handle = openDatabase({ engine: "pglite", instance: await PGlite.create() });
}
const db = handle.db;
const dataDir = await mkdtemp(join(tmpdir(), "buzon-bench-exp-"));
const system = await buildSystem({
  config: loadConfig({
    BUZON_ENV: "test",
    LOG_LEVEL: "silent",
    DATA_DIR: dataDir,
    CHECKPOINT_INTERVAL_SECONDS: "0",
    NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0",
    DELIVERY_INTERVAL_SECONDS: "0",
    SIGNIN_RATE_LIMIT: "100000",
  }),
  database: handle,
  initialCalendar: { authority: "IMSS", version: "bench-1", days: [] },
  trustAnchors: [(await testDevCa()).certificate],
  worker: false,
});

/** Personas morales with a valid check digit: three letters from r, then 900101 and BX. */
const rfcs = Array.from({ length: rfcCount }, (_, r) => {
  const letter = (k: number) => String.fromCharCode(65 + (Math.floor(r / 26 ** k) % 26));
  const body = `${letter(2)}${letter(1)}${letter(0)}900101BX`;
  return `${body}${rfcCheckDigit(body)}`;
});
/** Three registros patronales per RFC ([A-Z] and ten digits, unique). */
const registros = (r: number) =>
  [0, 1, 2].map(
    (k) => `${String.fromCharCode(65 + (r % 26))}${String(r * 3 + k).padStart(10, "0")}`,
  );

/** One of `values` for the row: hashed, so that columns picked from the same i do not align. */
let salt = 0;
const pick = (values: string[], index: string) =>
  sql`(${sql.val(values)}::text[])[1 + mod(hashint4((${sql.raw(index)})::int + ${++salt}::int)::bigint + 2147483648, ${values.length})]`;
const UNITS = [
  "Subdelegación Naucalpan",
  "Jefatura de Servicios de Afiliación y Cobranza",
  "Jefatura de Servicios de Auditoría a Patrones",
  "Departamento de Clasificación de Empresas",
  "Subdelegación Guadalajara Reforma",
];
const SUBJECTS = [
  "Aclaración de pago de cuotas obrero patronales",
  "Solicitud de orientación sobre la prima de riesgo de trabajo",
  "Entrega de información de contratos ICSOE",
  "Respuesta al requerimiento de documentación",
  "Convenio de pago en parcialidades",
  "Corrección de datos del registro patronal",
  "Devolución de cuotas pagadas en exceso",
  "Aclaración de la cédula de determinación",
];
const TOPICS = [
  "la revisión de las cuotas determinadas",
  "la corrección del salario base de cotización de dos trabajadores",
  "la aplicación del pago realizado por transferencia bancaria",
  "la baja extemporánea de un trabajador",
  "la rectificación de la clasificación de la empresa",
  "la reducción de recargos y actualizaciones",
  "la constancia de no adeudo",
];
const PARAGRAPH =
  "Manifiesto bajo protesta de decir verdad que los datos asentados son ciertos y que los documentos anexos son copia fiel de sus originales, los cuales obran en poder de mi representada y se exhibirán cuando la autoridad lo requiera. ";
const TITLES = [
  "Cambio de horario de atención en ventanilla",
  "Nueva versión del SUA disponible",
  "Recordatorio del pago bimestral de cuotas",
  "Mantenimiento programado del Buzón IMSS",
  "Actualización de la prima de riesgo de trabajo",
  "Jornada de regularización de adeudos",
];
const KINDS = [
  "propuesta_cedula_ema",
  "propuesta_cedula_eba",
  "constancia_semanas_cotizadas",
  "vigencia_derechos",
];

const series = (r: number, classes: string) => sql`
  select i, gen_random_uuid() as id,
         ${start}::timestamptz + (i::bigint * ${step} + ${r * 7}) * interval '1 millisecond' as at
    from generate_series(0, ${perRfc - 1}) as i where i % 10 in (${sql.raw(classes)})`;
const folioAt = (instant: string, suffix: number) =>
  sql`'BI-' || to_char((${sql.raw(instant)}) at time zone ${ZONE}, 'YYYYMMDD-HH24MISSMS') || '-' || ${String(suffix).padStart(4, "0")}`;
const acuseColumns = sql`(folio, kind, rfc, actor_rfc, capacity, event_at, counts_at, rule,
  calendar_version, rules_version, documents, cadena_original, seal, seal_certificate_number,
  leaf_index)`;

/** The aviso's term of every Zona Centro day the items span, as the sweeps compute it. */
async function termsTable() {
  const calendar = await system.calendars.calendar();
  const days: string[] = [];
  const deemed: Date[] = [];
  const openBy: string[] = [];
  const fourth: string[] = [];
  const last = now.toZonedDateTimeISO(ZONE).toPlainDate();
  for (
    let day = Temporal.Instant.fromEpochMilliseconds(start.getTime())
      .toZonedDateTimeISO(ZONE)
      .toPlainDate();
    Temporal.PlainDate.compare(day, last) <= 0;
    day = day.add({ days: 1 })
  ) {
    const term = avisoTerm(calendar, day);
    days.push(day.toString());
    deemed.push(new Date(term.deemedNotifiedAt.epochMilliseconds));
    openBy.push(term.openBy.toString());
    fourth.push(term.fourthBusinessDay.toString());
  }
  return {
    calendar,
    table: sql`unnest(${days}::date[], ${deemed}::timestamptz[], ${openBy}::text[], ${fourth}::text[]) as t(day, deemed, open_by, fourth)`,
  };
}

async function seed(r: number, terms: Awaited<ReturnType<typeof termsTable>>) {
  const rfc = rfcs[r]!;
  const regs = registros(r);
  const leaf = r * perRfc * 3;
  const version = terms.calendar.version;
  // Notifications: deposited (aviso at once), the aviso's acuse, and past the fourth business
  // day the constancia with its acuse (the sweep's events and data).
  await sql`
    with src as materialized (${series(r, "0, 1, 2, 3")}),
    acts as (
      insert into notificaciones
        (id, idempotency_key, request_sha256, rfc, registro_patronal, act_type, oficio,
         issuing_unit, document_name, document_sha256, document_bytes, signature, signer_rfc,
         signer_certificate_number, deposited_by, deposited_at, aviso_at, estrados,
         calendar_version, rules_version, replaces_id)
      select id, id::text, repeat('a', 64), ${rfc}, ${pick(regs, "i")},
             ${pick(
               Array.from({ length: 18 }, (_, k) => `7.${k + 1}`),
               "i",
             )},
             lpad((1 + (i / 4) % 35)::text, 2, '0') || ' 53 01 9200/' || (i / 4) || '/' || extract(year from at),
             ${pick(UNITS, "i")}, 'Oficio ' || (i / 4) || '.pdf',
             md5(id::text) || md5(i::text), 180000 + i, '\\x3000'::bytea, 'NOTI800101AB1',
             '30001000000500003416', 'NOTI800101AB1', at, at, false, ${version},
             ${RULES_VERSION}, null
        from src
    ),
    dated as materialized (
      select s.id, s.i, s.at, t.deemed, t.open_by, t.fourth,
             ${folioAt("s.at", r)} as aviso_folio,
             ${folioAt("t.deemed + s.i * interval '1 millisecond'", 2000 + r)} as constancia_folio
        from src s join ${terms.table} on t.day = (s.at at time zone ${ZONE})::date
    ),
    acuses_aviso as (
      insert into acuses ${acuseColumns}
      select aviso_folio, 'aviso_notificacion', ${rfc}, ${INSTITUTO_RFC}, 'sistema', at, at,
             'aviso', ${version}, ${RULES_VERSION}, '[]'::jsonb, 'bench',
             encode(sha256(convert_to(aviso_folio, 'UTF8')), 'base64'), '30001000000500003416',
             ${leaf} + i * 3
        from dated
    ),
    acuses_constancia as (
      insert into acuses ${acuseColumns}
      select constancia_folio, 'constancia_cuarto_dia', ${rfc}, ${INSTITUTO_RFC}, 'sistema',
             deemed, deemed, 'cuarto_dia', ${version}, ${RULES_VERSION}, '[]'::jsonb, 'bench',
             encode(sha256(convert_to(constancia_folio, 'UTF8')), 'base64'),
             '30001000000500003416', ${leaf} + i * 3 + 1
        from dated where deemed <= ${nowDate}
    )
    insert into notificacion_events
      (notificacion_id, type, at, recorded_at, acuse_folio, actor_rfc, data)
    select id, 'depositada', at, at, null, 'NOTI800101AB1',
           jsonb_build_object('avisoAt', at, 'estrados', false, 'calendarVersion', ${version}::text,
                              'via', 'api')
      from dated
    union all
    select id, 'aviso_emitido', at, at, aviso_folio, null,
           jsonb_build_object('openBy', open_by, 'deemedNotifiedAt', deemed,
                              'calendarVersion', ${version}::text)
      from dated
    union all
    select id, 'constancia_cuarto_dia', deemed, deemed, constancia_folio, null,
           jsonb_build_object('avisoAt', at, 'openBy', open_by, 'fourthBusinessDay', fourth,
                              'notifiedAt', deemed, 'calendarAuthority', 'IMSS',
                              'calendarVersion', ${version}::text, 'rulesVersion', ${RULES_VERSION}::text,
                              'aperturaAutenticada', false)
      from dated where deemed <= ${nowDate}
  `.execute(db);

  // Promociones: the filing with its acuse de recibo, then attention and some answers.
  await sql`
    with src as materialized (
      select s.*, ${folioAt("s.at", 4000 + r)} as folio from (${series(r, "4, 5")}) s
    ),
    filed as (
      insert into promociones
        (id, challenge_id, rfc, signer_rfc, type, subject, text, text_sha256, text_bytes,
         notificacion_id, signed_text, certificate, certificate_number, signature, sent_at,
         received_at, acuse_folio, calendar_version, rules_version)
      select id, gen_random_uuid(), ${rfc}, ${rfc},
             ${pick(["aclaracion_orientacion", "icsoe", "servicios_cobranza", "respuesta_requerimiento", "aclaracion_orientacion"], "i")},
             ${pick(SUBJECTS, "i")},
             'Por medio del presente, con relación al registro patronal ' || ${pick(regs, "i")} ||
               ' y al periodo ' || to_char(at, 'YYYY-MM') || ', solicito ' || ${pick(TOPICS, "i")} ||
               '. ' || repeat(${PARAGRAPH}, 1 + i % 5),
             md5(id::text) || md5(i::text), 1200, null, 'bench', '\\x30'::bytea,
             '30001000000500003416', '\\x30'::bytea, at, at, folio, ${version}, ${RULES_VERSION}
        from src
    ),
    acuses_recibo as (
      insert into acuses ${acuseColumns}
      select folio, 'promocion', ${rfc}, ${rfc}, 'representante_legal', at, at, 'promocion',
             ${version}, ${RULES_VERSION}, '[]'::jsonb, 'bench',
             encode(sha256(convert_to(folio, 'UTF8')), 'base64'), '30001000000500003416',
             ${leaf} + i * 3 + 2
        from src
    )
    insert into promocion_events (promocion_id, type, at, recorded_at, acuse_folio, actor_rfc, data)
    select id, 'recibida', at, at, folio, ${rfc},
           jsonb_build_object('sentAt', to_char(at at time zone ${ZONE}, 'YYYY-MM-DD"T"HH24:MI:SS'))
      from src
    union all
    select id, 'en_atencion', at + interval '1 day', at + interval '1 day', null, 'OPER800101AB1',
           '{}'::jsonb from src where i % 3 <> 0
    union all
    select id, 'respondida', at + interval '6 days', at + interval '6 days', null,
           'OPER800101AB1', '{}'::jsonb from src where i % 3 = 1
  `.execute(db);

  // Documents: the kind's period form, a registro where the kind takes one, a hash each.
  await sql`
    with src as materialized (
      select s.*, ${pick(KINDS, "i")} as kind, ${pick(regs, "i")} as registro
        from (${series(r, "6, 7, 8")}) s
    ),
    shaped as (
      select src.*,
             case kind
               when 'propuesta_cedula_ema' then to_char(at, 'YYYY-MM')
               when 'propuesta_cedula_eba' then to_char(at, 'YYYY') || '-' ||
                 lpad((2 * ceil(extract(month from at) / 2))::text, 2, '0')
               else to_char(at, 'YYYY-MM-DD') end as period,
             case when kind like 'propuesta_cedula_%' then registro end as registro_patronal
        from src
    )
    insert into documentos
      (id, rfc, kind, period, registro_patronal, sha256, bytes, file_name, published_at,
       published_by, via)
    select id, ${rfc}, kind, period, registro_patronal,
           encode(sha256(convert_to(${rfc} || '|' || i, 'UTF8')), 'hex'), 90000 + i,
           kind || '-' || period || coalesce('-' || registro_patronal, '') || '.pdf', at,
           'NOTI800101AB1', 'linea_de_comandos'
      from shaped
  `.execute(db);

  // Comunicados to the RFC, half of them read.
  await sql`
    with src as materialized (${series(r, "9")}),
    sent as (
      insert into comunicados
        (id, title, body, audience, audience_rfc, audience_subdelegacion, audience_claves,
         send_email, published_at, created_at, created_by)
      select id, ${pick(TITLES, "i")}, ${PARAGRAPH} || repeat(${PARAGRAPH}, i % 3), 'rfc',
             ${rfc}, null, '{}', false, at, at, 'OPER800101AB1'
        from src
    )
    insert into comunicado_lecturas (comunicado_id, rfc, read_at)
    select id, ${rfc}, at + interval '2 days' from src where i % 20 = 9
  `.execute(db);
}

/** Comunicados every list reads: general ones and some to a segment (no RFC here in it). */
async function seedShared() {
  await sql`
    insert into comunicados
      (id, title, body, audience, audience_rfc, audience_subdelegacion, audience_claves,
       send_email, published_at, created_at, created_by)
    select gen_random_uuid(), ${pick(TITLES, "i")}, ${PARAGRAPH},
           case when i % 3 = 0 then 'subdelegacion' else 'general' end, null,
           case when i % 3 = 0 then 'Subdelegación Naucalpan' end,
           case when i % 3 = 0 then array['Z99'] else '{}' end, false,
           ${start}::timestamptz + i * interval '18 days', ${start}::timestamptz, 'OPER800101AB1'
      from generate_series(0, 59) as i
  `.execute(db);
}

// ---- load models ----
type Call = (session: number, k: number) => Promise<unknown>;

interface Run {
  latencies: number[];
  seconds: number;
  errors: number;
  /** This process's CPU (user + system) per call: what the machine's load moves least. */
  cpuMs: number;
}

const cpuSince = (start: NodeJS.CpuUsage, calls: number) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / Math.max(calls, 1);
};

/** Each session asks once a second; latency from the instant the request was due. */
async function paced(call: Call): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now() + 20;
  await Promise.all(
    Array.from({ length: sessionCount }, async (_, s) => {
      for (let k = 0; k < pacedSeconds; k++) {
        const due = t0 + k * 1000 + (s * 1000) / sessionCount;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        try {
          await call(s, k);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - due);
      }
    }),
  );
  return {
    latencies,
    seconds: (performance.now() - t0) / 1000,
    errors,
    cpuMs: cpuSince(cpu, latencies.length),
  };
}

/** `concurrency` sessions ask back to back, `calls` pages in all. */
async function closed(call: Call, calls = closedCalls, concurrency = sessionCount): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, s) => {
      for (;;) {
        const k = next++;
        if (k >= calls) return;
        const c0 = performance.now();
        try {
          await call(s, k);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - c0);
      }
    }),
  );
  return {
    latencies,
    seconds: (performance.now() - t0) / 1000,
    errors,
    cpuMs: cpuSince(cpu, latencies.length),
  };
}

// ---- what is measured ----
const PAGE = 25;
const rfcOf = (s: number) => rfcs[s % rfcCount]!;
const year = (ago: number) =>
  now.toZonedDateTimeISO(ZONE).toPlainDate().subtract({ years: ago }).year;
/** One or two words, as people type them: type names, oficio numbers, a registro, subjects. */
const SEARCHES = (s: number): string[] => [
  "cobranza",
  "requerimiento",
  "prima riesgo",
  `9200/${(s * 37) % 1000}`,
  registros(s % rfcCount)[1]!,
  "semanas cotizadas",
  "convenio parcialidades",
  "sua",
  "xochimilco",
  "aclaración",
];
const FILTERED = (s: number): ExpedienteFilters[] => [
  { q: "requerimiento", clase: "notificacion" },
  { q: "cedula", desde: `${year(1)}-01-01`, hasta: `${year(1)}-12-31` },
  { q: "propuesta", registroPatronal: registros(s % rfcCount)[0]! },
  { q: "pago", clase: "promocion", desde: `${year(2)}-01-01` },
  { q: "oficio", desde: `${year(0)}-01-01` },
];
const scenarios: { name: string; filters: (s: number, k: number) => ExpedienteFilters }[] = [
  { name: "sin búsqueda", filters: () => ({}) },
  {
    name: "búsqueda (1–2 palabras)",
    filters: (s, k) => {
      const list = SEARCHES(s);
      return { q: list[(s + k) % list.length]! };
    },
  },
  {
    name: "búsqueda + filtros",
    filters: (s, k) => {
      const list = FILTERED(s);
      return list[(s + k) % list.length]!;
    },
  },
];

const ms = (values: number[], p: number) => percentile(values, p).toFixed(1);
const rows: string[] = [];
function report(scenario: string, model: string, raw: Run, measured: Run) {
  const ratio = percentile(raw.latencies, 99) / percentile(measured.latencies, 99);
  const rate = (run: Run) => Math.round(run.latencies.length / run.seconds);
  const line = `| ${scenario} | ${model} | ${ms(raw.latencies, 50)} / ${ms(raw.latencies, 95)} / ${ms(raw.latencies, 99)} | ${ms(measured.latencies, 50)} / ${ms(measured.latencies, 95)} / ${ms(measured.latencies, 99)} | ${ratio.toFixed(2)} | ${rate(measured)}/s | ${raw.cpuMs.toFixed(2)} / ${measured.cpuMs.toFixed(2)} |`;
  rows.push(line);
  console.log(line);
  if (raw.errors + measured.errors > 0) {
    console.log(`    errores: SELECT ${raw.errors}, medido ${measured.errors}`);
  }
}

try {
  let t0 = performance.now();
  const terms = await termsTable();
  await seedShared();
  for (let r = 0; r < rfcCount; r++) await seed(r, terms);
  for (const table of [
    "notificaciones",
    "notificacion_events",
    "promociones",
    "promocion_events",
    "documentos",
    "comunicados",
    "comunicado_lecturas",
    "acuses",
  ]) {
    // Flushes the GIN pending lists and gives the planner its statistics, as autovacuum would.
    await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  }
  console.log(
    `${engine}: ${rfcCount} RFC × ${perRfc.toLocaleString("en-US")} elementos escritos en ${((performance.now() - t0) / 1000).toFixed(1)} s; ${engine === "postgres" ? `pool de ${poolSize} conexiones` : "una conexión"}; carga ${load()}`,
  );

  t0 = performance.now();
  const efirmas = await Promise.all(
    rfcs.map((rfc, r) => issueTestEfirma({ rfc, name: `EMPRESA ${r} DE PRUEBA SA DE CV` })),
  );
  const sessions: BenchSession[] = [];
  for (let s = 0; s < sessionCount; s++) {
    sessions.push(await signInOverHttp(system.app, efirmas[s % rfcCount]!));
  }
  console.log(
    `${sessionCount} sesiones iniciadas con e.firma en ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const { expedientes } = system;
  // The service and its bare statement must agree: the page is the statement's first keys.
  for (const scenario of scenarios) {
    for (let s = 0; s < 10; s++) {
      const filters = scenario.filters(s, 0);
      const page = await expedientes.list(rfcOf(s), filters);
      const keys = await expedientes.keysOnly(rfcOf(s), filters, PAGE + 1);
      const same = page.items.every((item, i) => item.id === keys[i]?.id);
      if (!same || page.items.length !== Math.min(PAGE, keys.length)) {
        throw new Error(`${scenario.name} ${JSON.stringify(filters)}: la página no coincide`);
      }
      if (process.env.BENCH_DEBUG) {
        console.log(`    ${JSON.stringify(filters)}: ${page.items.length} elementos`);
      }
    }
  }

  if (process.env.BENCH_EXPLAIN) {
    // The plans of the page's statement for the first session's searches.
    for (const filters of [{}, ...SEARCHES(0).map((q) => ({ q })), ...FILTERED(0)]) {
      const statement = await expedientes.pageStatement(rfcOf(0), filters, PAGE + 1);
      if (!statement) continue;
      const plan = await sql<{
        "QUERY PLAN": string;
      }>`explain (analyze, buffers) ${statement}`.execute(db);
      console.log(`---- ${JSON.stringify(filters)}`);
      console.log(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
  }

  const header = [
    `| escenario | carga | SELECT p50 / p95 / p99 (ms) | medido p50 / p95 / p99 (ms) | razón p99 | medidos por segundo | CPU del proceso por página, SELECT / medido (ms) |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  console.log(header.join("\n"));
  const models: [string, (call: Call) => Promise<Run>][] = [
    [`${sessionCount} sesiones × 1/s × ${pacedSeconds} s`, paced],
    [`ciclo cerrado, ${sessionCount} a la vez, ${closedCalls} páginas`, closed],
    // Without contention: what one page costs (the sessions take turns).
    ["en serie, 300 páginas", (call) => closed((_, k) => call(k % sessionCount, k), 300, 1)],
  ];
  for (const scenario of scenarios) {
    if (only && !only.includes(String(scenarios.indexOf(scenario)))) continue;
    const raw: Call = (s, k) => expedientes.keysOnly(rfcOf(s), scenario.filters(s, k), PAGE + 1);
    const service: Call = (s, k) => expedientes.list(rfcOf(s), scenario.filters(s, k));
    await closed(raw, 400);
    await closed(service, 400);
    for (const [model, run] of models) {
      const rawRun = await run(raw);
      const serviceRun = await run(service);
      report(`servicio, ${scenario.name}`, model, rawRun, serviceRun);
    }
  }
  if (!only || only.includes("http")) {
    const search = scenarios[1]!;
    const raw: Call = (s, k) => expedientes.keysOnly(rfcOf(s), search.filters(s, k), PAGE + 1);
    const http: Call = async (s, k) => {
      const query = new URLSearchParams(search.filters(s, k) as Record<string, string>);
      const response = await system.app.inject({
        url: `/api/v1/expedientes?${query}`,
        cookies: { buzon_sesion: sessions[s]!.cookie },
      });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    };
    await closed(http, 400);
    for (const [model, run] of models) {
      const rawRun = await run(raw);
      const httpRun = await run(http);
      report("HTTP GET /api/v1/expedientes?q=…", model, rawRun, httpRun);
    }
  }
  console.log(`carga al terminar ${load()}`);
} finally {
  await system.app.close();
  await dropDatabase();
  await rm(dataDir, { recursive: true, force: true });
}
