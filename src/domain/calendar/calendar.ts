import { DomainError } from "../errors.ts";
import { parsePlainDate } from "../time/zona-centro.ts";
import { cffHolidays, DAY_KINDS, type DayKind, type NonBusinessDay } from "./cff-holidays.ts";

/** A day an authority declared inhábil, with the instrument that declared it. */
export interface DeclaredDay {
  date: string;
  reason: string;
  source: string;
  /** Absent means `inhabil`. */
  kind?: DayKind;
}

/** The file form of a calendar version (also what the API accepts and returns). */
export interface CalendarData {
  authority: string;
  version: string;
  /**
   * The years whose declaration of non-business days this version holds (a year with no
   * declared day still counts when it was published). Absent: the years of its days.
   */
  years?: number[];
  days: DeclaredDay[];
}

/**
 * What a term is for. CFF art. 12 ¶2: general vacations of the authority are business days for
 * terms to file declarations and pay contributions, and only for those.
 */
export type TermPurpose = "general" | "declaraciones_y_pagos";

/** The authorities whose calendars the engine knows. */
export const AUTHORITIES = ["IMSS", "TFJA"] as const;
export type Authority = (typeof AUTHORITIES)[number];

/**
 * Business days for one authority at one version: CFF art. 12 days, weekends, and the days
 * the authority declared. Every computed date names `version`, so it can be recomputed later.
 */
export interface BusinessCalendar {
  readonly authority: string;
  readonly version: string;
  /**
   * Why a date does not count in a term fixed in days, or undefined when it counts. A day the
   * offices are closed counts (see `closedReason`).
   */
  nonBusinessReason(date: Temporal.PlainDate, purpose?: TermPurpose): NonBusinessDay | undefined;
  isBusinessDay(date: Temporal.PlainDate, purpose?: TermPurpose): boolean;
  /** A declared `oficinas_cerradas` day: counted, but no term may end on it (CFF 12, last ¶). */
  closedReason(date: Temporal.PlainDate): NonBusinessDay | undefined;
  /** Whether the authority's declaration for `year` is in this version. */
  declares(year: number): boolean;
  /** The non-business days of a year that are not plain weekends, in date order. */
  holidaysOf(year: number): NonBusinessDay[];
}

const WEEKEND_SOURCE = "CFF art. 12, primer párrafo";

export function createCalendar(data: CalendarData): BusinessCalendar {
  const declared = new Map<string, NonBusinessDay>();
  const closed = new Map<string, NonBusinessDay>();
  for (const day of data.days) {
    const dayKind = day.kind ?? "inhabil";
    const entry: NonBusinessDay = {
      date: day.date,
      reason: day.reason,
      source: day.source,
      kind: "declarado",
      dayKind,
    };
    (dayKind === "oficinas_cerradas" ? closed : declared).set(day.date, entry);
  }
  const years = new Set(data.years ?? data.days.map((d) => Number(d.date.slice(0, 4))));
  const cffByYear = new Map<number, Map<string, NonBusinessDay>>();
  const cffOf = (year: number) => {
    let days = cffByYear.get(year);
    if (!days) {
      days = new Map(cffHolidays(year).map((d) => [d.date, d]));
      cffByYear.set(year, days);
    }
    return days;
  };

  const nonBusinessReason = (
    date: Temporal.PlainDate,
    purpose: TermPurpose = "general",
  ): NonBusinessDay | undefined => {
    const key = date.toString();
    // The CFF reason wins when both apply: it is the stronger legal source.
    const cff = cffOf(date.year).get(key);
    if (cff) return cff;
    const own = declared.get(key);
    if (own && !(own.dayKind === "vacaciones_generales" && purpose === "declaraciones_y_pagos")) {
      return own;
    }
    if (date.dayOfWeek === 6) {
      return { date: key, reason: "Sábado", source: WEEKEND_SOURCE, kind: "cff" };
    }
    if (date.dayOfWeek === 7) {
      return { date: key, reason: "Domingo", source: WEEKEND_SOURCE, kind: "cff" };
    }
    return undefined;
  };

  return {
    authority: data.authority,
    version: data.version,
    nonBusinessReason,
    isBusinessDay: (date, purpose) => nonBusinessReason(date, purpose) === undefined,
    closedReason(date) {
      const day = closed.get(date.toString());
      if (!day || nonBusinessReason(date)) return undefined;
      return day;
    },
    declares: (year) => years.has(year),
    holidaysOf(year) {
      const merged = new Map(cffOf(year));
      for (const [date, day] of [...declared, ...closed]) {
        if (date.startsWith(`${year}-`) && !merged.has(date)) merged.set(date, day);
      }
      return [...merged.values()].sort((a, b) => a.date.localeCompare(b.date));
    },
  };
}

const AUTHORITY = /^[A-Z][A-Z0-9_-]{1,31}$/;
/** Version labels: short, printable, safe in a URL and a file name. */
export const VERSION_PATTERN = "^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$";
const VERSION = new RegExp(VERSION_PATTERN);
const MAX_DAYS = 5000;

/**
 * Validates a calendar file (or API body) and returns its data with days sorted. Every refusal
 * names the offending place, in Spanish, because an administrator has to fix the file.
 */
export function parseCalendarData(input: unknown): CalendarData {
  const fail = (pointer: string, message: string): never => {
    throw new DomainError("calendar_invalid", `Calendario inválido en ${pointer}: ${message}`, {
      pointer,
    });
  };
  if (!isRecord(input)) return fail("/", "se esperaba un objeto JSON.");
  const known = new Set(["authority", "version", "years", "days"]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) fail(`/${key}`, "propiedad desconocida.");
  }
  const { authority, version, days, years } = input;
  if (typeof authority !== "string" || !AUTHORITY.test(authority)) {
    fail("/authority", "la autoridad debe ser un nombre en mayúsculas, por ejemplo «IMSS».");
  }
  if (typeof version !== "string" || !VERSION.test(version)) {
    fail("/version", "la versión debe ser un texto corto, por ejemplo «2025-1».");
  }
  if (!Array.isArray(days)) return fail("/days", "se esperaba una lista de días.");
  if (days.length > MAX_DAYS) fail("/days", `a lo más ${MAX_DAYS} días por versión.`);
  const seen = new Set<string>();
  const parsed: DeclaredDay[] = days.map((day: unknown, i: number) =>
    parseDeclaredDay(day, `/days/${i}`),
  );
  for (const [i, day] of parsed.entries()) {
    if (seen.has(day.date)) fail(`/days/${i}/date`, `el día ${day.date} está repetido.`);
    seen.add(day.date);
  }
  parsed.sort((a, b) => a.date.localeCompare(b.date));
  const data: CalendarData = {
    authority: authority as string,
    version: version as string,
    days: parsed,
  };
  if (years !== undefined) {
    if (!Array.isArray(years)) return fail("/years", "se esperaba una lista de años.");
    for (const [i, year] of years.entries()) {
      if (!Number.isInteger(year) || year < 1900 || year > 2200) {
        fail(`/years/${i}`, "cada año debe ser un entero entre 1900 y 2200.");
      }
    }
    data.years = [...new Set(years as number[])].sort((a, b) => a - b);
  }
  return data;
}

export function parseDeclaredDay(input: unknown, pointer = ""): DeclaredDay {
  if (!isRecord(input))
    return fail(pointer || "/", "se esperaba un objeto con date, reason y source.");
  for (const key of Object.keys(input)) {
    if (!["date", "reason", "source", "kind"].includes(key))
      fail(`${pointer}/${key}`, "propiedad desconocida.");
  }
  const { date, reason, source, kind } = input;
  if (kind !== undefined && !DAY_KINDS.includes(kind as DayKind)) {
    fail(
      `${pointer}/kind`,
      "el tipo debe ser «inhabil», «vacaciones_generales» u «oficinas_cerradas» (CFF art. 12).",
    );
  }
  if (typeof date !== "string") return fail(`${pointer}/date`, "falta la fecha (AAAA-MM-DD).");
  // The canonical form is what is stored and compared: " 2025-04-17" must not slip through
  // as a different day from "2025-04-17".
  let canonical = "";
  try {
    canonical = parsePlainDate(date, "date").toString();
  } catch (error) {
    const why =
      error instanceof DomainError && error.code === "out_of_range"
        ? error.message
        : `«${date.slice(0, 40)}» no es una fecha AAAA-MM-DD válida.`;
    fail(`${pointer}/date`, why);
  }
  if (canonical !== date) {
    fail(
      `${pointer}/date`,
      `«${date.slice(0, 40)}» debe escribirse exactamente como AAAA-MM-DD, sin espacios.`,
    );
  }
  if (typeof reason !== "string" || reason.trim().length === 0 || reason.length > 200) {
    fail(`${pointer}/reason`, "el motivo es obligatorio (máximo 200 caracteres).");
  }
  if (typeof source !== "string" || source.trim().length === 0 || source.length > 300) {
    fail(
      `${pointer}/source`,
      "la fuente legal es obligatoria (el acuerdo y su publicación; máximo 300 caracteres).",
    );
  }
  const day: DeclaredDay = {
    date: canonical,
    reason: (reason as string).trim(),
    source: (source as string).trim(),
  };
  // `inhabil` is the default and is not written, so files without kinds stay byte-identical.
  if (kind !== undefined && kind !== "inhabil") day.kind = kind as DayKind;
  return day;
}

function fail(pointer: string, message: string): never {
  throw new DomainError("calendar_invalid", `Calendario inválido en ${pointer}: ${message}`, {
    pointer,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
