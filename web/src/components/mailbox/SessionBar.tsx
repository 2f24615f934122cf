import { useState } from "react";
import { NavLink } from "react-router";
import { authApi, isUnauthenticated, problemOf } from "../../api/client.ts";
import type { ProblemDetails } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import type { MailboxContext } from "./mailboxContext.ts";

const t = es.mailbox;

/** Who is signed in, the mailbox's own links, and "Cerrar sesión". */
export function SessionBar({ context }: { context: MailboxContext }) {
  const { session } = context;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | undefined>();

  async function signOut() {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await authApi.cerrarSesion(session.csrfToken);
      context.signedOut();
    } catch (error) {
      // Already gone on the server: the result the person asked for.
      if (isUnauthenticated(error)) context.signedOut();
      else {
        setProblem(problemOf(error));
        setBusy(false);
      }
    }
  }

  return (
    <section className="session-bar" aria-label={t.signedInLabel}>
      <p className="session-bar__who">
        <span className="session-bar__label">{t.signedInAs}</span> <strong>{session.name}</strong>{" "}
        <span className="session-bar__rfc">({session.rfc})</span>
      </p>
      <div className="session-bar__actions">
        <NavLink className="session-bar__link" to="/buzon" end>
          {t.home}
        </NavLink>
        <NavLink className="session-bar__link" to="/buzon/sesiones">
          {t.sessions}
        </NavLink>
        <button
          className="button button--secondary"
          type="button"
          onClick={signOut}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? t.signingOut : t.signOut}
        </button>
      </div>
      <ErrorAlert problem={problem} />
    </section>
  );
}
