import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MEANS_STATEMENT_NAME, meansStatement, statementLines } from "./statement.ts";

describe("the means statement an acuse seals (ADR 0012)", () => {
  it("a registration of the RFC's e-mail: fixed lines, LF, one trailing LF", () => {
    expect(
      meansStatement({
        act: "registro",
        rfc: "EKU9003173C9",
        kind: "correo",
        value: "ana@example.com",
        scopes: ["rfc"],
      }),
    ).toBe(
      "Buzón IMSS — Registro de medios de contacto\nRFC: EKU9003173C9\nMedio: correo\nValor: ana@example.com\nAlcance: RFC\n",
    );
    expect(MEANS_STATEMENT_NAME).toBe("medios-de-contacto.txt");
  });

  it("a validation for several registros patronales: one Alcance line each, in order, once", () => {
    const text = meansStatement({
      act: "validacion",
      rfc: "EKU9003173C9",
      kind: "celular",
      value: "+525512345678",
      scopes: ["Y5412345101", "A1234567105", "Y5412345101"],
    });
    expect(text.split("\n")).toEqual([
      "Buzón IMSS — Validación de medios de contacto",
      "RFC: EKU9003173C9",
      "Medio: celular",
      "Valor: +525512345678",
      "Alcance: Registro patronal Y5412345101",
      "Alcance: Registro patronal A1234567105",
      "",
    ]);
  });

  it("is the same bytes every time (its SHA-256 is stable) and NFC", () => {
    const input = {
      act: "registro" as const,
      rfc: "EKU9003173C9",
      kind: "correo" as const,
      value: "jose\u0301@example.com",
      scopes: ["rfc"],
    };
    const a = meansStatement(input);
    expect(a).toBe(meansStatement(input));
    expect(a).toBe(a.normalize("NFC"));
    expect(a).toContain("Valor: josé@example.com");
    const hash = createHash("sha256").update(Buffer.from(a, "utf8")).digest("hex");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a field that would forge another line, and no scope at all", () => {
    const base = {
      act: "registro" as const,
      rfc: "EKU9003173C9",
      kind: "correo" as const,
      value: "ana@example.com",
      scopes: ["rfc"],
    };
    expect(() => meansStatement({ ...base, value: "ana@example.com\nAlcance: RFC" })).toThrow();
    expect(() => meansStatement({ ...base, value: " ana@example.com" })).toThrow();
    expect(() => meansStatement({ ...base, scopes: [] })).toThrow();
  });

  it("statementLines gives the title apart and the field lines", () => {
    const text = meansStatement({
      act: "registro",
      rfc: "EKU9003173C9",
      kind: "correo",
      value: "ana@example.com",
      scopes: ["rfc"],
    });
    expect(statementLines(text)).toEqual({
      title: "Buzón IMSS — Registro de medios de contacto",
      lines: ["RFC: EKU9003173C9", "Medio: correo", "Valor: ana@example.com", "Alcance: RFC"],
    });
  });
});
