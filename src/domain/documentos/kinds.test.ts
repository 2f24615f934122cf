import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkPeriod,
  type DocumentoKind,
  isPdf,
  parseDocumentoCatalogue,
  periodLabel,
} from "./kinds.ts";

const catalogue = parseDocumentoCatalogue(
  JSON.parse(readFileSync(new URL("../../../catalogos/documentos.json", import.meta.url), "utf8")),
);
const kind = (id: string): DocumentoKind => catalogue.require(id);
const TODAY = Temporal.PlainDate.from("2026-12-07");
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "aceptado";
};

describe("catálogo de documentos", () => {
  it("holds the four kinds of «Mis documentos» 4.1–4.3", () => {
    expect(catalogue.kinds.map((k) => [k.id, k.apartado, k.periodo, k.registroPatronal])).toEqual([
      ["propuesta_cedula_ema", "4.1", "mensual", "requerido"],
      ["propuesta_cedula_eba", "4.1", "bimestral", "requerido"],
      ["constancia_semanas_cotizadas", "4.2", "fecha", "no_admitido"],
      ["vigencia_derechos", "4.3", "fecha", "no_admitido"],
    ]);
  });

  it("refuses a broken catalogue whole", () => {
    const base = { version: "1", source: "s" };
    for (const kinds of [
      [],
      [
        {
          id: "x",
          name: "n",
          apartado: "4.1",
          periodo: "mensual",
          registroPatronal: "requerido",
          maxBytes: 2048,
        },
      ],
      [
        {
          id: "ok_id",
          name: "n",
          apartado: "4.1",
          periodo: "anual",
          registroPatronal: "requerido",
          maxBytes: 2048,
        },
      ],
      [
        {
          id: "ok_id",
          name: "n",
          apartado: "4.1",
          periodo: "mensual",
          registroPatronal: "quizá",
          maxBytes: 2048,
        },
      ],
      [
        {
          id: "ok_id",
          name: "n",
          apartado: "4.1",
          periodo: "mensual",
          registroPatronal: "requerido",
          maxBytes: 1e12,
        },
      ],
    ]) {
      expect(refusal(() => parseDocumentoCatalogue({ ...base, kinds }))).toBe(
        "documento_catalogue_invalid",
      );
    }
    expect(refusal(() => catalogue.require("otro"))).toBe("unknown_documento_kind");
  });
});

describe("periodo por tipo", () => {
  const ema = kind("propuesta_cedula_ema");
  const eba = kind("propuesta_cedula_eba");
  const fecha = kind("vigencia_derechos");

  it("takes a month for EMA, an even closing month for EBA and a past day for constancias", () => {
    expect(checkPeriod(ema, "2026-11", TODAY)).toBe("2026-11");
    expect(checkPeriod(ema, "2026-12", TODAY)).toBe("2026-12");
    expect(checkPeriod(eba, "2026-12", TODAY)).toBe("2026-12");
    expect(checkPeriod(eba, "1997-02", TODAY)).toBe("1997-02");
    expect(checkPeriod(fecha, "2026-12-07", TODAY)).toBe("2026-12-07");
  });

  it("refuses what does not fit the kind", () => {
    for (const [k, period] of [
      [eba, "2026-03"],
      [eba, "2026-11"],
      [ema, "2026-13"],
      [ema, "2026-00"],
      [ema, "2027-01"],
      [ema, "1996-12"],
      [ema, "2026-1"],
      [ema, "2026-11-01"],
      [fecha, "2026-02-30"],
      [fecha, "2026-12-08"],
      [fecha, "2026-12"],
    ] as const) {
      expect(
        refusal(() => checkPeriod(k, period, TODAY)),
        `${k.id} ${period}`,
      ).toBe("documento_period_invalid");
    }
  });

  it("reads periods in Spanish", () => {
    expect(periodLabel("mensual", "2026-03")).toBe("marzo de 2026");
    expect(periodLabel("bimestral", "2026-02")).toBe("1.º bimestre de 2026 (enero–febrero)");
    expect(periodLabel("bimestral", "2026-12")).toBe("6.º bimestre de 2026 (noviembre–diciembre)");
    expect(periodLabel("fecha", "2026-03-05")).toBe("5 de marzo de 2026");
  });

  it("tells a PDF by its bytes, a truncated one is not", () => {
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
    expect(isPdf(pdf)).toBe(true);
    expect(isPdf(pdf.subarray(0, 20))).toBe(false);
    expect(isPdf(Buffer.from("<html>%PDF-</html>"))).toBe(false);
  });
});
