import type { Static } from "@sinclair/typebox";
import type * as Comunicados from "../../../src/features/comunicados/schemas.ts";
import type * as Documentos from "../../../src/features/documentos/schemas.ts";
import type * as Expedientes from "../../../src/features/expedientes/schemas.ts";
import { getJson, sendJson } from "./client.ts";

/* «Mis documentos» and «Mis comunicados» wire types (issue 12 §5), from the server's schemas. */
export type Documento = Static<typeof Documentos.DocumentoSchema>;
export type DocumentoKinds = Static<typeof Documentos.DocumentoKindsSchema>;
export type ComunicadoItem = Static<typeof Comunicados.ComunicadoItemSchema>;
export type ComunicadoDetail = Static<typeof Comunicados.ComunicadoDetailSchema>;
export type Unread = Static<typeof Comunicados.UnreadSchema>;
export type ComposeRequest = Static<typeof Comunicados.ComposeRequestSchema>;
export type ComunicadoPreview = Static<typeof Comunicados.PreviewSchema>;
export type StaffComunicado = Static<typeof Comunicados.StaffComunicadoSchema>;
export type Subdelegaciones = Static<typeof Comunicados.SubdelegacionesSchema>;

export type ExpedienteItem = Static<typeof Expedientes.ExpedienteItemSchema>;
export type ExpedienteFilters = Static<typeof Expedientes.ExpedienteFiltersSchema>;

export interface Page<T> {
  items: T[];
  next: string | null;
}

async function page<T>(
  path: string,
  params: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<Page<T>> {
  let next: string | null = null;
  const items = await getJson<T[]>(path, params, signal, undefined, (response) => {
    next = response.headers.get("x-next-cursor");
  });
  return { items, next };
}

const id = (value: string) => encodeURIComponent(value);

export const documentosApi = {
  tipos(signal?: AbortSignal) {
    return getJson<DocumentoKinds>("/api/v1/documentos/tipos", {}, signal);
  },
  lista(
    filters: { kind?: string; period?: string; registroPatronal?: string; antesDe?: string },
    signal?: AbortSignal,
  ) {
    return page<Documento>("/api/v1/documentos", { ...filters, limite: "25" }, signal);
  },
  /** The PDF's address, for a plain download link (the session cookie goes with it). */
  archivoPath(documentoId: string) {
    return `/api/v1/documentos/${id(documentoId)}/archivo`;
  },
};

export const comunicadosApi = {
  lista(filters: { leido?: string; antesDe?: string }, signal?: AbortSignal) {
    return page<ComunicadoItem>("/api/v1/comunicados", { ...filters, limite: "25" }, signal);
  },
  detalle(comunicadoId: string, signal?: AbortSignal) {
    return getJson<ComunicadoDetail>(`/api/v1/comunicados/${id(comunicadoId)}`, {}, signal);
  },
  sinLeer(signal?: AbortSignal) {
    return getJson<Unread>("/api/v1/comunicados/sin-leer", {}, signal);
  },
  marcarLeido(comunicadoId: string, csrfToken: string) {
    return sendJson("POST", `/api/v1/comunicados/${id(comunicadoId)}/leido`, undefined, {
      csrfToken,
    });
  },
  subdelegaciones(signal?: AbortSignal) {
    return getJson<Subdelegaciones>("/api/v1/staff/comunicados/subdelegaciones", {}, signal);
  },
  vistaPrevia(body: ComposeRequest, csrfToken: string) {
    return sendJson<ComunicadoPreview>("POST", "/api/v1/staff/comunicados/vista-previa", body, {
      csrfToken,
    });
  },
  publicar(body: ComposeRequest, csrfToken: string) {
    return sendJson<StaffComunicado>("POST", "/api/v1/staff/comunicados", body, { csrfToken });
  },
  staffLista(signal?: AbortSignal) {
    return page<StaffComunicado>("/api/v1/staff/comunicados", { limite: "50" }, signal);
  },
};

/** «Mis expedientes» (issue 12 §4): the four in one list, and its CSV. */
export const expedientesApi = {
  lista(filters: ExpedienteFilters & { antesDe?: string }, signal?: AbortSignal) {
    return page<ExpedienteItem>("/api/v1/expedientes", { ...filters, limite: "25" }, signal);
  },
  /** The CSV's address with the same filters, for a plain download link. */
  csvPath(filters: ExpedienteFilters) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    return query.size > 0 ? `/api/v1/expedientes.csv?${query}` : "/api/v1/expedientes.csv";
  },
};
