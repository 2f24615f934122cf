import { describe, expect, it } from "vitest";
import { refusal } from "./refusal.test-helper.ts";
import { parseRegistroPatronal } from "./registro-patronal.ts";

describe("parseRegistroPatronal", () => {
  it("accepts a letter and 10 digits, trimmed and uppercased", () => {
    expect(parseRegistroPatronal("B5510768108")).toEqual({ value: "B5510768108" });
    expect(parseRegistroPatronal(" y6012345101 ")).toEqual({ value: "Y6012345101" });
  });

  it("does not judge the last digit: its algorithm is not public", () => {
    for (let last = 0; last <= 9; last++) {
      expect(parseRegistroPatronal(`B551076810${last}`).value).toBe(`B551076810${last}`);
    }
  });

  it("refuses other shapes", () => {
    for (const registro of [
      "B551076810", // 10 characters
      "B55107681080", // 12 characters
      "55107681080", // no letter
      "BB510768108", // two letters
      "B551076810A", // letter at the end
      "Ñ5510768108",
    ]) {
      const e = refusal("invalid_registro_patronal", () => parseRegistroPatronal(registro));
      expect(e.message).toMatch(
        /^El registro patronal «.+» no tiene la forma de un registro patronal del IMSS: una letra seguida de 10 dígitos/,
      );
    }
  });

  it("refuses internal spaces and hyphens, and empty input", () => {
    for (const registro of ["B55-10768-10-8", "B55 10768 10 8"]) {
      const e = refusal("invalid_registro_patronal", () => parseRegistroPatronal(registro));
      expect(e.message).toContain("no debe contener espacios ni guiones");
    }
    const e = refusal("invalid_registro_patronal", () =>
      parseRegistroPatronal("", { pointer: "registroPatronal" }),
    );
    expect(e.message).toBe("El registro patronal está vacío.");
    expect(e.pointer).toBe("registroPatronal");
  });
});
