import { describe, expect, it } from "vitest";
import {
  currentYearInZonaCentro,
  formatDate,
  formatDayMonthYear,
  formatInstant,
  zonaCentroInstant,
} from "./dates.ts";

describe("Spanish date formatting", () => {
  it("formats a plain date with its weekday", () => {
    expect(formatDate("2025-04-16")).toBe("miércoles 16 de abril de 2025");
    expect(formatDate("2025-02-03")).toBe("lunes 3 de febrero de 2025");
    expect(formatDayMonthYear("2025-11-17")).toBe("17 de noviembre de 2025");
  });

  it("formats an instant from its own wall-clock parts", () => {
    expect(formatInstant("2025-04-21T09:30:00-06:00")).toBe("lunes 21 de abril de 2025, 09:30 h");
    expect(formatInstant("2025-04-11T23:59:59-06:00")).toBe(
      "viernes 11 de abril de 2025, 23:59:59 h",
    );
    expect(formatInstant("2025-04-21T09:30-06:00")).toBe("lunes 21 de abril de 2025, 09:30 h");
  });

  it("moves a UTC instant to Zona Centro", () => {
    expect(formatInstant("2025-04-22T03:00:00Z")).toBe("lunes 21 de abril de 2025, 21:00 h");
  });

  it("leaves text it cannot read untouched", () => {
    expect(formatDate("mañana")).toBe("mañana");
    expect(formatInstant("2025-04-21")).toBe("2025-04-21");
  });

  it("builds Zona Centro instants from form values, with the offset the zone had then", () => {
    expect(zonaCentroInstant("2025-04-11", "17:00")).toBe("2025-04-11T17:00:00-06:00");
    expect(zonaCentroInstant("2025-04-11", "17:00:05")).toBe("2025-04-11T17:00:05-06:00");
    // Daylight saving time ended in Mexico on 30 October 2022; before that, summers were -05:00.
    expect(zonaCentroInstant("2020-04-11", "17:00:00")).toBe("2020-04-11T17:00:00-05:00");
    expect(zonaCentroInstant("2022-10-30", "01:30:00")).toBe("2022-10-30T01:30:00-05:00");
    expect(zonaCentroInstant("2022-10-30", "03:00:00")).toBe("2022-10-30T03:00:00-06:00");
  });

  it("shows an old summer instant in the hour Zona Centro had then", () => {
    expect(formatInstant("2020-04-11T22:00:00Z")).toBe("sábado 11 de abril de 2020, 17:00 h");
  });

  it("knows the year in Zona Centro", () => {
    expect(currentYearInZonaCentro(Date.UTC(2026, 0, 1, 5, 59))).toBe(2025);
    expect(currentYearInZonaCentro(Date.UTC(2026, 0, 1, 6, 0))).toBe(2026);
  });
});
