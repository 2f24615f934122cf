import { es } from "../i18n/es.ts";
import type {
  AuthChallenge,
  Authority,
  CalendarVersionList,
  CalendarYear,
  EmisionResult,
  EstradosDetail,
  EstradosList,
  NotificacionQuery,
  NotificacionResult,
  ProblemDetails,
  PromocionResult,
  SessionCreated,
  SessionList,
  SessionRequest,
  SessionState,
  ValidacionResult,
} from "./types.ts";

/** An API refusal or a failure to reach the API, always with a Spanish `detail` to show. */
export class ApiError extends Error {
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail);
    this.name = "ApiError";
    this.problem = problem;
  }
}

/** A problem made up in the page (a refused file, no connection), shown like a server one. */
export function clientProblem(detail: string, status = 0): ProblemDetails {
  return { type: "about:blank", title: es.errors.title, status, detail };
}

/** The problem to show for anything an API call threw. */
export function problemOf(error: unknown): ProblemDetails {
  if (error instanceof ApiError) return error.problem;
  return clientProblem(es.errors.network);
}

function isProblem(value: unknown): value is ProblemDetails {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.detail === "string" && candidate.detail !== "";
}

/** Extra messages a problem may carry in `errors` (strings, or objects with a message). */
export function problemMessages(problem: ProblemDetails): string[] {
  if (!Array.isArray(problem.errors)) return [];
  const messages: string[] = [];
  for (const item of problem.errors as unknown[]) {
    if (typeof item === "string") messages.push(item);
    else if (typeof item === "object" && item !== null) {
      const { message, detail } = item as Record<string, unknown>;
      if (typeof message === "string") messages.push(message);
      else if (typeof detail === "string") messages.push(detail);
    }
  }
  return messages.filter((m) => m !== problem.detail);
}

/** The response body as JSON, or undefined when there is none (204) or it is not JSON. */
async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return undefined;
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  /** Bytes sent as they are (a file), with their media type, instead of a JSON `body`. */
  raw?: { data: Blob; contentType: string };
  /** A multipart body (fields and files, in order); the browser sets its boundary. */
  form?: FormData;
  /** The session's anti-CSRF token, sent as `x-csrf-token` on state-changing requests. */
  csrfToken?: string;
  /** More headers (the demo's `authorization: Bearer …`). */
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Sees the response before its body is read (a header such as `x-next-cursor`). */
  onResponse?: ((response: Response) => void) | undefined;
}

/**
 * One call to the API. Session cookies go with every request to this origin; problem+json
 * refusals become an ApiError carrying the server's Spanish `detail`.
 */
async function request(url: string, options: RequestOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: "application/json, application/problem+json",
  };
  if (options.raw !== undefined) headers["Content-Type"] = options.raw.contentType;
  else if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.csrfToken !== undefined) headers["x-csrf-token"] = options.csrfToken;

  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      credentials: "same-origin",
      body:
        options.form ??
        (options.raw !== undefined
          ? options.raw.data
          : options.body === undefined
            ? null
            : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(clientProblem(es.errors.network));
  }

  options.onResponse?.(response);
  const body = await readBody(response);
  if (!response.ok) {
    if (isProblem(body)) throw new ApiError(body);
    throw new ApiError(clientProblem(es.errors.unexpected(response.status), response.status));
  }
  return body;
}

/** A GET of JSON; empty or undefined `params` are left out of the query string. */
export async function getJson<T>(
  path: string,
  params: Record<string, string | undefined> = {},
  signal?: AbortSignal,
  headers?: Record<string, string>,
  onResponse?: (response: Response) => void,
): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.size > 0 ? `${path}?${query.toString()}` : path;
  const body = await request(url, { signal, headers, onResponse });
  if (body === undefined) throw new ApiError(clientProblem(es.errors.invalidResponse));
  return body as T;
}

/**
 * A state-changing call (POST or DELETE) with an optional JSON body and, for a signed-in
 * session, its anti-CSRF token. Resolves to the JSON answer, or undefined for 204 No Content.
 */
export async function sendJson<T = undefined>(
  method: "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  options: { csrfToken?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  return (await request(path, { method, body, ...options })) as T;
}

/** A POST of raw bytes (an uploaded file) with their media type; resolves to the JSON answer. */
export async function sendBytes<T>(
  path: string,
  data: Blob,
  contentType: string,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const body = await request(path, { method: "POST", raw: { data, contentType }, ...options });
  if (body === undefined) throw new ApiError(clientProblem(es.errors.invalidResponse));
  return body as T;
}

/** A POST of a multipart form (fields, then files) with the session's anti-CSRF token. */
export async function sendForm<T>(
  path: string,
  form: FormData,
  options: { csrfToken: string; signal?: AbortSignal },
): Promise<T> {
  const body = await request(path, { method: "POST", form, ...options });
  if (body === undefined) throw new ApiError(clientProblem(es.errors.invalidResponse));
  return body as T;
}

/** Whether an error is the API saying there is no signed-in session (401). */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.problem.status === 401;
}

export const api = {
  notificacion(query: NotificacionQuery, signal?: AbortSignal) {
    const { sinMediosDeDefensa, ...rest } = query;
    return getJson<NotificacionResult>(
      "/api/v1/plazos/notificacion",
      { ...rest, sinMediosDeDefensa: sinMediosDeDefensa ? "true" : undefined },
      signal,
    );
  },
  promocion(enviada: string, signal?: AbortSignal) {
    return getJson<PromocionResult>("/api/v1/plazos/promocion", { enviada }, signal);
  },
  emision(at: string, signal?: AbortSignal) {
    return getJson<EmisionResult>("/api/v1/plazos/emision", { at }, signal);
  },
  validacion(registrado: string, signal?: AbortSignal) {
    return getJson<ValidacionResult>("/api/v1/plazos/validacion", { registrado }, signal);
  },
  calendario(year: number, autoridad: Authority, signal?: AbortSignal) {
    return getJson<CalendarYear>(`/api/v1/calendario/${year}`, { autoridad }, signal);
  },
  /** The public estrados electrónicos (CFF 139), newest publication first. */
  estrados(despues: string | undefined, signal?: AbortSignal) {
    return getJson<EstradosList>("/api/v1/estrados", { despues }, signal);
  },
  /** One act on the estrados with its dates and the engine's explanation. */
  estradosDetalle(id: string, signal?: AbortSignal) {
    return getJson<EstradosDetail>(`/api/v1/estrados/${encodeURIComponent(id)}`, {}, signal);
  },
  /** The versions of an authority's calendar, newest first. */
  versionesCalendario(autoridad: Authority, signal?: AbortSignal) {
    return getJson<CalendarVersionList>("/api/v1/calendario/versiones", { autoridad }, signal);
  },
};

/** Sign-in with the e.firma and the signed-in session. */
export const authApi = {
  /** A text to sign with the e.firma, valid for a short time. */
  desafio(rfc: string, signal?: AbortSignal) {
    return sendJson<AuthChallenge>("POST", "/api/v1/auth/desafio", { rfc }, { signal });
  },
  /** Opens a session from the signed challenge; the session cookie comes back with the answer. */
  iniciarSesion(body: SessionRequest, signal?: AbortSignal) {
    return sendJson<SessionCreated>("POST", "/api/v1/auth/sesion", body, { signal });
  },
  /** Who is signed in, or `{ autenticado: false }` (never a 401). */
  sesion(signal?: AbortSignal) {
    return getJson<SessionState>("/api/v1/auth/sesion", {}, signal);
  },
  cerrarSesion(csrfToken: string) {
    return sendJson("DELETE", "/api/v1/auth/sesion", undefined, { csrfToken });
  },
  sesiones(signal?: AbortSignal) {
    return getJson<SessionList>("/api/v1/auth/sesiones", {}, signal);
  },
  cerrarOtraSesion(id: string, csrfToken: string) {
    return sendJson("DELETE", `/api/v1/auth/sesiones/${encodeURIComponent(id)}`, undefined, {
      csrfToken,
    });
  },
};
