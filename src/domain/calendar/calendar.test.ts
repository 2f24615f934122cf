import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import {
  type CalendarData,
  createCalendar,
  parseCalendarData,
  parseDeclaredDay,
} from "./calendar.ts";

const d = (text: string) => Temporal.PlainDate.from(text);

const SEMANA_SANTA: CalendarData = {
  authority: "IMSS",
  version: "2025-1",
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo ACDO.X, DOF 2025-01-10" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo ACDO.X, DOF 2025-01-10" },
  ],
};

/** Runs `fn`, expecting a calendar_invalid refusal; returns it. */
function refusal(input: unknown): DomainError {
  try {
    parseCalendarData(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.code).toBe("calendar_invalid");
    expect(e.message.startsWith(`Calendario inválido en ${e.pointer}: `)).toBe(true);
    return e;
  }
  throw new Error(`expected a refusal for ${JSON.stringify(input)}`);
}

const day = (date: unknown, extra: Record<string, unknown> = {}) => ({
  date,
  reason: "Día inhábil",
  source: "Acuerdo del H. Consejo Técnico",
  ...extra,
});
const file = (extra: Record<string, unknown> = {}) => ({
  authority: "IMSS",
  version: "2025-1",
  days: [day("2025-04-17")],
  ...extra,
});

describe("createCalendar", () => {
  const cal = createCalendar(SEMANA_SANTA);

  it("exposes authority and version", () => {
    expect(cal.authority).toBe("IMSS");
    expect(cal.version).toBe("2025-1");
  });

  it("weekdays that are neither CFF nor declared are business days", () => {
    for (const date of ["2025-04-14", "2025-04-15", "2025-04-16", "2025-10-01", "2025-12-31"]) {
      expect(cal.isBusinessDay(d(date))).toBe(true);
      expect(cal.nonBusinessReason(d(date))).toBeUndefined();
    }
  });

  it("Saturdays and Sundays are not, with their reason", () => {
    expect(cal.nonBusinessReason(d("2025-04-12"))).toEqual({
      date: "2025-04-12",
      reason: "Sábado",
      source: "CFF art. 12, primer párrafo",
      kind: "cff",
    });
    expect(cal.nonBusinessReason(d("2025-04-13"))?.reason).toBe("Domingo");
    expect(cal.isBusinessDay(d("2025-04-19"))).toBe(false);
  });

  it("CFF days, any year, are not business days", () => {
    for (const date of [
      "2025-01-01",
      "2025-02-03",
      "2025-03-17",
      "2025-05-01",
      "2025-05-05",
      "2025-09-16",
      "2025-11-17",
      "2025-12-25",
      "2024-10-01",
      "2030-10-01",
      "2018-12-01",
      "2150-01-01",
    ]) {
      expect(cal.isBusinessDay(d(date))).toBe(false);
      expect(cal.nonBusinessReason(d(date))?.kind).toBe("cff");
    }
  });

  it("declared days are not business days, with their own reason and source", () => {
    expect(cal.nonBusinessReason(d("2025-04-17"))).toEqual({
      date: "2025-04-17",
      reason: "Jueves Santo",
      source: "Acuerdo ACDO.X, DOF 2025-01-10",
      kind: "declarado",
      dayKind: "inhabil",
    });
    expect(cal.isBusinessDay(d("2025-04-18"))).toBe(false);
    // The same days are business days without the declaration.
    const bare = createCalendar({ authority: "IMSS", version: "cff", days: [] });
    expect(bare.isBusinessDay(d("2025-04-17"))).toBe(true);
    expect(bare.isBusinessDay(d("2025-04-18"))).toBe(true);
  });

  it("when a declared day is also a CFF day the CFF reason is given", () => {
    const both = createCalendar({
      authority: "IMSS",
      version: "x",
      days: [{ date: "2025-05-01", reason: "Declarado", source: "Acuerdo" }],
    });
    expect(both.nonBusinessReason(d("2025-05-01"))?.kind).toBe("cff");
  });

  it("a declared Saturday is still not a business day", () => {
    const sat = createCalendar({
      authority: "IMSS",
      version: "x",
      days: [{ date: "2025-04-12", reason: "Declarado", source: "Acuerdo" }],
    });
    expect(sat.isBusinessDay(d("2025-04-12"))).toBe(false);
  });

  it("holidaysOf merges CFF and declared days of one year, sorted, weekends left out", () => {
    const list = cal.holidaysOf(2025);
    expect(list.map((h) => h.date)).toEqual([
      "2025-01-01",
      "2025-02-03",
      "2025-03-17",
      "2025-04-17",
      "2025-04-18",
      "2025-05-01",
      "2025-05-05",
      "2025-09-16",
      "2025-11-17",
      "2025-12-25",
    ]);
    expect(list.find((h) => h.date === "2025-04-18")?.kind).toBe("declarado");
    expect(cal.holidaysOf(2026).some((h) => h.kind === "declarado")).toBe(false);
  });

  it("holidaysOf keeps the CFF entry when a declared day repeats it", () => {
    const both = createCalendar({
      authority: "IMSS",
      version: "x",
      days: [{ date: "2025-05-01", reason: "Declarado", source: "Acuerdo" }],
    });
    const may1 = both.holidaysOf(2025).filter((h) => h.date === "2025-05-01");
    expect(may1).toHaveLength(1);
    expect(may1[0]!.kind).toBe("cff");
  });
});

describe("parseCalendarData", () => {
  it("accepts a valid file, sorts days and trims reason and source", () => {
    const parsed = parseCalendarData({
      authority: "IMSS",
      version: "2025-1",
      days: [
        { date: "2025-04-18", reason: "  Viernes Santo ", source: " Acuerdo ACDO.X " },
        { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo ACDO.X" },
      ],
    });
    expect(parsed).toEqual({
      authority: "IMSS",
      version: "2025-1",
      days: [
        { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo ACDO.X" },
        { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo ACDO.X" },
      ],
    });
    // And the result makes a working calendar.
    expect(createCalendar(parsed).isBusinessDay(d("2025-04-17"))).toBe(false);
  });

  it("accepts an empty list of days", () => {
    expect(parseCalendarData({ authority: "IMSS", version: "v1", days: [] }).days).toEqual([]);
  });

  it("accepts the boundary years 2024 and 2200 and the boundary lengths", () => {
    const parsed = parseCalendarData({
      authority: `I${"A".repeat(31)}`,
      version: `v${"1".repeat(39)}`,
      days: [
        day("2024-01-02", { reason: "r".repeat(200), source: "s".repeat(300) }),
        day("2200-12-31"),
      ],
    });
    expect(parsed.days.map((x) => x.date)).toEqual(["2024-01-02", "2200-12-31"]);
  });

  it("accepts 5000 days", () => {
    const start = d("2024-01-01");
    const days = Array.from({ length: 5000 }, (_, i) => day(start.add({ days: i }).toString()));
    expect(parseCalendarData({ authority: "IMSS", version: "v", days }).days).toHaveLength(5000);
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "IMSS"],
    ["a number", 3],
  ])("refuses %s at the root", (_label, input) => {
    const e = refusal(input);
    expect(e.pointer).toBe("/");
    expect(e.message).toBe("Calendario inválido en /: se esperaba un objeto JSON.");
  });

  it("refuses unknown properties, before anything else", () => {
    const e = refusal({ extra: 1, authority: "imss" });
    expect(e.pointer).toBe("/extra");
    expect(e.message).toBe("Calendario inválido en /extra: propiedad desconocida.");
    expect(refusal(file({ año: 2025 })).pointer).toBe("/año");
  });

  it.each([
    ["missing", undefined],
    ["lowercase", "imss"],
    ["one letter", "I"],
    ["too long", `I${"A".repeat(32)}`],
    ["with spaces", "IMSS SAT"],
    ["a number", 7],
    ["starting with a digit", "1MSS"],
  ])("refuses an authority that is %s", (_label, authority) => {
    const e = refusal(file({ authority }));
    expect(e.pointer).toBe("/authority");
    expect(e.message).toBe(
      "Calendario inválido en /authority: la autoridad debe ser un nombre en mayúsculas, por ejemplo «IMSS».",
    );
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["starting with a dash", "-1"],
    ["too long", "v".repeat(41)],
    ["with spaces", "2025 1"],
    ["a number", 2025],
  ])("refuses a version that is %s", (_label, version) => {
    const e = refusal(file({ version }));
    expect(e.pointer).toBe("/version");
    expect(e.message).toBe(
      "Calendario inválido en /version: la versión debe ser un texto corto, por ejemplo «2025-1».",
    );
  });

  it.each([
    ["missing", undefined],
    ["an object", {}],
    ["a string", "2025-04-17"],
  ])("refuses days that are %s", (_label, days) => {
    const e = refusal(file({ days }));
    expect(e.pointer).toBe("/days");
    expect(e.message).toBe("Calendario inválido en /days: se esperaba una lista de días.");
  });

  it("refuses more than 5000 days", () => {
    const start = d("2000-01-01");
    const days = Array.from({ length: 5001 }, (_, i) => day(start.add({ days: i }).toString()));
    const e = refusal(file({ days }));
    expect(e.pointer).toBe("/days");
    expect(e.message).toBe("Calendario inválido en /days: a lo más 5000 días por versión.");
  });

  it("refuses a day that is not an object, with its index", () => {
    const e = refusal(file({ days: [day("2025-04-17"), "2025-04-18"] }));
    expect(e.pointer).toBe("/days/1");
    expect(e.message).toBe(
      "Calendario inválido en /days/1: se esperaba un objeto con date, reason y source.",
    );
    expect(refusal(file({ days: [null] })).pointer).toBe("/days/0");
    expect(refusal(file({ days: [[]] })).pointer).toBe("/days/0");
  });

  it("refuses unknown properties in a day", () => {
    const e = refusal(file({ days: [day("2025-04-17", { tipo: "cff" })] }));
    expect(e.pointer).toBe("/days/0/tipo");
    expect(e.message).toBe("Calendario inválido en /days/0/tipo: propiedad desconocida.");
  });

  it("refuses a day kind CFF art. 12 does not know, and accepts the three it does", () => {
    const e = refusal(file({ days: [day("2025-04-17", { kind: "cff" })] }));
    expect(e.pointer).toBe("/days/0/kind");
    expect(e.message).toContain("«inhabil», «vacaciones_generales» u «oficinas_cerradas»");
    const parsed = parseCalendarData(
      file({
        years: [2025, 2025],
        days: [
          day("2025-04-16", { kind: "inhabil" }),
          day("2025-04-17", { kind: "vacaciones_generales" }),
          day("2025-04-18", { kind: "oficinas_cerradas" }),
        ],
      }),
    );
    // `inhabil` is the default and is not written back.
    expect(parsed.days.map((x) => x.kind)).toEqual([
      undefined,
      "vacaciones_generales",
      "oficinas_cerradas",
    ]);
    expect(parsed.years).toEqual([2025]);
    expect(refusal(file({ years: ["2025"] })).pointer).toBe("/years/0");
    expect(refusal(file({ years: 2025 })).pointer).toBe("/years");
  });

  it("refuses a day without a date", () => {
    const e = refusal(file({ days: [{ reason: "x", source: "y" }] }));
    expect(e.pointer).toBe("/days/0/date");
    expect(e.message).toBe("Calendario inválido en /days/0/date: falta la fecha (AAAA-MM-DD).");
    expect(refusal(file({ days: [day(20250417)] })).pointer).toBe("/days/0/date");
  });

  it.each([
    "2025-02-30", // impossible date
    "2025-02-29", // not a leap year
    "2025-13-01",
    "2025-04-00",
    "2025-4-17",
    "17/04/2025",
    "2025-04-17T00:00:00",
    "",
  ])("refuses the date %j", (date) => {
    const e = refusal(file({ days: [day("2025-04-16"), day(date)] }));
    expect(e.pointer).toBe("/days/1/date");
    expect(e.message).toBe(
      `Calendario inválido en /days/1/date: «${date}» no es una fecha AAAA-MM-DD válida.`,
    );
  });

  it.each([
    ["2023-12-31", 2023],
    ["2201-01-01", 2201],
  ])("refuses %j as out of range, saying so", (date, year) => {
    const e = refusal(file({ days: [day(date)] }));
    expect(e.pointer).toBe("/days/0/date");
    expect(e.message).toContain(`El año ${year}`);
    expect(e.message).toContain("fuera del intervalo que el sistema calcula (2024–2200)");
  });

  it("accepts 29 February of a leap year", () => {
    expect(parseCalendarData(file({ days: [day("2024-02-29")] })).days[0]!.date).toBe("2024-02-29");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["too long", "r".repeat(201)],
    ["a number", 1],
  ])("refuses a reason that is %s", (_label, reason) => {
    const e = refusal(file({ days: [{ date: "2025-04-17", reason, source: "Acuerdo" }] }));
    expect(e.pointer).toBe("/days/0/reason");
    expect(e.message).toBe(
      "Calendario inválido en /days/0/reason: el motivo es obligatorio (máximo 200 caracteres).",
    );
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", " \t "],
    ["too long", "s".repeat(301)],
    ["null", null],
  ])("refuses a source that is %s", (_label, source) => {
    const e = refusal(file({ days: [{ date: "2025-04-17", reason: "Jueves Santo", source }] }));
    expect(e.pointer).toBe("/days/0/source");
    expect(e.message).toBe(
      "Calendario inválido en /days/0/source: la fuente legal es obligatoria (el acuerdo y su publicación; máximo 300 caracteres).",
    );
  });

  it("refuses a repeated date, pointing at the second occurrence", () => {
    const e = refusal(
      file({ days: [day("2025-04-17"), day("2025-04-18"), day("2025-04-17", { reason: "Otra" })] }),
    );
    expect(e.pointer).toBe("/days/2/date");
    expect(e.message).toBe("Calendario inválido en /days/2/date: el día 2025-04-17 está repetido.");
  });
});

describe("declared days are stored in canonical form", () => {
  it.each([" 2025-04-17", "2025-04-17 ", "2025-4-17"])(
    "refuses %j instead of silently losing the day",
    (date) => {
      expect(() =>
        parseCalendarData({
          authority: "IMSS",
          version: "v1",
          days: [{ date, reason: "x", source: "y" }],
        }),
      ).toThrow(/\/days\/0\/date/);
    },
  );

  it("names the field without a doubled slash when parsing a single day", () => {
    expect(() => parseDeclaredDay({ reason: "x", source: "y" })).toThrow(
      "Calendario inválido en /date: falta la fecha (AAAA-MM-DD).",
    );
  });
});
