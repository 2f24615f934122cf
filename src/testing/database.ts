import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  type DatabaseHandle,
  type Engine,
  migrateAsOwner,
  migrateToLatest,
  openDatabase,
} from "../platform/db/database.ts";
import type { Db } from "../platform/db/schema.ts";

/**
 * Fresh, migrated databases for tests, on either engine. PGlite costs seconds to initialise,
 * so one migrated template is built per test process and cloned for each test.
 */
let template: Promise<File | Blob> | undefined;

async function pgliteTemplate(): Promise<File | Blob> {
  template ??= (async () => {
    const instance = await PGlite.create();
    const handle = openDatabase({ engine: "pglite", instance });
    await migrateToLatest(handle.db);
    const dump = await instance.dumpDataDir("none");
    await handle.close();
    return dump;
  })();
  return template;
}

/**
 * On PostgreSQL the tests run as production does with the roles apart (docs/operacion.md, «Un
 * rol para migrar y otro para servir»): the tables belong to TEST_OWNER_ROLE, which migrates
 * them through `buzon migrate`'s own code, and the application connects as TEST_SERVING_ROLE,
 * which owns nothing and is no superuser, so every PostgreSQL test proves the serving role's
 * rights are enough, and that it cannot get around the append-only triggers.
 */
export const TEST_OWNER_ROLE = "buzon_test_owner";
export const TEST_SERVING_ROLE = "buzon_test_app";

export interface TestDatabase extends DatabaseHandle {
  /** Drops what the test created. Idempotent. */
  dispose(): Promise<void>;
  /**
   * The owner of the tables, for what the serving role (`db`) may not do: installing a
   * trigger that injects a failure, creating a table, truncating. On PostgreSQL another role
   * (TEST_OWNER_ROLE); on PGlite, which has no roles to keep apart, the same executor as `db`.
   */
  asOwner: Db;
  /**
   * The database configuration of a system or a process on this database: on PostgreSQL the
   * serving role's DATABASE_URL with MIGRATION_DATABASE_URL and DATABASE_SERVING_ROLE, as in
   * production; empty on PGlite.
   */
  env: Record<string, string>;
  /** On PostgreSQL, the database's URL as the serving role (for processes the test starts). */
  url?: string;
}

let roles: Promise<void> | undefined;

/**
 * Creates the two roles once per test process. Roles belong to the whole server and several
 * test files (and runs) create them at the same time: a role another one just created is
 * fine. They are never dropped, since another run may be using them.
 */
function ensureTestRoles(baseUrl: string): Promise<void> {
  roles ??= (async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    try {
      for (const role of [TEST_OWNER_ROLE, TEST_SERVING_ROLE]) {
        // Explicitly no superuser and nothing it could create or bypass.
        await admin
          .query(`create role ${role} login nosuperuser nocreatedb nocreaterole nobypassrls`)
          .catch((error: unknown) => {
            // duplicate_object; or unique_violation when two sessions create it at once.
            const code = (error as { code?: string }).code;
            if (code !== "42710" && code !== "23505") throw error;
          });
      }
    } finally {
      await admin.end();
    }
  })();
  roles.catch(() => {
    roles = undefined;
  });
  return roles;
}

/** The URL of `database` as `user` (the test server trusts its loopback connections). */
function urlAs(baseUrl: string, user: string, database: string): string {
  const url = new URL(baseUrl);
  url.username = user;
  url.password = "";
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(
  engine: Engine,
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  if (engine === "pglite") {
    const instance = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    const handle = openDatabase({ engine: "pglite", instance });
    const close = once(handle.close);
    return { ...handle, asOwner: handle.db, env: {}, close, dispose: close };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("TEST_DATABASE_URL no está definida");
  await ensureTestRoles(baseUrl);
  const name = `buzon_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} owner ${TEST_OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  const url = urlAs(baseUrl, TEST_SERVING_ROLE, name);
  const env = {
    DATABASE_URL: url,
    MIGRATION_DATABASE_URL: urlAs(baseUrl, TEST_OWNER_ROLE, name),
    DATABASE_SERVING_ROLE: TEST_SERVING_ROLE,
  };
  // `buzon migrate`: migrates as the owner and grants the serving role its rights.
  await migrateAsOwner({
    databaseUrl: env.DATABASE_URL,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL,
    databaseServingRole: TEST_SERVING_ROLE,
    dataDir: "",
  });
  const handle = openDatabase({ engine: "postgres", url, poolSize: options.poolSize ?? 4 });
  // The pool connects on its first query: a test that never needs the owner costs nothing.
  const owner = openDatabase({ engine: "postgres", url: env.MIGRATION_DATABASE_URL, poolSize: 2 });
  const close = once(async () => {
    await Promise.all([handle.close(), owner.close()]);
  });
  return {
    ...handle,
    asOwner: owner.db,
    env,
    url,
    close,
    async dispose() {
      await close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}

/** The engines this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];
