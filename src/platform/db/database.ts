import { chmodSync, mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import { migrations } from "./migrations/index.ts";
import type { Database, Db } from "./schema.ts";

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { engine: "postgres"; url: string; poolSize?: number }
  | { engine: "pglite"; dataDir: string }
  | { engine: "pglite"; instance: PGlite };

/** Opens the system of record: PostgreSQL when a URL is configured, else embedded PGlite. */
export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.engine === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle client's network error must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "postgres", close: () => db.destroy() };
  }
  let pglite: PGlite;
  let unlock = () => {};
  if ("instance" in target) {
    pglite = target.instance;
  } else {
    // The files hold the evidence: only this system's user may read or change them.
    mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(target.dataDir, 0o700);
    unlock = lockDataDir(target.dataDir);
    pglite = new PGlite(target.dataDir);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: "pglite",
    async close() {
      try {
        await db.destroy();
        // Kysely closes PGlite only if it ever ran a query; closing twice is harmless.
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

export interface MigrationReport {
  applied: string[];
}

/** Applies pending migrations; refuses to run on a database newer than this code. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(
      `La migración ${failed?.migrationName ?? "(desconocida)"} falló: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}
