import { useMemo } from "react";
import { Navigate, Outlet, useNavigate } from "react-router";
import { useCurrentSession } from "../../api/useCurrentSession.ts";
import { es } from "../../i18n/es.ts";
import { DocumentTitle } from "../DocumentTitle.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { LoadingMessage } from "../LoadingMessage.tsx";
import type { MailboxContext } from "./mailboxContext.ts";
import { SessionBar } from "./SessionBar.tsx";

/**
 * Frame of the /buzon pages: loads the signed-in session, sends people without one to
 * /acceso, and shows who is signed in above each page.
 */
export function MailboxLayout() {
  const state = useCurrentSession();
  const navigate = useNavigate();
  const session = state.status === "success" ? state.data : undefined;

  const context = useMemo<MailboxContext | undefined>(
    () =>
      session && {
        session,
        signedOut: () => navigate("/acceso", { replace: true, state: { notice: "signedOut" } }),
        sessionEnded: () =>
          navigate("/acceso", { replace: true, state: { notice: "sessionEnded" } }),
      },
    [session, navigate],
  );

  if (state.status === "signed-out") {
    return <Navigate to="/acceso" replace state={{ notice: "sessionEnded" }} />;
  }
  if (state.status === "loading") return <LoadingMessage />;
  if (!context) {
    return (
      <>
        <DocumentTitle title={es.mailbox.home} />
        <h1>{es.mailbox.home}</h1>
        <ErrorAlert problem={state.status === "error" ? state.problem : undefined} />
      </>
    );
  }
  return (
    <>
      <SessionBar context={context} />
      <Outlet context={context} />
    </>
  );
}
