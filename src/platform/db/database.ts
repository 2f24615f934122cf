import { chmodSync, mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { CodedError } from "../../domain/errors.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { migrations } from "./migrations/index.ts";
import { grantServingRole } from "./roles.ts";
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

/** Where the configuration puts the data: PostgreSQL when DATABASE_URL is set, else PGlite. */
export function databaseTargetOf(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): DatabaseTarget {
  return config.databaseUrl
    ? { engine: "postgres", url: config.databaseUrl }
    : { engine: "pglite", dataDir: config.dataDir };
}

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

/** A migration did not apply: the database stays at the last migration that did. */
export class MigrationError extends CodedError<"migration_failed"> {}

/** Applies pending migrations; refuses to run on a database newer than this code. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    // Features land in parallel: a database that ran 0007 before 0006 existed still gets 0006,
    // instead of refusing to start. Migrations touch disjoint tables, so order between them is
    // by name only.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new MigrationError(
      "migration_failed",
      `La migración ${failed?.migrationName ?? "(desconocida)"} falló: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}

/**
 * Migrates as the configured owner: MIGRATION_DATABASE_URL's role when set (so the serving
 * role owns nothing), else the database the system serves from. Then grants the serving role,
 * when one is named, its rights on every table, including those just created.
 */
export async function migrateAsOwner(
  serving: DatabaseHandle,
  config: { migrationDatabaseUrl: string | undefined; databaseServingRole: string | undefined },
): Promise<MigrationReport> {
  const owner = config.migrationDatabaseUrl
    ? openDatabase({ engine: "postgres", url: config.migrationDatabaseUrl, poolSize: 1 })
    : serving;
  try {
    const report = await migrateToLatest(owner.db);
    if (config.databaseServingRole && owner.engine === "postgres") {
      await grantServingRole(owner.db, config.databaseServingRole);
    }
    return report;
  } finally {
    if (owner !== serving) await owner.close();
  }
}
