import { Outlet, useLoaderData } from "react-router";
import type { CurrentSession } from "../../api/types.ts";
import type { MailboxContext } from "./mailboxContext.ts";
import { SessionBar } from "./SessionBar.tsx";

/**
 * Frame of the /buzon pages: its loader (mailboxLoader) sends people without a session to
 * /acceso; here, who is signed in above each page.
 */
export function MailboxLayout() {
  const session = useLoaderData<CurrentSession>();
  const context: MailboxContext = { session };
  return (
    <>
      <SessionBar session={session} />
      <Outlet context={context} />
    </>
  );
}
