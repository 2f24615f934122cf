import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { nextBusinessDay, nthBusinessDayAfter } from "./business-days.ts";
import { createCalendar } from "./calendar.ts";

const d = (text: string) => Temporal.PlainDate.from(text);
const s = (dates: Temporal.PlainDate[]) => dates.map((x) => x.toString());

const cal = createCalendar({
  authority: "IMSS",
  version: "2025-1",
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo" },
  ],
});

describe("nthBusinessDayAfter", () => {
  it("day 1 after a Friday is the Monday, stepping over the weekend", () => {
    // Fri 11 Apr 2025 → Sat 12, Sun 13 skipped → Mon 14.
    const r = nthBusinessDayAfter(cal, d("2025-04-11"), 1);
    expect(r.date.toString()).toBe("2025-04-14");
    expect(s(r.counted)).toEqual(["2025-04-14"]);
    expect(r.skipped.map((x) => [x.date, x.reason])).toEqual([
      ["2025-04-12", "Sábado"],
      ["2025-04-13", "Domingo"],
    ]);
  });

  it("never counts the starting day, even when it is a business day", () => {
    // Mon 14 → day 1 Tue 15.
    expect(nthBusinessDayAfter(cal, d("2025-04-14"), 1).date.toString()).toBe("2025-04-15");
  });

  it("four business days after Fri 11 Apr 2025 step over Semana Santa", () => {
    // 14 (1), 15 (2), 16 (3), 17–20 skipped, 21 (4).
    const r = nthBusinessDayAfter(cal, d("2025-04-11"), 4);
    expect(s(r.counted)).toEqual(["2025-04-14", "2025-04-15", "2025-04-16", "2025-04-21"]);
    expect(r.skipped.map((x) => x.date)).toEqual([
      "2025-04-12",
      "2025-04-13",
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
    expect(r.skipped.map((x) => x.kind)).toEqual([
      "cff",
      "cff",
      "declarado",
      "declarado",
      "cff",
      "cff",
    ]);
  });

  it("steps over 1 May (Thu) and 5 May (Mon) 2025", () => {
    // From Wed 30 Apr: 1 May skipped, 2 (1), 3–5 skipped, 6 (2), 7 (3).
    const r = nthBusinessDayAfter(cal, d("2025-04-30"), 3);
    expect(s(r.counted)).toEqual(["2025-05-02", "2025-05-06", "2025-05-07"]);
    expect(r.skipped.map((x) => x.date)).toEqual([
      "2025-05-01",
      "2025-05-03",
      "2025-05-04",
      "2025-05-05",
    ]);
  });

  it("crosses the year end over 25 Dec and 1 Jan", () => {
    // From Wed 24 Dec 2025: 25 skipped, 26 (1), 27–28, 29 (2), 30 (3), 31 (4), 1 Jan skipped, 2 Jan (5).
    const r = nthBusinessDayAfter(cal, d("2025-12-24"), 5);
    expect(r.date.toString()).toBe("2026-01-02");
    expect(r.skipped.map((x) => x.date)).toEqual([
      "2025-12-25",
      "2025-12-27",
      "2025-12-28",
      "2026-01-01",
    ]);
  });

  it("1 Oct 2024 is skipped, 1 Oct 2025 is counted", () => {
    // Mon 30 Sep 2024 → Tue 1 Oct skipped → Wed 2 Oct.
    expect(nthBusinessDayAfter(cal, d("2024-09-30"), 1).date.toString()).toBe("2024-10-02");
    // Tue 30 Sep 2025 → Wed 1 Oct 2025.
    expect(nthBusinessDayAfter(cal, d("2025-09-30"), 1).date.toString()).toBe("2025-10-01");
  });

  it("counts 15 business days from a holiday-free stretch", () => {
    // After Fri 6 Jun 2025: 9–13 (5), 16–20 (10), 23–27 (15); weekends 7–8, 14–15, 21–22 skipped.
    const r = nthBusinessDayAfter(cal, d("2025-06-06"), 15);
    expect(r.date.toString()).toBe("2025-06-27");
    expect(r.counted).toHaveLength(15);
    expect(r.skipped).toHaveLength(6);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses n = %s", (n) => {
    expect(() => nthBusinessDayAfter(cal, d("2025-04-11"), n)).toThrow(
      expect.objectContaining({ code: "out_of_range" }),
    );
  });

  it("refuses to walk forever through a calendar without business days", () => {
    const start = d("2025-01-01");
    const days = Array.from({ length: 3700 }, (_, i) => ({
      date: start.add({ days: i }).toString(),
      reason: "Cerrado",
      source: "Acuerdo",
    }));
    const closed = createCalendar({ authority: "IMSS", version: "cerrado", days });
    try {
      nthBusinessDayAfter(closed, d("2024-12-31"), 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("calendar_exhausted");
      expect((error as DomainError).message).toContain("IMSS cerrado");
    }
  });
});

describe("nextBusinessDay", () => {
  it("is day 1", () => {
    expect(nextBusinessDay(cal, d("2025-02-01")).date.toString()).toBe("2025-02-04"); // Sat → Sun, Mon 3 Feb holiday → Tue 4
    expect(nextBusinessDay(cal, d("2025-03-14")).date.toString()).toBe("2025-03-18"); // Fri → Mon 17 Mar holiday → Tue 18
    expect(nextBusinessDay(cal, d("2025-11-14")).date.toString()).toBe("2025-11-18"); // Fri → Mon 17 Nov holiday → Tue 18
    expect(nextBusinessDay(cal, d("2025-09-15")).date.toString()).toBe("2025-09-17"); // Mon → Tue 16 Sep holiday → Wed 17
  });
});
