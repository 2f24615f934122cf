import { describe, expect, it } from "vitest";
import { cffHolidays } from "./cff-holidays.ts";

const dates = (year: number) => cffHolidays(year).map((d) => d.date);

describe("cffHolidays (CFF art. 12, primer párrafo)", () => {
  // The table of the law, worked out by hand from a printed calendar of each year.
  it.each([
    [
      2024,
      [
        "2024-01-01",
        "2024-02-05", // first Monday of February (1 Feb 2024 is a Thursday)
        "2024-03-18", // third Monday of March (4, 11, 18)
        "2024-05-01",
        "2024-05-05",
        "2024-09-16",
        "2024-10-01", // transmisión del Poder Ejecutivo, first year on 1 October
        "2024-11-18", // third Monday of November (4, 11, 18)
        "2024-12-25",
      ],
    ],
    [
      2025,
      [
        "2025-01-01",
        "2025-02-03",
        "2025-03-17",
        "2025-05-01",
        "2025-05-05",
        "2025-09-16",
        "2025-11-17",
        "2025-12-25",
      ],
    ],
    [
      2026,
      [
        "2026-01-01",
        "2026-02-02",
        "2026-03-16",
        "2026-05-01",
        "2026-05-05",
        "2026-09-16",
        "2026-11-16",
        "2026-12-25",
      ],
    ],
    [
      2027,
      [
        "2027-01-01",
        "2027-02-01", // 1 Feb 2027 is itself a Monday
        "2027-03-15",
        "2027-05-01",
        "2027-05-05",
        "2027-09-16",
        "2027-11-15",
        "2027-12-25",
      ],
    ],
  ])("%i matches the table, in date order", (year, expected) => {
    expect(dates(year)).toEqual(expected);
  });

  it("2018 (last term before the reform) has 1 December and no 1 October", () => {
    expect(dates(2018)).toContain("2018-12-01");
    expect(dates(2018)).not.toContain("2018-10-01");
    expect(dates(2018)).toHaveLength(9);
  });

  it("2012, 2006, 2000 and 1994 have 1 December; 2024 does not", () => {
    for (const year of [2012, 2006, 2000, 1994]) {
      expect(dates(year)).toContain(`${year}-12-01`);
      expect(dates(year)).not.toContain(`${year}-10-01`);
    }
    expect(dates(2024)).not.toContain("2024-12-01");
  });

  it("1 October every six years from 2024: 2030, 2036, 2042", () => {
    for (const year of [2030, 2036, 2042]) {
      expect(dates(year)).toContain(`${year}-10-01`);
      expect(dates(year)).not.toContain(`${year}-12-01`);
    }
  });

  it("no transmission day in other years", () => {
    for (const year of [2019, 2020, 2021, 2022, 2023, 2025, 2026, 2027, 2028, 2029, 2031, 2035]) {
      const list = dates(year);
      expect(list).toHaveLength(8);
      expect(list).not.toContain(`${year}-10-01`);
      expect(list).not.toContain(`${year}-12-01`);
    }
  });

  it("every entry is kind cff, cites CFF art. 12 and has a Spanish reason", () => {
    for (const year of [2018, 2024, 2025]) {
      for (const day of cffHolidays(year)) {
        expect(day.kind).toBe("cff");
        expect(day.source).toContain("CFF art. 12");
        expect(day.reason.length).toBeGreaterThan(0);
      }
    }
    const byDate = new Map(cffHolidays(2024).map((d) => [d.date, d]));
    expect(byDate.get("2024-10-01")?.reason).toMatch(/transmisión del Poder Ejecutivo/);
    expect(byDate.get("2024-02-05")?.reason).toMatch(/Primer lunes de febrero/);
    expect(byDate.get("2024-03-18")?.reason).toMatch(/Tercer lunes de marzo/);
    expect(byDate.get("2024-11-18")?.reason).toMatch(/Tercer lunes de noviembre/);
    expect(cffHolidays(2018).find((d) => d.date === "2018-12-01")?.reason).toMatch(
      /1 de diciembre/,
    );
  });

  it("the movable Mondays are Mondays in the right week, 1990–2200", () => {
    for (let year = 1990; year <= 2200; year++) {
      const list = cffHolidays(year).map((d) => Temporal.PlainDate.from(d.date));
      const mondays = list.filter((d) => d.dayOfWeek === 1 && [2, 3, 11].includes(d.month));
      const feb = mondays.filter((d) => d.month === 2);
      const mar = mondays.filter((d) => d.month === 3);
      const nov = mondays.filter((d) => d.month === 11);
      expect(feb).toHaveLength(1);
      expect(mar).toHaveLength(1);
      expect(nov).toHaveLength(1);
      expect(feb[0]!.day).toBeGreaterThanOrEqual(1);
      expect(feb[0]!.day).toBeLessThanOrEqual(7);
      expect(mar[0]!.day).toBeGreaterThanOrEqual(15);
      expect(mar[0]!.day).toBeLessThanOrEqual(21);
      expect(nov[0]!.day).toBeGreaterThanOrEqual(15);
      expect(nov[0]!.day).toBeLessThanOrEqual(21);
      // Sorted and without duplicates.
      const strings = list.map((d) => d.toString());
      expect([...strings].sort()).toEqual(strings);
      expect(new Set(strings).size).toBe(strings.length);
    }
  });
});
