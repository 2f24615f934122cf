import { describe, expect, it } from "vitest";
import { type AvisoDelivery, constanciaStatement } from "./constancia.ts";

const input = {
  rfc: "EKU9003173C9",
  registroPatronal: null,
  actId: "0f5b4c3e-1d2a-4b6c-8e9f-0a1b2c3d4e5f",
  oficio: "SUB-09/2026/0001",
  actType: "7.1",
  issuingUnit: "Subdelegación Centro",
  documentName: "Resolución.pdf",
  documentSha256: "a".repeat(64),
  avisoAt: "2026-12-07T09:30:00-06:00",
  openBy: Temporal.PlainDate.from("2026-12-10"),
  fourthBusinessDay: Temporal.PlainDate.from("2026-12-11"),
  notifiedAt: "2026-12-11T09:30:00-06:00",
  calendarAuthority: "IMSS",
  calendarVersion: "2026.1",
  rulesVersion: "lineamientos-2024-08-06.4",
  avisos: [] as AvisoDelivery[],
};

const at = (text: string) => Temporal.Instant.from(text);
const digest = (n: number) => String(n).repeat(64);

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

  it("names the issuing unit, and says there was no address when the aviso had none", () => {
    const lines = constanciaStatement(input).trimEnd().split("\n");
    expect(lines).toContain("Unidad emisora: Subdelegación Centro");
    expect(lines).toContain("Aviso: ninguna dirección registrada");
  });

  it("states where each aviso's delivery stood when it was sealed, masked, with its digest", () => {
    const text = constanciaStatement({
      ...input,
      avisos: [
        {
          channel: "correo",
          address: "titular@example.mx",
          digest: digest(1),
          status: "enviada",
          finishedAt: at("2026-12-07T15:30:02Z"),
          attempts: 1,
        },
        {
          channel: "correo",
          address: "rechazo@example.mx",
          digest: digest(2),
          status: "fallida",
          finishedAt: at("2026-12-07T15:31:00Z"),
          attempts: 1,
        },
        {
          channel: "sms",
          address: "+525512345678",
          digest: digest(3),
          status: "pendiente",
          finishedAt: null,
          attempts: 2,
        },
        {
          channel: "sms",
          address: "+525587654321",
          digest: digest(4),
          status: "pendiente",
          finishedAt: null,
          attempts: 0,
        },
      ],
    });
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("Aviso: "))).toEqual([
      `Aviso: correo electrónico ti***@example.mx; huella ${digest(1)}: aceptado para su entrega el 2026-12-07T09:30:02-06:00`,
      `Aviso: correo electrónico re***@example.mx; huella ${digest(2)}: no se pudo entregar (fallido definitivamente el 2026-12-07T09:31:00-06:00)`,
      `Aviso: celular (SMS) +52••••••5678; huella ${digest(3)}: sin entregar aún (2 intentos sin éxito)`,
      `Aviso: celular (SMS) +52••••••4321; huella ${digest(4)}: sin entregar aún`,
    ]);
    expect(text).not.toContain("titular@");
    expect(text).not.toContain("5512345678");
    expect(lines.at(-1)).toMatch(/^Entrega de los avisos: lo registrado al sellar/);
  });

  it("writes a control character in a stored value as a space, never a forged line (and never throws)", () => {
    expect(constanciaStatement({ ...input, oficio: "09/\u202E77" })).toContain(
      "\nOficio: 09/ 77\n",
    );
    const text = constanciaStatement({
      ...input,
      oficio: "A\nApertura con e.firma en el plazo: sí",
    });
    expect(text).toContain("\nOficio: A Apertura con e.firma en el plazo: sí\n");
    expect(text.split("\n").filter((l) => l.startsWith("Apertura con e.firma"))).toEqual([
      "Apertura con e.firma en el plazo: no hubo",
    ]);
  });
});
