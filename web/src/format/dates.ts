import { es } from "../i18n/es.ts";

/**
 * Spanish dates and times in Zona Centro (America/Mexico_City), through Intl.DateTimeFormat and
 * the time zone database: never the browser's own zone, and never a fixed offset (Mexico kept
 * daylight saving time until October 2022, and older instants carry it).
 */

export const ZONA_CENTRO = "America/Mexico_City";

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

type Part = "weekday" | "day" | "month" | "year" | "hour" | "minute" | "second";

function formatter(timeZone: string) {
  return new Intl.DateTimeFormat("es-MX", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
}

const inZonaCentro = formatter(ZONA_CENTRO);
// A plain date is a calendar day, not an instant: read at UTC midnight, shown in UTC.
const asCalendarDay = formatter("UTC");

function partsOf(format: Intl.DateTimeFormat, date: Date): Record<Part, string> {
  const parts = {} as Record<Part, string>;
  for (const part of format.formatToParts(date)) {
    if (part.type !== "literal" && part.type !== "dayPeriod") {
      parts[part.type as Part] = part.value;
    }
  }
  return parts;
}

/** The parts of "2025-04-16" (a day) or of an ISO instant (its day in Zona Centro). */
function dayParts(text: string): Record<Part, string> | undefined {
  const plain = PLAIN_DATE.exec(text);
  if (plain) {
    const date = new Date(Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])));
    return Number.isNaN(date.getTime()) ? undefined : partsOf(asCalendarDay, date);
  }
  return instantParts(text);
}

function instantParts(text: string): Record<Part, string> | undefined {
  if (!INSTANT.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : partsOf(inZonaCentro, date);
}

function dayMonthYear(parts: Record<Part, string>): string {
  return `${parts.day} de ${parts.month} de ${parts.year}`;
}

/** "16 de abril de 2025" from "2025-04-16" (or from an instant, its day in Zona Centro). */
export function formatDayMonthYear(text: string): string {
  const parts = dayParts(text);
  return parts ? dayMonthYear(parts) : text;
}

/** "miércoles 16 de abril de 2025" from "2025-04-16" (or from an instant). */
export function formatDate(text: string): string {
  const parts = dayParts(text);
  return parts ? `${parts.weekday} ${dayMonthYear(parts)}` : text;
}

/**
 * "lunes 21 de abril de 2025, 09:30 h" from "2025-04-21T09:30:00-06:00" or from the same
 * instant in UTC. Seconds are shown only when they are not zero ("23:59:59 h").
 */
export function formatInstant(text: string): string {
  const parts = instantParts(text);
  if (!parts) return text;
  const time =
    parts.second === "00"
      ? `${parts.hour}:${parts.minute}`
      : `${parts.hour}:${parts.minute}:${parts.second}`;
  return `${parts.weekday} ${dayMonthYear(parts)}, ${time} ${es.dates.hourSuffix}`;
}

const offsetFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONA_CENTRO,
  timeZoneName: "longOffset",
});

/** Zona Centro's offset from UTC at an instant, in minutes (-360 for UTC−06:00). */
function offsetMinutesAt(utcMs: number): number {
  const name = offsetFormat.formatToParts(new Date(utcMs)).find((p) => p.type === "timeZoneName");
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The ISO instant of a Zona Centro wall-clock date and time, with the offset the zone had then:
 * "2025-04-11" + "17:00" → "2025-04-11T17:00:00-06:00"; "2020-04-11" + "17:00" →
 * "2020-04-11T17:00:00-05:00" (daylight saving time).
 */
export function zonaCentroInstant(date: string, time: string): string {
  const withSeconds = /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
  const wall = Date.parse(`${date}T${withSeconds}Z`);
  if (Number.isNaN(wall)) return `${date}T${withSeconds}`;
  // The offset at the wall-clock time read as UTC, then at the instant that offset gives.
  let offset = offsetMinutesAt(wall);
  offset = offsetMinutesAt(wall - offset * 60_000);
  return `${date}T${withSeconds}${formatOffset(offset)}`;
}

const yearInZonaCentro = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONA_CENTRO,
  year: "numeric",
});

/** The current year in Zona Centro, whatever the browser's zone. */
export function currentYearInZonaCentro(nowMs: number = Date.now()): number {
  return Number(yearInZonaCentro.format(new Date(nowMs)));
}

const dayInZonaCentro = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONA_CENTRO,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day ("2026-12-07") of an instant (ms or ISO text) in Zona Centro. */
export function zonaCentroDay(at: number | string = Date.now()): string {
  return dayInZonaCentro.format(new Date(at));
}
