/**
 * CFF art. 12, first paragraph: the days that never count in terms fixed in days, whatever
 * the authority. Computed for any year so the calendar never runs out.
 */
export interface NonBusinessDay {
  /** `YYYY-MM-DD`, a Zona Centro date. */
  date: string;
  reason: string;
  source: string;
  kind: "cff" | "declarado";
  /** For a declared day, its CFF art. 12 kind (see `DayKind`). */
  dayKind?: DayKind;
}

/**
 * The three kinds of declared day CFF art. 12 distinguishes: `inhabil` suspends every term
 * (¶1 and the authority's own acuerdo); `vacaciones_generales` is not counted except in terms to
 * file declarations and pay contributions (¶2); `oficinas_cerradas` counts as a day, but a term
 * whose last day falls on it runs to the next business day (last ¶).
 */
export type DayKind = "inhabil" | "vacaciones_generales" | "oficinas_cerradas";
export const DAY_KINDS: readonly DayKind[] = [
  "inhabil",
  "vacaciones_generales",
  "oficinas_cerradas",
];

const CFF_12 = "CFF art. 12, primer párrafo";

export function cffHolidays(year: number): NonBusinessDay[] {
  const day = (month: number, d: number) => Temporal.PlainDate.from({ year, month, day: d });
  const days: { date: Temporal.PlainDate; reason: string; source: string }[] = [
    { date: day(1, 1), reason: "1 de enero (Año Nuevo)", source: CFF_12 },
    {
      date: nthMonday(year, 2, 1),
      reason: "Primer lunes de febrero, en conmemoración del 5 de febrero",
      source: CFF_12,
    },
    {
      date: nthMonday(year, 3, 3),
      reason: "Tercer lunes de marzo, en conmemoración del 21 de marzo",
      source: CFF_12,
    },
    { date: day(5, 1), reason: "1 de mayo (Día del Trabajo)", source: CFF_12 },
    { date: day(5, 5), reason: "5 de mayo", source: CFF_12 },
    { date: day(9, 16), reason: "16 de septiembre (Independencia)", source: CFF_12 },
    {
      date: nthMonday(year, 11, 3),
      reason: "Tercer lunes de noviembre, en conmemoración del 20 de noviembre",
      source: CFF_12,
    },
    { date: day(12, 25), reason: "25 de diciembre (Navidad)", source: CFF_12 },
  ];
  const transfer = transmissionOfPowerDay(year);
  if (transfer) days.push(transfer);
  return days
    .sort((a, b) => Temporal.PlainDate.compare(a.date, b.date))
    .map((d) => ({ date: d.date.toString(), reason: d.reason, source: d.source, kind: "cff" }));
}

/**
 * The day the federal Executive changes hands, every six years. The 2014 constitutional reform
 * moved it from 1 December to 1 October starting in 2024 (CPEUM art. 83; LFT art. 74-VII as
 * amended in 2024); earlier terms ended on 1 December (2018, 2012, …).
 */
function transmissionOfPowerDay(
  year: number,
): { date: Temporal.PlainDate; reason: string; source: string } | undefined {
  if ((year - 2024) % 6 !== 0) return undefined;
  if (year >= 2024) {
    return {
      date: Temporal.PlainDate.from({ year, month: 10, day: 1 }),
      reason: "1 de octubre, transmisión del Poder Ejecutivo Federal",
      source: `${CFF_12}; CPEUM art. 83 (reforma de 2014); LFT art. 74-VII`,
    };
  }
  return {
    date: Temporal.PlainDate.from({ year, month: 12, day: 1 }),
    reason: "1 de diciembre, transmisión del Poder Ejecutivo Federal",
    source: CFF_12,
  };
}

function nthMonday(year: number, month: number, n: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  const offset = (8 - first.dayOfWeek) % 7; // dayOfWeek: 1 = Monday … 7 = Sunday
  return first.add({ days: offset + 7 * (n - 1) });
}
