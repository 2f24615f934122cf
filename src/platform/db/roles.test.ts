import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSystem } from "../../system.ts";
import { TEST_CALENDAR } from "../../testing/server.ts";
import { loadConfig } from "../config.ts";
import { openDatabase } from "./database.ts";

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl) console.log("SKIP: roles de PostgreSQL (TEST_DATABASE_URL no está definida)");

/** The URL of `database` as `user` (trust authentication on the test server). */
function urlAs(user: string, database: string): string {
  const url = new URL(baseUrl ?? "");
  url.username = user;
  url.password = "";
  url.pathname = `/${database}`;
  return url.toString();
}

async function asAdmin(statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

describe.skipIf(!baseUrl)("the serving role apart from the migration role (PostgreSQL)", () => {
  const suffix = randomBytes(4).toString("hex");
  const owner = `buzon_migra_${suffix}`;
  const serving = `buzon_app_${suffix}`;
  const database = `buzon_roles_${suffix}`;
  let system: Awaited<ReturnType<typeof buildSystem>>;

  beforeAll(async () => {
    await asAdmin([
      `create role ${owner} login`,
      `create role ${serving} login`,
      `create database ${database} owner ${owner}`,
    ]);
    // `buzon serve` as it is deployed: it connects as the serving role and migrates as the owner.
    const config = loadConfig({
      BUZON_ENV: "test",
      LOG_LEVEL: "silent",
      DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-roles-")),
      CHECKPOINT_INTERVAL_SECONDS: "0",
      DATABASE_URL: urlAs(serving, database),
      MIGRATION_DATABASE_URL: urlAs(owner, database),
      DATABASE_SERVING_ROLE: serving,
    });
    system = await buildSystem({
      config,
      database: openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 2 }),
      initialCalendar: TEST_CALENDAR,
      trustAnchors: [],
    });
  });

  afterAll(async () => {
    await system?.app.close();
    await asAdmin([
      `drop database if exists ${database} with (force)`,
      `drop role if exists ${serving}`,
      `drop role if exists ${owner}`,
    ]);
  });

  it("serves and writes as a role that owns no table", async () => {
    await system.staff.set({ rfc: "CACX7605101P8", role: "auditor" }, "pruebas");
    expect((await system.staff.list()).map((s) => s.rfc)).toEqual(["CACX7605101P8"]);
    // The change and its audit event were written by the serving role.
    expect((await system.auth.events({ limit: 5 }))[0]).toMatchObject({ event: "personal" });
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      const owned = await sql<{ n: number }>`
        select count(*)::int as n from pg_tables
        where schemaname = 'public' and tableowner = current_user`.execute(served.db);
      expect(owned.rows[0]?.n).toBe(0);
    } finally {
      await served.close();
    }
  });

  it("cannot disable, truncate or get around the append-only triggers", async () => {
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      for (const table of ["acuses", "auth_events", "log_leaves"]) {
        for (const which of [sql`all`, sql`user`, sql.id(`${table}_append_only`)]) {
          await expect(
            sql`alter table ${sql.table(table)} disable trigger ${which}`.execute(served.db),
          ).rejects.toThrow(/must be owner/);
        }
        await expect(sql`truncate ${sql.table(table)}`.execute(served.db)).rejects.toThrow(
          /permission denied/,
        );
      }
      await expect(sql`delete from auth_events`.execute(served.db)).rejects.toThrow();
      await expect(
        sql`create trigger sin_efecto before insert on auth_events for each row execute function forbid_change()`.execute(
          served.db,
        ),
      ).rejects.toThrow(/must be owner|permission denied/);
    } finally {
      await served.close();
    }
    // The owner can (that is why it is kept apart): shown in a transaction that rolls back.
    const migrating = openDatabase({
      engine: "postgres",
      url: urlAs(owner, database),
      poolSize: 1,
    });
    try {
      await expect(
        migrating.db.transaction().execute(async (tx) => {
          await sql`alter table acuses disable trigger acuses_append_only`.execute(tx);
          throw new Error("deshacer");
        }),
      ).rejects.toThrow("deshacer");
    } finally {
      await migrating.close();
    }
  });
});
