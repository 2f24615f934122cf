import { useCallback, useEffect, useRef, useState } from "react";
import { problemOf } from "./client.ts";
import type { ProblemDetails } from "./types.ts";

export type RequestState<T> =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "success"; data: T }
  | { status: "error"; problem: ProblemDetails };

/**
 * One user-triggered API call at a time: while a request is in flight, further calls are
 * ignored (no double submission); the request is aborted if the component goes away.
 */
export function useRequest<T>(): {
  state: RequestState<T>;
  run: (request: (signal: AbortSignal) => Promise<T>) => Promise<void>;
} {
  const [state, setState] = useState<RequestState<T>>({ status: "idle" });
  const inFlight = useRef(false);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(async (request: (signal: AbortSignal) => Promise<T>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    const current = new AbortController();
    controller.current = current;
    setState({ status: "loading" });
    try {
      const data = await request(current.signal);
      if (!current.signal.aborted) setState({ status: "success", data });
    } catch (error) {
      if (!current.signal.aborted) setState({ status: "error", problem: problemOf(error) });
    } finally {
      inFlight.current = false;
    }
  }, []);

  return { state, run };
}
