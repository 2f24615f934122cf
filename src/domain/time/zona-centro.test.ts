import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import {
  atLocalTime,
  formatInstant,
  parseInstant,
  parsePlainDate,
  spanishDate,
  spanishInstant,
  spanishWeekday,
  toZonaCentro,
  ZONA_CENTRO,
  zonaCentroDateString,
  zonaCentroInstants,
} from "./zona-centro.ts";

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a refusal");
}

describe("parseInstant", () => {
  it.each([
    "2025-04-11T17:00:00", // no offset: ambiguous evidence
    "2025-04-11T17:00",
    "2025-04-11",
    "2025-04-11 17:00:00-06:00",
    "2025-04-11T17:00:00-0600",
    "2025-04-11T17:00:00[America/Mexico_City]",
    "11/04/2025 17:00",
    "hola",
    "",
    "   ",
    "+002025-04-11T17:00:00Z",
  ])("refuses %j as invalid_instant", (text) => {
    const e = refusal(() => parseInstant(text));
    expect(e.code).toBe("invalid_instant");
    expect(e.pointer).toBe("instante");
    expect(e.message).toContain("no es un instante ISO 8601 con zona horaria");
  });

  it("names the field in pointer and message", () => {
    const e = refusal(() => parseInstant("ayer", "avisoAt"));
    expect(e.pointer).toBe("avisoAt");
    expect(e.message).toContain("«avisoAt»");
    expect(e.message).toContain("«ayer»");
  });

  it("truncates long garbage in the message", () => {
    const e = refusal(() => parseInstant("x".repeat(500)));
    expect(e.message).toContain(`«${"x".repeat(60)}…»`);
    expect(e.message).not.toContain("x".repeat(61));
  });

  it.each([
    "2025-02-30T10:00:00-06:00", // impossible date
    "2025-02-29T10:00:00Z", // not a leap year
    "2025-04-11T25:00:00-06:00",
    "2025-04-11T17:61:00-06:00",
    "2025-04-11T17:00:00+24:00",
  ])("refuses the well-shaped but impossible %j", (text) => {
    const e = refusal(() => parseInstant(text));
    expect(e.code).toBe("invalid_instant");
    expect(e.message).toContain("no es una fecha y hora válida");
  });

  it.each([
    "2023-12-31T12:00:00-06:00",
    "2201-01-01T12:00:00-06:00",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2022-07-01T14:30:00Z", // summer time: before the rules this engine implements
    "2024-01-01T05:59:59Z", // 2023-12-31 23:59:59 in Zona Centro
  ])("refuses the out-of-range year in %j", (text) => {
    const e = refusal(() => parseInstant(text, "abierto"));
    expect(e.code).toBe("out_of_range");
    expect(e.pointer).toBe("abierto");
    expect(e.message).toMatch(/fuera del intervalo que el sistema calcula \(2024–2200\)/);
    // It names what was sent, not only the Zona Centro year it falls in.
    expect(e.message).toContain(`«${text}» (abierto) cae en el año`);
  });

  it("accepts the boundary years", () => {
    expect(formatInstant(parseInstant("2024-01-01T00:00:00-06:00"))).toBe(
      "2024-01-01T00:00:00-06:00",
    );
    expect(formatInstant(parseInstant("2200-12-31T23:59:59-06:00"))).toBe(
      "2200-12-31T23:59:59-06:00",
    );
  });

  it("accepts Z and normalizes to -06:00", () => {
    const i = parseInstant("2025-04-11T23:00:00Z");
    expect(i.equals(Temporal.Instant.from("2025-04-11T17:00:00-06:00"))).toBe(true);
    expect(formatInstant(i)).toBe("2025-04-11T17:00:00-06:00");
    // Lowercase and around the local midnight.
    expect(formatInstant(parseInstant("2025-04-12t05:59:59.999z"))).toBe(
      "2025-04-11T23:59:59.999-06:00",
    );
  });

  it("accepts -06:00, other offsets and minutes-only times", () => {
    expect(formatInstant(parseInstant("2025-04-11T17:00:00-06:00"))).toBe(
      "2025-04-11T17:00:00-06:00",
    );
    expect(formatInstant(parseInstant("2025-04-11T19:00:00-04:00"))).toBe(
      "2025-04-11T17:00:00-06:00",
    );
    expect(formatInstant(parseInstant("2025-04-12T01:00:00+02:00"))).toBe(
      "2025-04-11T17:00:00-06:00",
    );
    expect(formatInstant(parseInstant("2025-04-11T17:00-06:00"))).toBe("2025-04-11T17:00:00-06:00");
    expect(formatInstant(parseInstant("  2025-04-11T17:00:00.123456789-06:00\n"))).toBe(
      "2025-04-11T17:00:00.123456789-06:00",
    );
  });
});

describe("formatInstant and the zone's history", () => {
  it("uses the IANA zone", () => {
    expect(ZONA_CENTRO).toBe("America/Mexico_City");
  });

  it("on 2022-07-01 Mexico City was UTC-05:00 (summer time)", () => {
    expect(formatInstant(Temporal.Instant.from("2022-07-01T12:00:00Z"))).toBe(
      "2022-07-01T07:00:00-05:00",
    );
    expect(toZonaCentro(Temporal.Instant.from("2022-07-01T12:00:00Z")).offset).toBe("-05:00");
  });

  it("from 30 Oct 2022 it is UTC-06:00 all year", () => {
    // 2022-10-30 02:00 local (-05:00) the clocks went back for the last time.
    expect(formatInstant(Temporal.Instant.from("2022-10-30T06:59:59Z"))).toBe(
      "2022-10-30T01:59:59-05:00",
    );
    expect(formatInstant(Temporal.Instant.from("2022-10-30T07:00:00Z"))).toBe(
      "2022-10-30T01:00:00-06:00",
    );
    expect(formatInstant(Temporal.Instant.from("2023-07-01T12:00:00Z"))).toBe(
      "2023-07-01T06:00:00-06:00",
    );
    expect(formatInstant(Temporal.Instant.from("2025-07-01T12:00:00Z"))).toBe(
      "2025-07-01T06:00:00-06:00",
    );
  });

  it("formats exactly as Temporal does: every transition, fractions, sub-milliseconds, old years", () => {
    const temporal = (i: Temporal.Instant) =>
      i.toZonedDateTimeISO(ZONA_CENTRO).toString({ timeZoneName: "never" });
    const samples: Temporal.Instant[] = [];
    // Both sides of every change of the zone's offset from 1920 to 2040, to the millisecond.
    let at: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from(
      "1920-01-01T00:00[America/Mexico_City]",
    );
    let transitions = 0;
    while (at && at.year < 2040) {
      at = at.getTimeZoneTransition("next");
      if (!at) break;
      transitions++;
      for (const ms of [-3_600_001, -3_600_000, -1, 0, 1, 59_999, 3_599_999, 3_600_000]) {
        samples.push(at.toInstant().add({ milliseconds: ms }));
      }
    }
    expect(transitions).toBeGreaterThan(40);
    // Fractions of every length, a nanosecond and a microsecond past a second, random instants.
    const base = Temporal.Instant.from("2026-12-14T15:30:00Z");
    for (const ns of [0n, 1n, 1_000n, 100_000_000n, 120_000_000n, 123_000_000n, 999_999_999n]) {
      samples.push(new Temporal.Instant(base.epochNanoseconds + ns));
    }
    // The ends of what Temporal can hold, and the years around four digits.
    samples.push(new Temporal.Instant(8_640_000_000_000_000_000_000n));
    samples.push(new Temporal.Instant(-8_640_000_000_000_000_000_000n));
    for (const text of [
      "0999-12-31T23:59:59Z",
      "1000-01-01T06:00:00Z",
      "9999-12-31T23:59:59.999Z",
    ]) {
      samples.push(Temporal.Instant.from(text));
    }
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48271) % 2147483647;
      // 1900 to 2100, at any millisecond.
      samples.push(
        Temporal.Instant.fromEpochMilliseconds(
          Math.floor(-2_208_988_800_000 + (seed / 2147483647) * 6.3e12),
        ),
      );
    }
    for (const instant of samples) {
      expect(formatInstant(instant)).toBe(temporal(instant));
      expect(zonaCentroDateString(instant)).toBe(
        instant.toZonedDateTimeISO(ZONA_CENTRO).toPlainDate().toString(),
      );
    }
  });

  it("atLocalTime gives the instant of a wall-clock time, DST included", () => {
    const t = Temporal.PlainTime.from("09:30");
    expect(atLocalTime(Temporal.PlainDate.from("2022-07-01"), t).toString()).toBe(
      "2022-07-01T14:30:00Z",
    );
    expect(atLocalTime(Temporal.PlainDate.from("2025-07-01"), t).toString()).toBe(
      "2025-07-01T15:30:00Z",
    );
  });
});

describe("parsePlainDate", () => {
  it("accepts valid dates, leap day included", () => {
    expect(parsePlainDate("2025-04-17").toString()).toBe("2025-04-17");
    expect(parsePlainDate(" 2024-02-29 ").toString()).toBe("2024-02-29");
  });

  it("refuses malformed text", () => {
    const e = refusal(() => parsePlainDate("17/04/2025", "desde"));
    expect(e.code).toBe("invalid_date");
    expect(e.pointer).toBe("desde");
    expect(e.message).toContain("no es una fecha AAAA-MM-DD");
  });

  it("refuses impossible dates", () => {
    for (const text of ["2025-02-30", "2025-02-29", "2025-13-01", "2025-04-31"]) {
      const e = refusal(() => parsePlainDate(text));
      expect(e.code).toBe("invalid_date");
      expect(e.message).toContain("no existe en el calendario");
    }
  });

  it("refuses out-of-range years", () => {
    expect(refusal(() => parsePlainDate("2023-12-31")).code).toBe("out_of_range");
    expect(refusal(() => parsePlainDate("2201-01-01")).code).toBe("out_of_range");
  });
});

describe("Spanish texts", () => {
  it("writes dates and instants in Spanish", () => {
    expect(spanishDate(Temporal.PlainDate.from("2025-04-11"))).toBe("viernes 11 de abril de 2025");
    expect(spanishDate(Temporal.PlainDate.from("2025-09-16"))).toBe(
      "martes 16 de septiembre de 2025",
    );
    expect(spanishWeekday(Temporal.PlainDate.from("2025-04-13"))).toBe("domingo");
    expect(spanishWeekday(Temporal.PlainDate.from("2025-04-16"))).toBe("miércoles");
    expect(spanishInstant(Temporal.Instant.from("2025-04-11T23:00:00Z"))).toBe(
      "viernes 11 de abril de 2025 a las 17:00:00 (Zona Centro)",
    );
    // Legal reasoning keeps the fraction; messages floor it (a deadline is never shown later).
    const fractional = Temporal.Instant.from("2025-04-11T23:42:12.999Z");
    expect(spanishInstant(fractional)).toBe(
      "viernes 11 de abril de 2025 a las 17:42:12.999 (Zona Centro)",
    );
    expect(spanishInstant(fractional, "second")).toBe(
      "viernes 11 de abril de 2025 a las 17:42:12 (Zona Centro)",
    );
    expect(spanishInstant(fractional, "minute")).toBe(
      "viernes 11 de abril de 2025 a las 17:42 (Zona Centro)",
    );
  });
});

describe("evidence is never silently changed", () => {
  it("refuses a leap second instead of folding it into :59", () => {
    expect(() => parseInstant("2025-04-11T17:00:60Z")).toThrow(/no es una fecha y hora válida/);
  });
});

describe("zonaCentroInstants", () => {
  it("writes every stored instant in Zona Centro, and nothing else", () => {
    const signedText = "Fecha y hora: 2026-12-15T17:00:00Z\nRFC: EKU9003173C9";
    expect(
      zonaCentroInstants({
        avisoAt: "2026-12-14T16:00:00Z",
        notifiedAt: "2026-12-15T11:00:00.5-06:00",
        fine: "2026-12-15T17:00:00.000000001Z",
        openBy: "2026-12-17",
        means: ["a", { at: "2026-12-14T16:00:00+00:00" }],
        signedText,
        estrados: false,
        none: null,
        count: 3,
      }),
    ).toEqual({
      avisoAt: "2026-12-14T10:00:00-06:00",
      notifiedAt: "2026-12-15T11:00:00.5-06:00",
      fine: "2026-12-15T11:00:00.000000001-06:00",
      openBy: "2026-12-17",
      means: ["a", { at: "2026-12-14T10:00:00-06:00" }],
      signedText,
      estrados: false,
      none: null,
      count: 3,
    });
  });
});
