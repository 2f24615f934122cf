import { type ReactNode, useEffect, useRef } from "react";
import type { Verification } from "../../data/verification.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import type { VerificationState } from "./useVerification.ts";

const t = es.verification;

interface FrameProps<K extends Verification> {
  /** The form's fetcher and its answer (useVerification). */
  verification: VerificationState<K>;
  /** Whether the form carries files (sent to the action as multipart, read there). */
  files?: boolean;
  /** What the page says while it works, when more than «Verificando…». */
  working?: string | undefined;
  /** A note under the fields (what is and is not sent). */
  note?: string;
  /** The fields. */
  children: ReactNode;
}

/**
 * The frame every verification form shares: the summary of what to correct, the fields (the
 * app checks them itself: noValidate), posted to the page's action (verificationAction) through
 * the form's fetcher, an optional note, «Verificar» (disabled while it runs,
 * so it cannot be asked for twice), a live region saying what the page is doing, and the
 * refusal, if any.
 */
export function VerificationFormFrame<K extends Verification>({
  verification,
  files = false,
  working,
  note,
  children,
}: FrameProps<K>) {
  const { kind, fetcher, busy, answer, errors, problem } = verification;
  const button = useRef<HTMLButtonElement>(null);

  // A refusal that is not about one field: give the keyboard back at the button, which lost
  // the focus when it was disabled while the verification ran.
  useEffect(() => {
    if (answer?.status === "refused") button.current?.focus();
  }, [answer]);

  return (
    <>
      <ErrorSummary errors={errors} submission={answer} />
      <form
        className="form form--narrow"
        method="post"
        noValidate
        aria-busy={busy}
        onSubmit={(event) => {
          event.preventDefault();
          if (busy) return;
          // flushSync: the button is disabled and the last answer gone before the click returns,
          // so a double click sends nothing twice. Nothing on the page depends on a verification.
          void fetcher.submit(event.currentTarget, {
            method: "post",
            encType: files ? "multipart/form-data" : "application/x-www-form-urlencoded",
            flushSync: true,
            defaultShouldRevalidate: false,
          });
        }}
      >
        <input type="hidden" name="tipo" value={kind} />
        <div className="fieldset">{children}</div>
        {note && <p className="privacy-note">{note}</p>}
        <button className="button" type="submit" ref={button} disabled={busy} aria-busy={busy}>
          {busy ? t.submitting : t.submit}
        </button>
      </form>
      <div className="verification-status" role="status">
        {busy && <p className="loading">{working ?? t.submitting}</p>}
      </div>
      <ErrorAlert problem={problem} />
    </>
  );
}
