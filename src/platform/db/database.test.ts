import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DataDirInUseError } from "./data-dir-lock.ts";
import { openDatabase } from "./database.ts";

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
