import { type FormEvent, useEffect, useRef } from "react";

/**
 * A form's `onSubmit` that lets one submission through until the router has answered it. The
 * router's state (`busy`, which disables the button) changes in a transition, rendered after
 * the click returns, so a double click would otherwise submit twice: two challenges, two
 * signatures, and a promoción filed twice or a 409 replacing the first answer's acuse. It opens
 * again when the submission ends (`busy` false) or its answer arrives (`answer` changes: the
 * busy render can be skipped when the action answers at once). `busy` must therefore hold until
 * the router is idle again: a navigation's "loading" after its action (the redirect, the
 * revalidation) is still the submission, and a second one then would interrupt it
 * (`navigation.state !== "idle"` for this form, or `fetcher.state !== "idle"`).
 */
export function useSubmitOnce(
  busy: boolean,
  answer: unknown,
): (event: FormEvent<HTMLFormElement>) => void {
  const sent = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new answer opens the form too.
  useEffect(() => {
    if (!busy) sent.current = false;
  }, [busy, answer]);
  return (event) => {
    if (busy || sent.current) {
      event.preventDefault();
      return;
    }
    sent.current = true;
  };
}
