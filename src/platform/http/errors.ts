import type { DomainErrorCode } from "../../domain/errors.ts";

/** Codes of refusals raised outside the domain. Stable: clients branch on them. */
export type AppErrorCode =
  | "validation"
  | "not_found"
  | "unauthorized"
  | "conflict"
  | "admin_disabled"
  | "unavailable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal";

export type ProblemCode = AppErrorCode | DomainErrorCode;

/** One HTTP status per code, in one place. */
export const STATUS_OF: Record<ProblemCode, number> = {
  validation: 400,
  invalid_instant: 400,
  invalid_date: 400,
  calendar_invalid: 400,
  opened_before_aviso: 400,
  out_of_range: 400,
  calendar_exhausted: 422,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  admin_disabled: 503,
  unavailable: 503,
};

export const TITLE_OF: Record<ProblemCode, string> = {
  validation: "Solicitud inválida",
  invalid_instant: "Fecha y hora inválida",
  invalid_date: "Fecha inválida",
  calendar_invalid: "Calendario inválido",
  opened_before_aviso: "Apertura anterior al aviso",
  out_of_range: "Valor fuera de rango",
  calendar_exhausted: "Calendario sin días hábiles",
  unauthorized: "No autorizado",
  not_found: "No encontrado",
  conflict: "Conflicto",
  payload_too_large: "Contenido demasiado grande",
  unsupported_media_type: "Tipo de contenido no admitido",
  internal: "Error interno",
  admin_disabled: "Administración no disponible",
  unavailable: "Servicio no disponible",
};

export interface FieldProblem {
  /** JSON pointer or parameter name. */
  pointer: string;
  detail: string;
}

/**
 * A refusal for people (`detail`, Spanish) and programs (`code`). `internal` is for logs only
 * and never reaches the response.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail: string;
  readonly errors: FieldProblem[] | undefined;

  constructor(
    code: AppErrorCode,
    detail: string,
    options?: { internal?: string; errors?: FieldProblem[]; cause?: unknown },
  ) {
    super(options?.internal ?? detail, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.detail = detail;
    this.errors = options?.errors;
  }
}
