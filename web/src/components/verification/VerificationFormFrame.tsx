import type { Ref } from "react";
import { es } from "../../i18n/es.ts";

/** «Verificar»: disabled while the verification runs, so it cannot be asked for twice. */
export function VerifyButton({
  loading,
  buttonRef,
}: {
  loading: boolean;
  buttonRef: Ref<HTMLButtonElement>;
}) {
  return (
    <button className="button" type="submit" ref={buttonRef} disabled={loading} aria-busy={loading}>
      {loading ? es.verification.submitting : es.verification.submit}
    </button>
  );
}

/** A live region that says what the page is doing while it works (hashing, then asking). */
export function VerificationStatus({ message }: { message: string | undefined }) {
  return (
    <div className="verification-status" role="status">
      {message && <p className="loading">{message}</p>}
    </div>
  );
}
