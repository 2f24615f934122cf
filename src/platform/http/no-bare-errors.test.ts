import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
/** Where a request can reach: every refusal there must carry a code (docs/api.md, «Errores»). */
const SCANNED = ["src/domain", "src/features", "src/platform"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test(-helper)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe("the error model", () => {
  it("has no bare `throw new Error` (nor a rejection with one) where a request can reach", () => {
    const found: string[] = [];
    for (const dir of SCANNED) {
      for (const file of sourceFiles(join(ROOT, dir))) {
        readFileSync(file, "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (/(throw|reject\(|destroy\()\s*new Error\(/.test(line))
              found.push(`${relative(ROOT, file)}:${i + 1}`);
          });
      }
    }
    expect(found, "use a CodedError (src/domain/errors.ts) instead").toEqual([]);
  });
});
