import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeMatches, generateCode, hashCode } from "./codes.ts";

describe("validation codes", () => {
  const key = randomBytes(32);

  it("are six digits, uniformly drawn", () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    // Leading zeros are kept: a code below 100000 is still six digits.
    expect(new Set(codes).size).toBeGreaterThan(1990);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10);
  });

  it("match only under the same key, registration and send", () => {
    const stored = hashCode(key, "BI-20261201-100000000", 1, "012345");
    expect(codeMatches(key, stored, "BI-20261201-100000000", 1, "012345")).toBe(true);
    expect(codeMatches(key, stored, "BI-20261201-100000000", 1, "012346")).toBe(false);
    expect(codeMatches(key, stored, "BI-20261201-100000001", 1, "012345")).toBe(false);
    expect(codeMatches(key, stored, "BI-20261201-100000000", 2, "012345")).toBe(false);
    expect(codeMatches(randomBytes(32), stored, "BI-20261201-100000000", 1, "012345")).toBe(false);
    for (const bad of ["12345", "0123456", " 012345", "01234a", ""]) {
      expect(codeMatches(key, stored, "BI-20261201-100000000", 1, bad)).toBe(false);
    }
    expect(codeMatches(key, null, "BI-20261201-100000000", 1, "012345")).toBe(false);
    // The stored hash says nothing of the code without the key.
    expect(stored.toString("hex")).not.toContain("012345");
  });
});
