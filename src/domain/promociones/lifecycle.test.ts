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

  it("refuses what the table does not allow: final states take nothing, nothing before recibida", () => {
    expect(() => projectPromocion([])).toThrow(/sin evento «recibida»/);
    expect(() => projectPromocion([{ type: "en_atencion" }])).toThrow(/sin presentar/);
    expect(() => checkPromocionTransition("recibida", "respondida")).toThrow(/recibida/);
    for (const final of ["respondida", "concluida"] as const) {
      for (const event of PROMOCION_EVENT_TYPES) {
        expect(() => checkPromocionTransition(final, event)).toThrow();
      }
    }
    expect(() => checkPromocionTransition("recibida", "recibida")).toThrow();
  });

  it("every state the table leads to is a known state", () => {
    for (const moves of Object.values(PROMOCION_TRANSITIONS)) {
      for (const to of Object.values(moves)) expect(PROMOCION_STATES).toContain(to);
    }
  });
});
