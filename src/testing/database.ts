import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  type DatabaseHandle,
  type Engine,
  migrateToLatest,
  openDatabase,
} from "../platform/db/database.ts";

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

export interface TestDatabase extends DatabaseHandle {
  /** Drops what the test created. Idempotent. */
  dispose(): Promise<void>;
  /** On PostgreSQL, the database's URL (for processes the test starts). */
  url?: string;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const instance = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    const handle = openDatabase({ engine: "pglite", instance });
    const close = once(handle.close);
    return { ...handle, close, dispose: close };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("TEST_DATABASE_URL no está definida");
  const name = `buzon_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase({ engine: "postgres", url: url.toString(), poolSize: 4 });
  await migrateToLatest(handle.db);
  const close = once(handle.close);
  return {
    ...handle,
    url: url.toString(),
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
