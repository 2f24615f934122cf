import { SPANISH_MONTHS, SPANISH_WEEKDAYS } from "../../../src/domain/text.ts";
import { es } from "../i18n/es.ts";

/**
 * Spanish date formatting that never looks at the browser's time zone: the server sends legal
 * instants already in Zona Centro wall-clock time ("2025-04-21T09:30:00-06:00"), so the
 * date and time parts are read from the string as they are.
 */

/** Zona Centro has been UTC−06:00 all year since 2022-10-30. */
export const ZONA_CENTRO_OFFSET = "-06:00";
const ZONA_CENTRO_OFFSET_MS = -6 * 60 * 60 * 1000;

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parseDateParts(text: string): Pick<WallClock, "year" | "month" | "day"> | undefined {
  const match = PLAIN_DATE.exec(text) ?? INSTANT.exec(text);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function parseInstant(text: string): WallClock | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const clock: WallClock = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6] ?? "0"),
  };
  if (match[7]?.toUpperCase() !== "Z") return clock;
  // A UTC instant: move it to Zona Centro with plain arithmetic (no local time zone involved).
  const utc = Date.UTC(
    clock.year,
    clock.month - 1,
    clock.day,
    clock.hour,
    clock.minute,
    clock.second,
  );
  const local = new Date(utc + ZONA_CENTRO_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** 0 = Monday … 6 = Sunday, the order of SPANISH_WEEKDAYS. */
function weekdayIndex(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "16 de abril de 2025" from "2025-04-16" (or from an instant's date part). */
export function formatDayMonthYear(text: string): string {
  const parts = parseDateParts(text);
  if (!parts) return text;
  return `${parts.day} de ${SPANISH_MONTHS[parts.month - 1]} de ${parts.year}`;
}

/** "miércoles 16 de abril de 2025" from "2025-04-16" (or from an instant's date part). */
export function formatDate(text: string): string {
  const parts = parseDateParts(text);
  if (!parts) return text;
  const weekday = SPANISH_WEEKDAYS[weekdayIndex(parts.year, parts.month, parts.day)];
  return `${weekday} ${formatDayMonthYear(text)}`;
}

/**
 * "lunes 21 de abril de 2025, 09:30 h" from "2025-04-21T09:30:00-06:00". Seconds are shown
 * only when they are not zero ("23:59:59 h").
 */
export function formatInstant(text: string): string {
  const clock = parseInstant(text);
  if (!clock) return text;
  const date = `${clock.year}-${pad(clock.month)}-${pad(clock.day)}`;
  const time =
    clock.second === 0
      ? `${pad(clock.hour)}:${pad(clock.minute)}`
      : `${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
  return `${formatDate(date)}, ${time} ${es.dates.hourSuffix}`;
}

/**
 * The ISO instant for a date and a time typed in Zona Centro: "2025-04-11" + "17:00" →
 * "2025-04-11T17:00:00-06:00".
 */
export function zonaCentroInstant(date: string, time: string): string {
  const withSeconds = /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
  return `${date}T${withSeconds}${ZONA_CENTRO_OFFSET}`;
}

/** The current year in Zona Centro, whatever the browser's zone. */
export function currentYearInZonaCentro(nowMs: number = Date.now()): number {
  return new Date(nowMs + ZONA_CENTRO_OFFSET_MS).getUTCFullYear();
}
