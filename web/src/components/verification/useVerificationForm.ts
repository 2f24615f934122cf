import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, clientProblem } from "../../api/client.ts";
import type { ProblemDetails } from "../../api/types.ts";
import { useRequest } from "../../api/useRequest.ts";
import { es } from "../../i18n/es.ts";
import { HashUnavailableError, sha256Hex } from "./files.ts";

/**
 * One verification form: a refusal found in the page (with the field to fix) or one from the
 * server, shown in the same alert region; the answer is shown only while nothing was refused.
 */
export function useVerificationForm<T, F extends string>() {
  const { state, run } = useRequest<T>();
  const [refusal, setRefusal] = useState<{ field: F | undefined; problem: ProblemDetails }>();
  const button = useRef<HTMLButtonElement>(null);

  const refuse = useCallback((field: F | undefined, detail: string) => {
    setRefusal({ field, problem: clientProblem(detail) });
  }, []);

  const start = useCallback(
    (request: (signal: AbortSignal) => Promise<T>) => {
      setRefusal(undefined);
      void run(request);
    },
    [run],
  );

  // A refusal from the server: give the keyboard back at the button, which lost the focus when
  // it was disabled while the request ran.
  useEffect(() => {
    if (state.status === "error") button.current?.focus();
  }, [state.status]);

  return {
    loading: state.status === "loading",
    problem: refusal?.problem ?? (state.status === "error" ? state.problem : undefined),
    invalid: refusal?.field,
    result: refusal === undefined && state.status === "success" ? state.data : undefined,
    refuse,
    start,
    button,
  };
}

/** The document's SHA-256, or an ApiError with the Spanish reason it could not be computed. */
export async function documentHash(file: Blob): Promise<string> {
  try {
    return await sha256Hex(file);
  } catch (error) {
    const detail =
      error instanceof HashUnavailableError
        ? es.verification.errors.hashUnavailable
        : es.verification.errors.fileUnreadable;
    throw new ApiError(clientProblem(detail));
  }
}

/** The first bytes of a file, or undefined when it cannot be read. */
export async function readHead(file: Blob, length: number): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await file.slice(0, length).arrayBuffer());
  } catch {
    return undefined;
  }
}
