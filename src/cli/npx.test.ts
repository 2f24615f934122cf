import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../platform/config.ts";

const run = promisify(execFile);
/** The machine's own npx (here on a Node older than the project's), not the project's. */
const SYSTEM_NPX = ["/usr/bin/npx", "/usr/local/bin/npx"].find((path) => existsSync(path));

describe("npx buzon", () => {
  it.skipIf(!SYSTEM_NPX)(
    "runs on the project's Node and prints no npm warnings, whatever the machine's Node",
    async () => {
      const { stdout, stderr } = await run(SYSTEM_NPX!, ["--no-install", "buzon", "help"], {
        cwd: PACKAGE_ROOT,
        env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
        timeout: 60_000,
      });
      expect(stdout).toContain("buzon — Buzón IMSS");
      expect(stderr).not.toMatch(/EBADENGINE|npm warn/i);
      expect(stderr).toBe("");
    },
    120_000,
  );
});
