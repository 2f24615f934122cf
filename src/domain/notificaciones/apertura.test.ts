import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/calendar.ts";
import { computeNotificacion } from "../plazos/notificacion.ts";
import { APERTURA_TEXT_FORMAT, aperturaSigningText, openingAfterTerm } from "./apertura.ts";

const parts = {
  rfc: "EKU9003173C9",
  notificacionId: "0193b5a0-0000-7000-8000-000000000001",
  oficio: "09 53 01 9200/1234",
  actType: "7.1",
  actTypeName: "Resolución",
  documentName: "Resolución.pdf",
  documentSha256: "a".repeat(64),
  at: Temporal.Instant.from("2026-12-14T17:00:00Z"),
  challengeId: "0193b5a0-0000-7000-8000-000000000002",
  nonce: "bm9uY2U",
  alreadyNotified: false,
};

describe("aperturaSigningText", () => {
  it("names the challenge's instant as what it is (version 2, the current one)", () => {
    expect(APERTURA_TEXT_FORMAT).toBe(2);
    const text = aperturaSigningText(parts);
    expect(text.split("\n")[8]).toBe("Fecha y hora del desafío: 2026-12-14T11:00:00-06:00");
    expect(text).not.toMatch(/^Fecha y hora: /m);
  });

  it("rebuilds version 1 byte for byte, so a challenge issued before the change still verifies", () => {
    expect(aperturaSigningText(parts, 1)).toBe(
      [
        "Buzón IMSS — apertura de notificación electrónica",
        "Con esta firma electrónica abro el documento digital y me doy por notificado del acto (CFF art. 134, fracción I; Lineamientos 7.4): la firma es el acuse de recibo de la notificación.",
        "RFC: EKU9003173C9",
        "Acto: 0193b5a0-0000-7000-8000-000000000001",
        "Oficio: 09 53 01 9200/1234",
        "Tipo de acto: 7.1 Resolución",
        "Documento: Resolución.pdf",
        `SHA-256 del documento: ${"a".repeat(64)}`,
        "Fecha y hora: 2026-12-14T11:00:00-06:00",
        "Desafío: 0193b5a0-0000-7000-8000-000000000002",
        "Nonce: bm9uY2U",
      ].join("\n"),
    );
    // The two versions differ in that label only.
    const v1 = aperturaSigningText(parts, 1).split("\n");
    const v2 = aperturaSigningText(parts, 2).split("\n");
    expect(v1.filter((line, i) => line !== v2[i])).toEqual([
      "Fecha y hora: 2026-12-14T11:00:00-06:00",
    ]);
  });
});

describe("openingAfterTerm (ADR 0002)", () => {
  const IMSS = createCalendar({ authority: "IMSS", version: "cff", years: [2026], days: [] });
  const at = (text: string) => Temporal.Instant.from(text);
  const clockOf = (aviso: string) => computeNotificacion(IMSS, { avisoAt: at(aviso) });
  // Aviso Mon 14 Dec 2026: open by Thu 17, notified by law Fri 18 at 09:30.
  const clock = clockOf("2026-12-14T10:00:00-06:00");

  it("refuses on the fourth business day from 00:00 to 09:29, naming the last day to open and the instant the law notifies", () => {
    const refusal =
      "El plazo de tres días hábiles para abrir este acto terminó el jueves 17 de diciembre de 2026: se tiene por notificado por ministerio de ley el viernes 18 de diciembre de 2026 a las 09:30 (Zona Centro) (Lineamientos 7.5), y desde ese momento puedes consultarlo aquí.";
    for (const when of ["00:00:00", "08:00:00", "09:29:59.999"]) {
      expect(openingAfterTerm(IMSS, clock, at(`2026-12-18T${when}-06:00`)), when).toBe(refusal);
    }
  });

  it("lets an opening notify before the fourth day (the third day at 23:00 counts at its 09:30), and from 09:30 it is no longer this refusal", () => {
    expect(openingAfterTerm(IMSS, clock, at("2026-12-17T23:00:00-06:00"))).toBeUndefined();
    expect(openingAfterTerm(IMSS, clock, at("2026-12-15T11:00:00-06:00"))).toBeUndefined();
    expect(openingAfterTerm(IMSS, clock, at("2026-12-18T09:30:00-06:00"))).toBeUndefined();
  });

  it("a weekend between the last day to open and the fourth day still opens (it counts at the fourth day's 09:30)", () => {
    // Aviso Tue 8 Dec: open by Fri 11, the fourth day Mon 14.
    const weekend = clockOf("2026-12-08T10:00:00-06:00");
    expect(weekend.deemedNotifiedAt).toBe("2026-12-14T09:30:00-06:00");
    expect(openingAfterTerm(IMSS, weekend, at("2026-12-12T12:00:00-06:00"))).toBeUndefined();
    expect(openingAfterTerm(IMSS, weekend, at("2026-12-14T08:00:00-06:00"))).toContain(
      "terminó el viernes 11 de diciembre de 2026",
    );
  });

  it("refuses exactly the openings the engine does not count as openings (rule c with rule a)", () => {
    const aviso = at("2026-12-08T10:00:00-06:00");
    const deemed = at(clockOf("2026-12-08T10:00:00-06:00").deemedNotifiedAt);
    for (let t = aviso; Temporal.Instant.compare(t, deemed) < 0; t = t.add({ minutes: 29 })) {
      const engine = computeNotificacion(IMSS, { avisoAt: aviso, openedAt: t });
      const refused = openingAfterTerm(IMSS, engine, t) !== undefined;
      expect(refused, t.toString()).toBe(engine.notifiedBy === "ministerio_de_ley");
    }
  });
});
