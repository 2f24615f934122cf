import { useEffect, useRef } from "react";
import { useFetcher, useLoaderData } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { SessionsTable } from "../components/mailbox/SessionsTable.tsx";
import type { CloseSessionAnswer, SessionsData } from "../data/auth.ts";
import { es } from "../i18n/es.ts";

const t = es.sessions;

/**
 * /buzon/sesiones — the person's open sessions (sessionsLoader), each of which can be closed
 * (closeSessionAction; the list reloads after it).
 */
export function SessionsPage() {
  const data = useLoaderData<SessionsData>();
  const fetcher = useFetcher<CloseSessionAnswer>({ key: "cerrar-sesion" });
  const message = useRef<HTMLParagraphElement>(null);
  const closing = fetcher.state !== "idle" ? String(fetcher.formData?.get("id") ?? "") : undefined;
  const closed = fetcher.state === "idle" && fetcher.data !== undefined && "closed" in fetcher.data;
  const problem =
    "problem" in data
      ? data.problem
      : fetcher.data && "problem" in fetcher.data
        ? fetcher.data.problem
        : undefined;

  // The closed session's row and button are gone: the keyboard goes to the confirmation.
  useEffect(() => {
    if (closed) message.current?.focus();
  }, [closed]);

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
      {"sessions" in data &&
        (data.sessions.length > 0 ? (
          <SessionsTable
            sessions={data.sessions}
            closing={closing}
            onClose={(session) =>
              fetcher.submit({ id: session.id }, { method: "post", action: "/buzon/sesiones" })
            }
          />
        ) : (
          <p>{t.empty}</p>
        ))}
    </>
  );
}
