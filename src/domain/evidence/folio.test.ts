import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FolioError, formatFolio, nextFolio, parseFolio } from "./folio.ts";

const at = (iso: string) => Temporal.Instant.from(iso);

describe("formatFolio", () => {
  it("writes the portal's form in Zona Centro local time (seed 004)", () => {
    expect(formatFolio(at("2025-02-03T16:07:17.151Z"))).toBe("BI-20250203-100717151");
  });

  it("uses the local date, not the UTC date, around midnight", () => {
    // 05:59:59.999Z is still the previous day in Zona Centro (UTC−06:00).
    expect(formatFolio(at("2025-01-01T05:59:59.999Z"))).toBe("BI-20241231-235959999");
    expect(formatFolio(at("2025-01-01T06:00:00Z"))).toBe("BI-20250101-000000000");
  });

  it("drops sub-millisecond digits instead of rounding up", () => {
    expect(formatFolio(at("2025-02-03T16:07:17.151999999Z"))).toBe("BI-20250203-100717151");
  });

  it("takes another prefix and refuses a malformed one", () => {
    expect(formatFolio(at("2025-02-03T16:07:17.151Z"), "PR")).toBe("PR-20250203-100717151");
    for (const prefix of ["", "bi", "B-I", "BÍ", "ABCDEFGHI"]) {
      expect(() => formatFolio(at("2025-02-03T16:07:17.151Z"), prefix)).toThrow(FolioError);
    }
  });
});

describe("parseFolio", () => {
  it("reads the seed's folio back to its instant", () => {
    const folio = parseFolio("BI-20250203-100717151");
    expect(folio.prefix).toBe("BI");
    expect(folio.instant.toString()).toBe("2025-02-03T16:07:17.151Z");
  });

  it.each([
    ["", "empty"],
    ["BI-20250203-10071715", "time one digit short"],
    ["BI-20250203-1007171510", "time one digit long"],
    ["bi-20250203-100717151", "lowercase prefix"],
    ["-20250203-100717151", "no prefix"],
    ["B1-20250203-100717151", "digit in prefix"],
    ["BI_20250203_100717151", "wrong separators"],
    [" BI-20250203-100717151", "leading space"],
    ["BI-20250203-100717151\n", "trailing newline"],
    ["BI-20250230-100717151", "30 February"],
    ["BI-20250229-100717151", "29 February of a common year"],
    ["BI-20251301-100717151", "month 13"],
    ["BI-20250200-100717151", "day 0"],
    ["BI-20250203-240000000", "hour 24"],
    ["BI-20250203-106017151", "minute 60"],
    ["BI-20250203-100760151", "leap second"],
    ["BI-20230203-100717151", "before the years the system handles"],
    ["BI-２０２５0203-100717151", "full-width digits"],
  ])("refuses %j (%s)", (text) => {
    expect(() => parseFolio(text)).toThrow(FolioError);
  });

  it("reads the sequence of a second acuse in the same millisecond, and refuses -0000", () => {
    const folio = parseFolio("BI-20250203-100717151-0002");
    expect(folio.instant.toString()).toBe("2025-02-03T16:07:17.151Z");
    expect(folio.sequence).toBe(2);
    expect(parseFolio("BI-20250203-100717151").sequence).toBe(0);
    for (const text of [
      "BI-20250203-100717151-0000",
      "BI-20250203-100717151-1",
      "BI-20250203-100717151-00001",
      "BI-20250203-100717151-",
    ]) {
      expect(() => parseFolio(text), text).toThrow(FolioError);
    }
    expect(formatFolio(at("2025-02-03T16:07:17.151Z"), "BI", 2)).toBe("BI-20250203-100717151-0002");
    expect(() => formatFolio(at("2025-02-03T16:07:17.151Z"), "BI", 10_000)).toThrow(FolioError);
  });

  it("accepts 29 February of a leap year", () => {
    expect(parseFolio("BI-20240229-235959999").instant.toString()).toBe("2024-03-01T05:59:59.999Z");
  });

  it("round-trips any instant truncated to the millisecond", () => {
    fc.assert(
      fc.property(instantArb, (instant) => {
        const folio = parseFolio(formatFolio(instant));
        expect(folio.instant.epochMilliseconds).toBe(instant.epochMilliseconds);
      }),
    );
  });
});

// 2024-01-01 to 2199-12-31 (Zona Centro), with nanosecond noise under the millisecond.
const instantArb = fc
  .tuple(
    fc.integer({ min: Date.UTC(2024, 0, 1, 6), max: Date.UTC(2199, 11, 31, 6) }),
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(([ms, ns]) => Temporal.Instant.fromEpochNanoseconds(BigInt(ms) * 1_000_000n + BigInt(ns)));

describe("nextFolio", () => {
  it("is now, truncated, when nothing was issued or the clock moved on", () => {
    const first = nextFolio(undefined, at("2025-02-03T16:07:17.151900Z"));
    expect(first.instant.toString()).toBe("2025-02-03T16:07:17.151Z");
    expect(first.sequence).toBe(0);
    const later = nextFolio(
      { instant: at("2025-02-03T16:07:17.100Z"), sequence: 3 },
      at("2025-02-03T16:07:17.151Z"),
    );
    expect(later).toEqual({ instant: at("2025-02-03T16:07:17.151Z"), sequence: 0 });
  });

  it("keeps the last folio's millisecond with the next sequence, never running ahead", () => {
    const last = { instant: at("2025-02-03T16:07:17.151Z"), sequence: 0 };
    expect(nextFolio(last, at("2025-02-03T16:07:17.151700Z"))).toEqual({
      instant: at("2025-02-03T16:07:17.151Z"),
      sequence: 1,
    });
    // A clock set back: the last folio's time (already issued), not a later one.
    expect(nextFolio({ ...last, sequence: 7 }, at("2025-02-03T15:00:00Z"))).toEqual({
      instant: at("2025-02-03T16:07:17.151Z"),
      sequence: 8,
    });
    expect(nextFolio({ ...last, sequence: 9999 }, at("2025-02-03T16:07:17.151Z"))).toEqual({
      instant: at("2025-02-03T16:07:17.152Z"),
      sequence: 0,
    });
  });

  it("yields strictly increasing, unique folios, in text order too, never ahead of the clock", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(instantArb, fc.integer({ min: 1, max: 30 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (readings) => {
          let last: { instant: Temporal.Instant; sequence: number } | undefined;
          let latestClock: Temporal.Instant | undefined;
          const folios: string[] = [];
          // Each reading of the clock issues a burst of acuses in the same millisecond.
          for (const [now, burst] of readings) {
            latestClock =
              latestClock && Temporal.Instant.compare(latestClock, now) > 0 ? latestClock : now;
            for (let k = 0; k < burst; k++) {
              const next = nextFolio(last, now);
              expect(next.instant.epochNanoseconds % 1_000_000n).toBe(0n);
              // Never later than the latest clock reading seen.
              expect(Temporal.Instant.compare(next.instant, latestClock)).toBeLessThanOrEqual(0);
              folios.push(formatFolio(next.instant, "BI", next.sequence));
              last = next;
            }
          }
          for (let i = 1; i < folios.length; i++) {
            expect(folios[i]! > folios[i - 1]!).toBe(true);
            const [a, b] = [parseFolio(folios[i - 1]!), parseFolio(folios[i]!)];
            const order =
              Temporal.Instant.compare(b.instant, a.instant) || Math.sign(b.sequence - a.sequence);
            expect(order).toBe(1);
          }
        },
      ),
    );
  });
});
