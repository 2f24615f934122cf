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
    // Told like every explanation (describeSkipped): the holiday named, weekends counted, and
    // Sat 1 Feb named once in the whole explanation (issue 10 review).
    expect(prorroga.text).toContain("lunes 3 de febrero de 2025");
    expect(prorroga.text).toContain("2 días de fin de semana");
    expect(prorroga.text).not.toContain("(Sábado");
    const all = r.explanation.map((s) => s.text).join(" ");
    expect(all.split("sábado 1 de febrero de 2025").length - 1).toBe(1);
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
    // The text gives the reading and its basis; the dates are in otherReading only (issue 10).
    expect(r.warnings[0]!.text).toContain("09:30 del lunes 14 de abril de 2025");
    expect(r.warnings[0]!.text).not.toContain("6 de junio");
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

describe("review of issue 10: readings that change no date, and their citations", () => {
  it("CFF art. 13 (07:30–18:00), Lineamientos 7.4: aviso Tue 3 Mar 2026 09:00 gives no warning; the 09:30 reading changes no date", () => {
    // Engine: d1 Wed 4, d2 Thu 5, d3 Fri 6, d4 Mon 9 09:30 → effect Tue 10 Mar; recurso 11–13
    // (3), 17–20 (7; Mon 16 is the third Monday of March, CFF 12), 23–27 (12), 30 Mar–1 Apr
    // (15) → Wed 1 Apr. 09:30 of the same Tue 3 has the same date: the same three days.
    const r = computeNotificacion(IMSS, { avisoAt: at("2026-03-03T09:00:00-06:00") });
    expect(r.effectiveOn).toBe("2026-03-10");
    expect(r.recursoInconformidadBy).toBe("2026-04-01");
    expect(r.warnings).toEqual([]);
    // Before 07:30 it is outside CFF 13 too, but the other reading is still 09:30 of Tue 3.
    const dawn = computeNotificacion(IMSS, { avisoAt: at("2026-03-03T06:00:00-06:00") });
    expect(dawn.recursoInconformidadBy).toBe("2026-04-01");
    expect(dawn.warnings).toEqual([]);
  });

  it("CFF art. 13, Lineamientos 7.4: aviso Tue 3 Mar 2026 19:00 warns with the dates if sent Wed 4 09:30, times as HH:MM", () => {
    // Other: d1 Thu 5, d2 Fri 6, d3 Mon 9, d4 Tue 10 09:30 → effect Wed 11; recurso 12–13 (2),
    // 17–20 (6), 23–27 (11), 30 Mar–2 Apr (15) → Thu 2 Apr.
    const r = computeNotificacion(IMSS, { avisoAt: at("2026-03-03T19:00:00-06:00") });
    expect(r.recursoInconformidadBy).toBe("2026-04-01");
    expect(r.warnings.map((w) => w.code)).toEqual(["aviso_fuera_de_horario"]);
    const w = r.warnings[0]!;
    expect(w.otherReading).toMatchObject({
      notifiedAt: "2026-03-10T09:30:00-06:00",
      effectiveOn: "2026-03-11",
      recursoInconformidadBy: "2026-04-02",
    });
    expect(w.text).toContain("a las 19:00 (Zona Centro)");
    expect(w.text).not.toContain("19:00:00");
    expect(w.text).toContain("CFF art. 13 (07:30 a 18:00)");
    expect(w.text).toContain("09:30 del miércoles 4 de marzo de 2026");
    // The dates are the other reading's, not repeated in the text.
    expect(w.text).not.toContain("2 de abril");
  });

  it("Lineamientos 7.5 (ADR 0002): opened Fri 26 Jun 2026 08:00, the 4th business day, gives no opening warning", () => {
    // Aviso Mon 22 Jun 10:00: d1 23, d2 24, d3 25, d4 Fri 26 09:30 = notified; the other
    // reading (09:30 of the same Fri 26) is the same instant.
    const r = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      openedAt: at("2026-06-26T08:00:00-06:00"),
    });
    expect(r.notifiedAt).toBe("2026-06-26T09:30:00-06:00");
    expect(r.warnings).toEqual([]);
  });

  it("Lineamientos 7.2, CFF 135 ¶2: opened Wed 24 Jun 2026 08:00 with knowledge Tue 23: the knowledge governs both readings, no warning", () => {
    // Engine: opening → Thu 25 09:30 → effect Fri 26; knowledge 23 < 26 → effect 23. Other:
    // Wed 24 09:30 → effect Thu 25; 23 < 25 → effect 23. Same terms.
    const r = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      openedAt: at("2026-06-24T08:00:00-06:00"),
      conocimiento: date("2026-06-23"),
    });
    expect(r.effectiveOn).toBe("2026-06-23");
    expect(r.warnings).toEqual([]);
    // Without it the warning stands, citing the Lineamientos and no ADR.
    const plain = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      openedAt: at("2026-06-24T08:00:00-06:00"),
    });
    expect(plain.warnings.map((w) => w.code)).toEqual(["apertura_antes_de_horario"]);
    expect(plain.warnings[0]!.otherReading).toMatchObject({ effectiveOn: "2026-06-25" });
    expect(plain.warnings[0]!.text).toContain("Lineamientos 7.2");
    expect(plain.warnings[0]!.text).toContain("a las 08:00 (Zona Centro)");
    expect(plain.warnings[0]!.text).not.toMatch(/ADR/);
  });

  it("CFF 135 ¶2: knowledge on Sat 27 Jun 2026 is the effect (a Saturday), the surte_efectos step says it is replaced; recurso 17 Jul", () => {
    // Aviso Mon 22 Jun 10:00: d4 Fri 26 09:30 → by itself effect Mon 29. Knowledge Sat 27 < 29
    // → effect Sat 27 (¶2: «desde la fecha»); recurso from Mon 29: 29–30 (2), 1–3 Jul (5),
    // 6–10 (10), 13–17 (15) → Fri 17 Jul.
    const r = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      conocimiento: date("2026-06-27"),
    });
    expect(r.effectiveOn).toBe("2026-06-27");
    expect(r.effectiveBy).toBe("conocimiento");
    expect(r.recursoInconformidadBy).toBe("2026-07-17");
    const effect = r.explanation.find((s) => s.rule === "surte_efectos")!;
    expect(effect.text).toContain("lunes 29 de junio de 2026");
    expect(effect.text).toContain("la sustituye el conocimiento manifestado");
    const plain = computeNotificacion(IMSS, { avisoAt: at("2026-06-22T10:00:00-06:00") });
    expect(plain.effectiveBy).toBe("notificacion");
    expect(plain.recursoInconformidadBy).toBe("2026-07-20");
  });

  it("CFF art. 12: the demo calendar (no published declaration) warns calendario_sin_declaracion and still skips its demo Semana Santa", () => {
    const demo = createCalendar(
      parseCalendarData(
        JSON.parse(
          readFileSync(new URL("../../../calendarios/demo-imss.json", import.meta.url), "utf8"),
        ),
      ),
    );
    // Aviso Fri 11 Apr 2025 17:00, as the golden case: 17 and 18 Apr (demo) skipped → 15 May.
    const r = computeNotificacion(demo, { avisoAt: at("2025-04-11T17:00:00-06:00") });
    expect(r.recursoInconformidadBy).toBe("2025-05-15");
    expect(r.warnings.map((w) => w.code)).toEqual(["calendario_sin_declaracion"]);
    expect(r.warnings[0]!.text).toContain("2025");
  });

  it("CFF 135 ¶2: knowledge Mon 1 Jun 2026 before the aviso of Mon 22 Jun warns conocimiento_anterior_al_aviso", () => {
    // Effect 1 Jun; recurso 2–5 (4), 8–12 (9), 15–19 (14), 22 (15) → Mon 22 Jun, the aviso day.
    const r = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      conocimiento: date("2026-06-01"),
    });
    expect(r.effectiveOn).toBe("2026-06-01");
    expect(r.recursoInconformidadBy).toBe("2026-06-22");
    expect(r.warnings.map((w) => w.code)).toEqual(["conocimiento_anterior_al_aviso"]);
    expect(r.warnings[0]!.otherReading).toBeNull();
    expect(r.warnings[0]!.text).toContain("lunes 1 de junio de 2026");
    expect(r.warnings[0]!.text).toContain("vencidos");
    // The same day as the aviso is not earlier: no warning.
    const same = computeNotificacion(IMSS, {
      avisoAt: at("2026-06-22T10:00:00-06:00"),
      conocimiento: date("2026-06-22"),
    });
    expect(same.warnings).toEqual([]);
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
    expect(r.explanation.find((s) => s.rule === "medios_de_defensa")!.basis).toContain(
      "LSS arts. 9 (CFF supletorio), 270 y 287",
    );
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
