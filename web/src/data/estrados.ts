import type { LoaderFunctionArgs } from "react-router";
import { api, problemOf } from "../api/client.ts";
import type { EstradosDetail, EstradosList, ProblemDetails } from "../api/types.ts";

export type EstradosActoData =
  | { status: "loaded"; detail: EstradosDetail }
  | { status: "refused"; problem: ProblemDetails };

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

/**
 * /estrados/:id — one act on the estrados, as its addressee reaches it from their own pages (a
 * promoción answered by an act that went to estrados); a 404 while it is not listed.
 */
export async function estradosActoLoader({
  request,
  params,
}: LoaderFunctionArgs): Promise<EstradosActoData> {
  try {
    return { status: "loaded", detail: await api.estradosDetalle(params.id ?? "", request.signal) };
  } catch (error) {
    return { status: "refused", problem: problemOf(error) };
  }
}
