import { useEffect, useState } from "react";
import { es } from "../i18n/es.ts";
import { ApiError, api } from "./client.ts";
import type { CalendarYear } from "./types.ts";
import type { RequestState } from "./useRequest.ts";

/** Loads the non-business days of a year; a new year aborts the previous load. */
export function useCalendarYear(year: number | undefined): RequestState<CalendarYear> {
  const [state, setState] = useState<RequestState<CalendarYear>>({ status: "idle" });

  useEffect(() => {
    if (year === undefined) {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    setState({ status: "loading" });
    api.calendario(year, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "success", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const problem =
          error instanceof ApiError
            ? error.problem
            : { type: "about:blank", title: es.errors.title, status: 0, detail: es.errors.network };
        setState({ status: "error", problem });
      },
    );
    return () => controller.abort();
  }, [year]);

  return state;
}
