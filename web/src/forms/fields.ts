import { MAX_YEAR, MIN_YEAR } from "../../../src/domain/time/range.ts";
import { es } from "../i18n/es.ts";

/**
 * What people type in the app's own date and time fields, read the same in every browser and
 * language: dates as dd/mm/aaaa (also d/m/aaaa, with - or . as separator), times in 24 hours as
 * HH:MM with optional seconds. Each reader answers the canonical value or a Spanish message.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const t = es.forms;

const DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "07/04/2025" → "2025-04-07"; a missing, malformed or impossible date is refused. */
export function parseDayMonthYear(text: string, label: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: t.dateMissing(label) };
  const match = DATE.exec(trimmed);
  if (!match) return { ok: false, message: t.dateFormat(label) };
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = Number(match[3]);
  if (month < 1 || month > 12) return { ok: false, message: t.dateMonth(label) };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return { ok: false, message: t.dateDay(label, daysInMonth) };
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, message: t.dateRange(label, MIN_YEAR, MAX_YEAR) };
  }
  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}

/** "7:05" → "07:05:00", "19:00:30" → "19:00:30"; 24-hour clock only. */
export function parseTime24(text: string, label: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: t.timeMissing(label) };
  const match = TIME.exec(trimmed);
  if (!match) return { ok: false, message: t.timeFormat(label) };
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? "0");
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, message: t.timeRange(label) };
  return { ok: true, value: `${pad(hour)}:${pad(minute)}:${pad(second)}` };
}

/** Errors by field id, in the order of the form, for the fields and the summary. */
export type FieldErrors = Record<string, string>;

/** The text of a form field (empty when absent or a file). */
export function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The chosen file of a form field, if one was chosen. */
export function fileOf(form: FormData, name: string): File | undefined {
  const value = form.get(name);
  return value instanceof File && value.name !== "" ? value : undefined;
}
