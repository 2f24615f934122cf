import type { LoaderFunctionArgs } from "react-router";
import { clientProblem, isUnauthenticated, problemOf } from "../api/client.ts";
import { type ExpedienteFilters, type ExpedienteItem, expedientesApi } from "../api/expedientes.ts";
import type { ProblemDetails } from "../api/types.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";

/** The address's parameters of «Mis expedientes»: the API's own names. */
export const EXPEDIENTE_FILTERS = {
  q: "q",
  clase: "clase",
  desde: "desde",
  hasta: "hasta",
  registroPatronal: "registroPatronal",
} as const;

const CLASES = ["notificacion", "promocion", "documento", "comunicado"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const REGISTRO = /^[A-Za-z]\d{10}$/;

export type ExpedientesData =
  | {
      status: "loaded";
      items: ExpedienteItem[];
      next: string | null;
      filters: ExpedienteFilters;
      filtered: boolean;
    }
  | { status: "refused"; problem: ProblemDetails; filters: ExpedienteFilters };

/** The filters in the address, as the API takes them (empty ones left out). */
export function filtersOf(params: URLSearchParams): ExpedienteFilters {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const clase = text(EXPEDIENTE_FILTERS.clase);
  const filters: ExpedienteFilters = {};
  const q = text(EXPEDIENTE_FILTERS.q);
  if (q) filters.q = q;
  if (clase && (CLASES as readonly string[]).includes(clase)) {
    filters.clase = clase as ExpedienteFilters["clase"];
  }
  const desde = text(EXPEDIENTE_FILTERS.desde);
  if (desde) filters.desde = desde;
  const hasta = text(EXPEDIENTE_FILTERS.hasta);
  if (hasta) filters.hasta = hasta;
  const registro = text(EXPEDIENTE_FILTERS.registroPatronal);
  if (registro) filters.registroPatronal = registro.toUpperCase();
  return filters;
}

/** /buzon/expedientes — the first page of the person's list with the filters in the address. */
export async function expedientesLoader({ request }: LoaderFunctionArgs): Promise<ExpedientesData> {
  await signedInSession();
  const filters = filtersOf(new URL(request.url).searchParams);
  const t = es.expedientes.lista;
  // A malformed filter is said here, in Spanish, before asking the API.
  for (const day of [filters.desde, filters.hasta]) {
    if (day && !DAY.test(day)) {
      return { status: "refused", problem: clientProblem(t.dateInvalid, 400), filters };
    }
  }
  if (filters.registroPatronal && !REGISTRO.test(filters.registroPatronal)) {
    return { status: "refused", problem: clientProblem(t.registroInvalid, 400), filters };
  }
  try {
    const page = await expedientesApi.lista(filters, request.signal);
    return {
      status: "loaded",
      items: page.items,
      next: page.next,
      filters,
      filtered: Object.keys(filters).length > 0,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error), filters };
  }
}
