import type { LoaderFunctionArgs } from "react-router";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import { type AclaracionEstado, aclaracionesApi } from "../api/mailbox.ts";
import {
  atencionApi,
  type PromocionTypeData,
  type StaffPromocion,
  type StaffQueueItem,
} from "../api/promociones.ts";
import type { AclaracionItem, ActType, ProblemDetails } from "../api/types.ts";
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

/** The address's parameter of the aclaraciones' list: `atendida`, else the open ones. */
export const ACLARACION_FILTER = "aclaraciones";

/**
 * «Aclaraciones de medios de contacto», beside the promociones (docs/promociones.md): only for
 * the roles the API lets read and attend them; a refusal leaves the promociones' queue whole.
 */
export type AclaracionesData =
  | { status: "hidden" }
  | {
      status: "loaded";
      estado: AclaracionEstado;
      items: AclaracionItem[];
      /** The cursor of the next page («Ver más»), null on the last. */
      next: string | null;
    }
  | { status: "refused"; estado: AclaracionEstado; problem: ProblemDetails };

export type StaffQueueData = (
  | {
      status: "loaded";
      items: StaffQueueItem[];
      next: string | null;
      first: boolean;
      filters: QueueFilters;
      types: PromocionTypeData[];
    }
  | { status: "refused"; problem: ProblemDetails; filters: QueueFilters }
) & { aclaraciones: AclaracionesData };

/** /personal/promociones — the queue, filtered as the address says. */
export async function staffPromocionesLoader({
  request,
}: LoaderFunctionArgs): Promise<StaffQueueData> {
  const session = await signedInSession();
  const params = new URL(request.url).searchParams;
  const filters: QueueFilters = {};
  for (const name of QUEUE_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const cursor = params.get(QUEUE_NEXT_PARAM) ?? undefined;
  const estado: AclaracionEstado =
    params.get(ACLARACION_FILTER) === "atendida" ? "atendida" : "abierta";
  const [queue, aclaraciones] = await Promise.all([
    (async () => {
      try {
        const [page, types] = await Promise.all([
          atencionApi.bandeja({ ...filters, limite: "50", despuesDe: cursor }, request.signal),
          promocionTypes(request.signal),
        ]);
        return {
          status: "loaded" as const,
          items: page.items,
          next: page.next,
          first: cursor === undefined,
          filters,
          types,
        };
      } catch (error) {
        if (isUnauthenticated(error)) throw sessionEnded();
        return { status: "refused" as const, problem: problemOf(error), filters };
      }
    })(),
    aclaracionesOf(session.staffRole, estado, request.signal),
  ]);
  return { ...queue, aclaraciones };
}

/** The first page of the aclaraciones in `estado`, oldest first, when the role may see them. */
async function aclaracionesOf(
  role: string | null | undefined,
  estado: AclaracionEstado,
  signal: AbortSignal,
): Promise<AclaracionesData> {
  if (!ACLARACION_ROLES.includes(role ?? "")) return { status: "hidden" };
  try {
    const list = await aclaracionesApi.lista(estado, undefined, signal);
    return { status: "loaded", estado, items: list.aclaraciones, next: list.next };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", estado, problem: problemOf(error) };
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
/**
 * Roles that read and attend the aclaraciones de medios de contacto (the mailbox routes'
 * `requireStaff`: operador, administrador); the others see no section.
 */
export const ACLARACION_ROLES: readonly string[] = ["operador", "administrador"];
/** Roles that sign and deposit acts (the API's SIGNING_ROLES). */
export const SIGNING_ROLES: readonly string[] = ["notificador", "administrador"];
