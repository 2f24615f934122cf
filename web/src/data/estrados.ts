import type { LoaderFunctionArgs } from "react-router";
import { api, problemOf } from "../api/client.ts";
import type { EstradosList, ProblemDetails } from "../api/types.ts";

export type EstradosData =
  | { status: "loaded"; list: EstradosList; paged: boolean }
  | { status: "refused"; problem: ProblemDetails };

/** /estrados?despues= — one page of the public estrados electrónicos, newest first. */
export async function estradosLoader({ request }: LoaderFunctionArgs): Promise<EstradosData> {
  const despues = new URL(request.url).searchParams.get("despues") ?? undefined;
  try {
    const list = await api.estrados(despues, request.signal);
    return { status: "loaded", list, paged: despues !== undefined };
  } catch (error) {
    return { status: "refused", problem: problemOf(error) };
  }
}
