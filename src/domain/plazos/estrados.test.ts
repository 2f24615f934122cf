/**
 * Notification por estrados (CFF art. 139, DOF 12-11-2021), worked by hand with a printed
 * 2025/2026 calendar. Weekday references: 11 Apr 2025 Fri, 3 Feb 2025 Mon (CFF holiday),
 * 18 Dec 2025 Thu, 30 Sep 2030 Mon.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCalendar, parseCalendarData } from "../calendar/calendar.ts";
import { projectNotificacion } from "../notificaciones/lifecycle.ts";
import { computeEstrados, RULES, RULES_VERSION } from "./index.ts";

const TFJA = createCalendar(
  parseCalendarData(
    JSON.parse(readFileSync(new URL("../../../calendarios/tfja.json", import.meta.url), "utf8")),
  ),
);
const IMSS_2025 = createCalendar({
  authority: "IMSS",
  version: "2025-1",
  years: [2025],
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo de prueba" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo de prueba" },
  ],
});
const at = (text: string) => Temporal.Instant.from(text);

describe("computeEstrados (CFF art. 139)", () => {
  it("published on a Friday: ten business days from Monday, Semana Santa and weekends stepped over, notified the eleventh at 00:00", () => {
    // Mon 14, Tue 15, Wed 16 (3); Thu 17, Fri 18 declared; 21–25 (8); 28, 29 (10); Wed 30 (11).
    // Effect: Thu 1 May is a CFF holiday → Fri 2 May. Recurso: Mon 5 May CFF; 6–9 (4), 12–16
    // (9), 19–23 (14), Mon 26 May (15). Nulidad on the same calendar: … 9–13 Jun (29), 16 Jun.
    const r = computeEstrados(IMSS_2025, at("2025-04-11T12:00:00-06:00"));
    expect(r).toMatchObject({
      publishedAt: "2025-04-11T12:00:00-06:00",
      publicationDays: [
        "2025-04-14",
        "2025-04-15",
        "2025-04-16",
        "2025-04-21",
        "2025-04-22",
        "2025-04-23",
        "2025-04-24",
        "2025-04-25",
        "2025-04-28",
        "2025-04-29",
      ],
      lastPublicationDay: "2025-04-29",
      notifiedOn: "2025-04-30",
      notifiedAt: "2025-04-30T00:00:00-06:00",
      notifiedBy: "estrados",
      effectiveOn: "2025-05-02",
      recursoInconformidadBy: "2025-05-26",
      juicioNulidadBy: "2025-06-16",
      recursoInconformidadDays: 15,
      juicioNulidadDays: 30,
      sinMediosDeDefensa: false,
      availableUntil: "2030-04-30",
      calendarAuthority: "IMSS",
      calendarVersion: "2025-1",
      juicioNulidadCalendar: { authority: "IMSS", version: "2025-1" },
      rulesVersion: RULES_VERSION,
      warnings: [],
    });
    expect(r.explanation.map((s) => s.rule)).toEqual([
      "estrados",
      "estrados",
      "surte_efectos",
      "recurso_inconformidad",
      "juicio_nulidad",
      "conservacion",
    ]);
    const [publication, eleventh] = r.explanation;
    expect(publication!.basis).toBe("CFF art. 139; Lineamientos 7.8; LSS art. 286-M");
    expect(publication!.text).toContain(
      "del lunes 14 de abril de 2025 al martes 29 de abril de 2025",
    );
    expect(publication!.text).toContain("Jueves Santo");
    expect(publication!.skippedDays.map((d) => d.date)).toEqual([
      "2025-04-12",
      "2025-04-13",
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
      "2025-04-26",
      "2025-04-27",
    ]);
    expect(eleventh!.text).toContain("decimoprimer día hábil");
    expect(eleventh!.text).toContain("miércoles 30 de abril de 2025");
    expect(eleventh!.text).toContain("00:00 (Zona Centro)");
    // Each day is named once: the surte-efectos step names 1 May, the recurso only counts it.
    expect(r.explanation[2]!.text).toContain("Día del Trabajo");
  });

  it("published on a CFF holiday (first Monday of February): the days still run from the day after its date, and the step says so", () => {
    // Tue 4 – Fri 7 (4), 10–14 (9), Mon 17 (10); Tue 18 Feb (11); effect Wed 19 Feb.
    const r = computeEstrados(IMSS_2025, at("2025-02-03T10:00:00-06:00"));
    expect(r.publicationDays[0]).toBe("2025-02-04");
    expect(r.lastPublicationDay).toBe("2025-02-17");
    expect(r.notifiedOn).toBe("2025-02-18");
    expect(r.notifiedAt).toBe("2025-02-18T00:00:00-06:00");
    expect(r.effectiveOn).toBe("2025-02-19");
    const publication = r.explanation[0]!;
    expect(publication.text).toContain("El lunes 3 de febrero de 2025 es inhábil");
    expect(publication.text).toContain("a partir del día siguiente");
    expect(publication.skippedDays[0]!.date).toBe("2025-02-03");
  });

  it("a declared vacation period inside the ten days is stepped over, told as one run", () => {
    const imss = createCalendar({
      authority: "IMSS",
      version: "2025-2",
      years: [2025, 2026],
      days: [
        ...["22", "23", "24", "26", "29", "30", "31"].map((d) => ({
          date: `2025-12-${d}`,
          reason: "Segundo periodo vacacional",
          source: "Acuerdo de prueba",
          kind: "vacaciones_generales" as const,
        })),
        {
          date: "2026-01-02",
          reason: "Segundo periodo vacacional",
          source: "Acuerdo de prueba",
          kind: "vacaciones_generales" as const,
        },
      ],
    });
    // Thu 18 Dec: Fri 19 (1); 22 Dec – 2 Jan vacations, 25 Dec and 1 Jan CFF, weekends;
    // Mon 5 – Fri 9 Jan (6), 12–15 (10); Fri 16 Jan (11); effect Mon 19 Jan 2026.
    const r = computeEstrados(imss, at("2025-12-18T09:30:00-06:00"));
    expect(r.publicationDays).toEqual([
      "2025-12-19",
      "2026-01-05",
      "2026-01-06",
      "2026-01-07",
      "2026-01-08",
      "2026-01-09",
      "2026-01-12",
      "2026-01-13",
      "2026-01-14",
      "2026-01-15",
    ]);
    expect(r.notifiedOn).toBe("2026-01-16");
    expect(r.effectiveOn).toBe("2026-01-19");
    expect(r.explanation[0]!.text).toContain("Segundo periodo vacacional");
    expect(r.explanation[0]!.text).toContain("vacaciones generales");
    expect(r.warnings).toEqual([]);
  });

  it("a publication late on a Friday counts from its date like one at noon (the date, not the hour, starts the count)", () => {
    const noon = computeEstrados(IMSS_2025, at("2025-04-11T12:00:00-06:00"));
    const night = computeEstrados(IMSS_2025, at("2025-04-11T23:59:00-06:00"));
    expect(night.notifiedOn).toBe(noon.notifiedOn);
    expect(night.publicationDays).toEqual(noon.publicationDays);
  });

  it("without medios de defensa the terms double; the juicio de nulidad runs on the TFJA calendar", () => {
    // Published Tue 2 Jun 2026: 3–5 (3), 8–12 (8), 15, 16 (10); Wed 17 Jun (11); effect Thu 18.
    const imss = createCalendar({ authority: "IMSS", version: "cff", years: [2026], days: [] });
    const plain = computeEstrados(imss, at("2026-06-02T10:00:00-06:00"), { tfja: TFJA });
    expect(plain).toMatchObject({
      lastPublicationDay: "2026-06-16",
      notifiedOn: "2026-06-17",
      effectiveOn: "2026-06-18",
      juicioNulidadCalendar: { authority: "TFJA", version: "2026-1" },
    });
    const doubled = computeEstrados(imss, at("2026-06-02T10:00:00-06:00"), {
      tfja: TFJA,
      sinMediosDeDefensa: true,
    });
    expect(doubled).toMatchObject({
      recursoInconformidadDays: 30,
      juicioNulidadDays: 60,
      sinMediosDeDefensa: true,
      notifiedOn: "2026-06-17",
    });
    expect(doubled.recursoInconformidadBy > plain.recursoInconformidadBy).toBe(true);
    expect(doubled.juicioNulidadBy > plain.juicioNulidadBy).toBe(true);
    expect(doubled.explanation.map((s) => s.rule)).toContain("medios_de_defensa");
    // The TFJA's summer vacations (15–31 Jul 2026) push the nulidad past the IMSS count.
    const onImss = computeEstrados(imss, at("2026-06-02T10:00:00-06:00"));
    expect(plain.juicioNulidadBy > onImss.juicioNulidadBy).toBe(true);
  });

  it("warns when the calendar has no declaration for a year the count runs through", () => {
    const empty = createCalendar({ authority: "IMSS", version: "vacio", days: [] });
    const r = computeEstrados(empty, at("2025-04-11T12:00:00-06:00"));
    expect(r.warnings.map((w) => w.code)).toEqual(["calendario_sin_declaracion"]);
  });

  it("names the 1 October reading when the count crosses it (CPEUM 83)", () => {
    const imss = createCalendar({ authority: "IMSS", version: "cff", years: [2030], days: [] });
    // Published Mon 23 Sep 2030: Tue 1 Oct 2030 (inhábil since 2024) falls inside the ten days.
    const r = computeEstrados(imss, at("2030-09-23T10:00:00-06:00"));
    expect(r.publicationDays).not.toContain("2030-10-01");
    expect(r.warnings.map((w) => w.code)).toContain("transmision_poder_ejecutivo");
  });

  it("always lands the eleventh day on the business day right after the tenth, and never counts the publication's date", () => {
    let day = Temporal.PlainDate.from("2025-01-01");
    for (let i = 0; i < 366; i++, day = day.add({ days: 1 })) {
      const r = computeEstrados(IMSS_2025, day.toZonedDateTime("America/Mexico_City").toInstant());
      expect(r.publicationDays).toHaveLength(10);
      expect(r.publicationDays[0]! > day.toString()).toBe(true);
      for (const d of r.publicationDays) {
        expect(IMSS_2025.isBusinessDay(Temporal.PlainDate.from(d))).toBe(true);
      }
      let next = Temporal.PlainDate.from(r.lastPublicationDay).add({ days: 1 });
      while (!IMSS_2025.isBusinessDay(next)) next = next.add({ days: 1 });
      expect(r.notifiedOn).toBe(next.toString());
    }
  });

  it("its instant moves the lifecycle's estrados act to notificada (notifiedBy estrados) on the eleventh day", () => {
    const r = computeEstrados(IMSS_2025, at("2025-04-11T12:00:00-06:00"));
    const events = [
      { type: "depositada" as const, at: at("2025-04-11T11:00:00-06:00"), estrados: true },
      { type: "publicada_en_estrados" as const, at: at(r.publishedAt) },
    ];
    const dates = {
      avisoAt: at("2025-04-11T12:00:00-06:00"),
      deemedNotifiedAt: null,
      estradosNotifiedAt: at(r.notifiedAt),
    };
    expect(projectNotificacion(events, dates, at("2025-04-29T23:59:59-06:00")).state).toBe(
      "estrados",
    );
    expect(projectNotificacion(events, dates, at(r.notifiedAt))).toMatchObject({
      state: "notificada",
      notifiedBy: "estrados",
    });
  });

  it("the rule is in the catalogue with its basis", () => {
    expect(RULES.estrados.basis).toBe("CFF art. 139; Lineamientos 7.8; LSS art. 286-M");
    expect(RULES_VERSION).toBe("lineamientos-2024-08-06.4");
  });
});
