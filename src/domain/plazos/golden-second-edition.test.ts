/**
 * Golden cases of the second edition (issue 10), worked by hand with a printed 2025/2026/2030
 * calendar: the TFJA calendar for the juicio de nulidad, the CFF art. 12 kinds of day and its
 * last-paragraph extension, the debatable readings, LFDC art. 23 and CFF art. 135 ¶2. Weekday
 * references: 29 Jun 2026 Mon, 1 Feb 2025 Sat, 11 Apr 2025 Fri, 1 Oct 2030 Tue, 17 Jul 2026 Fri.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nthBusinessDayAfter } from "../calendar/business-days.ts";
import { createCalendar, parseCalendarData } from "../calendar/calendar.ts";
import { extendToBusinessDay } from "../calendar/extension.ts";
import { computeHabilitacion, computeNotificacion } from "./index.ts";

const TFJA = createCalendar(
  parseCalendarData(
    JSON.parse(readFileSync(new URL("../../../calendarios/tfja.json", import.meta.url), "utf8")),
  ),
);
/** IMSS with only CFF days, declared as published for the years used (no gap warning). */
const IMSS = createCalendar({
  authority: "IMSS",
  version: "cff",
  years: [2025, 2026, 2030, 2031],
  days: [],
});
/** The same, with nothing declared: every year is a gap. */
const IMSS_SIN_DECLARAR = createCalendar({ authority: "IMSS", version: "vacio", days: [] });
/** Golden IMSS calendar of the first edition: Semana Santa 2025 declared. */
const IMSS_2025 = createCalendar({
  authority: "IMSS",
  version: "2025-1",
  years: [2025],
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo ACDO.AS2.HCT, DOF" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo ACDO.AS2.HCT, DOF" },
  ],
});
const at = (text: string) => Temporal.Instant.from(text);
const date = (text: string) => Temporal.PlainDate.from(text);

// Aviso Thu 25 Jun 2026 10:00, opened Fri 26 Jun 11:00 → notified Fri 26, effect Mon 29 Jun.
const EFFECT_29_JUN_2026 = {
  avisoAt: at("2026-06-25T10:00:00-06:00"),
  openedAt: at("2026-06-26T11:00:00-06:00"),
};

describe("juicio de nulidad on the TFJA calendar (LFPCA arts. 13 y 74)", () => {
  it("LFPCA 13 y 74, acuerdo del Pleno General DOF 12-01-2026: effect 29 Jun 2026 → nulidad 1 Sep 2026 (10 Aug on the IMSS calendar)", () => {
    // TFJA: Jun 30 (1), Jul 1–3 (4), 6–10 (9); 13–14 inhábiles, 15–31 vacaciones; Aug 3–7 (14),
    // 10–14 (19), 17–21 (24), 24–27 (28), 28 Día del Empleado, 31 (29), Sep 1 (30).
    // IMSS: Jun 30 (1), Jul 1–3 (4), 6–10 (9), 13–17 (14), 20–24 (19), 27–31 (24), Aug 3–7 (29),
    // Aug 10 (30). Recurso (IMSS, 15): … Jul 13–17 (14), Jul 20 (15).
    const r = computeNotificacion(IMSS, { ...EFFECT_29_JUN_2026, tfja: TFJA });
    expect(r).toMatchObject({
      notifiedBy: "apertura",
      effectiveOn: "2026-06-29",
      recursoInconformidadBy: "2026-07-20",
      juicioNulidadBy: "2026-09-01",
      juicioNulidadCalendar: { authority: "TFJA", version: "2026-1" },
      calendarAuthority: "IMSS",
      warnings: [],
    });
    const nulidad = r.explanation.find((s) => s.rule === "juicio_nulidad")!;
    expect(nulidad.text).toContain("calendario TFJA 2026-1");
    expect(nulidad.skippedDays.map((d) => d.date)).toContain("2026-08-28");
    expect(nulidad.skippedDays.find((d) => d.date === "2026-07-20")?.dayKind).toBe(
      "vacaciones_generales",
    );
    const onImss = computeNotificacion(IMSS, EFFECT_29_JUN_2026);
    expect(onImss.juicioNulidadBy).toBe("2026-08-10");
    expect(onImss.juicioNulidadCalendar).toEqual({ authority: "IMSS", version: "cff" });
  });
});

describe("CFF art. 12 kinds of day", () => {
  it("CFF 12 último párrafo: recurso ending Mon 20 Jul 2026 on a day the offices are closed runs to Tue 21 Jul", () => {
    const closed = createCalendar({
      authority: "IMSS",
      version: "cerradas",
      years: [2026],
      days: [
        // Counted: a closed day inside the term is a day of the term.
        {
          date: "2026-07-15",
          reason: "Oficinas cerradas",
          source: "prueba",
          kind: "oficinas_cerradas",
        },
        {
          date: "2026-07-20",
          reason: "Oficinas cerradas",
          source: "prueba",
          kind: "oficinas_cerradas",
        },
      ],
    });
    const r = computeNotificacion(closed, { ...EFFECT_29_JUN_2026, tfja: TFJA });
    expect(r.effectiveOn).toBe("2026-06-29");
    expect(r.recursoInconformidadBy).toBe("2026-07-21");
    expect(r.juicioNulidadBy).toBe("2026-09-01");
    const recurso = r.explanation.find((s) => s.rule === "recurso_inconformidad")!;
    expect(recurso.text).toContain("se prorroga al martes 21 de julio de 2026");
    expect(recurso.skippedDays.map((d) => d.date)).not.toContain("2026-07-15");
  });

  it("CFF 12 ¶2: vacaciones generales do not count, except in terms to file declarations and pay (LSS 39: the 17th)", () => {
    const vacations = createCalendar({
      authority: "IMSS",
      version: "vacaciones",
      days: [
        {
          date: "2026-07-17",
          reason: "Vacaciones",
          source: "prueba",
          kind: "vacaciones_generales",
        },
      ],
    });
    // General term: Fri 17 Jul skipped; Sat 18, Sun 19 → Mon 20.
    expect(extendToBusinessDay(vacations, date("2026-07-17")).date.toString()).toBe("2026-07-20");
    // Payment due on the 17th: a vacation day is hábil for it.
    expect(
      extendToBusinessDay(vacations, date("2026-07-17"), "declaraciones_y_pagos").date.toString(),
    ).toBe("2026-07-17");
    // Counting: 1 business day after Thu 16 Jul → Mon 20 (general), Fri 17 (pagos).
    expect(nthBusinessDayAfter(vacations, date("2026-07-16"), 1).date.toString()).toBe(
      "2026-07-20",
    );
    expect(vacations.isBusinessDay(date("2026-07-17"), "declaraciones_y_pagos")).toBe(true);
  });

  it("CFF 12 tercer y último párrafos, transitorio primero: activation deadline 1 Feb 2025 (Sat) → 4 Feb 2025", () => {
    // Sat 1 Feb, Sun 2 Feb, Mon 3 Feb (primer lunes de febrero, CFF 12) → Tue 4 Feb 2025.
    const r = computeHabilitacion(IMSS);
    expect(r.nominalDeadline).toBe("2025-02-01");
    expect(r.deadline).toBe("2025-02-04");
    const prorroga = r.explanation.find((s) => s.rule === "prorroga_ultimo_dia")!;
    expect(prorroga.skippedDays.map((d) => d.date)).toEqual([
      "2025-02-01",
      "2025-02-02",
      "2025-02-03",
    ]);
    expect(prorroga.text).toContain("martes 4 de febrero de 2025");
  });
});

describe("debatable readings as warnings", () => {
  it("CFF 13, SCJN 2a./J. 123/2005: aviso Fri 11 Apr 2025 20:00 warns with the dates if sent Mon 14 Apr 09:30", () => {
    // Engine: as the 17:00 golden case — effect 22 Apr, recurso 15 May, nulidad 5 Jun.
    // Other: d1 Tue 15, d2 Wed 16, 17–20 skipped, d3 Mon 21, d4 Tue 22 09:30 → effect Wed 23;
    // recurso 24, 25, 28, 29, 30, 2, 6–9, 12–16 → 16 May; nulidad 19–23, 26–30, 2–6 Jun → 6 Jun.
    const r = computeNotificacion(IMSS_2025, { avisoAt: at("2025-04-11T20:00:00-06:00") });
    expect(r.juicioNulidadBy).toBe("2025-06-05");
    expect(r.warnings.map((w) => w.code)).toEqual(["aviso_fuera_de_horario"]);
    expect(r.warnings[0]!.otherReading).toEqual({
      notifiedAt: "2025-04-22T09:30:00-06:00",
      effectiveOn: "2025-04-23",
      recursoInconformidadBy: "2025-05-16",
      juicioNulidadBy: "2025-06-06",
    });
    expect(r.warnings[0]!.text).toContain("viernes 6 de junio de 2025");
    // Within hours: no warning.
    const inHours = computeNotificacion(IMSS_2025, { avisoAt: at("2025-04-11T17:00:00-06:00") });
    expect(inHours.warnings).toEqual([]);
  });

  it("Lineamientos 7.2, ADR 0002/0007: opened Tue 15 Apr 2025 08:00 counts Wed 16; the other reading Tue 15 09:30", () => {
    // Engine: notified Wed 16 09:30; 17, 18 declared, 19, 20 → effect Mon 21; recurso 22–25 (4),
    // 28–30 (7), 2 (8), 6–9 (12), 12–14 (15) → 14 May. Other: notified Tue 15 → effect Wed 16;
    // recurso 21–25 (5), 28–30 (8), 2 (9), 6–9 (13), 12–13 (15) → 13 May; nulidad 14–16 (18),
    // 19–23 (23), 26–30 (28), 2–3 Jun (30) → 3 Jun.
    const r = computeNotificacion(IMSS_2025, {
      avisoAt: at("2025-04-11T17:00:00-06:00"),
      openedAt: at("2025-04-15T08:00:00-06:00"),
    });
    expect(r.notifiedAt).toBe("2025-04-16T09:30:00-06:00");
    expect(r.effectiveOn).toBe("2025-04-21");
    expect(r.recursoInconformidadBy).toBe("2025-05-14");
    expect(r.warnings.map((w) => w.code)).toEqual(["apertura_antes_de_horario"]);
    expect(r.warnings[0]!.otherReading).toEqual({
      notifiedAt: "2025-04-15T09:30:00-06:00",
      effectiveOn: "2025-04-16",
      recursoInconformidadBy: "2025-05-13",
      juicioNulidadBy: "2025-06-03",
    });
  });

  it("CFF 12 and CPEUM 83: effect Mon 30 Sep 2030 skips Tue 1 Oct; the literal CFF reading ends a day earlier", () => {
    // Aviso Mon 23 Sep 2030 10:00: d1 24, d2 25, d3 26, d4 Fri 27 09:30 → effect Mon 30 Sep.
    // Engine (1 Oct inhábil): recurso 2–4 (3), 7–11 (8), 14–18 (13), 21–22 (15) → 22 Oct;
    // nulidad 23–25 (18), 28–31 (22), 1 Nov (23), 4–8 (28), 11–12 (30) → 12 Nov.
    // Literal CFF (1 Oct hábil; 1 Dec 2030 is a Sunday anyway): 21 Oct and 11 Nov.
    const r = computeNotificacion(IMSS, { avisoAt: at("2030-09-23T10:00:00-06:00") });
    expect(r.effectiveOn).toBe("2030-09-30");
    expect(r.recursoInconformidadBy).toBe("2030-10-22");
    expect(r.juicioNulidadBy).toBe("2030-11-12");
    expect(r.warnings.map((w) => w.code)).toEqual(["transmision_poder_ejecutivo"]);
    expect(r.warnings[0]!.otherReading).toMatchObject({
      effectiveOn: "2030-09-30",
      recursoInconformidadBy: "2030-10-21",
      juicioNulidadBy: "2030-11-11",
    });
  });

  it("calendario_sin_declaracion: a term in 2031 on the TFJA calendar (only 2022 and 2026 published) warns", () => {
    const r = computeNotificacion(IMSS, { avisoAt: at("2031-03-03T10:00:00-06:00"), tfja: TFJA });
    expect(r.warnings.map((w) => w.code)).toEqual(["calendario_sin_declaracion"]);
    expect(r.warnings[0]!.text).toContain("calendario TFJA");
    expect(r.warnings[0]!.text).toContain("2031");
    const both = computeNotificacion(IMSS_SIN_DECLARAR, {
      avisoAt: at("2031-03-03T10:00:00-06:00"),
      tfja: TFJA,
    });
    expect(both.warnings.map((w) => w.text.includes("IMSS"))).toEqual([true, false]);
  });
});

describe("LFDC art. 23 and CFF art. 135 ¶2", () => {
  it("LFDC 23: without medios de defensa, effect 29 Jun 2026 → recurso 10 Aug (30) and nulidad 19 Oct 2026 (60, TFJA)", () => {
    // Recurso 30 on IMSS: … Aug 10 (30). Nulidad 60 on TFJA: Sep 1 (30), 2–4 (33), 7–11 (38),
    // 14–16 inhábiles, 17–18 (40), 21–25 (45), 28–30 (48), Oct 1–2 (50), 5–9 (55), 12 inhábil,
    // 13–16 (59), 19 (60).
    const r = computeNotificacion(IMSS, {
      ...EFFECT_29_JUN_2026,
      tfja: TFJA,
      sinMediosDeDefensa: true,
    });
    expect(r).toMatchObject({
      recursoInconformidadBy: "2026-08-10",
      juicioNulidadBy: "2026-10-19",
      recursoInconformidadDays: 30,
      juicioNulidadDays: 60,
      sinMediosDeDefensa: true,
    });
    expect(r.explanation.find((s) => s.rule === "medios_de_defensa")!.basis).toContain("art");
  });

  it("CFF 135 ¶2: knowledge declared on Thu 25 Jun 2026 takes effect that day: recurso 16 Jul, nulidad 27 Aug", () => {
    // From Fri 26 Jun. Recurso: 26 (1), 29–30 (3), Jul 1–3 (6), 6–10 (11), 13–16 (15).
    // TFJA: 26, 29, 30, Jul 1–3, 6–10 (11), Aug 3–7 (16), 10–14 (21), 17–21 (26), 24–27 (30).
    const r = computeNotificacion(IMSS, {
      ...EFFECT_29_JUN_2026,
      tfja: TFJA,
      conocimiento: date("2026-06-25"),
    });
    expect(r).toMatchObject({
      effectiveOn: "2026-06-25",
      recursoInconformidadBy: "2026-07-16",
      juicioNulidadBy: "2026-08-27",
      conocimiento: "2026-06-25",
    });
    // Not earlier than the effect: nothing changes, and the explanation says so.
    const later = computeNotificacion(IMSS, {
      ...EFFECT_29_JUN_2026,
      tfja: TFJA,
      conocimiento: date("2026-07-01"),
    });
    expect(later.effectiveOn).toBe("2026-06-29");
    expect(later.explanation.find((s) => s.rule === "conocimiento")!.text).toContain("no cambia");
  });
});
