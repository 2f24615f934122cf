import { describe, expect, it } from "vitest";
import { type PadronColumn, readPadronRow, samePadronRecord } from "./entry.ts";

const row = (cells: Partial<Record<PadronColumn, string>> = {}) => ({
  rfc: "EKU9003173C9",
  nombre: "ESCUELA KEMPER URGATE SA DE CV",
  persona: "moral",
  registros_patronales: "B5510768108; Y5412345109",
  correo: "Nomina@Kemper.com.mx",
  habilitado_2020: "",
  ...cells,
});

function refused(cells: Partial<Record<PadronColumn, string>>) {
  const result = readPadronRow(row(cells));
  if (result.ok) throw new Error("la fila debía rechazarse");
  return result;
}

describe("readPadronRow", () => {
  it("reads a persona moral with two registros patronales and an e-mail on file", () => {
    const result = readPadronRow(row());
    expect(result).toEqual({
      ok: true,
      warnings: [],
      entry: {
        rfc: "EKU9003173C9",
        name: "ESCUELA KEMPER URGATE SA DE CV",
        persona: "moral",
        registrosPatronales: ["B5510768108", "Y5412345109"],
        emailOnFile: "nomina@kemper.com.mx",
        habilitacion2020: null,
      },
    });
  });

  it("accepts «física» with its accent, no registros and no e-mail, and squeezes spaces", () => {
    const result = readPadronRow(
      row({
        rfc: " xojo740919u48 ",
        nombre: "  OSCAR   XOCHITL  ",
        persona: "Física",
        registros_patronales: "",
        correo: " ",
      }),
    );
    expect(result.ok && result.entry).toMatchObject({
      rfc: "XOJO740919U48",
      name: "OSCAR XOCHITL",
      persona: "fisica",
      registrosPatronales: [],
      emailOnFile: null,
    });
  });

  it("reads the 2020 enablement as a Zona Centro day or as an instant with offset", () => {
    const day = readPadronRow(row({ habilitado_2020: "2021-03-15" }));
    expect(day.ok && day.entry.habilitacion2020?.at.toString()).toBe("2021-03-15T06:00:00Z");
    const instant = readPadronRow(row({ habilitado_2020: "2024-08-05T23:59:59-06:00" }));
    expect(instant.ok && instant.entry.habilitacion2020?.at.toString()).toBe(
      "2024-08-06T05:59:59Z",
    );
  });

  it("warns, without refusing, of an RFC whose check character the SAT itself got wrong", () => {
    const result = readPadronRow(row({ rfc: "LME060822IH5", nombre: "L M E SA" }));
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings[0]).toMatch(/dígito verificador/);
  });

  it("refuses each bad cell with its code and a Spanish reason", () => {
    const cases: [Partial<Record<PadronColumn, string>>, string, RegExp][] = [
      [{ rfc: "" }, "invalid_rfc", /vacío/],
      [{ rfc: "EKU900317" }, "invalid_rfc", /12 caracteres/],
      [{ rfc: "EKU9013173C9" }, "invalid_rfc", /fecha que no existe/],
      [{ rfc: "XAXX010101000", persona: "fisica" }, "generic_rfc", /genérico/],
      [{ nombre: " " }, "invalid_name", /vacío/],
      [{ nombre: "x".repeat(301) }, "invalid_name", /300 caracteres/],
      [{ nombre: "A\u0007B" }, "invalid_name", /control/],
      [{ persona: "juridica" }, "invalid_persona", /«fisica» o «moral»/],
      [{ persona: "fisica" }, "invalid_persona", /persona moral \(12 caracteres\)/],
      [{ registros_patronales: "B551076810" }, "invalid_registro_patronal", /10 dígitos/],
      [
        { registros_patronales: "B5510768108;b5510768108" },
        "duplicate_registro_patronal",
        /dos veces/,
      ],
      [{ correo: "nomina@kemper" }, "invalid_email", /dominio/],
      [{ habilitado_2020: "15/03/2021" }, "invalid_habilitacion_2020", /AAAA-MM-DD/],
      [{ habilitado_2020: "2021-02-30" }, "invalid_habilitacion_2020", /no es válida/],
      [{ habilitado_2020: "2021-03-15T10:00:00" }, "invalid_habilitacion_2020", /zona horaria/],
      [{ habilitado_2020: "2020-07-09" }, "invalid_habilitacion_2020", /vigencia/],
      [{ habilitado_2020: "2024-08-06" }, "invalid_habilitacion_2020", /vigencia/],
    ];
    for (const [cells, code, reason] of cases) {
      const result = refused(cells);
      expect(result.refusal.code, JSON.stringify(cells)).toBe(code);
      expect(result.refusal.reason, JSON.stringify(cells)).toMatch(reason);
    }
    expect(refused({ correo: "x" }).rfc).toBe("EKU9003173C9");
  });

  it("tells unchanged entries from changed ones", () => {
    const a = readPadronRow(row());
    const b = readPadronRow(row({ registros_patronales: "Y5412345109;B5510768108" }));
    const c = readPadronRow(row({ correo: "otro@kemper.com.mx" }));
    const d = readPadronRow(row({ habilitado_2020: "2021-01-01" }));
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error("filas válidas");
    expect(samePadronRecord(a.entry, b.entry)).toBe(true);
    expect(samePadronRecord(a.entry, c.entry)).toBe(false);
    expect(samePadronRecord(a.entry, d.entry)).toBe(false);
  });
});
