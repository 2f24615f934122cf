import { useOutletContext } from "react-router";
import type { CurrentSession } from "../../api/types.ts";

/** What the /buzon pages get from their layout: the signed-in session. */
export interface MailboxContext {
  session: CurrentSession;
}

export function useMailbox(): MailboxContext {
  return useOutletContext<MailboxContext>();
}
