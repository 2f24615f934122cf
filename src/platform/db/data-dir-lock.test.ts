import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock.ts";

describe("lockDataDir", () => {
  it("keeps out an opener while another live process holds the database", () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-lock-"));
    // The test runner's parent is alive and is not us: it stands for another `buzon serve`.
    writeFileSync(join(dir, "buzon.pid"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`está en uso por el proceso ${process.ppid}`);
  });

  it("creates the lock, removes it on release, and takes over its own pid after a restart", () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-lock-"));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "buzon.pid"), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, "buzon.pid"))).toBe(false);
    writeFileSync(join(dir, "buzon.pid"), String(process.pid));
    lockDataDir(dir)();
  });

  it("takes over the lock of a process that died", () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-lock-"));
    // Linux pids stay below 2^22, so this one cannot be alive.
    writeFileSync(join(dir, "buzon.pid"), "4194305");
    lockDataDir(dir)();
    expect(existsSync(join(dir, "buzon.pid"))).toBe(false);
  });
});
