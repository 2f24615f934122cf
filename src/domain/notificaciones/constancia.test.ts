import { describe, expect, it } from "vitest";
import { constanciaStatement } from "./constancia.ts";

const input = {
  rfc: "EKU9003173C9",
  registroPatronal: null,
  actId: "0f5b4c3e-1d2a-4b6c-8e9f-0a1b2c3d4e5f",
  oficio: "SUB-09/2026/0001",
  actType: "7.1",
  documentName: "Resolución.pdf",
  documentSha256: "a".repeat(64),
  avisoAt: "2026-12-07T09:30:00-06:00",
  openBy: Temporal.PlainDate.from("2026-12-10"),
  fourthBusinessDay: Temporal.PlainDate.from("2026-12-11"),
  notifiedAt: "2026-12-11T09:30:00-06:00",
  calendarAuthority: "IMSS",
  calendarVersion: "2026.1",
  rulesVersion: "lineamientos-2024-08-06.4",
};

describe("constanciaStatement", () => {
  it("states the act, the days, that nobody opened it and the calendar, one field per line", () => {
    const text = constanciaStatement(input);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("Buzón IMSS — Constancia de notificación al cuarto día hábil");
    expect(lines).toContain("Apertura con e.firma en el plazo: no hubo");
    expect(lines).toContain("Cuarto día hábil: 2026-12-11 (viernes 11 de diciembre de 2026)");
    expect(lines).toContain("Calendario: IMSS 2026.1");
    expect(lines.some((l) => l.startsWith("Registro patronal"))).toBe(false);
    expect(constanciaStatement({ ...input, registroPatronal: "Y5412345109" })).toContain(
      "\nRegistro patronal: Y5412345109\n",
    );
  });

  it("refuses a field that would forge another line", () => {
    expect(() => constanciaStatement({ ...input, oficio: "A\nApertura: sí" })).toThrow();
  });
});
