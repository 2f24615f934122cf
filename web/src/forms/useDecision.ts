import { useRef, useState } from "react";
import { useNavigate } from "react-router";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import { forgetSession } from "../api/session.ts";
import type { ProblemDetails } from "../api/types.ts";
import { signInPath } from "../data/auth.ts";

/**
 * One staff decision at a time: `decide` runs a call unless one is running (a double click does
 * nothing), says `busy` meanwhile, keeps the server's refusal as `problem` and, when it worked,
 * the message `done` (its `statusRef` paragraph gets the focus unless told not to: the form
 * that had it may be gone). An ended session goes to sign-in.
 */
export function useDecision() {
  const navigate = useNavigate();
  const [problem, setProblem] = useState<ProblemDetails | undefined>();
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const statusRef = useRef<HTMLParagraphElement>(null);

  async function decide<T>(
    call: () => Promise<T>,
    onDone: (result: T) => string,
    options: { focus?: boolean } = {},
  ): Promise<boolean> {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setProblem(undefined);
    setDone("");
    try {
      setDone(onDone(await call()));
      if (options.focus !== false) requestAnimationFrame(() => statusRef.current?.focus());
      return true;
    } catch (error) {
      if (isUnauthenticated(error)) {
        forgetSession();
        navigate(signInPath("sessionEnded"));
        return false;
      }
      setProblem(problemOf(error));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  /** Forgets what was said (another list is shown). */
  function reset() {
    setProblem(undefined);
    setDone("");
  }

  return { decide, busy, problem, setProblem, done, statusRef, reset };
}
