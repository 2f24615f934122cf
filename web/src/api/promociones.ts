import type { Static } from "@sinclair/typebox";
import type * as Schemas from "../../../src/features/promociones/schemas.ts";
import { getJson, sendForm, sendJson } from "./client.ts";

/* The promociones' wire types (issue 12 §5), from the schemas the server validates with. */
export type PromocionCatalogue = Static<typeof Schemas.PromocionCatalogueSchema>;
export type PromocionTypeData = PromocionCatalogue["types"][number];
export type PromocionChallenge = Static<typeof Schemas.ChallengeSchema>;
export type PromocionChallengeRequest = Static<typeof Schemas.ChallengeRequestSchema>;
export type PromocionFiled = Static<typeof Schemas.FiledSchema>;
export type PromocionItem = Static<typeof Schemas.PromocionItemSchema>;
export type PromocionDetail = Static<typeof Schemas.PromocionDetailSchema>;
export type PromocionState = Static<typeof Schemas.PromocionStateSchema>;
export type Borrador = Static<typeof Schemas.BorradorSchema>;
export type BorradorRequest = Static<typeof Schemas.BorradorRequestSchema>;

const BASE = "/api/v1/promociones";
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;
const draft = (id: string) => `${BASE}/borradores/${encodeURIComponent(id)}`;

/** A page of a newest-first list, and the cursor of the next (the `x-next-cursor` header). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

async function page<T>(
  path: string,
  params: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<Page<T>> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, value);
  }
  // The cursor travels in a header: read it with the body (getJson gives the body only).
  let next: string | null = null;
  const items = await getJson<T[]>(
    path,
    Object.fromEntries(query),
    signal,
    undefined,
    (response) => {
      next = response.headers.get("x-next-cursor");
    },
  );
  return { items, next };
}

/**
 * Promociones electrónicas (issue 12 §1): the particular's catalogue, challenge, signed filing,
 * list, detail and drafts. Every change carries the session's anti-CSRF token.
 */
export const promocionesApi = {
  catalogo(signal?: AbortSignal) {
    return getJson<PromocionCatalogue>(`${BASE}/catalogo`, {}, signal);
  },
  desafio(body: PromocionChallengeRequest, csrfToken: string) {
    return sendJson<PromocionChallenge>("POST", `${BASE}/desafio`, body, { csrfToken });
  },
  /** The multipart filing: challengeId, certificate and signature, then one `files` per anexo. */
  presentar(form: FormData, csrfToken: string) {
    return sendForm<PromocionFiled>(BASE, form, { csrfToken });
  },
  lista(antesDe: string | undefined, signal?: AbortSignal) {
    return page<PromocionItem>(BASE, { limite: "50", antesDe }, signal);
  },
  detalle(id: string, signal?: AbortSignal) {
    return getJson<PromocionDetail>(one(id), {}, signal);
  },
  borradores(signal?: AbortSignal) {
    return getJson<Borrador[]>(`${BASE}/borradores`, {}, signal);
  },
  borrador(id: string, signal?: AbortSignal) {
    return getJson<Borrador>(draft(id), {}, signal);
  },
  crearBorrador(body: BorradorRequest, csrfToken: string) {
    return sendJson<Borrador>("POST", `${BASE}/borradores`, body, { csrfToken });
  },
  guardarBorrador(id: string, body: BorradorRequest, csrfToken: string) {
    return sendJson<Borrador>("PUT", draft(id), body, { csrfToken });
  },
  eliminarBorrador(id: string, csrfToken: string) {
    return sendJson("DELETE", draft(id), undefined, { csrfToken });
  },
};

/* The staff's side: «Atención de promociones» (docs/promociones.md). */
export type StaffQueueItem = Static<typeof Schemas.StaffQueueItemSchema>;
export type StaffPromocion = Static<typeof Schemas.StaffPromocionSchema>;
export type StaffQueueQuery = Static<typeof Schemas.StaffQueueQuerySchema>;
export type NotificacionAnswerRequest = Static<typeof Schemas.NotificacionAnswerRequestSchema>;
export type ComunicadoAnswerRequest = Static<typeof Schemas.ComunicadoAnswerRequestSchema>;

const STAFF = "/api/v1/staff/promociones";
const staffOne = (id: string, rest = "") => `${STAFF}/${encodeURIComponent(id)}${rest}`;

/** The queue, the detail and each decision; every change carries the session's CSRF token. */
export const atencionApi = {
  bandeja(query: Record<string, string | undefined>, signal?: AbortSignal) {
    return page<StaffQueueItem>(STAFF, query, signal);
  },
  detalle(id: string, signal?: AbortSignal) {
    return getJson<StaffPromocion>(staffOne(id), {}, signal);
  },
  tomar(id: string, body: { assignee?: string; from?: string | null }, csrfToken: string) {
    return sendJson<StaffPromocion>("POST", staffOne(id, "/atencion"), body, { csrfToken });
  },
  nota(id: string, text: string, csrfToken: string) {
    return sendJson<StaffPromocion>("POST", staffOne(id, "/notas"), { text }, { csrfToken });
  },
  concluir(id: string, reason: string, csrfToken: string) {
    return sendJson<StaffPromocion>("POST", staffOne(id, "/conclusion"), { reason }, { csrfToken });
  },
  responderConNotificacion(id: string, body: NotificacionAnswerRequest, csrfToken: string) {
    return sendJson<StaffPromocion>("POST", staffOne(id, "/respuesta/notificacion"), body, {
      csrfToken,
    });
  },
  responderConComunicado(id: string, body: ComunicadoAnswerRequest, csrfToken: string) {
    return sendJson<StaffPromocion>("POST", staffOne(id, "/respuesta/comunicado"), body, {
      csrfToken,
    });
  },
};
