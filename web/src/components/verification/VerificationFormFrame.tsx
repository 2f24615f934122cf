import type { FormEvent, ReactNode, Ref } from "react";
import type { ProblemDetails } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";

const t = es.verification;

interface FrameProps {
  /** What useVerificationForm gives: whether it runs, the button to refocus, the refusal. */
  form: { loading: boolean; button: Ref<HTMLButtonElement>; problem: ProblemDetails | undefined };
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** What the page is doing before it asks the server (hashing), if anything. */
  working?: string | undefined;
  /** A note under the fields (what is and is not sent). */
  note?: string;
  /** The fields. */
  children: ReactNode;
}

/**
 * The frame every verification form shares: the fields, an optional note, «Verificar»
 * (disabled while it runs, so it cannot be asked for twice), a live region saying what the page
 * is doing, and the refusal, if any.
 */
export function VerificationFormFrame({ form, onSubmit, working, note, children }: FrameProps) {
  const status = working ?? (form.loading ? t.submitting : undefined);
  return (
    <>
      <form className="form form--narrow" onSubmit={onSubmit} noValidate aria-busy={form.loading}>
        <div className="fieldset">{children}</div>
        {note && <p className="privacy-note">{note}</p>}
        <button
          className="button"
          type="submit"
          ref={form.button}
          disabled={form.loading}
          aria-busy={form.loading}
        >
          {form.loading ? t.submitting : t.submit}
        </button>
      </form>
      <div className="verification-status" role="status">
        {status && <p className="loading">{status}</p>}
      </div>
      <ErrorAlert problem={form.problem} />
    </>
  );
}
