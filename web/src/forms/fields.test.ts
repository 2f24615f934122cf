import { describe, expect, it } from "vitest";
import { parseDayMonthYear, parseTime24 } from "./fields.ts";

describe("the app's own date field (dd/mm/aaaa)", () => {
  it("reads day, month and year in that order, whatever the separator", () => {
    expect(parseDayMonthYear("07/04/2025", "Fecha")).toEqual({ ok: true, value: "2025-04-07" });
    expect(parseDayMonthYear(" 7/4/2025 ", "Fecha")).toEqual({ ok: true, value: "2025-04-07" });
    expect(parseDayMonthYear("29-02-2024", "Fecha")).toEqual({ ok: true, value: "2024-02-29" });
    expect(parseDayMonthYear("31.12.2025", "Fecha")).toEqual({ ok: true, value: "2025-12-31" });
  });

  it("says in Spanish what is wrong", () => {
    expect(parseDayMonthYear("", "Fecha del aviso")).toEqual({
      ok: false,
      message: "Escribe la fecha del aviso.",
    });
    expect(parseDayMonthYear("2025-04-07", "Fecha del aviso")).toMatchObject({
      message: expect.stringContaining("dd/mm/aaaa"),
    });
    expect(parseDayMonthYear("04/13/2025", "Fecha")).toMatchObject({
      message: expect.stringContaining("mes"),
    });
    expect(parseDayMonthYear("29/02/2025", "Fecha")).toMatchObject({
      message: expect.stringContaining("28"),
    });
    expect(parseDayMonthYear("01/01/1900", "Fecha")).toMatchObject({ ok: false });
  });
});

describe("the app's own 24-hour time field", () => {
  it("reads HH:MM with optional seconds", () => {
    expect(parseTime24("19:00", "Hora")).toEqual({ ok: true, value: "19:00:00" });
    expect(parseTime24("7:05", "Hora")).toEqual({ ok: true, value: "07:05:00" });
    expect(parseTime24("23:59:59", "Hora")).toEqual({ ok: true, value: "23:59:59" });
    expect(parseTime24("00:00", "Hora")).toEqual({ ok: true, value: "00:00:00" });
  });

  it("refuses the 12-hour clock and impossible times, in Spanish", () => {
    expect(parseTime24("07:00 PM", "Hora del aviso")).toMatchObject({
      ok: false,
      message: expect.stringContaining("24 horas"),
    });
    expect(parseTime24("24:00", "Hora")).toMatchObject({ ok: false });
    expect(parseTime24("12:60", "Hora")).toMatchObject({ ok: false });
    expect(parseTime24("", "Hora del aviso")).toEqual({
      ok: false,
      message: "Escribe la hora del aviso.",
    });
  });
});
