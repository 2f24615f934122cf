import { describe, expect, it } from "vitest";
import { parseEmail } from "./email.ts";
import { refusal } from "./refusal.test-helper.ts";

describe("parseEmail", () => {
  it("trims and lowercases what mail servers accept", () => {
    expect(parseEmail("  Contabilidad.Nomina+imss@Empresa.COM.mx ").value).toBe(
      "contabilidad.nomina+imss@empresa.com.mx",
    );
    expect(parseEmail("a@xn--espaa-rta.com").value).toBe("a@xn--espaa-rta.com");
  });

  it("refuses what no server would take, saying why in Spanish", () => {
    const cases: [string, RegExp][] = [
      ["", /está vacío/],
      ["sin-arroba.com", /no tiene «@»/],
      ["@empresa.com", /antes de «@»/],
      ["dos..puntos@empresa.com", /antes de «@»/],
      [".punto@empresa.com", /antes de «@»/],
      ["josé@empresa.com", /antes de «@»/],
      ["con espacio@empresa.com", /antes de «@»/],
      ["a@localhost", /después de «@»/],
      ["a@empresa.c", /después de «@»/],
      ["a@-empresa.com", /después de «@»/],
      ["a@empresa..com", /después de «@»/],
      ["a@[127.0.0.1]", /después de «@»/],
      [`${"a".repeat(65)}@empresa.com`, /antes de «@»/],
      [`a@${"b".repeat(250)}.com`, /demasiado largo/],
    ];
    for (const [text, message] of cases) {
      const e = refusal("invalid_email", () => parseEmail(text, { pointer: "correo" }));
      expect(e.detail).toMatch(message);
      expect(e.pointer).toBe("correo");
    }
  });
});
