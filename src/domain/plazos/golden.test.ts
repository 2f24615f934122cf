/**
 * Golden cases worked out by hand from the law (Lineamientos 7.2–7.7, 6.3, 5.2; CFF arts. 12,
 * 134-I, 135), with a printed calendar beside the keyboard. Each comment is the hand count; the
 * engine must agree with it. Weekday references: 11 Apr 2025 Fri, 1 May 2025 Thu, 1 Oct 2024 Tue,
 * 1 Oct 2025 Wed, 1 Oct 2030 Tue, 25 Dec 2025 Thu, 29 Feb 2024 Thu.
 */
import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/calendar.ts";
import { DomainError } from "../errors.ts";
import {
  computeEmision,
  computeHabilitacion,
  computeNotificacion,
  computePromocion,
  computeValidacion,
  type ExplanationStep,
  type NotificacionResult,
  RULES_VERSION,
} from "./index.ts";

/** IMSS calendar with Jueves and Viernes Santo 2025 declared. */
const IMSS = createCalendar({
  authority: "IMSS",
  version: "2025-1",
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo ACDO.AS2.HCT, DOF" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo ACDO.AS2.HCT, DOF" },
  ],
});
/** Only CFF art. 12 days and weekends. */
const CFF_ONLY = createCalendar({ authority: "IMSS", version: "cff-solo", days: [] });

// The rules are tested on Temporal instants directly: parsing (and its year range) is tested
// in zona-centro.test.ts, and the zone-history cases below predate the accepted range.
const at = (text: string) => Temporal.Instant.from(text);
const notif = (calendar = IMSS, aviso: string, opened?: string): NotificacionResult =>
  computeNotificacion(calendar, { avisoAt: at(aviso), openedAt: opened ? at(opened) : undefined });
const emision = (text: string, calendar = IMSS) => computeEmision(calendar, at(text)).notifiedAt;
const promocion = (text: string, calendar = IMSS) =>
  computePromocion(calendar, at(text)).receivedAt;
const stepOf = (steps: ExplanationStep[], rule: ExplanationStep["rule"]) => {
  const found = steps.find((s) => s.rule === rule);
  if (!found) throw new Error(`no step ${rule}`);
  return found;
};
const skipped = (steps: ExplanationStep[], rule: ExplanationStep["rule"]) =>
  stepOf(steps, rule).skippedDays.map((d) => d.date);

describe("notificación por ministerio de ley (not opened)", () => {
  it("aviso Fri 11 Apr 2025 17:00 with Semana Santa declared", () => {
    // d1 Mon 14, d2 Tue 15, d3 Wed 16 = openBy; Thu 17 and Fri 18 declared, Sat 19, Sun 20 →
    // d4 Mon 21 09:30. Effect Tue 22. Recurso day 1 Wed 23: 23,24,25,28,29,30 (6), 1 May skip,
    // 2 (7), 5 May skip, 6,7,8,9 (11), 12,13,14,15 (15) → 15 May. Nulidad: 16 (16), 19–23 (21),
    // 26–30 (26), 2–5 Jun (30) → 5 Jun. Retention 21 Apr 2030.
    const r = notif(IMSS, "2025-04-11T17:00:00-06:00");
    expect(r).toMatchObject({
      avisoAt: "2025-04-11T17:00:00-06:00",
      openedAt: null,
      openBy: "2025-04-16",
      deemedNotifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
      juicioNulidadBy: "2025-06-05",
      availableUntil: "2030-04-21",
      calendarAuthority: "IMSS",
      calendarVersion: "2025-1",
      rulesVersion: RULES_VERSION,
    });
    // The explanation names exactly the days stepped over, step by step.
    expect(skipped(r.explanation, "plazo_apertura")).toEqual(["2025-04-12", "2025-04-13"]);
    expect(skipped(r.explanation, "cuarto_dia")).toEqual([
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
    expect(stepOf(r.explanation, "cuarto_dia").skippedDays.map((d) => d.kind)).toEqual([
      "declarado",
      "declarado",
      "cff",
      "cff",
    ]);
    expect(skipped(r.explanation, "surte_efectos")).toEqual([]);
    expect(skipped(r.explanation, "recurso_inconformidad")).toEqual([
      "2025-04-26",
      "2025-04-27",
      "2025-05-01",
      "2025-05-03",
      "2025-05-04",
      "2025-05-05",
      "2025-05-10",
      "2025-05-11",
    ]);
    expect(r.explanation.map((s) => s.rule)).toEqual([
      "plazo_apertura",
      "cuarto_dia",
      "surte_efectos",
      "recurso_inconformidad",
      "juicio_nulidad",
      "conservacion",
    ]);
    for (const s of r.explanation) {
      expect(s.basis.length).toBeGreaterThan(0);
      expect(s.text.length).toBeGreaterThan(0);
    }
    expect(stepOf(r.explanation, "plazo_apertura").text).toContain("día hábil siguiente");
    expect(stepOf(r.explanation, "plazo_apertura").text).toContain("miércoles 16 de abril de 2025");
    expect(stepOf(r.explanation, "cuarto_dia").text).toContain("cuarto día hábil");
    expect(stepOf(r.explanation, "cuarto_dia").text).toContain("Jueves Santo");
    expect(stepOf(r.explanation, "surte_efectos").text).toContain("día hábil siguiente");
    expect(stepOf(r.explanation, "recurso_inconformidad").text).toContain("días hábiles");
    expect(stepOf(r.explanation, "conservacion").text).toContain("5 años");
  });

  it("the same aviso without the Semana Santa declaration", () => {
    // d1 14, d2 15, d3 16 = openBy; d4 Thu 17 09:30. Effect Fri 18. Recurso day 1 Mon 21:
    // 21–25 (5), 28,29,30 (8), 1 May skip, 2 (9), 5 skip, 6–9 (13), 12,13 (15) → 13 May.
    // Nulidad: 14,15,16 (18), 19–23 (23), 26–30 (28), 2,3 Jun (30) → 3 Jun.
    const r = notif(CFF_ONLY, "2025-04-11T17:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-04-16",
      deemedNotifiedAt: "2025-04-17T09:30:00-06:00",
      notifiedAt: "2025-04-17T09:30:00-06:00",
      effectiveOn: "2025-04-18",
      recursoInconformidadBy: "2025-05-13",
      juicioNulidadBy: "2025-06-03",
      availableUntil: "2030-04-17",
      calendarVersion: "cff-solo",
    });
    expect(skipped(r.explanation, "cuarto_dia")).toEqual([]);
  });

  it("aviso on a Saturday (5 Apr 2025)", () => {
    // d1 Mon 7, d2 Tue 8, d3 Wed 9 = openBy; d4 Thu 10 09:30. Effect Fri 11. Recurso day 1
    // Mon 14: 14,15,16 (3), 17–20 skip, 21–25 (8), 28,29,30 (11), 2 May (12), 6,7,8 (15) → 8 May.
    // Nulidad: 9 (16), 12–16 (21), 19–23 (26), 26–29 (30) → 29 May.
    const r = notif(IMSS, "2025-04-05T10:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-04-09",
      deemedNotifiedAt: "2025-04-10T09:30:00-06:00",
      effectiveOn: "2025-04-11",
      recursoInconformidadBy: "2025-05-08",
      juicioNulidadBy: "2025-05-29",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual(["2025-04-06"]);
  });

  it("aviso at 23:59:59.999 of Wed 29 Jan 2025, given in UTC; first Monday of February", () => {
    // Local date 29 Jan. d1 Thu 30, d2 Fri 31, Sat 1, Sun 2, Mon 3 Feb (first Monday) skip,
    // d3 Tue 4 = openBy; d4 Wed 5 09:30. Effect Thu 6. Recurso day 1 Fri 7: 7 (1), 10–14 (6),
    // 17–21 (11), 24–27 (15) → 27 Feb. Nulidad: 28 (16), 3–7 Mar (21), 10–14 (26), Mon 17 Mar
    // (third Monday) skip, 18–21 (30) → 21 Mar.
    const r = notif(IMSS, "2025-01-30T05:59:59.999Z");
    expect(r).toMatchObject({
      avisoAt: "2025-01-29T23:59:59.999-06:00",
      openBy: "2025-02-04",
      deemedNotifiedAt: "2025-02-05T09:30:00-06:00",
      effectiveOn: "2025-02-06",
      recursoInconformidadBy: "2025-02-27",
      juicioNulidadBy: "2025-03-21",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual([
      "2025-02-01",
      "2025-02-02",
      "2025-02-03",
    ]);
    expect(stepOf(r.explanation, "plazo_apertura").skippedDays[2]!.reason).toContain(
      "Primer lunes de febrero",
    );
    expect(skipped(r.explanation, "juicio_nulidad")).toContain("2025-03-17");
  });

  it("one millisecond later the aviso is on Thu 30 Jan and everything moves", () => {
    // Local date 30 Jan. d1 Fri 31, d2 Tue 4 Feb, d3 Wed 5 = openBy; d4 Thu 6 09:30.
    const r = notif(IMSS, "2025-01-30T06:00:00Z");
    expect(r.openBy).toBe("2025-02-05");
    expect(r.deemedNotifiedAt).toBe("2025-02-06T09:30:00-06:00");
  });

  it("third Monday of March 2025", () => {
    // Aviso Thu 13 Mar: d1 Fri 14, Sat 15, Sun 16, Mon 17 skip, d2 Tue 18, d3 Wed 19 = openBy;
    // d4 Thu 20 09:30. Effect Fri 21. Recurso day 1 Mon 24: 24–28 (5), 31, 1–4 Apr (10),
    // 7–11 (15) → 11 Apr. Nulidad: 14,15,16 (18), 17–20 skip, 21–25 (23), 28–30 (26),
    // 2 May (27), 6,7,8 (30) → 8 May.
    const r = notif(IMSS, "2025-03-13T12:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-03-19",
      deemedNotifiedAt: "2025-03-20T09:30:00-06:00",
      effectiveOn: "2025-03-21",
      recursoInconformidadBy: "2025-04-11",
      juicioNulidadBy: "2025-05-08",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual([
      "2025-03-15",
      "2025-03-16",
      "2025-03-17",
    ]);
  });

  it("third Monday of November 2025 and the year end", () => {
    // Aviso Wed 12 Nov: d1 Thu 13, d2 Fri 14, 15,16,17 skip, d3 Tue 18 = openBy; d4 Wed 19.
    // Effect Thu 20. Recurso day 1 Fri 21: 21 (1), 24–28 (6), 1–5 Dec (11), 8–11 (15) → 11 Dec.
    // Nulidad: 12 (16), 15–19 (21), 22,23,24 (24), 25 skip, 26 (25), 29,30,31 (28),
    // 1 Jan skip, Fri 2 Jan (29), Mon 5 Jan (30) → 5 Jan 2026.
    const r = notif(IMSS, "2025-11-12T10:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-11-18",
      deemedNotifiedAt: "2025-11-19T09:30:00-06:00",
      effectiveOn: "2025-11-20",
      recursoInconformidadBy: "2025-12-11",
      juicioNulidadBy: "2026-01-05",
    });
  });

  it("1 and 5 May 2025", () => {
    // Aviso Wed 30 Apr: 1 May skip, d1 Fri 2, 3,4,5 skip, d2 Tue 6, d3 Wed 7 = openBy; d4 Thu 8.
    // Effect Fri 9. Recurso day 1 Mon 12: 12–16 (5), 19–23 (10), 26–30 (15) → 30 May.
    // Nulidad: 2–6 Jun (20), 9–13 (25), 16–20 (30) → 20 Jun.
    const r = notif(IMSS, "2025-04-30T15:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-05-07",
      deemedNotifiedAt: "2025-05-08T09:30:00-06:00",
      effectiveOn: "2025-05-09",
      recursoInconformidadBy: "2025-05-30",
      juicioNulidadBy: "2025-06-20",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual([
      "2025-05-01",
      "2025-05-03",
      "2025-05-04",
      "2025-05-05",
    ]);
  });

  it("16 September 2025, with 1 October 2025 counted as a business day", () => {
    // Aviso Fri 12 Sep 09:00: d1 Mon 15, Tue 16 skip, d2 Wed 17, d3 Thu 18 = openBy; d4 Fri 19.
    // Effect Mon 22. Recurso day 1 Tue 23: 23–26 (4), 29,30 (6), Wed 1 Oct (7), 2,3 (9),
    // 6–10 (14), 13 (15) → 13 Oct. Nulidad: 14–17 (19), 20–24 (24), 27–31 (29), 3 Nov (30).
    const r = notif(IMSS, "2025-09-12T09:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-09-18",
      deemedNotifiedAt: "2025-09-19T09:30:00-06:00",
      effectiveOn: "2025-09-22",
      recursoInconformidadBy: "2025-10-13",
      juicioNulidadBy: "2025-11-03",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual([
      "2025-09-13",
      "2025-09-14",
      "2025-09-16",
    ]);
    expect(skipped(r.explanation, "recurso_inconformidad")).not.toContain("2025-10-01");
  });

  it("1 October 2024 (transmisión del Poder Ejecutivo) and third Monday of November 2024", () => {
    // Aviso Fri 27 Sep 2024: d1 Mon 30, Tue 1 Oct skip, d2 Wed 2, d3 Thu 3 = openBy; d4 Fri 4.
    // Effect Mon 7. Recurso day 1 Tue 8: 8–11 (4), 14–18 (9), 21–25 (14), 28 (15) → 28 Oct.
    // Nulidad: 29,30,31, 1 Nov (19), 4–8 (24), 11–15 (29), Mon 18 skip, Tue 19 (30) → 19 Nov.
    const r = notif(IMSS, "2024-09-27T11:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2024-10-03",
      deemedNotifiedAt: "2024-10-04T09:30:00-06:00",
      effectiveOn: "2024-10-07",
      recursoInconformidadBy: "2024-10-28",
      juicioNulidadBy: "2024-11-19",
    });
    const oct1 = stepOf(r.explanation, "plazo_apertura").skippedDays.find(
      (d) => d.date === "2024-10-01",
    );
    expect(oct1?.reason).toContain("transmisión del Poder Ejecutivo");
    expect(skipped(r.explanation, "juicio_nulidad")).toContain("2024-11-18");
  });

  it("aviso Wed 24 Dec 2025 crossing 25 Dec and 1 Jan", () => {
    // 25 skip, d1 Fri 26, 27,28 skip, d2 Mon 29, d3 Tue 30 = openBy; d4 Wed 31 09:30.
    // Effect: 1 Jan skip → Fri 2 Jan 2026. Recurso day 1 Mon 5: 5–9 (5), 12–16 (10),
    // 19–23 (15) → 23 Jan. Nulidad: 26–30 (20), Mon 2 Feb skip, 3–6 (24), 9–13 (29), 16 (30).
    const r = notif(IMSS, "2025-12-24T12:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2025-12-30",
      deemedNotifiedAt: "2025-12-31T09:30:00-06:00",
      effectiveOn: "2026-01-02",
      recursoInconformidadBy: "2026-01-23",
      juicioNulidadBy: "2026-02-16",
      availableUntil: "2030-12-31",
    });
    expect(skipped(r.explanation, "plazo_apertura")).toEqual([
      "2025-12-25",
      "2025-12-27",
      "2025-12-28",
    ]);
    expect(skipped(r.explanation, "cuarto_dia")).toEqual([]);
    expect(skipped(r.explanation, "surte_efectos")).toEqual(["2026-01-01"]);
  });

  it("aviso Wed 31 Dec 2025 18:30", () => {
    // 1 Jan skip, d1 Fri 2, d2 Mon 5, d3 Tue 6 = openBy; d4 Wed 7 09:30. Effect Thu 8.
    // Recurso day 1 Fri 9: 9 (1), 12–16 (6), 19–23 (11), 26–29 (15) → 29 Jan. Nulidad:
    // 30 (16), Mon 2 Feb skip, 3–6 (20), 9–13 (25), 16–20 (30) → 20 Feb.
    const r = notif(IMSS, "2025-12-31T18:30:00-06:00");
    expect(r).toMatchObject({
      openBy: "2026-01-06",
      deemedNotifiedAt: "2026-01-07T09:30:00-06:00",
      effectiveOn: "2026-01-08",
      recursoInconformidadBy: "2026-01-29",
      juicioNulidadBy: "2026-02-20",
      availableUntil: "2031-01-07",
    });
  });

  it("notified on 29 Feb 2024: retention ends 28 Feb 2029", () => {
    // Aviso Fri 23 Feb 2024: d1 Mon 26, d2 Tue 27, d3 Wed 28 = openBy; d4 Thu 29 Feb 09:30.
    // Effect Fri 1 Mar. Recurso day 1 Mon 4: 4–8 (5), 11–15 (10), Mon 18 skip, 19–22 (14),
    // 25 (15) → 25 Mar. Nulidad: 26–29 (19), 1–5 Apr (24), 8–12 (29), 15 (30) → 15 Apr.
    const r = notif(CFF_ONLY, "2024-02-23T10:00:00-06:00");
    expect(r).toMatchObject({
      openBy: "2024-02-28",
      notifiedAt: "2024-02-29T09:30:00-06:00",
      effectiveOn: "2024-03-01",
      recursoInconformidadBy: "2024-03-25",
      juicioNulidadBy: "2024-04-15",
      availableUntil: "2029-02-28",
    });
  });

  it("aviso before DST ended (summer 2022) keeps the -05:00 wall clock", () => {
    // Aviso Fri 1 Jul 2022 12:00 -05:00: d1 Mon 4, d2 Tue 5, d3 Wed 6; d4 Thu 7 at 09:30 local,
    // which was -05:00 then.
    const r = notif(CFF_ONLY, "2022-07-01T12:00:00-05:00");
    expect(r.openBy).toBe("2022-07-06");
    expect(r.deemedNotifiedAt).toBe("2022-07-07T09:30:00-05:00");
  });
});

describe("notificación por apertura", () => {
  // All on the aviso of Fri 11 Apr 2025 17:00 (IMSS calendar), deemed Mon 21 Apr 09:30.
  const AVISO = "2025-04-11T17:00:00-06:00";

  it("opened inside hours: Mon 14 Apr 11:15", () => {
    // Counts at 11:15. Effect Tue 15. Recurso day 1 Wed 16: 16 (1), 17–20 skip, 21–25 (6),
    // 28,29,30 (9), 2 May (10), 6–9 (14), 12 (15) → 12 May. Nulidad: 13–16 (19), 19–23 (24),
    // 26–30 (29), 2 Jun (30).
    const r = notif(IMSS, AVISO, "2025-04-14T11:15:00-06:00");
    expect(r).toMatchObject({
      openedAt: "2025-04-14T11:15:00-06:00",
      deemedNotifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedAt: "2025-04-14T11:15:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-15",
      recursoInconformidadBy: "2025-05-12",
      juicioNulidadBy: "2025-06-02",
      availableUntil: "2030-04-14",
    });
    expect(r.explanation.map((s) => s.rule)).toEqual([
      "plazo_apertura",
      "cuarto_dia",
      "apertura",
      "horario_notificacion",
      "surte_efectos",
      "recurso_inconformidad",
      "juicio_nulidad",
      "conservacion",
    ]);
    expect(stepOf(r.explanation, "horario_notificacion").text).toContain("es día hábil");
  });

  it("opened before 09:30: Tue 15 Apr 08:00 → 09:30 of the following business day", () => {
    // Counts Wed 16 09:30. Effect: 17,18 declared, 19,20 weekend → Mon 21. Recurso day 1 Tue 22:
    // 22–25 (4), 28–30 (7), 2 May (8), 6–9 (12), 12,13,14 (15) → 14 May. Nulidad: 15,16 (17),
    // 19–23 (22), 26–30 (27), 2,3,4 Jun (30) → 4 Jun.
    const r = notif(IMSS, AVISO, "2025-04-15T08:00:00-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-16T09:30:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-21",
      recursoInconformidadBy: "2025-05-14",
      juicioNulidadBy: "2025-06-04",
    });
    expect(skipped(r.explanation, "surte_efectos")).toEqual([
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
    const horario = stepOf(r.explanation, "horario_notificacion");
    expect(horario.text).toContain("fuera del horario de notificación");
    expect(horario.text).toContain("día hábil siguiente");
  });

  it("opened at exactly 18:00:00 of Wed 16 Apr counts then", () => {
    // Same effect (Mon 21) and terms as the case above.
    const r = notif(IMSS, AVISO, "2025-04-16T18:00:00-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-16T18:00:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-21",
      recursoInconformidadBy: "2025-05-14",
      juicioNulidadBy: "2025-06-04",
    });
  });

  it("opened at 18:00:01 of Wed 16 Apr moves to 09:30 of Mon 21 (still by opening)", () => {
    // Next business day after 16 Apr: 17,18 declared, weekend → Mon 21 09:30, the same instant
    // as the deemed one; terms as if not opened.
    const r = notif(IMSS, AVISO, "2025-04-16T18:00:01-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
      juicioNulidadBy: "2025-06-05",
    });
    expect(skipped(r.explanation, "horario_notificacion")).toEqual([
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
  });

  it("opened on the weekend: Sat 12 Apr → Mon 14 09:30", () => {
    // Effect Tue 15 → same terms as the 11:15 opening on Monday.
    const r = notif(IMSS, AVISO, "2025-04-12T10:00:00-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-14T09:30:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-15",
      recursoInconformidadBy: "2025-05-12",
      juicioNulidadBy: "2025-06-02",
    });
    // The Saturday itself and the Sunday are named.
    expect(skipped(r.explanation, "horario_notificacion")).toEqual(["2025-04-12", "2025-04-13"]);
    expect(stepOf(r.explanation, "horario_notificacion").text).toContain("es inhábil");
  });

  it("opened on a declared day: Thu 17 Apr → Mon 21 09:30", () => {
    const r = notif(IMSS, AVISO, "2025-04-17T12:00:00-06:00");
    expect(r.notifiedAt).toBe("2025-04-21T09:30:00-06:00");
    expect(r.notifiedBy).toBe("apertura");
  });

  it("opened exactly at the deemed instant: stays ministerio de ley", () => {
    const r = notif(IMSS, AVISO, "2025-04-21T09:30:00-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
    });
    expect(stepOf(r.explanation, "apertura").text).toContain("no cambia la fecha");
  });

  it("opened on the fourth day before 09:30: the three days had run out, deemed at 09:30", () => {
    // Mon 21 Apr 08:00 is before the deemed 09:30, but rule a would move the opening to
    // 09:30 of Tue 22 — later than the deemed instant. The three days ended Wed 16, so
    // Lineamientos 7.5 makes it notified Mon 21 09:30 (docs/adr/0002): the earlier governs.
    const r = notif(IMSS, AVISO, "2025-04-21T08:00:00-06:00");
    expect(r).toMatchObject({
      deemedNotifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
    });
    expect(stepOf(r.explanation, "apertura").text).toContain("vencidos los tres días hábiles");
  });

  it("opened on the third day after 18:00: by opening, at 09:30 of the fourth", () => {
    // Wed 16 Apr 20:00 (day 3) is out of hours → 09:30 of the next business day, Mon 21,
    // which coincides with the deemed instant; the opening came first, so it is by apertura.
    const r = notif(IMSS, AVISO, "2025-04-16T20:00:00-06:00");
    expect(r).toMatchObject({
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-22",
    });
  });

  it("opened after the deemed instant: stays ministerio de ley", () => {
    const r = notif(IMSS, AVISO, "2025-04-23T11:00:00-06:00");
    expect(r.notifiedAt).toBe("2025-04-21T09:30:00-06:00");
    expect(r.notifiedBy).toBe("ministerio_de_ley");
    expect(r.openedAt).toBe("2025-04-23T11:00:00-06:00");
  });

  it("opened at the very instant of the aviso, in hours", () => {
    // Aviso Mon 14 Apr 10:00 opened at 10:00 → counts 10:00; effect Tue 15.
    const r = notif(IMSS, "2025-04-14T10:00:00-06:00", "2025-04-14T10:00:00-06:00");
    expect(r.notifiedAt).toBe("2025-04-14T10:00:00-06:00");
    expect(r.notifiedBy).toBe("apertura");
    expect(r.effectiveOn).toBe("2025-04-15");
  });

  it("opening before the aviso is refused", () => {
    try {
      notif(IMSS, AVISO, "2025-04-11T16:59:59.999-06:00");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("opened_before_aviso");
      expect((error as DomainError).message).toContain("apertura");
    }
  });
});

describe("emisión (rule a)", () => {
  it.each([
    // [instant, notifiedAt, hand reasoning]
    ["2025-04-11T09:30:00-06:00", "2025-04-11T09:30:00-06:00", "Fri 09:30 exactly: in hours"],
    ["2025-04-11T18:00:00-06:00", "2025-04-11T18:00:00-06:00", "Fri 18:00:00 exactly counts"],
    ["2025-04-11T18:00:01-06:00", "2025-04-14T09:30:00-06:00", "Fri 18:00:01 → Mon 14"],
    ["2025-04-11T09:29:59.999-06:00", "2025-04-14T09:30:00-06:00", "Fri before 09:30 → Mon"],
    ["2025-04-14T08:00:00-06:00", "2025-04-15T09:30:00-06:00", "Mon 08:00 → Tue (following)"],
    ["2025-04-11T23:00:00Z", "2025-04-11T17:00:00-06:00", "Z input, 17:00 local"],
    ["2025-04-13T12:00:00-06:00", "2025-04-14T09:30:00-06:00", "Sunday → Mon"],
    ["2025-02-03T10:00:00-06:00", "2025-02-04T09:30:00-06:00", "first Monday Feb → Tue"],
    ["2025-03-17T10:00:00-06:00", "2025-03-18T09:30:00-06:00", "third Monday Mar → Tue"],
    ["2025-11-17T10:00:00-06:00", "2025-11-18T09:30:00-06:00", "third Monday Nov → Tue"],
    ["2026-01-30T18:00:01-06:00", "2026-02-03T09:30:00-06:00", "Fri → Sat, Sun, Mon 2 Feb 2026"],
    ["2025-05-01T10:00:00-06:00", "2025-05-02T09:30:00-06:00", "1 May Thu → Fri 2"],
    ["2025-05-02T19:00:00-06:00", "2025-05-06T09:30:00-06:00", "Fri 2 May night → 3,4,5 → Tue"],
    ["2025-09-16T12:00:00-06:00", "2025-09-17T09:30:00-06:00", "16 Sep Tue → Wed 17"],
    ["2024-10-01T12:00:00-06:00", "2024-10-02T09:30:00-06:00", "1 Oct 2024 → Wed 2"],
    ["2030-10-01T10:00:00-06:00", "2030-10-02T09:30:00-06:00", "1 Oct 2030 (Tue) → Wed 2"],
    ["2030-09-30T19:00:00-06:00", "2030-10-02T09:30:00-06:00", "Mon 30 Sep 2030 night → Wed"],
    ["2025-10-01T10:00:00-06:00", "2025-10-01T10:00:00-06:00", "1 Oct 2025 is a business day"],
    ["2018-12-01T10:00:00-06:00", "2018-12-03T09:30:00-06:00", "1 Dec 2018 (Sat) → Mon 3"],
    ["2025-12-24T18:30:00-06:00", "2025-12-26T09:30:00-06:00", "24 Dec night → 25 → Fri 26"],
    ["2025-12-31T23:59:59.999-06:00", "2026-01-02T09:30:00-06:00", "31 Dec → 1 Jan → Fri 2"],
    ["2025-04-16T19:00:00-06:00", "2025-04-21T09:30:00-06:00", "Wed 16 night → SS → Mon 21"],
    ["2022-07-01T14:00:00Z", "2022-07-04T09:30:00-05:00", "09:00 local (-05:00) → Mon 4"],
    ["2022-07-01T14:30:00Z", "2022-07-01T09:30:00-05:00", "09:30 local (-05:00): in hours"],
  ])("%s → %s (%s)", (input, expected) => {
    expect(emision(input)).toBe(expected);
  });

  it("Semana Santa is a business week without the declaration", () => {
    expect(emision("2025-04-16T19:00:00-06:00", CFF_ONLY)).toBe("2025-04-17T09:30:00-06:00");
    expect(emision("2025-04-17T12:00:00-06:00", CFF_ONLY)).toBe("2025-04-17T12:00:00-06:00");
  });

  it("echoes the calendar and names the skipped days in Spanish", () => {
    const r = computeEmision(IMSS, at("2025-04-16T19:00:00-06:00"));
    expect(r).toMatchObject({
      at: "2025-04-16T19:00:00-06:00",
      calendarAuthority: "IMSS",
      calendarVersion: "2025-1",
      rulesVersion: RULES_VERSION,
    });
    expect(r.explanation).toHaveLength(1);
    const [only] = r.explanation;
    expect(only!.rule).toBe("horario_notificacion");
    expect(only!.skippedDays.map((d) => d.date)).toEqual([
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
    expect(only!.text).toContain("día hábil siguiente");
    expect(only!.text).toContain("lunes 21 de abril de 2025");
    expect(only!.text).toContain("Viernes Santo");
  });
});

describe("promociones (rule f)", () => {
  it.each([
    ["2025-04-12T23:59:00-06:00", "2025-04-14T00:00:00-06:00", "Sat 23:59 → Mon 00:00"],
    ["2025-04-13T00:00:00-06:00", "2025-04-14T00:00:00-06:00", "Sun 00:00 → Mon 00:00"],
    ["2025-03-17T10:00:00-06:00", "2025-03-18T00:00:00-06:00", "holiday Mon → Tue 00:00"],
    ["2025-04-17T12:00:00-06:00", "2025-04-21T00:00:00-06:00", "declared Thu → Mon 21 00:00"],
    ["2025-12-25T08:00:00-06:00", "2025-12-26T00:00:00-06:00", "25 Dec → Fri 26"],
    ["2025-04-15T00:00:00-06:00", "2025-04-15T00:00:00-06:00", "business day 00:00 as is"],
    ["2025-04-15T23:59:59.999-06:00", "2025-04-15T23:59:59.999-06:00", "business 23:59:59.999"],
    ["2025-04-15T03:00:00-06:00", "2025-04-15T03:00:00-06:00", "03:00 is fine for promociones"],
    ["2025-04-16T05:59:00Z", "2025-04-15T23:59:00-06:00", "Z input on a business day"],
    ["2025-04-13T05:59:00Z", "2025-04-14T00:00:00-06:00", "Z input, Sat 23:59 local"],
    ["2025-12-31T23:59:00-06:00", "2025-12-31T23:59:00-06:00", "31 Dec is a business day"],
  ])("%s → %s (%s)", (input, expected) => {
    expect(promocion(input)).toBe(expected);
  });

  it("a declared day without the declaration is a business day", () => {
    expect(promocion("2025-04-17T12:00:00-06:00", CFF_ONLY)).toBe("2025-04-17T12:00:00-06:00");
  });

  it("names the day and the skipped days", () => {
    const r = computePromocion(IMSS, at("2025-04-12T23:59:00-06:00"));
    expect(r).toMatchObject({
      sentAt: "2025-04-12T23:59:00-06:00",
      calendarAuthority: "IMSS",
      calendarVersion: "2025-1",
      rulesVersion: RULES_VERSION,
    });
    expect(r.explanation[0]!.rule).toBe("recepcion_promocion");
    expect(r.explanation[0]!.skippedDays.map((d) => d.date)).toEqual(["2025-04-12", "2025-04-13"]);
    expect(r.explanation[0]!.text).toContain("día hábil siguiente");
    expect(r.explanation[0]!.text).toContain("00:00");
  });
});

describe("validación de medios de contacto (rule g)", () => {
  it.each([
    // 30 Jan 15:00 + 72 h: 31 Jan, 1 Feb, 2 Feb 15:00.
    ["2025-01-30T15:00:00-06:00", "2025-02-02T15:00:00-06:00"],
    // Leap year: 28 Feb 2024 12:00 → 29 Feb, 1 Mar, 2 Mar 12:00.
    ["2024-02-28T12:00:00-06:00", "2024-03-02T12:00:00-06:00"],
    // Non-leap: 27 Feb 2025 → 28, 1 Mar, 2 Mar.
    ["2025-02-27T12:00:00-06:00", "2025-03-02T12:00:00-06:00"],
    // Year end, weekends and holidays count.
    ["2025-12-30T20:00:00-06:00", "2026-01-02T20:00:00-06:00"],
    // Clock hours across the last DST change: 72 h later the wall clock reads one hour less.
    ["2022-10-29T12:00:00-05:00", "2022-11-01T11:00:00-06:00"],
  ])("%s → %s", (input, expected) => {
    const r = computeValidacion(at(input));
    expect(r.expiresAt).toBe(expected);
    expect(r.registeredAt).toBe(input);
    expect(r.rulesVersion).toBe(RULES_VERSION);
    expect(r.explanation[0]!.rule).toBe("validacion_medios");
    expect(r.explanation[0]!.text).toContain("72 horas");
  });
});

describe("habilitación (rule h)", () => {
  it("180 calendar days from 6 Aug 2024 as day 1 end on 1 Feb 2025", () => {
    // Aug 6–31: 26 days; Sep 30 (56); Oct 31 (87); Nov 30 (117); Dec 31 (148); Jan 31 (179);
    // 1 Feb (180).
    const r = computeHabilitacion(CFF_ONLY);
    expect(r.entryIntoForce).toBe("2024-08-06");
    expect(r.nominalDeadline).toBe("2025-02-01");
    expect(r.rulesVersion).toBe(RULES_VERSION);
    expect(r.explanation[0]!.rule).toBe("habilitacion");
    expect(r.explanation[0]!.text).toContain("días naturales");
    expect(r.explanation[0]!.text).toContain("sábado 1 de febrero de 2025");
  });
});
