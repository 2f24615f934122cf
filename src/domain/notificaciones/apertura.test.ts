import { describe, expect, it } from "vitest";
import { APERTURA_TEXT_FORMAT, aperturaSigningText } from "./apertura.ts";

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
