import { describe, expect, it } from "vitest";
import { AVISO_STATEMENT_NAME, avisoStatement, maskAddress, termStatement } from "./aviso.ts";

const at = (text: string) => Temporal.Instant.from(text);
const calendar = {
  authority: "IMSS",
  version: "2026.1",
  rulesVersion: "lineamientos-2024-08-06.4",
};
const input = {
  rfc: "EKU9003173C9",
  registroPatronal: null,
  actId: "0f5b4c3e-1d2a-4b6c-8e9f-0a1b2c3d4e5f",
  oficio: "SUB-09/2026/0001",
  actType: "7.1 Resolución",
  issuingUnit: "Subdelegación Centro",
  documentName: "Resolución.pdf",
  documentSha256: "a".repeat(64),
  availableAt: at("2026-12-07T09:30:00-06:00"),
  openBy: Temporal.PlainDate.from("2026-12-10"),
  deemedNotifiedAt: at("2026-12-11T09:30:00-06:00"),
  availableBy: calendar,
  termBy: calendar,
  addresses: [
    { channel: "correo", address: "jperez@example.mx", digest: "b".repeat(64) },
    { channel: "sms", address: "+525512345678", digest: "c".repeat(64) },
  ],
} as const;

describe("avisoStatement", () => {
  it("states the addressee, the act, the instant made available, the term and each address, masked", () => {
    expect(AVISO_STATEMENT_NAME).toBe("aviso-notificacion.txt");
    const text = avisoStatement(input);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.normalize("NFC")).toBe(text);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("Buzón IMSS — Aviso de notificación");
    expect(lines).toContain("RFC: EKU9003173C9");
    expect(lines).toContain("Unidad emisora: Subdelegación Centro");
    expect(lines).toContain(
      "Disponible desde: 2026-12-07T09:30:00-06:00 (momento del aviso; Lineamientos 7.2 y 7.3)",
    );
    // The term as the aviso stated it (one text, reused), then its dates for machines.
    expect(lines).toContain(
      `Plazo: ${termStatement(input.availableAt, input.openBy, input.deemedNotifiedAt)}`,
    );
    expect(lines).toContain("Último día para abrir: 2026-12-10 (jueves 10 de diciembre de 2026)");
    expect(
      lines.some((l) => l.startsWith("Notificada si no se abre: 2026-12-11T09:30:00-06:00")),
    ).toBe(true);
    // One calendar computed both: named once.
    expect(lines).toContain(
      "Calendario: IMSS 2026.1, reglas lineamientos-2024-08-06.4 (el momento del aviso y el plazo)",
    );
    expect(lines.filter((l) => l.startsWith("Aviso dirigido a: "))).toEqual([
      `Aviso dirigido a: correo electrónico jp***@example.mx; huella ${"b".repeat(64)}`,
      `Aviso dirigido a: celular (SMS) +52••••••5678; huella ${"c".repeat(64)}`,
    ]);
    // Whole addresses never: the acuse is shown to whoever holds its folio and code.
    expect(text).not.toContain("jperez@");
    expect(text).not.toContain("5512345678");
    expect(lines.some((l) => l.startsWith("Registro patronal"))).toBe(false);
    expect(avisoStatement({ ...input, registroPatronal: "Y5412345109" })).toContain(
      "\nRegistro patronal: Y5412345109\n",
    );
  });

  it("names both calendars, and what each computed, when the term's is not the deposit's", () => {
    const text = avisoStatement({
      ...input,
      termBy: { ...calendar, version: "2026.2" },
    });
    expect(text).not.toContain("\nCalendario: ");
    expect(text).toContain(
      "\nCalendario del aviso: IMSS 2026.1, reglas lineamientos-2024-08-06.4 (el momento del aviso, calculado al depositar)\n",
    );
    expect(text).toContain(
      "\nCalendario del plazo: IMSS 2026.2, reglas lineamientos-2024-08-06.4 (el último día para abrir y el cuarto día hábil)\n",
    );
  });

  it("cannot be given another line by a stored value, and says so when no address was queued", () => {
    const text = avisoStatement({ ...input, oficio: "A\nApertura: sí", addresses: [] });
    expect(text).toContain("\nOficio: A Apertura: sí\n");
    expect(text).toContain("\nAviso dirigido a: ninguna dirección registrada\n");
    expect(text).not.toContain("Huella de cada dirección");
  });
});

it("masks addresses for display", () => {
  expect(maskAddress("correo", "jperez@example.mx")).toBe("jp***@example.mx");
  expect(maskAddress("correo", "a@example.mx")).toBe("***@example.mx");
  expect(maskAddress("correo", "ab@example.mx")).toBe("a***@example.mx");
  expect(maskAddress("correo", "abc@example.mx")).toBe("a***@example.mx");
  expect(maskAddress("correo", "abcd@example.mx")).toBe("ab***@example.mx");
  expect(maskAddress("sms", "+525512345678")).toBe("+52••••••5678");
});
