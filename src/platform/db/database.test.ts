import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { describe, expect, it } from "vitest";
import { DataDirInUseError } from "./data-dir-lock.ts";
import { migrateToLatest, openDatabase } from "./database.ts";
import { migrations } from "./migrations/index.ts";

describe("openDatabase on an embedded data directory", () => {
  it("keeps the directory private, holds it while open, and frees it on close", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "buzon-db-")), "pglite");
    const handle = openDatabase({ engine: "pglite", dataDir });
    await sql`select 1`.execute(handle.db);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await handle.close();
    const again = openDatabase({ engine: "pglite", dataDir });
    await sql`select 1`.execute(again.db);
    await again.close();
  });

  it("refuses a directory another process holds", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-db-"));
    // Written as if by another live process (the runner's parent).
    writeFileSync(join(dataDir, "buzon.pid"), String(process.ppid));
    expect(() => openDatabase({ engine: "pglite", dataDir })).toThrow(DataDirInUseError);
  });
});

describe("migrateToLatest", () => {
  it("applies a migration that landed after a later-numbered one already ran", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "buzon-db-")), "pglite");
    const handle = openDatabase({ engine: "pglite", dataDir });
    try {
      // A database migrated by a build that had 0007 but not yet 0006.
      const { ["0006_rate_limits"]: _missing, ...earlier } = migrations;
      const { error } = await new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => earlier },
        migrationTableName: "schema_migrations",
        migrationLockTableName: "schema_migrations_lock",
      }).migrateToLatest();
      expect(error).toBeUndefined();
      expect((await migrateToLatest(handle.db)).applied).toEqual(["0006_rate_limits"]);
      await sql`select count(*) from rate_limit_counters`.execute(handle.db);
    } finally {
      await handle.close();
    }
  });
});
