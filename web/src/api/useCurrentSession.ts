import { useEffect, useState } from "react";
import { authApi, isUnauthenticated, problemOf } from "./client.ts";
import type { CurrentSession, ProblemDetails } from "./types.ts";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "success"; data: CurrentSession }
  | { status: "error"; problem: ProblemDetails };

/** The signed-in person (GET /api/v1/auth/sesion); a 401 means nobody is signed in. */
export function useCurrentSession(): SessionState {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    authApi.sesion(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState(data.autenticado ? { status: "success", data } : { status: "signed-out" });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          isUnauthenticated(error)
            ? { status: "signed-out" }
            : { status: "error", problem: problemOf(error) },
        );
      },
    );
    return () => controller.abort();
  }, []);

  return state;
}
