import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseActCatalogue } from "./catalogo.ts";

const FILE = join(import.meta.dirname, "../../../catalogos/actos-anexo-7.json");
const shipped = () => JSON.parse(readFileSync(FILE, "utf8"));

describe("the catalogue of acts (annex 7)", () => {
  it("holds the 18 act types of numeral 7, in order, with their flags", () => {
    const catalogue = parseActCatalogue(shipped());
    expect(catalogue.types.map((t) => t.id)).toEqual(
      Array.from({ length: 18 }, (_, i) => `7.${i + 1}`),
    );
    expect(catalogue.require("7.1").name).toBe(
      "Resolución de Determinación de la Prima en el Seguro de Riesgos de Trabajo",
    );
    expect(catalogue.require("7.14").name).toBe(
      "Oficio de cierre por validación de la corrección patronal",
    );
    for (const t of catalogue.types) expect(t.senalaMediosDeDefensa).toBe(true);
    // Requerimientos are not definitive acts (LSS 294); 7.6 answers within CFF 18's 10 days.
    expect(catalogue.require("7.6")).toMatchObject({
      recurrible: false,
      plazoRespuestaDiasHabiles: 10,
    });
    expect(catalogue.require("7.9")).toMatchObject({ plazoRespuestaDiasHabiles: null });
    expect(catalogue.require("7.9").nota).toContain("el oficio lo dice");
    expect(catalogue.require("7.1").recurrible).toBe(true);
  });

  it("refuses an unknown type with a 422 naming the valid ones", () => {
    const catalogue = parseActCatalogue(shipped());
    expect(catalogue.find("7.19")).toBeUndefined();
    expect(() => catalogue.require("7.19")).toThrow(
      expect.objectContaining({ code: "unknown_act_type", pointer: "/actType" }),
    );
  });

  it("refuses a malformed catalogue: duplicates, bad ids, bad flags, unknown fields", () => {
    const base = shipped();
    const one = base.types[0];
    const bad = (types: unknown[]) => () => parseActCatalogue({ ...base, types });
    expect(bad([one, one])).toThrow(/aparece dos veces/);
    expect(bad([{ ...one, id: "8.1" }])).toThrow(/numeral del anexo/);
    expect(bad([{ ...one, recurrible: "sí" }])).toThrow(/recurrible/);
    expect(bad([{ ...one, plazoRespuestaDiasHabiles: 0 }])).toThrow(/entero positivo/);
    expect(bad([{ ...one, color: "rojo" }])).toThrow(/campo desconocido/);
    expect(() => parseActCatalogue([])).toThrow(/objeto JSON/);
    // senalaMediosDeDefensa defaults to true.
    const { senalaMediosDeDefensa: _omitted, ...rest } = one;
    expect(parseActCatalogue({ ...base, types: [rest] }).types[0]?.senalaMediosDeDefensa).toBe(
      true,
    );
  });
});
