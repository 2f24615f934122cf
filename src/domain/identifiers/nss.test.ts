import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nssCheckDigit, parseNss } from "./nss.ts";
import { refusal } from "./refusal.test-helper.ts";

// Check digits worked by hand: weights 1,2,1,2… over the first 10 digits, a product ≥ 10 counts
// as the sum of its digits, check = (10 − sum mod 10) mod 10.
//
// 92919084431: 9×1, 2×2, 9×1, 1×2, 9×1, 0×2, 8×1, 4×2, 4×1, 3×2 = 9,4,9,2,9,0,8,8,4,6 → 59;
//   (10 − 9) mod 10 = 1 ✓ (the worked example in domain-mx.md §2.3)
// 12345678903: 1,4,3,8,5,12→3,7,16→7,9,0 → 47; (10 − 7) mod 10 = 3 ✓
// 12345678901: same body, so 3 is due and 1 is wrong ✗

describe("nssCheckDigit", () => {
  it("matches the hand-worked examples", () => {
    expect(nssCheckDigit("9291908443")).toBe("1");
    expect(nssCheckDigit("1234567890")).toBe("3");
    expect(nssCheckDigit("0123456789")).toBe("7");
  });

  it("rejects bodies that are not 10 digits (a programming error, not input)", () => {
    expect(() => nssCheckDigit("123456789")).toThrow(RangeError);
    expect(() => nssCheckDigit("12345678A0")).toThrow(RangeError);
  });
});

describe("parseNss", () => {
  it("accepts the reference's valid vectors", () => {
    for (const nss of [
      "92919084431",
      "12345678903",
      "11785837631",
      "01019000015",
      "47987601235",
      "55108400015",
    ]) {
      expect(parseNss(nss)).toEqual({ value: nss });
    }
  });

  it("trims surrounding whitespace and keeps leading zeros", () => {
    expect(parseNss("  01019000015\n").value).toBe("01019000015");
  });

  it("refuses a wrong check digit, naming the expected one", () => {
    const e = refusal("invalid_nss", () => parseNss("12345678901"));
    expect(e.message).toBe(
      "El dígito verificador del NSS «12345678901» no corresponde: debería ser «3». Revise que esté bien escrito.",
    );
    refusal("invalid_nss", () => parseNss("01234567890"));
  });

  it("refuses a bad shape", () => {
    for (const nss of [
      "9291908443",
      "929190844310",
      "9291908443A",
      "A2919084431",
      "92919084431.0",
    ]) {
      const e = refusal("invalid_nss", () => parseNss(nss));
      expect(e.message).toMatch(/^El NSS «.+» no tiene la forma de un número de seguridad social/);
    }
  });

  it("refuses the printed form with hyphens or spaces, saying why", () => {
    for (const nss of ["92-91-90-8443-1", "9291 9084 431"]) {
      const e = refusal("invalid_nss", () => parseNss(nss));
      expect(e.message).toContain("no debe contener espacios ni guiones");
    }
  });

  it("refuses empty input and carries the pointer", () => {
    const e = refusal("invalid_nss", () => parseNss(" ", { pointer: "/trabajador/nss" }));
    expect(e.message).toBe("El NSS está vacío.");
    expect(e.pointer).toBe("/trabajador/nss");
  });
});

describe("parseNss properties", () => {
  const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 });

  it("the computed digit validates, and changing any one digit is refused (Luhn)", () => {
    fc.assert(
      fc.property(
        body,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, delta) => {
          const valid = digits.join("") + nssCheckDigit(digits.join(""));
          expect(parseNss(valid).value).toBe(valid);
          const changed = (Number(valid[position]) + delta) % 10;
          const wrong = valid.slice(0, position) + changed + valid.slice(position + 1);
          refusal("invalid_nss", () => parseNss(wrong));
        },
      ),
      { numRuns: 500 },
    );
  });
});
