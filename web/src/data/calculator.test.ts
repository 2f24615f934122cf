import { describe, expect, it } from "vitest";
import type { FieldErrors } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { INSTANT_FIELDS, readInstant } from "./calculator.ts";

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
