/**
 * The term of a respuesta a requerimiento (respuestaTermOf), worked by hand. Weekday
 * references: 14 Dec 2026 Mon, 22 Dec 2026 Tue, 7 Jan 2027 Thu; 16 Dec 2026 is declared here,
 * 25 Dec and 1 Jan are CFF holidays.
 */
import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/calendar.ts";
import { respuestaTermOf } from "./respuesta.ts";

const IMSS = createCalendar({
  authority: "IMSS",
  version: "test-respuesta",
  years: [2026, 2027],
  days: [{ date: "2026-12-16", reason: "Día inhábil de prueba", source: "ACDO de prueba" }],
});
const at = (text: string) => Temporal.Instant.from(text);
// Effect Tuesday 22 Dec: 23, 24 (2), 28–31 (6), 4–7 Jan (10): Thursday 7 Jan 2027.
const TEN_DAYS = { plazoRespuestaDiasHabiles: 10, effectiveOn: "2026-12-22" };

describe("respuestaTermOf", () => {
  it("before the act is notified: in time, with the term it would give notified by law on the fourth day", () => {
    expect(
      respuestaTermOf(IMSS, { ...TEN_DAYS, stage: "pendiente" }, at("2026-12-15T10:00:00-06:00")),
    ).toEqual({ plazoDiasHabiles: 10, venceEl: "2027-01-07", enTiempo: true });
    // Still in time when the engine gives no date for it.
    expect(
      respuestaTermOf(
        IMSS,
        { ...TEN_DAYS, stage: "pendiente", effectiveOn: null },
        at("2026-12-15T10:00:00-06:00"),
      ),
    ).toEqual({ plazoDiasHabiles: 10, venceEl: null, enTiempo: true });
  });

  it("once notified: in time up to the last day's 23:59:59.999 (Zona Centro), late the next day", () => {
    const notified = { ...TEN_DAYS, stage: "notificada" as const };
    expect(respuestaTermOf(IMSS, notified, at("2026-12-23T09:00:00-06:00"))).toEqual({
      plazoDiasHabiles: 10,
      venceEl: "2027-01-07",
      enTiempo: true,
    });
    expect(respuestaTermOf(IMSS, notified, at("2027-01-07T23:59:59.999-06:00")).enTiempo).toBe(
      true,
    );
    expect(respuestaTermOf(IMSS, notified, at("2027-01-08T00:00:00-06:00"))).toEqual({
      plazoDiasHabiles: 10,
      venceEl: "2027-01-07",
      enTiempo: false,
    });
  });

  it("unknown without a term, a date, or a notification to count from (cancelled, on estrados)", () => {
    const received = at("2026-12-23T09:00:00-06:00");
    const unknown = { venceEl: null, enTiempo: null };
    expect(
      respuestaTermOf(
        IMSS,
        { plazoRespuestaDiasHabiles: null, stage: "pendiente", effectiveOn: null },
        received,
      ),
    ).toEqual({ plazoDiasHabiles: null, ...unknown });
    expect(
      respuestaTermOf(IMSS, { ...TEN_DAYS, stage: "notificada", effectiveOn: null }, received),
    ).toEqual({ plazoDiasHabiles: 10, ...unknown });
    expect(respuestaTermOf(IMSS, { ...TEN_DAYS, stage: "otro" }, received)).toEqual({
      plazoDiasHabiles: 10,
      ...unknown,
    });
  });
});
