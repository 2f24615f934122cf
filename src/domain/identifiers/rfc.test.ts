import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refusal } from "./refusal.test-helper.ts";
import { GENERIC_RFCS, parseRfc, rfcCheckDigit } from "./rfc.ts";

const form = { context: "form" } as const;
const certificate = { context: "certificate" } as const;

// Check characters worked by hand with the SAT table (0–9 → 0–9, A–N → 10–23, & → 24,
// O–Z → 25–36, space → 37, Ñ → 38), weights 13…2, r = sum mod 11, 0 → "0", 11 − r = 10 → "A".
//
// EKU9003173C9 (moral, padded " EKU9003173C"):
//   37×13 + 14×12 + 20×11 + 31×10 + 9×9 + 0×8 + 0×7 + 3×6 + 1×5 + 7×4 + 3×3 + 12×2 = 1344;
//   1344 mod 11 = 2; 11 − 2 = 9 → "9" ✓
// VADA800927DJ3 (física):
//   32×13 + 10×12 + 13×11 + 10×10 + 8×9 + 0×8 + 0×7 + 9×6 + 2×5 + 7×4 + 13×3 + 19×2 = 1020;
//   1020 mod 11 = 8; 11 − 8 = 3 → "3" ✓
// H&E951128469 (moral with &, padded " H&E95112846"):
//   37×13 + 17×12 + 24×11 + 14×10 + 9×9 + 5×8 + 1×7 + 1×6 + 2×5 + 8×4 + 4×3 + 6×2 = 1289;
//   1289 mod 11 = 2; 11 − 2 = 9 → "9" ✓ (so the & RFC is valid)
// AAA010101AAA (moral, padded " AAA010101AA"):
//   37×13 + 10×12 + 10×11 + 10×10 + 0×9 + 1×8 + 0×7 + 1×6 + 0×5 + 1×4 + 10×3 + 10×2 = 879;
//   879 mod 11 = 10; 11 − 10 = 1 → "1" ✗ (it ends in "A")
// XAXX010101000 (física):
//   34×13 + 10×12 + 34×11 + 34×10 + 0×9 + 1×8 + 0×7 + 1×6 + 0×5 + 1×4 + 0×3 + 0×2 = 1294;
//   1294 mod 11 = 7; 11 − 7 = 4 → "4" ✗ (valid only because the SAT defines it)

describe("rfcCheckDigit", () => {
  it("matches the hand-worked examples", () => {
    expect(rfcCheckDigit("EKU9003173C")).toBe("9");
    expect(rfcCheckDigit("VADA800927DJ")).toBe("3");
    expect(rfcCheckDigit("H&E95112846")).toBe("9");
    expect(rfcCheckDigit("AAA010101AA")).toBe("1");
    expect(rfcCheckDigit("XAXX01010100")).toBe("4");
  });

  it("gives 'A' for 11 − r = 10 and '0' for r = 0", () => {
    expect(rfcCheckDigit("L&O950913MS")).toBe("A");
    expect(rfcCheckDigit("MHTR93041179")).toBe("A");
    expect(rfcCheckDigit("MHTR84041179")).toBe("0");
  });

  it("rejects bodies of the wrong length or alphabet (a programming error, not input)", () => {
    expect(() => rfcCheckDigit("EKU9003173")).toThrow(RangeError);
    expect(() => rfcCheckDigit("EKU9003173$")).toThrow(RangeError);
  });
});

describe("parseRfc", () => {
  it("accepts the SAT test certificates' RFCs (EKU9003173C9, VADA800927DJ3)", () => {
    expect(parseRfc("EKU9003173C9", form)).toEqual({
      value: "EKU9003173C9",
      persona: "moral",
      checkDigitValid: true,
      generic: false,
      warnings: [],
    });
    expect(parseRfc("VADA800927DJ3", form)).toEqual({
      value: "VADA800927DJ3",
      persona: "fisica",
      checkDigitValid: true,
      generic: false,
      warnings: [],
    });
  });

  it("accepts the reference's valid vectors, with & and Ñ", () => {
    const fisicas = ["CACX7605101P8", "FUNK671228PH6", "XIQB891116QE4", "XOJI740919U48"];
    const morales = ["SAT970701NN3", "SMA0112284B2", "IIA040805DZ4", "URE180429TM6"];
    const signs = ["H&E951128469", "S&S051221SE2", "L&O950913MSA", "Ñ&T130705MD6"];
    const others = ["MOBF8108153Q5", "MHTR93041179A", "MHTR840411790", "GODE561231GR8"];
    for (const rfc of [...fisicas, ...morales, ...signs, ...others]) {
      const parsed = parseRfc(rfc, form);
      expect(parsed.value).toBe(rfc);
      expect(parsed.checkDigitValid).toBe(true);
      expect(parsed.persona).toBe(rfc.length === 13 ? "fisica" : "moral");
    }
  });

  it("trims, uppercases and joins a decomposed Ñ", () => {
    expect(parseRfc("  eku9003173c9\t", form).value).toBe("EKU9003173C9");
    expect(parseRfc(" h&e951128469 ", form).value).toBe("H&E951128469");
    expect(parseRfc("ñ&t130705md6", form).value).toBe("Ñ&T130705MD6");
    expect(parseRfc("N\u0303&T130705MD6", form).value).toBe("Ñ&T130705MD6");
  });

  it("accepts the generic RFCs although XAXX010101000 fails the algorithm", () => {
    for (const rfc of GENERIC_RFCS) {
      expect(parseRfc(rfc, form)).toEqual({
        value: rfc,
        persona: "fisica",
        checkDigitValid: true,
        generic: true,
        warnings: [],
      });
    }
  });

  it("refuses a check mismatch from a form, naming the RFC and the expected character", () => {
    const e = refusal("invalid_rfc", () => parseRfc("AAA010101AAA", form));
    expect(e.message).toContain("«AAA010101AAA»");
    expect(e.message).toContain("dígito verificador");
    expect(e.message).toContain("no corresponde");
    expect(e.message).toContain("«1»");
    refusal("invalid_rfc", () => parseRfc("MHTR810511A79", form));
    refusal("invalid_rfc", () => parseRfc("LME060822IH5", form));
    refusal("invalid_rfc", () => parseRfc("EKU9003173C8", form));
  });

  it("accepts a check mismatch from a certificate, with a Spanish warning", () => {
    for (const [rfc, expected] of [
      ["AAA010101AAA", "1"],
      ["LME060822IH5", "3"],
    ] as const) {
      const parsed = parseRfc(rfc, certificate);
      expect(parsed.value).toBe(rfc);
      expect(parsed.persona).toBe("moral");
      expect(parsed.checkDigitValid).toBe(false);
      expect(parsed.warnings).toHaveLength(1);
      expect(parsed.warnings[0]).toContain(`«${rfc}»`);
      expect(parsed.warnings[0]).toContain("no corresponde");
      expect(parsed.warnings[0]).toContain(`«${expected}»`);
    }
    expect(parseRfc("EKU9003173C9", certificate).warnings).toEqual([]);
  });

  it("refuses a bad shape in both contexts", () => {
    const bad = [
      "EKU900317", // short
      "EKUX9003173C9X", // 14 characters
      "EK19003173C9", // digit among the name letters
      "EKU90031A3C9", // letter in the date
      "EKUX9003173Ñ9", // Ñ in the homoclave
      "EKU9003173C$", // symbol in the homoclave
      "E$U9003173C9",
    ];
    for (const rfc of bad) {
      for (const options of [form, certificate]) {
        const e = refusal("invalid_rfc", () => parseRfc(rfc, options));
        expect(e.message).toMatch(/^El RFC «.+» (no tiene la forma|debe tener 12)/);
      }
    }
  });

  it("refuses dates that do not exist, also from a certificate", () => {
    for (const rfc of ["MHTR815511A70", "EKU900230ABC", "EKU900431ABC", "EKU900001ABC"]) {
      const e = refusal("invalid_rfc", () => parseRfc(rfc, certificate));
      expect(e.message).toContain("fecha que no existe");
    }
    // 29 February in a year divisible by 4 (00 read as 2000) exists; in 2001 it does not.
    const leap = "AAA000229AB";
    expect(parseRfc(leap + rfcCheckDigit(leap), form).checkDigitValid).toBe(true);
    refusal("invalid_rfc", () => parseRfc("AAA010229AB1", certificate));
  });

  it("refuses internal spaces and hyphens with a message that says so", () => {
    for (const rfc of ["EKU 900317 3C9", "EKU-900317-3C9", "EKU900317\u00a03C9"]) {
      const e = refusal("invalid_rfc", () => parseRfc(rfc, form));
      expect(e.message).toContain("no debe contener espacios ni guiones");
    }
  });

  it("refuses empty input and carries the pointer", () => {
    const e = refusal("invalid_rfc", () => parseRfc("   ", { context: "form", pointer: "/rfc" }));
    expect(e.message).toBe("El RFC está vacío.");
    expect(e.pointer).toBe("/rfc");
  });

  it("cuts long input in messages", () => {
    const e = refusal("invalid_rfc", () => parseRfc("A".repeat(10_000), form));
    expect(e.message.length).toBeLessThan(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: for any well-formed body, its computed check character validates and every other
// homoclave character is refused from a form.

const NAME_LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZÑ&"];
const HOMOCLAVE = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const two = (n: number) => String(n).padStart(2, "0");

const rfcBody = fc
  .record({
    name: fc.array(fc.constantFrom(...NAME_LETTERS), { minLength: 3, maxLength: 4 }),
    yy: fc.integer({ min: 0, max: 99 }),
    mm: fc.integer({ min: 1, max: 12 }),
    dayIndex: fc.nat(),
    homoclave: fc.array(fc.constantFrom(...HOMOCLAVE), { minLength: 2, maxLength: 2 }),
  })
  .map(({ name, yy, mm, dayIndex, homoclave }) => {
    const days = mm === 2 && yy % 4 !== 0 ? 28 : DAYS_IN_MONTH[mm - 1]!;
    const dd = (dayIndex % days) + 1;
    return `${name.join("")}${two(yy)}${two(mm)}${two(dd)}${homoclave.join("")}`;
  })
  // The generic RFCs are valid whatever the algorithm says; they are tested above.
  .filter((body) => ![...GENERIC_RFCS].some((g) => g.startsWith(body)));

describe("parseRfc properties", () => {
  it("the computed check character validates; any other last character is refused", () => {
    fc.assert(
      fc.property(rfcBody, fc.constantFrom(...HOMOCLAVE, "$", "ñ", " "), (body, other) => {
        const check = rfcCheckDigit(body);
        const parsed = parseRfc(body + check, form);
        expect(parsed.checkDigitValid).toBe(true);
        expect(parsed.persona).toBe(body.length === 12 ? "fisica" : "moral");
        fc.pre(other !== check && other !== check.toLowerCase());
        refusal("invalid_rfc", () => parseRfc(body + other, form));
      }),
      { numRuns: 1000 },
    );
  });

  it("from a certificate, any well-shaped last character is accepted, with a warning iff wrong", () => {
    fc.assert(
      fc.property(rfcBody, fc.constantFrom(...HOMOCLAVE), (body, last) => {
        const parsed = parseRfc(body + last, certificate);
        const valid = last === rfcCheckDigit(body);
        expect(parsed.checkDigitValid).toBe(valid);
        expect(parsed.warnings).toHaveLength(valid ? 0 : 1);
      }),
      { numRuns: 500 },
    );
  });
});
