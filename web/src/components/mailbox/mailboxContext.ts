import { useOutletContext } from "react-router";
import type { CurrentSession } from "../../api/types.ts";

/** What the /buzon pages get from their layout: the signed-in session. */
export interface MailboxContext {
  session: CurrentSession;
  /** Leaves the mailbox for /acceso after this session was closed ("Sesión cerrada."). */
  signedOut: () => void;
  /** Leaves the mailbox for /acceso because the server no longer knows this session. */
  sessionEnded: () => void;
}

export function useMailbox(): MailboxContext {
  return useOutletContext<MailboxContext>();
}
