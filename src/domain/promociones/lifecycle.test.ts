import { describe, expect, it } from "vitest";
import {
  checkPromocionTransition,
  PROMOCION_EVENT_TYPES,
  PROMOCION_STATES,
  PROMOCION_TRANSITIONS,
  projectPromocion,
} from "./lifecycle.ts";

describe("ciclo de vida de una promoción", () => {
  it("goes recibida → en_atencion → respondida | concluida; notes change no state", () => {
    expect(projectPromocion([{ type: "recibida" }])).toBe("recibida");
    expect(
      projectPromocion([
        { type: "recibida" },
        { type: "nota_interna" },
        { type: "en_atencion" },
        { type: "en_atencion" },
        { type: "nota_interna" },
        { type: "respondida" },
      ]),
    ).toBe("respondida");
    expect(projectPromocion([{ type: "recibida" }, { type: "concluida" }])).toBe("concluida");
  });

  it("refuses what the table does not allow: concluida takes nothing, nothing before recibida", () => {
    expect(() => projectPromocion([])).toThrow(/sin evento «recibida»/);
    expect(() => projectPromocion([{ type: "en_atencion" }])).toThrow(/sin presentar/);
    expect(() => checkPromocionTransition("recibida", "respondida")).toThrow(/recibida/);
    for (const event of PROMOCION_EVENT_TYPES) {
      expect(() => checkPromocionTransition("concluida", event)).toThrow();
    }
    expect(() => checkPromocionTransition("recibida", "recibida")).toThrow();
  });

  it("a respondida takes only the cancellation of its answer, which puts it back en_atencion", () => {
    expect(checkPromocionTransition("respondida", "respuesta_cancelada")).toBe("en_atencion");
    for (const event of PROMOCION_EVENT_TYPES.filter((e) => e !== "respuesta_cancelada")) {
      expect(() => checkPromocionTransition("respondida", event)).toThrow(/respondida no admite/);
    }
    // Nothing but an answer can be cancelled: not before it, not after a conclusion, not twice.
    for (const from of ["nueva", "recibida", "en_atencion", "concluida"] as const) {
      expect(() => checkPromocionTransition(from, "respuesta_cancelada")).toThrow(
        /no admite «respuesta_cancelada»/,
      );
    }
    const answered = [
      { type: "recibida" },
      { type: "en_atencion" },
      { type: "respondida" },
    ] as const;
    expect(projectPromocion([...answered, { type: "respuesta_cancelada" }])).toBe("en_atencion");
    expect(() =>
      projectPromocion([
        ...answered,
        { type: "respuesta_cancelada" },
        { type: "respuesta_cancelada" },
      ]),
    ).toThrow();
    // Answered again (or concluded) after the cancellation.
    expect(
      projectPromocion([
        ...answered,
        { type: "respuesta_cancelada" },
        { type: "nota_interna" },
        { type: "respondida" },
      ]),
    ).toBe("respondida");
    expect(
      projectPromocion([...answered, { type: "respuesta_cancelada" }, { type: "concluida" }]),
    ).toBe("concluida");
  });

  it("every state the table leads to is a known state", () => {
    for (const moves of Object.values(PROMOCION_TRANSITIONS)) {
      for (const to of Object.values(moves)) expect(PROMOCION_STATES).toContain(to);
    }
  });
});
