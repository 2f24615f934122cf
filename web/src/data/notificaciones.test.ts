import { describe, expect, it } from "vitest";
import type { ExplanationStep, NotificacionSummary } from "../api/types.ts";
import {
  daysLeftBadge,
  filterNotificaciones,
  readFilters,
  stepsFor,
  tabCounts,
} from "./notificaciones.ts";

function act(id: string, state: NotificacionSummary["state"], avisoAt: string, actType = "7.1") {
  return {
    id,
    actType,
    actTypeName: `Acto ${actType}`,
    oficio: `OF-${id}`,
    issuingUnit: "Subdelegación",
    documentName: `${id}.pdf`,
    registroPatronal: null,
    recurrible: true,
    sinMediosDeDefensa: false,
    state,
    depositedAt: avisoAt,
    avisoAt,
    openBy: null,
    businessDaysLeft: null,
    deemedNotifiedAt: null,
    notifiedAt: null,
    notifiedBy: null,
    effectiveOn: null,
    recursoInconformidadBy: null,
    juicioNulidadBy: null,
    calendarVersion: null,
    juicioNulidadCalendar: null,
    rulesVersion: "lineamientos-2024-08-06.4",
    openable: state === "pendiente",
    openingRefusal: null,
  } satisfies NotificacionSummary;
}

const LIST = [
  act("a", "pendiente", "2026-12-01T10:00:00-06:00"),
  act("b", "notificada", "2026-11-20T10:00:00-06:00", "7.6"),
  act("c", "cancelada", "2026-11-25T10:00:00-06:00"),
  act("d", "pendiente", "2026-12-03T09:30:00-06:00", "7.6"),
];

describe("«Mis notificaciones»: tabs and filters", () => {
  it("reads the tab, the type and the dates from the address, refusing a malformed date", () => {
    const ok = readFilters(new URLSearchParams("ver=todas&tipo=7.6&desde=01/12/2026"));
    expect(ok.filters).toEqual({ tab: "todas", actType: "7.6", from: "2026-12-01" });
    expect(ok.errors).toEqual({});
    const bad = readFilters(new URLSearchParams("ver=otra&desde=31/02/2026&hasta=2026-13"));
    expect(bad.filters.tab).toBe("pendientes");
    expect(Object.keys(bad.errors)).toEqual(["desde", "hasta"]);
    const reversed = readFilters(new URLSearchParams("desde=05/12/2026&hasta=01/12/2026"));
    expect(reversed.errors.hasta).toBe("La fecha «Aviso hasta» es anterior a «Aviso desde».");
  });

  it("shows each tab's acts, newest aviso first, and filters by type and aviso day", () => {
    const ids = (list: NotificacionSummary[]) => list.map((n) => n.id);
    expect(ids(filterNotificaciones(LIST, { tab: "pendientes", actType: "" }))).toEqual(["d", "a"]);
    expect(ids(filterNotificaciones(LIST, { tab: "notificadas", actType: "" }))).toEqual(["b"]);
    expect(ids(filterNotificaciones(LIST, { tab: "todas", actType: "7.6" }))).toEqual(["d", "b"]);
    expect(
      ids(
        filterNotificaciones(LIST, {
          tab: "todas",
          actType: "",
          from: "2026-11-25",
          to: "2026-12-01",
        }),
      ),
    ).toEqual(["a", "c"]);
    expect(tabCounts(LIST)).toEqual({ pendientes: 2, notificadas: 1, todas: 4 });
  });

  it("compares the aviso's day in Zona Centro, not in UTC", () => {
    // 23:30 in Zona Centro on 1 Dec is 2 Dec in UTC.
    const late = [act("z", "pendiente", "2026-12-02T05:30:00Z")];
    expect(
      filterNotificaciones(late, { tab: "todas", actType: "", to: "2026-12-01" }),
    ).toHaveLength(1);
  });
});

describe("«¿Por qué esta fecha?»", () => {
  const step = (rule: string, text = rule): ExplanationStep => ({
    rule,
    basis: "CFF",
    text,
    skippedDays: [],
  });
  const explanation = [
    step("horario_notificacion"),
    step("plazo_apertura"),
    step("prorroga_ultimo_dia", "prórroga de la apertura"),
    step("cuarto_dia"),
    step("surte_efectos"),
    step("recurso_inconformidad"),
    step("medios_de_defensa"),
    step("juicio_nulidad"),
    step("prorroga_ultimo_dia", "prórroga del juicio"),
  ];

  it("gives each date the steps of its rules and the extension that follows them", () => {
    const texts = (key: Parameters<typeof stepsFor>[0]) =>
      stepsFor(key, explanation).map((s) => s.text);
    expect(texts("openBy")).toEqual(["plazo_apertura", "prórroga de la apertura"]);
    expect(texts("effectiveOn")).toEqual(["surte_efectos"]);
    expect(texts("recursoInconformidadBy")).toEqual(["recurso_inconformidad", "medios_de_defensa"]);
    expect(texts("juicioNulidadBy")).toEqual([
      "medios_de_defensa",
      "juicio_nulidad",
      "prórroga del juicio",
    ]);
  });

  it("gives the aviso the deposit's schedule step, and the notification an opening's", () => {
    const opened = [
      step("horario_notificacion", "depósito fuera de horario"),
      step("plazo_apertura"),
      step("cuarto_dia"),
      step("apertura"),
      step("horario_notificacion", "apertura fuera de horario"),
      step("surte_efectos"),
    ];
    const texts = (key: Parameters<typeof stepsFor>[0]) => stepsFor(key, opened).map((s) => s.text);
    expect(texts("avisoAt")).toEqual(["depósito fuera de horario"]);
    expect(texts("notifiedAt")).toEqual(["cuarto_dia", "apertura", "apertura fuera de horario"]);
    expect(texts("deemedNotifiedAt")).toEqual(["cuarto_dia"]);
  });
});

describe("daysLeftBadge", () => {
  // Aviso Tuesday 8 Dec 2026: the third day to open is Friday 11, the fourth business day
  // Monday 14 (at 09:30 the act is notified by law).
  const fourth = "2026-12-14T09:30:00-06:00";
  const pending = (businessDaysLeft: number | null, openable: boolean) => ({
    businessDaysLeft,
    openable,
    deemedNotifiedAt: fourth,
  });

  it("counts the business days left, louder on the last one", () => {
    expect(daysLeftBadge(pending(3, true))).toEqual({
      text: "Quedan 3 días hábiles para abrir",
      last: false,
    });
    expect(daysLeftBadge(pending(1, true))).toEqual({
      text: "Hoy es el último día hábil para abrir",
      last: true,
    });
    expect(daysLeftBadge(pending(null, false))).toBeNull();
  });

  it("on the weekend after the third day, says the opening is still accepted and counts on the fourth day at 09:30", () => {
    expect(daysLeftBadge(pending(0, true))).toEqual({
      text: "Aún puedes abrirlo hasta antes del lunes 14 de diciembre de 2026: si lo abres, la notificación cuenta ese día a las 09:30",
      last: true,
    });
  });

  it("says the period ended once the server refuses the opening (the fourth day before 09:30)", () => {
    expect(daysLeftBadge(pending(0, false))).toEqual({
      text: "El plazo para abrir terminó",
      last: true,
    });
  });
});
