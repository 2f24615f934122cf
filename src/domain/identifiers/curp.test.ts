import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURP_ENTIDADES, curpCheckDigit, parseCurp } from "./curp.ts";
import { refusal } from "./refusal.test-helper.ts";

const form = { context: "form" } as const;
const certificate = { context: "certificate" } as const;

// Check digits worked by hand with RENAPO's table "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
// (index = value: A = 10, N = 23, Ñ = 24, O = 25 … Z = 36), weights 18…2 over 17 characters,
// digit = (10 − sum mod 10) mod 10.
//
// VADA800927HSRSRL05 (the SAT test certificate's representative):
//   32×18 + 10×17 + 13×16 + 10×15 + 8×14 + 0×13 + 0×12 + 9×11 + 2×10 + 7×9
//   + 17×8 + 29×7 + 28×6 + 29×5 + 28×4 + 21×3 + 0×2 = 2225; 2225 mod 10 = 5;
//   (10 − 5) mod 10 = 5 → "5" ✓ — the algorithm agrees with the certificate.
// HEGT761003MDFRNN09 (in the SAT's test certificates too):
//   17×18 + 14×17 + 16×16 + 30×15 + 7×14 + 6×13 + 1×12 + 0×11 + 0×10 + 3×9
//   + 22×8 + 13×7 + 15×6 + 28×5 + 23×4 + 23×3 + 0×2 = 2123; 2123 mod 10 = 3;
//   (10 − 3) mod 10 = 7 → "7" ✗ (it ends in 9)

describe("curpCheckDigit", () => {
  it("matches the hand-worked examples", () => {
    expect(curpCheckDigit("VADA800927HSRSRL0")).toBe("5");
    expect(curpCheckDigit("HEGT761003MDFRNN0")).toBe("7");
  });

  it("rejects bodies of the wrong length or alphabet (a programming error, not input)", () => {
    expect(() => curpCheckDigit("VADA800927HSRSRL")).toThrow(RangeError);
    expect(() => curpCheckDigit("VADA800927HSRSR&0")).toThrow(RangeError);
  });
});

describe("parseCurp", () => {
  it("accepts VADA800927HSRSRL05 and reads sex and entity", () => {
    expect(parseCurp("VADA800927HSRSRL05", form)).toEqual({
      value: "VADA800927HSRSRL05",
      sexo: "H",
      entidad: "SR",
      checkDigitValid: true,
      warnings: [],
    });
  });

  it("accepts the reference's valid vectors, including NE (born abroad)", () => {
    for (const curp of [
      "CACX760510MGTSHC04",
      "GOCA741120HVZMNR00",
      "GARJ750416HDFRVR09",
      "XIQB891116MGRMZR05",
      "SABC560626MDFLRN01",
      "MOTR930411HJCRMN03",
      "MOBF810815HYNLRR00",
      "MOTR930411HNERMN03",
    ]) {
      const parsed = parseCurp(curp, form);
      expect(parsed.value).toBe(curp);
      expect(parsed.checkDigitValid).toBe(true);
    }
    expect(parseCurp("MOTR930411HNERMN03", form).entidad).toBe("NE");
  });

  it("accepts X (no binario) as sex and a letter as homonymy character (born from 2000)", () => {
    const nonBinary = "MOTR930411XJCRMN0";
    expect(parseCurp(nonBinary + curpCheckDigit(nonBinary), form).sexo).toBe("X");
    const born2004 = "MOTR040229HJCRMNA";
    expect(parseCurp(born2004 + curpCheckDigit(born2004), form).checkDigitValid).toBe(true);
  });

  it("trims and uppercases", () => {
    expect(parseCurp("  vada800927hsrsrl05 \n", form).value).toBe("VADA800927HSRSRL05");
  });

  it("refuses a check mismatch from a form and warns from a certificate", () => {
    const e = refusal("invalid_curp", () => parseCurp("HEGT761003MDFRNN09", form));
    expect(e.message).toContain("«HEGT761003MDFRNN09»");
    expect(e.message).toContain("dígito verificador");
    expect(e.message).toContain("no corresponde");
    expect(e.message).toContain("«7»");
    refusal("invalid_curp", () => parseCurp("MOTR930411HJCRMN06", form));

    const parsed = parseCurp("HEGT761003MDFRNN09", certificate);
    expect(parsed.value).toBe("HEGT761003MDFRNN09");
    expect(parsed.sexo).toBe("M");
    expect(parsed.entidad).toBe("DF");
    expect(parsed.checkDigitValid).toBe(false);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toContain("no corresponde");
    expect(parsed.warnings[0]).toContain("«7»");
  });

  it("refuses bad shapes, dates and entities in both contexts", () => {
    const cases: [string, RegExp][] = [
      ["VADA800927HSRSRL0", /debe tener 18 caracteres; tiene 17/],
      ["VADA800927HSRSRL055", /debe tener 18 caracteres; tiene 19/],
      ["MOTR930411HJCRMÑ03", /no tiene la forma/], // Ñ is written X by RENAPO
      ["MOTR930411ZJCRMN03", /no tiene la forma/], // sex Z
      ["MOTR930411HJCRAN03", /no tiene la forma/], // vowel among the consonants
      ["MOTR930411HJCRMN0A", /no tiene la forma/], // letter as check digit
      ["MO1R930411HJCRMN03", /no tiene la forma/],
      ["MOTR931311HJCRMN02", /fecha de nacimiento que no existe/], // month 13
      ["MOTR930229HJCRMN02", /fecha de nacimiento que no existe/], // 1993 not leap
      ["MOTR930411HXXRMN06", /entidad de nacimiento que no existe \(«XX»\)/],
    ];
    for (const [curp, message] of cases) {
      for (const options of [form, certificate]) {
        const e = refusal("invalid_curp", () => parseCurp(curp, options));
        expect(e.message).toMatch(/^La CURP «/);
        expect(e.message).toMatch(message);
      }
    }
  });

  it("refuses internal spaces and hyphens, and empty input", () => {
    for (const curp of ["VADA 800927 HSRSRL05", "VADA-800927-HSRSRL05"]) {
      const e = refusal("invalid_curp", () => parseCurp(curp, form));
      expect(e.message).toContain("no debe contener espacios ni guiones");
    }
    const e = refusal("invalid_curp", () => parseCurp("", { context: "form", pointer: "curp" }));
    expect(e.message).toBe("La CURP está vacía.");
    expect(e.pointer).toBe("curp");
  });

  it("knows 32 entities plus NE", () => {
    expect(CURP_ENTIDADES.size).toBe(33);
    expect(CURP_ENTIDADES.has("NE")).toBe(true);
    expect(CURP_ENTIDADES.has("DF")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

const LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const CONSONANTS = [..."BCDFGHJKLMNPQRSTVWXYZ"];
const two = (n: number) => String(n).padStart(2, "0");

const curpBody = fc
  .record({
    name: fc.array(fc.constantFrom(...LETTERS), { minLength: 4, maxLength: 4 }),
    yy: fc.integer({ min: 0, max: 99 }),
    mm: fc.integer({ min: 1, max: 12 }),
    dd: fc.integer({ min: 1, max: 28 }),
    sexo: fc.constantFrom("H", "M", "X"),
    entidad: fc.constantFrom(...CURP_ENTIDADES),
    consonants: fc.array(fc.constantFrom(...CONSONANTS), { minLength: 3, maxLength: 3 }),
    homonymy: fc.constantFrom(...LETTERS, ..."0123456789"),
  })
  .map(
    (c) =>
      `${c.name.join("")}${two(c.yy)}${two(c.mm)}${two(c.dd)}${c.sexo}${c.entidad}${c.consonants.join("")}${c.homonymy}`,
  );

describe("parseCurp properties", () => {
  it("the computed digit validates; any other digit is refused from a form", () => {
    fc.assert(
      fc.property(curpBody, fc.integer({ min: 0, max: 9 }), (body, other) => {
        const check = curpCheckDigit(body);
        expect(parseCurp(body + check, form).checkDigitValid).toBe(true);
        fc.pre(String(other) !== check);
        refusal("invalid_curp", () => parseCurp(body + String(other), form));
        expect(parseCurp(body + String(other), certificate).warnings).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});
