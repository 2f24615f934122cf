import { Buffer } from "node:buffer";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CalendarData } from "../../domain/calendar/calendar.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { loadConfig, PACKAGE_ROOT } from "../../platform/config.ts";
import { openDatabase } from "../../platform/db/database.ts";
import type { NotificacionesTable } from "../../platform/db/schema.ts";
import { buildSystem } from "../../system.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/database.ts";
import { appendNotificacionEvents, insertNotificaciones } from "./store.ts";
import type { SweepReport } from "./sweeps.ts";

/**
 * Issue 11 §7: «the sweep late, twice, and in two processes on PostgreSQL without a double
 * acuse» — two real OS processes, each the system built from the environment, sweep the same
 * database at the same instant (src/testing/notification-sweeps-once.ts), a week late, over
 * acts enough that both are at work at once: every act ends with exactly one aviso acuse and
 * one constancia, each with its one event, and the public log grows without a gap.
 */

const at = (text: string) => Temporal.Instant.from(text);
const CALENDAR: CalendarData = {
  authority: "IMSS",
  version: "pruebas-procesos-1",
  years: [2026, 2027],
  days: [],
};
const ACTS = 300;
/** Monday 1 March 2027, 10:00: the avisos count at once; notified Friday 5 at 09:30. */
const AVISO_AT = at("2027-03-01T10:00:00-06:00");
/** A week late, the same instant for both processes. */
const SWEEP_AT = "2027-03-08T10:00:00-06:00";

interface SweepsReport {
  avisos: SweepReport;
  segundosAvisos: SweepReport;
  constancias: SweepReport;
}

/** One sweeping process: says «listo» once built, sweeps on a line from stdin, reports. */
function startSweeper(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(PACKAGE_ROOT, "src/testing/notification-sweeps-once.ts")],
    { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const match = pattern.exec(output);
      if (match) return match;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`el proceso de barrido no escribió ${pattern}:\n${output}`);
  };
  return {
    child,
    exited,
    output: () => output,
    ready: () => waitFor(/^listo$/m),
    go: () => child.stdin?.end("barre\n"),
    async report(): Promise<SweepsReport> {
      const match = await waitFor(/^reporte (.+)$/m);
      return JSON.parse(match[1]!) as SweepsReport;
    },
  };
}

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl) console.log("SKIP: barrido en dos procesos (TEST_DATABASE_URL no está definida)");

describe.skipIf(!baseUrl)("the notification sweeps in two OS processes on PostgreSQL", () => {
  let database: TestDatabase;
  let dataDir: string;
  const sweepers: ReturnType<typeof startSweeper>[] = [];
  afterAll(async () => {
    for (const s of sweepers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
    await Promise.all(sweepers.map((s) => s.exited));
    await database?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("two processes sweeping at once, a week late, seal one aviso acuse and one constancia per act, the log without a gap", {
    timeout: 120_000,
  }, async () => {
    database = await createTestDatabase("postgres");
    dataDir = mkdtempSync(join(tmpdir(), "buzon-barrido-procesos-"));
    const calendarFile = join(dataDir, "calendario.json");
    writeFileSync(calendarFile, JSON.stringify(CALENDAR));
    const env = {
      BUZON_ENV: "test",
      LOG_LEVEL: "warn",
      // Shared by both processes: the development seal and the log's key live here.
      DATA_DIR: dataDir,
      CALENDAR_FILE: calendarFile,
      CHECKPOINT_INTERVAL_SECONDS: "0",
      // Small batches: the two processes take turns over the same acts many times.
      NOTIFICACION_SWEEP_BATCH: "8",
      // The roles apart, as in production: the processes serve as the serving role.
      ...database.env,
    };

    // Built once here first: it creates the seal and the log's key the processes then read,
    // and loads the calendar.
    const setup = await buildSystem({
      config: loadConfig({ ...env, LOG_LEVEL: "silent" }),
      database: openDatabase({ engine: "postgres", url: database.url as string, poolSize: 2 }),
      trustAnchors: [],
      clock: () => AVISO_AT,
      worker: false,
    });
    await setup.app.close();

    // The acts as the deposit leaves them: the row and its `depositada` event.
    const ids: string[] = [];
    const rows: NotificacionesTable[] = [];
    for (let i = 0; i < ACTS; i++) {
      const id = randomUUID();
      ids.push(id);
      const avisoAt = new Date(AVISO_AT.add({ seconds: i }).epochMilliseconds);
      rows.push({
        id,
        idempotency_key: id,
        request_sha256: createHash("sha256").update(id).digest("hex"),
        rfc: "EKU9003173C9",
        registro_patronal: null,
        act_type: "7.1",
        oficio: `09 53 01 9200/${i}`,
        issuing_unit: "Subdelegación Centro",
        document_name: `Resolución ${i}.pdf`,
        document_sha256: createHash("sha256").update(`documento ${i}`).digest("hex"),
        document_bytes: 10,
        signature: Buffer.from([0x30, 0x00]),
        signer_rfc: "NOTI800101AB1",
        signer_certificate_number: "30001000000500003416",
        deposited_by: "NOTI800101AB1",
        deposited_at: avisoAt,
        aviso_at: avisoAt,
        estrados: false,
        calendar_version: CALENDAR.version,
        rules_version: RULES_VERSION,
        replaces_id: null,
      });
    }
    await database.db.transaction().execute(async (tx) => {
      await insertNotificaciones(tx, rows);
      await appendNotificacionEvents(
        tx,
        rows.map((row) => ({
          notificacionId: row.id,
          type: "depositada" as const,
          at: Temporal.Instant.fromEpochMilliseconds(row.aviso_at.getTime()),
          recordedAt: Temporal.Instant.fromEpochMilliseconds(row.aviso_at.getTime()),
          data: { avisoAt: row.aviso_at.toISOString(), estrados: false },
        })),
      );
    });

    const processEnv = { ...env, BUZON_TEST_NOW: SWEEP_AT };
    sweepers.push(startSweeper(processEnv), startSweeper(processEnv));
    await Promise.all(sweepers.map((s) => s.ready()));
    // Both built and waiting: they start sweeping together.
    for (const s of sweepers) s.go();
    const reports = await Promise.all(sweepers.map((s) => s.report()));
    const codes = await Promise.all(sweepers.map((s) => s.exited));
    expect(codes, sweepers.map((s) => s.output()).join("\n---\n")).toEqual([0, 0]);

    // Every act once, by one process or the other.
    const total = (kind: "avisos" | "constancias", outcome: keyof SweepReport) =>
      reports[0]![kind][outcome] + reports[1]![kind][outcome];
    expect(total("avisos", "done")).toBe(ACTS);
    expect(total("constancias", "done")).toBe(ACTS);
    // And at the same time: a sweep reads only acts still due, so an act one process found
    // settled by the other (or held by it: retry) was due when it read it — which a process
    // sweeping after the other had finished never sees.
    const contested = (["avisos", "constancias"] as const).reduce(
      (n, kind) => n + total(kind, "settled") + total(kind, "retry"),
      0,
    );
    expect(contested).toBeGreaterThan(0);

    const db = database.db;
    // Each act: depositada, aviso_emitido and constancia_cuarto_dia, once each.
    const events = await db
      .selectFrom("notificacion_events")
      .select(["notificacion_id", "type", "acuse_folio"])
      .orderBy("id")
      .execute();
    const perAct = new Map<string, string[]>();
    for (const e of events) {
      perAct.set(e.notificacion_id, [...(perAct.get(e.notificacion_id) ?? []), e.type]);
    }
    expect(perAct.size).toBe(ACTS);
    for (const id of ids) {
      expect(perAct.get(id)).toEqual(["depositada", "aviso_emitido", "constancia_cuarto_dia"]);
    }
    // One acuse per event that names one, no acuse without its event, none twice.
    const acuses = await db
      .selectFrom("acuses")
      .select(["folio", "kind", "leaf_index"])
      .orderBy("leaf_index")
      .execute();
    const kinds = new Map<string, number>();
    for (const a of acuses) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({
      aviso_notificacion: ACTS,
      constancia_cuarto_dia: ACTS,
    });
    const named = events.flatMap((e) => (e.acuse_folio ? [e.acuse_folio] : []));
    expect(named).toHaveLength(2 * ACTS);
    expect(new Set(named).size).toBe(2 * ACTS);
    expect(new Set(acuses.map((a) => a.folio))).toEqual(new Set(named));

    // The log: leaves 0 … n-1 without a gap, one per acuse, the same folio at the same index.
    const leaves = await db
      .selectFrom("log_leaves")
      .select(["leaf_index", "folio"])
      .orderBy("leaf_index")
      .execute();
    expect(leaves.map((l) => Number(l.leaf_index))).toEqual(
      Array.from({ length: 2 * ACTS }, (_, i) => i),
    );
    expect(leaves.map((l) => [Number(l.leaf_index), l.folio])).toEqual(
      acuses.map((a) => [Number(a.leaf_index), a.folio]),
    );
  });
});
