import { es } from "../i18n/es.ts";
import type {
  CalendarYear,
  EmisionResult,
  NotificacionResult,
  ProblemDetails,
  PromocionResult,
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

function clientProblem(detail: string, status = 0): ProblemDetails {
  return { type: "about:blank", title: es.errors.title, status, detail };
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

async function getJson<T>(
  path: string,
  params: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.size > 0 ? `${path}?${query.toString()}` : path;

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: "application/json, application/problem+json" },
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(clientProblem(es.errors.network));
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    body = undefined;
  }

  if (!response.ok) {
    if (isProblem(body)) throw new ApiError(body);
    throw new ApiError(clientProblem(es.errors.unexpected(response.status), response.status));
  }
  if (body === undefined) throw new ApiError(clientProblem(es.errors.invalidResponse));
  return body as T;
}

export const api = {
  notificacion(aviso: string, abierto: string | undefined, signal?: AbortSignal) {
    return getJson<NotificacionResult>("/api/v1/plazos/notificacion", { aviso, abierto }, signal);
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
  calendario(year: number, signal?: AbortSignal) {
    return getJson<CalendarYear>(`/api/v1/calendario/${year}`, {}, signal);
  },
};
