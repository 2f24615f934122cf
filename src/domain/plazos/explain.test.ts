import { describe, expect, it } from "vitest";
import type { NonBusinessDay } from "../calendar/cff-holidays.ts";
import { describeSkipped } from "./explain.ts";

const weekend = (date: string, reason: "Sábado" | "Domingo"): NonBusinessDay => ({
  date,
  reason,
  source: "CFF art. 12, primer párrafo",
  kind: "cff",
});
const vacation = (date: string): NonBusinessDay => ({
  date,
  reason: "Primer periodo vacacional",
  source: "Acuerdo (DOF 12/01/2026).",
  kind: "declarado",
  dayKind: "vacaciones_generales",
});

describe("describeSkipped: what a reader checks, each date once", () => {
  it("counts weekends instead of listing them", () => {
    const text = describeSkipped([
      weekend("2026-07-04", "Sábado"),
      weekend("2026-07-05", "Domingo"),
    ]);
    expect(text).toBe(" No se cuentan 2 días de fin de semana, CFF art. 12, primer párrafo.");
  });

  it("tells a run of declared days as one range with its kind and authority, the source once and no nested parentheses", () => {
    const days = ["2026-07-15", "2026-07-16", "2026-07-17"].map(vacation);
    const text = describeSkipped([...days, weekend("2026-07-11", "Sábado")], { authority: "TFJA" });
    expect(text).toBe(
      " No se cuentan: del miércoles 15 de julio de 2026 al viernes 17 de julio de 2026: Primer periodo vacacional, declarado por el TFJA como vacaciones generales; además, 1 día de fin de semana. Fundamento: Acuerdo (DOF 12/01/2026); CFF art. 12, primer párrafo.",
    );
    // No parenthesis opens inside another one.
    let depth = 0;
    for (const char of text) {
      depth += char === "(" ? 1 : char === ")" ? -1 : 0;
      expect(depth).toBeLessThanOrEqual(1);
    }
  });

  it("names a day once in an explanation: a later step only counts it", () => {
    const named = new Set<string>();
    const holiday: NonBusinessDay = {
      date: "2026-09-16",
      reason: "16 de septiembre (Independencia)",
      source: "CFF art. 12, primer párrafo",
      kind: "cff",
    };
    expect(describeSkipped([holiday], { named })).toContain("miércoles 16 de septiembre de 2026");
    expect(describeSkipped([holiday], { named })).toBe(" No se cuentan 1 día ya señalado.");
  });
});
