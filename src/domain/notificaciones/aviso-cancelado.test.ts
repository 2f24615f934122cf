import { describe, expect, it } from "vitest";
import { avisoStatement, termStatement } from "./aviso.ts";
import {
  CANCELLATION_EFFECT,
  CANCELLED_AVISO_TITLE,
  type CancelledAvisoDelivery,
  cancellationStatement,
  cancelledAvisoStatement,
} from "./aviso-cancelado.ts";

const at = (text: string) => Temporal.Instant.from(text);
const digest = (n: number) => String(n).repeat(64);
const CANCELLED_AT = at("2026-12-07T09:30:20.123-06:00");
const FOLIO = "BI-20261207-093020123";

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
  availableBy: { authority: "IMSS", version: "2026.1", rulesVersion: "lineamientos-2024-08-06.4" },
  cancelledAt: CANCELLED_AT,
  cancellationFolio: FOLIO,
  avisos: [] as CancelledAvisoDelivery[],
};

describe("cancelledAvisoStatement", () => {
  it("states the addressee, the act, the instant made available, the cancellation with its folio, and that no term runs", () => {
    const text = cancelledAvisoStatement(input);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.normalize("NFC")).toBe(text);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(CANCELLED_AVISO_TITLE);
    expect(lines[0]).toBe("Buzón IMSS — Aviso de notificación de un acto cancelado");
    expect(lines).toContain("RFC: EKU9003173C9");
    expect(lines).toContain(`Acto: ${input.actId}`);
    expect(lines).toContain("Oficio: SUB-09/2026/0001");
    expect(lines).toContain("Unidad emisora: Subdelegación Centro");
    expect(lines).toContain(`SHA-256 del documento: ${"a".repeat(64)}`);
    expect(lines).toContain(
      "Disponible desde: 2026-12-07T09:30:00-06:00 (momento del aviso; Lineamientos 7.2 y 7.3)",
    );
    expect(lines).toContain(
      "Calendario del aviso: IMSS 2026.1, reglas lineamientos-2024-08-06.4 (el momento del aviso, calculado al depositar)",
    );
    expect(lines).toContain(
      `Cancelado: 2026-12-07T09:30:20.123-06:00 por el Instituto, antes de notificarse (acuse de cancelación ${FOLIO}); desde entonces el documento no está a disposición`,
    );
    expect(lines).toContain(
      "Efecto de la cancelación: no corren los tres días hábiles para abrirlo ni habrá notificación: ni por apertura con e.firma ni al cuarto día hábil (Lineamientos 7.3 a 7.5)",
    );
    expect(lines).toContain("Aviso dirigido a: ninguna dirección registrada");
    expect(cancelledAvisoStatement({ ...input, cancellationFolio: null })).toContain(
      "\nCancelado: 2026-12-07T09:30:20.123-06:00 por el Instituto, antes de notificarse; desde entonces",
    );
    expect(lines.some((l) => l.startsWith("Registro patronal"))).toBe(false);
    expect(cancelledAvisoStatement({ ...input, registroPatronal: "Y5412345109" })).toContain(
      "\nRegistro patronal: Y5412345109\n",
    );
  });

  it("never states the term the ordinary aviso states: no plazo, no last day, no deemed notification", () => {
    const text = cancelledAvisoStatement(input);
    const ordinary = avisoStatement({
      ...input,
      openBy: Temporal.PlainDate.from("2026-12-10"),
      deemedNotifiedAt: at("2026-12-11T09:30:00-06:00"),
      termBy: input.availableBy,
      addresses: [],
    });
    // The ordinary aviso's own lines that assert the term; none of them here.
    for (const field of ["Plazo: ", "Último día para abrir: ", "Notificada si no se abre: "]) {
      expect(ordinary).toContain(`\n${field}`);
      expect(text).not.toContain(`\n${field}`);
    }
    expect(text).not.toContain(
      termStatement(input.availableAt, Temporal.PlainDate.from("2026-12-10"), CANCELLED_AT),
    );
    expect(text).not.toContain("plazo de tres días");
    expect(text).not.toContain("cuenta con tres días");
    expect(text).not.toContain("se tiene por realizada");
    // And the title differs, so neither text can be taken for the other.
    expect(ordinary.split("\n")[0]).not.toBe(text.split("\n")[0]);
  });

  it("states each aviso's recorded outcome, masked with its digest; those the cancellation withdrew as withdrawn with no send recorded, a send with no result as such", () => {
    const text = cancelledAvisoStatement({
      ...input,
      avisos: [
        {
          channel: "correo",
          address: "titular@example.mx",
          digest: digest(1),
          status: "enviada",
          finishedAt: at("2026-12-07T15:30:02Z"),
          attempts: 1,
          withdrawn: false,
          sendUnrecorded: false,
        },
        {
          channel: "correo",
          address: "rechazo@example.mx",
          digest: digest(2),
          status: "fallida",
          finishedAt: at("2026-12-07T15:30:05Z"),
          attempts: 1,
          withdrawn: false,
          sendUnrecorded: false,
        },
        {
          channel: "sms",
          address: "+525512345678",
          digest: digest(3),
          status: "fallida",
          finishedAt: CANCELLED_AT,
          attempts: 0,
          withdrawn: true,
          sendUnrecorded: false,
        },
        {
          // Tried once without success, then withdrawn by the cancellation.
          channel: "sms",
          address: "+525587654321",
          digest: digest(4),
          status: "fallida",
          finishedAt: CANCELLED_AT,
          attempts: 1,
          withdrawn: true,
          sendUnrecorded: false,
        },
        {
          // Withdrawn before, by something else (the aviso's delivery window).
          channel: "correo",
          address: "otro@example.mx",
          digest: digest(5),
          status: "fallida",
          finishedAt: at("2026-12-07T15:30:10Z"),
          attempts: 0,
          withdrawn: true,
          sendUnrecorded: false,
        },
        {
          // Taken by a courier before the cancellation, which withdrew it; the courier's lease
          // ran out with no result recorded (it may have left): said so, never «not sent».
          channel: "sms",
          address: "+525511112222",
          digest: digest(7),
          status: "fallida",
          finishedAt: CANCELLED_AT,
          attempts: 1,
          withdrawn: true,
          sendUnrecorded: true,
        },
        {
          // Still pending when sealed (the cancellation withdraws every pending one; said as is).
          channel: "correo",
          address: "lento@example.mx",
          digest: digest(6),
          status: "pendiente",
          finishedAt: null,
          attempts: 1,
          withdrawn: false,
          sendUnrecorded: false,
        },
      ],
    });
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("Aviso dirigido a: "))).toEqual([
      `Aviso dirigido a: correo electrónico ti***@example.mx; huella ${digest(1)}: aceptado para su entrega el 2026-12-07T09:30:02-06:00`,
      `Aviso dirigido a: correo electrónico re***@example.mx; huella ${digest(2)}: no se pudo entregar (fallido definitivamente el 2026-12-07T09:30:05-06:00)`,
      `Aviso dirigido a: celular (SMS) +52••••••5678; huella ${digest(3)}: retirado por la cancelación el 2026-12-07T09:30:20.123-06:00; sin envío registrado`,
      `Aviso dirigido a: celular (SMS) +52••••••4321; huella ${digest(4)}: retirado por la cancelación el 2026-12-07T09:30:20.123-06:00; sin envío registrado (1 intento sin éxito)`,
      `Aviso dirigido a: correo electrónico ot***@example.mx; huella ${digest(5)}: retirado el 2026-12-07T09:30:10-06:00; sin envío registrado`,
      `Aviso dirigido a: celular (SMS) +52••••••2222; huella ${digest(7)}: retirado por la cancelación el 2026-12-07T09:30:20.123-06:00, con un intento de envío en curso; sin resultado registrado de ese intento (antes, 1 intento sin éxito)`,
      `Aviso dirigido a: correo electrónico le***@example.mx; huella ${digest(6)}: sin entregar aún (1 intento sin éxito)`,
    ]);
    expect(lines).toContain(
      "Huella de cada dirección: SHA-256 de la clave del mensaje, un espacio y la dirección completa (ambas en la evidencia del aviso)",
    );
    expect(lines.at(-1)).toBe(
      "Entrega de los avisos: lo registrado al sellar este acuse, después de la cancelación; cada intento consta en la evidencia del aviso",
    );
    // Whole addresses never: the acuse is shown to whoever holds its folio and code.
    for (const whole of [
      "titular@",
      "rechazo@",
      "5512345678",
      "5587654321",
      "5511112222",
      "otro@",
      "lento@",
    ]) {
      expect(text).not.toContain(whole);
    }
  });

  it("writes a control character in a stored value as a space, never a forged line (and never throws)", () => {
    const text = cancelledAvisoStatement({
      ...input,
      oficio: "A\nPlazo: tres días\u202E",
    });
    expect(text).toContain("\nOficio: A Plazo: tres días \n");
    expect(text.split("\n").filter((l) => l.startsWith("Plazo"))).toEqual([]);
  });
});

describe("cancellationStatement (the aviso's evidence of a cancelled act, in place of the term)", () => {
  const made = { availableAt: input.availableAt, cancelledAt: CANCELLED_AT };

  it("cancelled after the aviso instant: when it was made available, the cancellation with its folio, the sealed text's effect", () => {
    const text = cancellationStatement({
      ...made,
      cancellationFolio: FOLIO,
      avisoSealedBefore: false,
    });
    expect(text).toBe(
      `El documento quedó a disposición en el Buzón IMSS el lunes 7 de diciembre de 2026 a las 09:30:00 (Zona Centro), momento del aviso. El Instituto canceló el acto el lunes 7 de diciembre de 2026 a las 09:30:20.123 (Zona Centro), antes de notificarse (acuse de cancelación ${FOLIO}): desde entonces el documento no está a disposición, y ${CANCELLATION_EFFECT}.`,
    );
    // The very effect the variant seals.
    expect(cancelledAvisoStatement(input)).toContain(
      `\nEfecto de la cancelación: ${CANCELLATION_EFFECT}\n`,
    );
    expect(text).not.toContain("cuenta con tres días");
    expect(text).not.toContain("se tiene por realizada");
  });

  it("says that an aviso acuse sealed before the cancellation states the term as it ran then", () => {
    const text = cancellationStatement({
      ...made,
      cancellationFolio: null,
      avisoSealedBefore: true,
    });
    expect(text).toContain("antes de notificarse: desde entonces");
    expect(text).not.toContain("acuse de cancelación");
    expect(
      text.endsWith(
        "El acuse del aviso se selló antes de la cancelación: declara el plazo como corría entonces.",
      ),
    ).toBe(true);
  });

  it("cancelled before the aviso instant: the document was never made available", () => {
    const text = cancellationStatement({
      availableAt: at("2026-12-08T09:30:00-06:00"),
      cancelledAt: at("2026-12-07T19:30:00-06:00"),
      cancellationFolio: FOLIO,
      avisoSealedBefore: false,
    });
    expect(text).toBe(
      `El Instituto canceló el acto el lunes 7 de diciembre de 2026 a las 19:30:00 (Zona Centro), antes del momento de su aviso, el martes 8 de diciembre de 2026 a las 09:30:00 (Zona Centro) (acuse de cancelación ${FOLIO}): el documento no llegó a estar a disposición en el Buzón IMSS y ${CANCELLATION_EFFECT}.`,
    );
    expect(text).not.toContain("quedó a disposición");
  });
});
