/**
 * Properties of the legal clock over random instants (2000–2100) and random calendars (random
 * sets of declared days, dense around the instant so they matter). Business-day facts are
 * checked against a naive reference written here from the law, not against the engine's own
 * counting.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BusinessCalendar, createCalendar, type DeclaredDay } from "../calendar/calendar.ts";
import { extendToBusinessDay } from "../calendar/extension.ts";
import { DomainError } from "../errors.ts";
import { atLocalTime, toZonaCentro } from "../time/zona-centro.ts";
import {
  computeEmision,
  computeNotificacion,
  computePromocion,
  computeValidacion,
} from "./index.ts";

const RUNS = 300;

// ---------------------------------------------------------------------------------------------
// Naive reference, straight from CFF art. 12.

function refCffHoliday(date: Temporal.PlainDate): boolean {
  const { year, month, day, dayOfWeek } = date;
  const monday = dayOfWeek === 1;
  if (month === 1 && day === 1) return true;
  if (month === 2 && monday && day <= 7) return true; // first Monday of February
  if (month === 3 && monday && day >= 15 && day <= 21) return true; // third Monday of March
  if (month === 5 && (day === 1 || day === 5)) return true;
  if (month === 9 && day === 16) return true;
  if (month === 11 && monday && day >= 15 && day <= 21) return true; // third Monday of November
  if (month === 12 && day === 25) return true;
  // Transmisión del Poder Ejecutivo: 1 Oct from 2024 every six years; before, 1 Dec (2018, 2012…).
  if (year >= 2024 && (year - 2024) % 6 === 0 && month === 10 && day === 1) return true;
  if (year < 2024 && (2024 - year) % 6 === 0 && month === 12 && day === 1) return true;
  return false;
}

class Reference {
  readonly declared: Set<string>;
  constructor(days: readonly string[]) {
    this.declared = new Set(days);
  }
  isBusiness(date: Temporal.PlainDate): boolean {
    if (date.dayOfWeek >= 6) return false;
    if (refCffHoliday(date)) return false;
    return !this.declared.has(date.toString());
  }
  next(date: Temporal.PlainDate): Temporal.PlainDate {
    let d = date.add({ days: 1 });
    while (!this.isBusiness(d)) d = d.add({ days: 1 });
    return d;
  }
  /** Business days in (after, until]. */
  countBetween(after: Temporal.PlainDate, until: Temporal.PlainDate): number {
    let n = 0;
    for (let d = after.add({ days: 1 }); Temporal.PlainDate.compare(d, until) <= 0; ) {
      if (this.isBusiness(d)) n++;
      d = d.add({ days: 1 });
    }
    return n;
  }
  /** Non-business days in (after, before), as strings. */
  nonBusinessBetween(after: Temporal.PlainDate, before: Temporal.PlainDate): string[] {
    const out: string[] = [];
    for (let d = after.add({ days: 1 }); Temporal.PlainDate.compare(d, before) < 0; ) {
      if (!this.isBusiness(d)) out.push(d.toString());
      d = d.add({ days: 1 });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const FIRST_DAY = Temporal.PlainDate.from("2000-01-01");
const DAYS_2000_2100 = FIRST_DAY.until(Temporal.PlainDate.from("2100-12-31")).days;
const NS_PER_DAY = 86_400_000_000_000n;

/** Wall-clock times at the edges of the rules, plus any time of day. */
const timeOfDay = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "00:00",
      "09:29:59.999999999",
      "09:30",
      "09:30:00.000000001",
      "17:59:59",
      "18:00",
      "18:00:00.000000001",
      "18:00:01",
      "23:59:59.999999999",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.bigInt({ min: 0n, max: NS_PER_DAY - 1n }).map((ns) =>
      Temporal.PlainTime.from("00:00")
        .add({ nanoseconds: Number(ns) })
        .toString(),
    ),
  },
);

/** A Zona Centro date in 2000–2100 and a wall-clock time on it. */
const localInstant = fc
  .record({ offset: fc.integer({ min: 0, max: DAYS_2000_2100 }), time: timeOfDay })
  .map(({ offset, time }) =>
    atLocalTime(FIRST_DAY.add({ days: offset }), Temporal.PlainTime.from(time)),
  );

/** Any instant in 2000–2100. */
const anyInstant = fc
  .bigInt({
    min: atLocalTime(FIRST_DAY, Temporal.PlainTime.from("00:00")).epochNanoseconds,
    max: atLocalTime(Temporal.PlainDate.from("2100-12-31"), Temporal.PlainTime.from("23:59:59"))
      .epochNanoseconds,
  })
  .map((ns) => Temporal.Instant.fromEpochNanoseconds(ns));

const instantArb = fc.oneof(localInstant, anyInstant);

const versionArb = fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z._-]{0,12}$/);

/** Offsets (in days, from the instant's local date) of declared days: dense near the instant. */
const offsetsArb = fc.uniqueArray(fc.integer({ min: -3, max: 70 }), { maxLength: 25 });

interface Scenario {
  at: Temporal.Instant;
  date: Temporal.PlainDate;
  days: string[];
  calendar: BusinessCalendar;
  ref: Reference;
}

function scenario(at: Temporal.Instant, offsets: number[], version: string): Scenario {
  const date = toZonaCentro(at).toPlainDate();
  const days = offsets.map((o) => date.add({ days: o }).toString());
  const declared: DeclaredDay[] = days.map((d, i) => ({
    date: d,
    reason: `Día declarado ${i}`,
    source: "Acuerdo de prueba",
  }));
  return {
    at,
    date,
    days,
    calendar: createCalendar({ authority: "IMSS", version, days: declared }),
    ref: new Reference(days),
  };
}

const scenarioArb = fc
  .record({ at: instantArb, offsets: offsetsArb, version: versionArb })
  .map(({ at, offsets, version }) => scenario(at, offsets, version));

// ---------------------------------------------------------------------------------------------
// Helpers.

const instant = (text: string) => Temporal.Instant.from(text);
const localDate = (text: string) => toZonaCentro(instant(text)).toPlainDate();
const localTime = (text: string) => toZonaCentro(instant(text)).toPlainTime();
const date = (text: string) => Temporal.PlainDate.from(text);
const cmpI = Temporal.Instant.compare;
const cmpD = Temporal.PlainDate.compare;
const START = Temporal.PlainTime.from("09:30");
const END = Temporal.PlainTime.from("18:00");

function inNotificationHours(text: string): boolean {
  const t = localTime(text);
  return Temporal.PlainTime.compare(t, START) >= 0 && Temporal.PlainTime.compare(t, END) <= 0;
}

// ---------------------------------------------------------------------------------------------

describe("the calendar against the reference", () => {
  it("isBusinessDay agrees with the naive reading of CFF art. 12 plus declared days", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 210 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 40 }),
        (start, offsets) => {
          const base = Temporal.PlainDate.from("1990-01-01").add({ days: start });
          const days = offsets.map((o) => base.add({ days: o }).toString());
          const cal = createCalendar({
            authority: "IMSS",
            version: "p",
            days: days.map((d) => ({ date: d, reason: "r", source: "s" })),
          });
          const ref = new Reference(days);
          for (let i = 0; i < 400; i++) {
            const d = base.add({ days: i });
            expect(cal.isBusinessDay(d)).toBe(ref.isBusiness(d));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("emisión (rule a)", () => {
  it("notifiedAt is on a business day, within 09:30–18:00, not before the input, and exact", () => {
    fc.assert(
      fc.property(scenarioArb, ({ at, date: d, calendar, ref }) => {
        const r = computeEmision(calendar, at);
        const notified = instant(r.notifiedAt);
        expect(ref.isBusiness(localDate(r.notifiedAt))).toBe(true);
        expect(inNotificationHours(r.notifiedAt)).toBe(true);
        expect(cmpI(notified, at)).toBeGreaterThanOrEqual(0);
        expect(instant(r.at).equals(at)).toBe(true);
        const t = toZonaCentro(at).toPlainTime();
        const inHours =
          Temporal.PlainTime.compare(t, START) >= 0 && Temporal.PlainTime.compare(t, END) <= 0;
        if (ref.isBusiness(d) && inHours) {
          expect(notified.equals(at)).toBe(true);
          expect(r.explanation[0]!.skippedDays).toEqual([]);
        } else {
          expect(notified.equals(atLocalTime(ref.next(d), START))).toBe(true);
          // Every named day is a non-business day.
          for (const s of r.explanation[0]!.skippedDays) {
            expect(ref.isBusiness(date(s.date))).toBe(false);
          }
        }
        expect(r.calendarVersion).toBe(calendar.version);
        expect(r.calendarAuthority).toBe("IMSS");
      }),
      { numRuns: RUNS },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(scenarioArb, ({ at, calendar }) => {
        const once = computeEmision(calendar, at).notifiedAt;
        const twice = computeEmision(calendar, instant(once)).notifiedAt;
        expect(twice).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("notificación (rules b–e, i)", () => {
  it("not opened: the clock follows the business-day counts of the law", () => {
    fc.assert(
      fc.property(scenarioArb, ({ at, date: avisoDate, calendar, ref }) => {
        const r = computeNotificacion(calendar, { avisoAt: at });
        const openBy = date(r.openBy);
        const deemedDate = localDate(r.deemedNotifiedAt);
        // b. exactly three business days in (avisoDate, openBy], openBy itself business.
        expect(ref.isBusiness(openBy)).toBe(true);
        expect(ref.countBetween(avisoDate, openBy)).toBe(3);
        expect(cmpD(openBy, deemedDate)).toBeLessThan(0);
        // The deemed day is the 4th: the next business day after openBy, at 09:30.
        expect(deemedDate.equals(ref.next(openBy))).toBe(true);
        expect(localTime(r.deemedNotifiedAt).equals(START)).toBe(true);
        expect(r.notifiedAt).toBe(r.deemedNotifiedAt);
        expect(r.notifiedBy).toBe("ministerio_de_ley");
        expect(cmpI(instant(r.notifiedAt), at)).toBeGreaterThan(0);
        // d. effect: the next business day after the notified date.
        const notifiedDate = localDate(r.notifiedAt);
        const effective = date(r.effectiveOn);
        expect(cmpD(effective, notifiedDate)).toBeGreaterThan(0);
        expect(ref.isBusiness(effective)).toBe(true);
        expect(ref.countBetween(notifiedDate, effective)).toBe(1);
        // e. 15 and 30 business days from the day after the effect.
        const recurso = date(r.recursoInconformidadBy);
        const nulidad = date(r.juicioNulidadBy);
        expect(cmpD(recurso, nulidad)).toBeLessThan(0);
        expect(ref.isBusiness(recurso)).toBe(true);
        expect(ref.isBusiness(nulidad)).toBe(true);
        expect(ref.countBetween(effective, recurso)).toBe(15);
        expect(ref.countBetween(effective, nulidad)).toBe(30);
        // i. five years from the notified date (29 Feb → 28 Feb).
        expect(r.availableUntil).toBe(
          notifiedDate.add({ years: 5 }, { overflow: "constrain" }).toString(),
        );
        // The explanation of the opening term names exactly the days stepped over.
        const apertura = r.explanation.find((s) => s.rule === "plazo_apertura")!;
        expect(apertura.skippedDays.map((s) => s.date)).toEqual(
          ref.nonBusinessBetween(avisoDate, openBy),
        );
        const efecto = r.explanation.find((s) => s.rule === "surte_efectos")!;
        expect(efecto.skippedDays.map((s) => s.date)).toEqual(
          ref.nonBusinessBetween(notifiedDate, effective),
        );
        const recursoStep = r.explanation.find((s) => s.rule === "recurso_inconformidad")!;
        expect(recursoStep.skippedDays.map((s) => s.date)).toEqual(
          ref.nonBusinessBetween(effective, recurso),
        );
        for (const s of r.explanation) expect(s.text.length).toBeGreaterThan(0);
        // Provenance.
        expect(r.calendarVersion).toBe(calendar.version);
        expect(r.calendarAuthority).toBe(calendar.authority);
        expect(r.openedAt).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it("opened: by opening when it counts no later than the deemed instant, else by ministerio de ley", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.oneof(fc.bigInt({ min: 0n, max: 12n * NS_PER_DAY }), fc.constantFrom(0n, 1n)),
        fc.boolean(),
        ({ at, calendar, ref }, delay, nearDeemed) => {
          const plain = computeNotificacion(calendar, { avisoAt: at });
          const deemed = instant(plain.deemedNotifiedAt);
          // Half the time, open within a second of the deemed instant, either side.
          const openedAt = nearDeemed
            ? Temporal.Instant.fromEpochNanoseconds(
                deemed.epochNanoseconds - 1_000_000_000n + (delay % 2_000_000_001n),
              )
            : Temporal.Instant.fromEpochNanoseconds(at.epochNanoseconds + delay);
          fc.pre(cmpI(openedAt, at) >= 0);
          const r = computeNotificacion(calendar, { avisoAt: at, openedAt });
          expect(r.deemedNotifiedAt).toBe(plain.deemedNotifiedAt);
          expect(r.openBy).toBe(plain.openBy);
          const openingCounts = computeEmision(calendar, openedAt).notifiedAt;
          if (cmpI(openedAt, deemed) < 0 && cmpI(instant(openingCounts), deemed) <= 0) {
            expect(r.notifiedBy).toBe("apertura");
            expect(r.notifiedAt).toBe(openingCounts);
          } else {
            expect(r.notifiedBy).toBe("ministerio_de_ley");
            expect(r.notifiedAt).toBe(plain.deemedNotifiedAt);
          }
          // Never later than the deemed instant (Lineamientos 7.5).
          expect(cmpI(instant(r.notifiedAt), deemed)).toBeLessThanOrEqual(0);
          expect(ref.isBusiness(localDate(r.notifiedAt))).toBe(true);
          expect(inNotificationHours(r.notifiedAt)).toBe(true);
          const effective = date(r.effectiveOn);
          expect(cmpD(effective, localDate(r.notifiedAt))).toBeGreaterThan(0);
          expect(ref.countBetween(localDate(r.notifiedAt), effective)).toBe(1);
          expect(ref.countBetween(effective, date(r.recursoInconformidadBy))).toBe(15);
          expect(ref.countBetween(effective, date(r.juicioNulidadBy))).toBe(30);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("an opening before the aviso is refused", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.bigInt({ min: 1n, max: 5n * NS_PER_DAY }),
        ({ at, calendar }, early) => {
          const openedAt = Temporal.Instant.fromEpochNanoseconds(at.epochNanoseconds - early);
          try {
            computeNotificacion(calendar, { avisoAt: at, openedAt });
            expect.unreachable();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe("opened_before_aviso");
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("promoción (rule f)", () => {
  it("received at the sending instant on a business day, else 00:00 of the next one", () => {
    fc.assert(
      fc.property(scenarioArb, ({ at, date: d, calendar, ref }) => {
        const r = computePromocion(calendar, at);
        const received = instant(r.receivedAt);
        expect(cmpI(received, at)).toBeGreaterThanOrEqual(0);
        expect(ref.isBusiness(localDate(r.receivedAt))).toBe(true);
        if (ref.isBusiness(d)) {
          expect(received.equals(at)).toBe(true);
        } else {
          expect(received.equals(atLocalTime(ref.next(d), Temporal.PlainTime.from("00:00")))).toBe(
            true,
          );
          expect(r.explanation[0]!.skippedDays.map((s) => s.date)).toEqual([
            d.toString(),
            ...ref.nonBusinessBetween(d, ref.next(d)),
          ]);
        }
        expect(r.calendarVersion).toBe(calendar.version);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("validación (rule g)", () => {
  it("expires exactly 72 clock hours later", () => {
    fc.assert(
      fc.property(instantArb, (at) => {
        const r = computeValidacion(at);
        const diff = instant(r.expiresAt).epochNanoseconds - at.epochNanoseconds;
        expect(diff).toBe(72n * 3_600_000_000_000n);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("monotonicity: declaring one more day never makes a deadline earlier", () => {
  it("for every deadline, with or without an opening", () => {
    fc.assert(
      fc.property(
        instantArb,
        offsetsArb,
        fc.uniqueArray(fc.integer({ min: -3, max: 70 }), { minLength: 1, maxLength: 3 }),
        fc.option(fc.bigInt({ min: 0n, max: 10n * NS_PER_DAY }), { nil: undefined }),
        (at, offsets, extra, delay) => {
          const a = scenario(at, offsets, "a");
          const b = scenario(at, [...new Set([...offsets, ...extra])], "b");
          const openedAt =
            delay === undefined
              ? undefined
              : Temporal.Instant.fromEpochNanoseconds(at.epochNanoseconds + delay);
          const na = computeNotificacion(a.calendar, { avisoAt: at, openedAt });
          const nb = computeNotificacion(b.calendar, { avisoAt: at, openedAt });
          for (const key of [
            "openBy",
            "effectiveOn",
            "recursoInconformidadBy",
            "juicioNulidadBy",
            "availableUntil",
          ] as const) {
            expect(cmpD(date(nb[key]), date(na[key])), key).toBeGreaterThanOrEqual(0);
          }
          for (const key of ["deemedNotifiedAt", "notifiedAt"] as const) {
            expect(cmpI(instant(nb[key]), instant(na[key])), key).toBeGreaterThanOrEqual(0);
          }
          const ea = computeEmision(a.calendar, at).notifiedAt;
          const eb = computeEmision(b.calendar, at).notifiedAt;
          expect(cmpI(instant(eb), instant(ea))).toBeGreaterThanOrEqual(0);
          const pa = computePromocion(a.calendar, at).receivedAt;
          const pb = computePromocion(b.calendar, at).receivedAt;
          expect(cmpI(instant(pb), instant(pa))).toBeGreaterThanOrEqual(0);
          expect(nb.calendarVersion).toBe("b");
          expect(na.calendarVersion).toBe("a");
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Second edition: kinds of declared day (CFF art. 12) and two calendars (IMSS and TFJA).

type Kind = "inhabil" | "vacaciones_generales" | "oficinas_cerradas";
const KINDS: Kind[] = ["inhabil", "vacaciones_generales", "oficinas_cerradas"];

/** CFF art. 12 read naively: which days count, and on which a term may end. */
class KindReference {
  readonly declared: Map<string, Kind>;
  constructor(declared: Map<string, Kind>) {
    this.declared = declared;
  }
  /** Counts in a term fixed in days (¶1, ¶2). */
  counts(date: Temporal.PlainDate, pagos = false): boolean {
    if (date.dayOfWeek >= 6 || refCffHoliday(date)) return false;
    const kind = this.declared.get(date.toString());
    if (kind === "inhabil") return false;
    if (kind === "vacaciones_generales") return pagos;
    return true;
  }
  /** A term may end on it (last ¶): it counts and the offices are open. */
  open(date: Temporal.PlainDate, pagos = false): boolean {
    return this.counts(date, pagos) && this.declared.get(date.toString()) !== "oficinas_cerradas";
  }
  nth(after: Temporal.PlainDate, n: number): Temporal.PlainDate {
    let d = after;
    for (let k = 0; k < n; ) {
      d = d.add({ days: 1 });
      if (this.counts(d)) k++;
    }
    return d;
  }
  extend(date: Temporal.PlainDate, pagos = false): Temporal.PlainDate {
    let d = date;
    while (!this.open(d, pagos)) d = d.add({ days: 1 });
    return d;
  }
}

const kindedArb = fc.uniqueArray(
  fc.record({ offset: fc.integer({ min: -3, max: 120 }), kind: fc.constantFrom(...KINDS) }),
  { selector: (x) => x.offset, maxLength: 40 },
);

function kinded(
  authority: string,
  base: Temporal.PlainDate,
  days: { offset: number; kind: Kind }[],
) {
  const declared = new Map(days.map((x) => [base.add({ days: x.offset }).toString(), x.kind]));
  const calendar = createCalendar({
    authority,
    version: "p",
    days: [...declared].map(([date, kind]) => ({ date, reason: kind, source: "prueba", kind })),
  });
  return { calendar, ref: new KindReference(declared) };
}

describe("kinds of day and two calendars against the reference", () => {
  it("counting, closed days and the last-paragraph extension agree with CFF art. 12 read naively", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 170 }),
        kindedArb,
        fc.boolean(),
        (start, days, pagos) => {
          const base = Temporal.PlainDate.from("2024-01-01").add({ days: start });
          const { calendar, ref } = kinded("IMSS", base, days);
          const purpose = pagos ? "declaraciones_y_pagos" : "general";
          for (let i = -3; i < 125; i++) {
            const d = base.add({ days: i });
            expect(calendar.isBusinessDay(d, purpose)).toBe(ref.counts(d, pagos));
            expect(extendToBusinessDay(calendar, d, purpose).date.toString()).toBe(
              ref.extend(d, pagos).toString(),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("recurso on the IMSS calendar and nulidad on the TFJA calendar, doubled without medios", () => {
    fc.assert(
      fc.property(
        localInstant,
        kindedArb,
        kindedArb,
        fc.boolean(),
        (at, imssDays, tfjaDays, sinMedios) => {
          const base = toZonaCentro(at).toPlainDate();
          fc.pre(base.year < 2100);
          const imss = kinded("IMSS", base, imssDays);
          const tfja = kinded("TFJA", base, tfjaDays);
          const r = computeNotificacion(imss.calendar, {
            avisoAt: at,
            tfja: tfja.calendar,
            sinMediosDeDefensa: sinMedios,
          });
          const factor = sinMedios ? 2 : 1;
          const effective = date(r.effectiveOn);
          expect(imss.ref.counts(effective)).toBe(true);
          expect(r.recursoInconformidadBy).toBe(
            imss.ref.extend(imss.ref.nth(effective, 15 * factor)).toString(),
          );
          expect(r.juicioNulidadBy).toBe(
            tfja.ref.extend(tfja.ref.nth(effective, 30 * factor)).toString(),
          );
          expect(r.juicioNulidadCalendar).toEqual({ authority: "TFJA", version: "p" });
          // The TFJA calendar never moves the IMSS dates.
          const alone = computeNotificacion(imss.calendar, {
            avisoAt: at,
            sinMediosDeDefensa: sinMedios,
          });
          expect(alone.effectiveOn).toBe(r.effectiveOn);
          expect(alone.recursoInconformidadBy).toBe(r.recursoInconformidadBy);
          expect(alone.juicioNulidadBy).toBe(
            imss.ref.extend(imss.ref.nth(effective, 30 * factor)).toString(),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
