import { getJson, sendJson } from "./client.ts";
import type {
  AclaracionFiled,
  AclaracionItem,
  AclaracionList,
  CodeResent,
  DemoClock,
  DemoClockNotice,
  DevMessage,
  MailboxView,
  MeansRegistered,
  MeansRequest,
  MeansValidated,
  OwnAcuses,
  TermsChallenge,
  TermsSigned,
  TermsSignRequest,
} from "./types.ts";

/**
 * The person's Buzón IMSS (issue 9 §7): its state, its means of contact and the Terms. Every
 * change goes with the session's anti-CSRF token.
 */
export const mailboxApi = {
  buzon(signal?: AbortSignal) {
    return getJson<MailboxView>("/api/v1/buzon", {}, signal);
  },
  registrarMedio(body: MeansRequest, csrfToken: string) {
    return sendJson<MeansRegistered>("POST", "/api/v1/buzon/medios", body, { csrfToken });
  },
  validarMedio(id: string, codigo: string, csrfToken: string) {
    return sendJson<MeansValidated>(
      "POST",
      `${meansPath(id)}/validacion`,
      { codigo },
      { csrfToken },
    );
  },
  reenviarCodigo(id: string, csrfToken: string) {
    return sendJson<CodeResent>("POST", `${meansPath(id)}/reenvio`, undefined, { csrfToken });
  },
  eliminarMedio(id: string, csrfToken: string) {
    return sendJson<unknown>("DELETE", meansPath(id), undefined, { csrfToken });
  },
  /** «No me llegó el correo»: an aclaración, within 24 hours of the registration. */
  aclaracion(meansId: string, descripcion: string, csrfToken: string) {
    return sendJson<AclaracionFiled>(
      "POST",
      "/api/v1/buzon/aclaraciones",
      { meansId, ...(descripcion ? { descripcion } : {}) },
      { csrfToken },
    );
  },
  /** «Mis acuses»: a page, newest first; `despues` is the previous page's `siguiente`. */
  acuses(despues: string | undefined, signal?: AbortSignal) {
    return getJson<OwnAcuses>("/api/v1/buzon/acuses", { despues }, signal);
  },
  terminos(signal?: AbortSignal) {
    return getJson<TermsChallenge>("/api/v1/buzon/terminos", {}, signal);
  },
  firmarTerminos(body: TermsSignRequest, csrfToken: string) {
    return sendJson<TermsSigned>("POST", "/api/v1/buzon/terminos", body, { csrfToken });
  },
};

/** What an aclaración's staff queue is filtered by: open or attended. */
export type AclaracionEstado = AclaracionItem["status"];

/**
 * The staff's side of the aclaraciones (operador, administrador): the queue by state, oldest
 * first, a page at a time (the server's 50; `despuesDe` is the last page's `next`), and the
 * attention with the answer the person reads in her mailbox (once: a second is a 409). The
 * attention carries the session's anti-CSRF token.
 */
export const aclaracionesApi = {
  lista(estado: AclaracionEstado, despuesDe?: string, signal?: AbortSignal) {
    return getJson<AclaracionList>("/api/v1/buzon/aclaraciones", { estado, despuesDe }, signal);
  },
  atender(id: string, nota: string, csrfToken: string) {
    return sendJson<AclaracionItem>(
      "POST",
      `/api/v1/buzon/aclaraciones/${encodeURIComponent(id)}/atencion`,
      { nota },
      { csrfToken },
    );
  },
};

function meansPath(id: string): string {
  return `/api/v1/buzon/medios/${encodeURIComponent(id)}`;
}

/**
 * Demo only (`serve --demo`): what the loopback mail and SMS sinks received, and the demo clock.
 * They take the administration token (a bearer token) or an administrator's e.firma session,
 * except the clock's public notice (whether it runs ahead), which every page's banner reads.
 */
export const devApi = {
  mensajes(para: string, auth: DevAuth, signal?: AbortSignal) {
    return getJson<DevMessage[]>("/api/v1/dev/mensajes", { para }, signal, auth.headers);
  },
  reloj(auth: DevAuth, signal?: AbortSignal) {
    return getJson<DemoClock>("/api/v1/dev/reloj", {}, signal, auth.headers);
  },
  moverReloj(at: string, auth: DevAuth) {
    return sendJson<DemoClock>("POST", "/api/v1/dev/reloj", { at }, auth);
  },
  avisoReloj(signal?: AbortSignal) {
    return getJson<DemoClockNotice>("/api/v1/demo/reloj", {}, signal);
  },
};

/** How a dev call proves the administrator: a bearer token, or the session (with its CSRF). */
export interface DevAuth {
  headers?: Record<string, string>;
  csrfToken?: string;
}
