import type { LoaderFunctionArgs } from "react-router";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import {
  atencionApi,
  type PromocionTypeData,
  type StaffPromocion,
  type StaffQueueItem,
} from "../api/promociones.ts";
import type { ActType, ProblemDetails } from "../api/types.ts";
import { sessionEnded, signedInSession } from "./auth.ts";
import { actTypes } from "./notificaciones.ts";
import { promocionTypes } from "./promociones.ts";

/**
 * «Atención de promociones» (issue 12 §1), the staff's side: the queue with its filters in the
 * address (so a filtered queue can be linked and reloaded) and one promoción with every step.
 * The decisions are taken by the page itself (each answers the promoción as it is after it).
 */

/** The queue's filters, by their names in the address and in the API. */
export const QUEUE_FILTERS = [
  "estado",
  "tipo",
  "asignadoA",
  "rfc",
  "recibidaDesde",
  "recibidaHasta",
] as const;
export type QueueFilters = Partial<Record<(typeof QUEUE_FILTERS)[number], string>>;
export const QUEUE_NEXT_PARAM = "despuesDe";

export type StaffQueueData =
  | {
      status: "loaded";
      items: StaffQueueItem[];
      next: string | null;
      first: boolean;
      filters: QueueFilters;
      types: PromocionTypeData[];
    }
  | { status: "refused"; problem: ProblemDetails; filters: QueueFilters };

/** /personal/promociones — the queue, filtered as the address says. */
export async function staffPromocionesLoader({
  request,
}: LoaderFunctionArgs): Promise<StaffQueueData> {
  await signedInSession();
  const params = new URL(request.url).searchParams;
  const filters: QueueFilters = {};
  for (const name of QUEUE_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const cursor = params.get(QUEUE_NEXT_PARAM) ?? undefined;
  try {
    const [page, types] = await Promise.all([
      atencionApi.bandeja({ ...filters, limite: "50", despuesDe: cursor }, request.signal),
      promocionTypes(request.signal),
    ]);
    return {
      status: "loaded",
      items: page.items,
      next: page.next,
      first: cursor === undefined,
      filters,
      types,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error), filters };
  }
}

export type StaffPromocionData =
  | { status: "loaded"; detail: StaffPromocion; actTypes: ActType[] }
  | { status: "refused"; problem: ProblemDetails };

/** /personal/promociones/:id — one promoción, its internal notes and its steps. */
export async function staffPromocionLoader({
  request,
  params,
}: LoaderFunctionArgs): Promise<StaffPromocionData> {
  await signedInSession();
  try {
    const [detail, types] = await Promise.all([
      atencionApi.detalle(params.id ?? "", request.signal),
      actTypes(request.signal),
    ]);
    return { status: "loaded", detail, actTypes: types };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** Roles that take, note, conclude and answer with a comunicado (the API's ATENCION_ROLES). */
export const ATTENDING_ROLES: readonly string[] = ["operador", "administrador"];
/** Roles that sign and deposit acts (the API's SIGNING_ROLES). */
export const SIGNING_ROLES: readonly string[] = ["notificador", "administrador"];
