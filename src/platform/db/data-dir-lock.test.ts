import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock.ts";

describe("lockDataDir", () => {
  it("keeps a second opener out of an embedded database in use, and lets it in once released", () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-lock-"));
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`está en uso por el proceso ${process.pid}`);
    release();
    expect(existsSync(join(dir, "buzon.pid"))).toBe(false);
    lockDataDir(dir)();
  });

  it("takes over the lock of a process that died", () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-lock-"));
    // Linux pids stay below 2^22, so this one cannot be alive.
    writeFileSync(join(dir, "buzon.pid"), "4194305");
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
  });
});
