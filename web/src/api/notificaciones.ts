import { getJson, sendJson } from "./client.ts";
import type {
  ActCatalogue,
  AperturaChallenge,
  AperturaDone,
  AperturaRequest,
  AvisoEvidence,
  Cancelled,
  Deposited,
  DepositRequest,
  NotificacionDetail,
  NotificacionState,
  NotificacionSummary,
  StaffList,
  StaffNotificacionDetail,
} from "./types.ts";

const BASE = "/api/v1/notificaciones";
/** The most acts one page brings (the API's limits). */
const LIST_PAGE = 500;
const STAFF_PAGE = 500;

function one(id: string): string {
  return `${BASE}/${encodeURIComponent(id)}`;
}

/**
 * Electronic notifications (issue 11 §6). The particular lists and reads without opening
 * anything (list ≠ open): only the signed apertura notifies. Staff deposit signed acts, follow
 * them and cancel them. Every change carries the session's anti-CSRF token.
 */
export const notificacionesApi = {
  /** The newest acts, one page of the API's largest (the filters apply to what it brings). */
  lista(signal?: AbortSignal) {
    return getJson<NotificacionSummary[]>(BASE, { limite: String(LIST_PAGE) }, signal);
  },
  detalle(id: string, signal?: AbortSignal) {
    return getJson<NotificacionDetail>(one(id), {}, signal);
  },
  /** The text to sign to open it (CFF 134-I: the acuse is what the person signs). */
  desafioApertura(id: string, csrfToken: string) {
    return sendJson<AperturaChallenge>("POST", `${one(id)}/apertura/desafio`, undefined, {
      csrfToken,
    });
  },
  abrir(id: string, body: AperturaRequest, csrfToken: string) {
    return sendJson<AperturaDone>("POST", `${one(id)}/apertura`, body, { csrfToken });
  },
  /** The act's PDF: answers only once it is notified (403 before). */
  documentoPath(id: string): string {
    return `${one(id)}/documento`;
  },
  /** The catalogue of acts of annex 7. */
  catalogo(signal?: AbortSignal) {
    return getJson<ActCatalogue>(`${BASE}/catalogo`, {}, signal);
  },
  depositar(body: DepositRequest, csrfToken: string, signal?: AbortSignal) {
    return sendJson<Deposited>("POST", BASE, body, { csrfToken, ...(signal ? { signal } : {}) });
  },
  /** Staff: the acts deposited, optionally in one state. */
  personal(state: NotificacionState | undefined, signal?: AbortSignal) {
    return getJson<StaffList>(
      "/api/v1/staff/notificaciones",
      { state, limit: String(STAFF_PAGE) },
      signal,
    );
  },
  /**
   * Staff: one act's follow-up, its state and every event with its acuse (the codes only for
   * the roles that receive the evidence package).
   */
  seguimiento(id: string, signal?: AbortSignal) {
    return getJson<StaffNotificacionDetail>(
      `/api/v1/staff/notificaciones/${encodeURIComponent(id)}`,
      {},
      signal,
    );
  },
  /** Staff: the aviso's evidence (addresses masked), each delivery and its acuse. */
  aviso(id: string, signal?: AbortSignal) {
    return getJson<AvisoEvidence>(
      `/api/v1/staff/notificaciones/${encodeURIComponent(id)}/aviso`,
      {},
      signal,
    );
  },
  /** Staff: the act's evidence package, one ZIP a court can verify file by file. */
  evidenciaPath(id: string): string {
    return `/api/v1/staff/notificaciones/${encodeURIComponent(id)}/evidencia`;
  },
  cancelar(id: string, motivo: string, csrfToken: string) {
    return sendJson<Cancelled>("POST", `${one(id)}/cancelacion`, { motivo }, { csrfToken });
  },
};
