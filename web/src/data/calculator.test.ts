import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCalendar, parseCalendarData } from "../../../src/domain/calendar/calendar.ts";
import { computeNotificacion } from "../../../src/domain/plazos/index.ts";
import type { NotificacionResult, PlazoWarning } from "../api/types.ts";
import type { FieldErrors } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import {
  CHECKED,
  INSTANT_FIELDS,
  OPTION_FIELDS,
  otherReadingRows,
  readInstant,
  readNotificacionOptions,
  stepWithOneBasis,
} from "./calculator.ts";

const [aviso, apertura] = INSTANT_FIELDS.notificacion;

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

describe("the calculator's date-and-time groups", () => {
  it("make a Zona Centro instant of a typed date and 24-hour time", () => {
    const errors: FieldErrors = {};
    const typed = form({ "aviso-fecha": "11/04/2025", "aviso-hora": "19:00" });
    expect(readInstant(typed, aviso!, errors)).toBe("2025-04-11T19:00:00-06:00");
    expect(errors).toEqual({});
  });

  it("report every missing or malformed field at once, by input id", () => {
    const errors: FieldErrors = {};
    const typed = form({
      "aviso-fecha": "",
      "aviso-hora": "07:00 PM",
      "apertura-fecha": "14/04/2025",
    });
    expect(readInstant(typed, aviso!, errors)).toBeUndefined();
    expect(readInstant(typed, apertura!, errors, true)).toBeUndefined();
    expect(errors).toEqual({
      "aviso-fecha": es.forms.dateMissing(aviso!.date),
      "aviso-hora": es.forms.timeFormat(aviso!.time),
      "apertura-hora": es.forms.timeMissing(apertura!.time),
    });
  });

  it("leave an optional group left empty out, without errors", () => {
    const errors: FieldErrors = {};
    expect(readInstant(form({}), apertura!, errors, true)).toBeUndefined();
    expect(errors).toEqual({});
  });
});

describe("the notification's options", () => {
  it("send only what was given: the check box, the date of knowledge as AAAA-MM-DD, a TFJA version", () => {
    const errors: FieldErrors = {};
    expect(readNotificacionOptions(form({}), errors)).toEqual({});
    expect(
      readNotificacionOptions(
        form({
          [OPTION_FIELDS.sinMediosDeDefensa]: CHECKED,
          [OPTION_FIELDS.conocimiento]: "25/06/2026",
          [OPTION_FIELDS.calendarioTfja]: "2026-1",
        }),
        errors,
      ),
    ).toEqual({ sinMediosDeDefensa: true, conocimiento: "2026-06-25", calendarioTfja: "2026-1" });
    expect(errors).toEqual({});
  });

  it("refuse a malformed date of knowledge next to its field", () => {
    const errors: FieldErrors = {};
    expect(
      readNotificacionOptions(form({ [OPTION_FIELDS.conocimiento]: "2026-06-25" }), errors),
    ).toEqual({});
    expect(errors).toEqual({
      [OPTION_FIELDS.conocimiento]: es.forms.dateFormat(es.calculator.notificacion.conocimiento),
    });
  });
});

describe("a warning's other reading", () => {
  const result = {
    notifiedAt: "2025-04-21T09:30:00-06:00",
    effectiveOn: "2025-04-22",
    recursoInconformidadBy: "2025-05-15",
    juicioNulidadBy: "2025-06-05",
  } as NotificacionResult;
  const labels = es.calculator.notificacion.labels;

  it("shows the dates that differ from the result, in Spanish", () => {
    const warning: PlazoWarning = {
      code: "aviso_fuera_de_horario",
      text: "…",
      otherReading: {
        notifiedAt: "2025-04-22T09:30:00-06:00",
        effectiveOn: "2025-04-23",
        recursoInconformidadBy: "2025-05-16",
        juicioNulidadBy: "2025-06-05",
      },
    };
    expect(otherReadingRows(warning, result)).toEqual([
      { label: labels.notifiedAt, value: "martes 22 de abril de 2025, 09:30 h" },
      { label: labels.effectiveOn, value: "miércoles 23 de abril de 2025" },
      { label: labels.recursoInconformidadBy, value: "viernes 16 de mayo de 2025" },
    ]);
  });

  it("shows nothing for a warning without another reading", () => {
    const gap: PlazoWarning = { code: "calendario_sin_declaracion", text: "…", otherReading: null };
    expect(otherReadingRows(gap, result)).toEqual([]);
  });
});

describe("an explanation step's basis", () => {
  it("LFPCA 13 y 74: the juicio de nulidad step over the TFJA vacations has one «Fundamento», the law's first", () => {
    const tfja = createCalendar(
      parseCalendarData(
        JSON.parse(
          readFileSync(new URL("../../../calendarios/tfja.json", import.meta.url), "utf8"),
        ),
      ),
    );
    const imss = createCalendar({ authority: "IMSS", version: "cff", years: [2026], days: [] });
    const result = computeNotificacion(imss, {
      avisoAt: Temporal.Instant.from("2026-06-22T10:00:00-06:00"),
      tfja,
    });
    const nulidad = result.explanation.find((s) => s.rule === "juicio_nulidad")!;
    expect(nulidad.text).toContain(" Fundamento: ");
    const shown = stepWithOneBasis(nulidad);
    expect(shown.text).not.toContain("Fundamento");
    expect(shown.text).toContain("vacaciones generales");
    expect(shown.basis.startsWith(nulidad.basis)).toBe(true);
    expect(shown.basis).toContain("CFF art. 12, primer párrafo");
    expect(shown.basis).not.toMatch(/\.$/);
    // A step without skipped days keeps its text and basis.
    const effect = result.explanation.find((s) => s.rule === "plazo_apertura")!;
    expect(stepWithOneBasis(effect)).toEqual({ text: effect.text, basis: effect.basis });
  });
});
