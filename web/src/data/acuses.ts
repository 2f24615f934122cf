import type { LoaderFunctionArgs } from "react-router";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import { mailboxApi } from "../api/mailbox.ts";
import type { AcuseRef, OwnAcuses, ProblemDetails } from "../api/types.ts";
import { sessionEnded, signedInSession } from "./auth.ts";

export type OwnAcusesData =
  | { status: "loaded"; page: OwnAcuses; first: boolean }
  | { status: "refused"; problem: ProblemDetails };

/** The query parameter of the page after this one: the API's opaque `siguiente`, as given. */
export const NEXT_PAGE_PARAM = "despues";

/**
 * «Mis acuses» (/buzon/acuses?despues=…): one page of the buzón's acuses, newest first. A
 * `despues` the server refuses (altered by hand) is said with the server's words.
 */
export async function ownAcusesLoader({ request }: LoaderFunctionArgs): Promise<OwnAcusesData> {
  await signedInSession();
  const despues = new URL(request.url).searchParams.get(NEXT_PAGE_PARAM) ?? undefined;
  try {
    return {
      status: "loaded",
      page: await mailboxApi.acuses(despues, request.signal),
      first: despues === undefined,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** Where an acuse's PDF downloads (the API answers it as an attachment). */
export function acusePdfPath(acuse: AcuseRef): string {
  return `/api/v1/acuses/${encodeURIComponent(acuse.folio)}/pdf?codigo=${encodeURIComponent(acuse.codigo)}`;
}
