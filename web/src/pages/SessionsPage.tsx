import { useCallback, useEffect, useRef, useState } from "react";
import { authApi, isUnauthenticated, problemOf } from "../api/client.ts";
import type { ProblemDetails, SessionSummary } from "../api/types.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { LoadingMessage } from "../components/LoadingMessage.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { SessionsTable } from "../components/mailbox/SessionsTable.tsx";
import { es } from "../i18n/es.ts";

const t = es.sessions;

/** /buzon/sesiones — the person's open sessions, each of which can be closed. */
export function SessionsPage() {
  const { session, signedOut, sessionEnded } = useMailbox();
  const [sessions, setSessions] = useState<SessionSummary[] | undefined>();
  const [problem, setProblem] = useState<ProblemDetails | undefined>();
  const [closing, setClosing] = useState<string | undefined>();
  const [closed, setClosed] = useState(false);
  const message = useRef<HTMLParagraphElement>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const list = await authApi.sesiones(signal);
        if (!signal?.aborted) setSessions(list.sessions);
      } catch (error) {
        if (signal?.aborted) return;
        if (isUnauthenticated(error)) sessionEnded();
        else setProblem(problemOf(error));
      }
    },
    [sessionEnded],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  // The closed session's row and button are gone: the keyboard goes to the confirmation.
  useEffect(() => {
    if (closed) message.current?.focus();
  }, [closed]);

  async function close(target: SessionSummary) {
    if (closing) return;
    setClosing(target.id);
    setProblem(undefined);
    setClosed(false);
    try {
      await authApi.cerrarOtraSesion(target.id, session.csrfToken);
      if (target.current) {
        signedOut();
        return;
      }
      await load();
      setClosed(true);
    } catch (error) {
      if (isUnauthenticated(error)) sessionEnded();
      else setProblem(problemOf(error));
    } finally {
      setClosing(undefined);
    }
  }

  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <div role="status">
        {closed && (
          <p className="notice__text notice" tabIndex={-1} ref={message}>
            {t.closed}
          </p>
        )}
      </div>
      <ErrorAlert problem={problem} />
      {sessions === undefined && !problem && <LoadingMessage />}
      {sessions !== undefined &&
        (sessions.length > 0 ? (
          <SessionsTable sessions={sessions} closing={closing} onClose={close} />
        ) : (
          <p>{t.empty}</p>
        ))}
    </>
  );
}
