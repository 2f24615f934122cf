import { type LoaderFunctionArgs, redirect } from "react-router";
import { MAX_YEAR, MIN_YEAR } from "../../../src/domain/time/range.ts";
import { api, problemOf } from "../api/client.ts";
import type { CalendarYear, ProblemDetails } from "../api/types.ts";
import { currentYearInZonaCentro } from "../format/dates.ts";

export type CalendarYearData =
  | { status: "invalid-year" }
  | { status: "loaded"; year: number; calendar: CalendarYear }
  | { status: "refused"; year: number; problem: ProblemDetails };

function parseYear(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

/** /dias-inhabiles → this year's page (the year in Zona Centro). */
export function currentYearLoader(): Response {
  return redirect(`/dias-inhabiles/${currentYearInZonaCentro()}`);
}

/** /dias-inhabiles/:year — the year's non-business days, loaded before the page shows. */
export async function calendarYearLoader({
  params,
  request,
}: LoaderFunctionArgs): Promise<CalendarYearData> {
  const year = parseYear(params.year);
  if (year === undefined) return { status: "invalid-year" };
  try {
    return { status: "loaded", year, calendar: await api.calendario(year, request.signal) };
  } catch (error) {
    return { status: "refused", year, problem: problemOf(error) };
  }
}
