import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ENGINES } from "../../testing/database.ts";
import { DataDirInUseError } from "./data-dir-lock.ts";
import {
  type DatabaseHandle,
  type Engine,
  MigrationError,
  migrateToLatest,
  migrationStatus,
  openDatabase,
} from "./database.ts";
import { migrations } from "./migrations/index.ts";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./roles.ts";
import type { Db } from "./schema.ts";

// Creating an embedded database is PGlite initialising itself: seconds, more on a busy machine.
const PGLITE_TIMEOUT = { timeout: 120_000 };

describe("openDatabase on an embedded data directory", () => {
  it(
    "keeps the directory private, holds it while open, and frees it on close",
    PGLITE_TIMEOUT,
    async () => {
      const dataDir = join(mkdtempSync(join(tmpdir(), "buzon-db-")), "pglite");
      const handle = openDatabase({ engine: "pglite", dataDir });
      await sql`select 1`.execute(handle.db);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      await handle.close();
      const again = openDatabase({ engine: "pglite", dataDir });
      await sql`select 1`.execute(again.db);
      await again.close();
    },
  );

  it("refuses a directory another process holds", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-db-"));
    // Written as if by another live process (the runner's parent).
    writeFileSync(join(dataDir, "buzon.pid"), String(process.ppid));
    expect(() => openDatabase({ engine: "pglite", dataDir })).toThrow(DataDirInUseError);
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;

/** An empty database on the engine, never migrated; `drop` removes it. */
async function emptyDatabase(
  engine: Engine,
): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (engine === "pglite") {
    const handle = openDatabase({ engine: "pglite", instance: await PGlite.create() });
    return { handle, drop: () => handle.close() };
  }
  const name = `buzon_orden_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl ?? "");
  url.pathname = `/${name}`;
  const handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 1 });
  return {
    handle,
    async drop() {
      await handle.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Migrates with a set of migrations other than this code's, as another build would have. */
async function migrateWith(db: Db, set: Record<string, Migration>): Promise<void> {
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => set },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  expect(error).toBeUndefined();
}

describe.each(ENGINES)("migrateToLatest on %s", PGLITE_TIMEOUT, (engine) => {
  it("refuses a migration older than one the database already ran, and applies nothing", async () => {
    const { handle, drop } = await emptyDatabase(engine);
    try {
      // A database migrated by a build that had 0007 but not yet 0006.
      const { "0006_rate_limits": _missing, ...earlier } = migrations;
      await migrateWith(handle.db, earlier);
      const before = await migrationStatus(handle.db);
      expect(before.pending).toEqual(["0006_rate_limits"]);
      const refused = await migrateToLatest(handle.db).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(MigrationError);
      expect(refused).toMatchObject({ code: "migrations_out_of_order" });
      expect((refused as MigrationError).detail).toMatch(
        /^La migración 0006_rate_limits es anterior a \S+, que la base de datos ya aplicó: las migraciones se aplican solo en orden/,
      );
      expect(await migrationStatus(handle.db)).toEqual(before);
      await expect(
        sql`select count(*) from rate_limit_counters`.execute(handle.db),
      ).rejects.toThrow(/rate_limit_counters/);
    } finally {
      await drop();
    }
  });

  it("refuses a database a newer build migrated", async () => {
    const { handle, drop } = await emptyDatabase(engine);
    try {
      await migrateWith(handle.db, { ...migrations, "9999_futura": { up: async () => {} } });
      await expect(migrateToLatest(handle.db)).rejects.toMatchObject({
        code: "migrations_unknown",
        detail: expect.stringMatching(
          /ya aplicó migraciones que esta versión del programa no tiene \(9999_futura\)/,
        ),
      });
    } finally {
      await drop();
    }
  });
});
