import { type LoaderFunctionArgs, redirect } from "react-router";
import { MAX_YEAR, MIN_YEAR } from "../../../src/domain/time/range.ts";
import { api, problemOf } from "../api/client.ts";
import type { Authority, CalendarYear, ProblemDetails } from "../api/types.ts";
import { currentYearInZonaCentro } from "../format/dates.ts";

/** The calendars the page shows, one tab each, in this order (`?autoridad=`). */
export const AUTHORITIES = ["IMSS", "TFJA"] as const satisfies readonly Authority[];
export const DEFAULT_AUTHORITY: Authority = "IMSS";

export type CalendarYearData =
  | { status: "invalid-year" }
  | { status: "loaded"; year: number; authority: Authority; calendar: CalendarYear }
  | { status: "refused"; year: number; authority: Authority; problem: ProblemDetails };

function parseYear(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

/** `?autoridad=TFJA` → TFJA; anything else, or nothing, is the IMSS's calendar. */
export function authorityOf(search: URLSearchParams): Authority {
  const asked = search.get("autoridad")?.toUpperCase();
  return AUTHORITIES.find((a) => a === asked) ?? DEFAULT_AUTHORITY;
}

/** The address of a year's page for an authority; the IMSS's needs no parameter. */
export function calendarPath(year: number, authority: Authority): string {
  const base = `/dias-inhabiles/${year}`;
  return authority === DEFAULT_AUTHORITY ? base : `${base}?autoridad=${authority}`;
}

/** /dias-inhabiles → this year's page (the year in Zona Centro). */
export function currentYearLoader(): Response {
  return redirect(`/dias-inhabiles/${currentYearInZonaCentro()}`);
}

/** /dias-inhabiles/:year?autoridad= — one authority's non-business days of the year. */
export async function calendarYearLoader({
  params,
  request,
}: LoaderFunctionArgs): Promise<CalendarYearData> {
  const year = parseYear(params.year);
  if (year === undefined) return { status: "invalid-year" };
  const authority = authorityOf(new URL(request.url).searchParams);
  try {
    const calendar = await api.calendario(year, authority, request.signal);
    return { status: "loaded", year, authority, calendar };
  } catch (error) {
    return { status: "refused", year, authority, problem: problemOf(error) };
  }
}
