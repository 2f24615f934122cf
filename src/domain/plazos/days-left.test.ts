/**
 * Business days left to open (Lineamientos 7.4), with a fixed clock. Weekday references: 3 Dec
 * 2026 Thu, 12 Nov 2026 Thu (16 Nov 2026, third Monday of November, is a CFF art. 12 day).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/calendar.ts";
import { businessDaysLeftToOpen } from "./days-left.ts";
import { computeNotificacion } from "./notificacion.ts";

const IMSS = createCalendar({ authority: "IMSS", version: "cff", years: [2026], days: [] });
/** Mon 7 Dec 2026 declared inhábil by the Institute. */
const DECLARED = createCalendar({
  authority: "IMSS",
  version: "2026-declarado",
  years: [2026],
  days: [{ date: "2026-12-07", reason: "Día declarado", source: "Acuerdo de prueba, DOF" }],
});
/** Mon 7 Dec 2026 with the offices closed: a day that counts (CFF art. 12, last ¶). */
const CLOSED = createCalendar({
  authority: "IMSS",
  version: "2026-cerrado",
  years: [2026],
  days: [
    {
      date: "2026-12-07",
      reason: "Oficinas cerradas",
      source: "Acuerdo de prueba, DOF",
      kind: "oficinas_cerradas",
    },
  ],
});
const at = (text: string) => Temporal.Instant.from(text);

describe("businessDaysLeftToOpen", () => {
  // Aviso Thu 3 Dec 2026: the term is Fri 4, Mon 7, Tue 8 (openBy).
  const aviso = at("2026-12-03T10:00:00-06:00");
  const left = (now: string, calendar = IMSS) => businessDaysLeftToOpen(calendar, aviso, at(now));

  it("has all three days ahead on the aviso's own day", () => {
    expect(left("2026-12-03T10:00:00-06:00")).toBe(3);
    expect(left("2026-12-03T23:59:59-06:00")).toBe(3);
  });

  it("counts today when it is a day of the term", () => {
    expect(left("2026-12-04T08:00:00-06:00")).toBe(3);
    expect(left("2026-12-07T12:00:00-06:00")).toBe(2);
  });

  it("steps over the weekend: on Saturday and Sunday only Monday and Tuesday are left", () => {
    expect(left("2026-12-05T12:00:00-06:00")).toBe(2);
    expect(left("2026-12-06T12:00:00-06:00")).toBe(2);
  });

  it("is 1 on the last day, to its last minute in Zona Centro, and 0 after it", () => {
    expect(left("2026-12-08T00:00:00-06:00")).toBe(1);
    // 23:30 of Tue 8 in Zona Centro is already Wed 9 in UTC: still the last day.
    expect(left("2026-12-09T05:30:00Z")).toBe(1);
    expect(left("2026-12-09T00:00:00-06:00")).toBe(0);
    expect(left("2026-12-09T09:29:00-06:00")).toBe(0);
    expect(left("2027-06-01T12:00:00-06:00")).toBe(0);
  });

  it("ends on the openBy the engine computes", () => {
    const { openBy } = computeNotificacion(IMSS, { avisoAt: aviso });
    expect(openBy).toBe("2026-12-08");
    expect(left(`${openBy}T12:00:00-06:00`)).toBe(1);
  });

  it("steps over a CFF art. 12 day: Mon 16 Nov 2026", () => {
    // Aviso Thu 12 Nov: Fri 13, (Sat 14, Sun 15, Mon 16), Tue 17, Wed 18.
    const nov = at("2026-11-12T09:30:00-06:00");
    const n = (now: string) => businessDaysLeftToOpen(IMSS, nov, at(now));
    expect(n("2026-11-12T12:00:00-06:00")).toBe(3);
    expect(n("2026-11-13T12:00:00-06:00")).toBe(3);
    expect(n("2026-11-16T12:00:00-06:00")).toBe(2);
    expect(n("2026-11-17T12:00:00-06:00")).toBe(2);
    expect(n("2026-11-18T12:00:00-06:00")).toBe(1);
    expect(n("2026-11-19T12:00:00-06:00")).toBe(0);
  });

  it("steps over a day the Institute declared: the term moves to Wed 9", () => {
    // Fri 4, (Mon 7 declared), Tue 8, Wed 9.
    expect(computeNotificacion(DECLARED, { avisoAt: aviso }).openBy).toBe("2026-12-09");
    expect(left("2026-12-04T12:00:00-06:00", DECLARED)).toBe(3);
    expect(left("2026-12-07T12:00:00-06:00", DECLARED)).toBe(2);
    expect(left("2026-12-09T12:00:00-06:00", DECLARED)).toBe(1);
    expect(left("2026-12-10T12:00:00-06:00", DECLARED)).toBe(0);
  });

  it("counts a day the offices are closed, as the term does", () => {
    expect(computeNotificacion(CLOSED, { avisoAt: aviso }).openBy).toBe("2026-12-08");
    expect(left("2026-12-05T12:00:00-06:00", CLOSED)).toBe(2);
  });

  it("has all three ahead after an aviso at the end of a Friday", () => {
    // Fri 4 Dec 17:59: Mon 7, Tue 8, Wed 9.
    const friday = at("2026-12-04T17:59:00-06:00");
    expect(businessDaysLeftToOpen(IMSS, friday, at("2026-12-05T12:00:00-06:00"))).toBe(3);
    expect(businessDaysLeftToOpen(IMSS, friday, at("2026-12-09T12:00:00-06:00"))).toBe(1);
  });

  it("counts the business days after the aviso's date, up to openBy, from today on", () => {
    // The reading the web computed before the API gave the count, on the engine's calendar.
    const reference = (avisoDate: string, today: string, openBy: string) => {
      let count = 0;
      let day = Temporal.PlainDate.from(today);
      for (; day.toString() <= openBy; day = day.add({ days: 1 })) {
        if (day.toString() > avisoDate && DECLARED.isBusinessDay(day)) count++;
      }
      return count;
    };
    const start = Temporal.PlainDate.from("2026-11-01");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: -3, max: 15 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        (avisoOffset, todayOffset, minute) => {
          const avisoDate = start.add({ days: avisoOffset });
          const today = avisoDate.add({ days: todayOffset });
          const avisoAt = at(`${avisoDate.toString()}T12:00:00-06:00`);
          const now = at(
            `${today.toString()}T${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00-06:00`,
          );
          const { openBy } = computeNotificacion(DECLARED, { avisoAt });
          expect(businessDaysLeftToOpen(DECLARED, avisoAt, now)).toBe(
            reference(avisoDate.toString(), today.toString(), openBy),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
