import { useFetcher } from "react-router";
import type {
  Verification,
  VerificationAnswer,
  VerificationResults,
} from "../../data/verification.ts";
import type { FieldErrors } from "../../forms/fields.ts";

/**
 * One verification form's fetcher (key `verificacion-<tipo>`, so each tab keeps its answer) and
 * what it answered. While a verification runs, the last answer is not shown: it no longer
 * answers what is being asked, and the new one, when it comes, is announced afresh.
 */
export function useVerification<K extends Verification>(kind: K) {
  const fetcher = useFetcher<VerificationAnswer<K>>({ key: `verificacion-${kind}` });
  const busy = fetcher.state !== "idle";
  const answer: VerificationAnswer<K> | undefined = busy ? undefined : fetcher.data;
  const errors: FieldErrors = answer?.status === "invalid" ? answer.errors : {};
  const problem = answer?.status === "refused" ? answer.problem : undefined;
  const result = answer?.status === "done" ? (answer.result as VerificationResults[K]) : undefined;
  return { kind, fetcher, busy, answer, errors, problem, result };
}

export type VerificationState<K extends Verification> = ReturnType<typeof useVerification<K>>;
