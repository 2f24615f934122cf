import type { EfirmaErrorCode } from "../../domain/efirma/errors.ts";
import type { DomainErrorCode } from "../../domain/errors.ts";

/** Codes of refusals raised outside the domain. Stable: clients branch on them. */
export type AppErrorCode =
  | "validation"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "csrf"
  | "rate_limited"
  | "conflict"
  | "admin_disabled"
  | "unavailable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal";

export type ProblemCode = AppErrorCode | DomainErrorCode | EfirmaErrorCode;

/** One HTTP status per code, in one place. */
export const STATUS_OF: Record<ProblemCode, number> = {
  validation: 400,
  invalid_instant: 400,
  invalid_date: 400,
  calendar_invalid: 400,
  opened_before_aviso: 400,
  out_of_range: 400,
  invalid_rfc: 400,
  invalid_curp: 400,
  invalid_nss: 400,
  invalid_registro_patronal: 400,
  calendar_exhausted: 422,
  not_a_certificate: 400,
  not_a_key: 400,
  file_too_large: 413,
  wrong_password: 400,
  unsupported_key: 400,
  key_mismatch: 400,
  csd_not_fiel: 401,
  certificate_expired: 401,
  certificate_not_yet_valid: 401,
  certificate_revoked: 401,
  unknown_issuer: 401,
  rfc_mismatch: 401,
  signature_invalid: 401,
  challenge_invalid: 401,
  revocation_unavailable: 503,
  unauthorized: 401,
  forbidden: 403,
  csrf: 403,
  rate_limited: 429,
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
  invalid_rfc: "RFC inválido",
  invalid_curp: "CURP inválida",
  invalid_nss: "NSS inválido",
  invalid_registro_patronal: "Registro patronal inválido",
  calendar_exhausted: "Calendario sin días hábiles",
  not_a_certificate: "Certificado inválido",
  not_a_key: "Llave privada inválida",
  file_too_large: "Archivo demasiado grande",
  wrong_password: "Contraseña incorrecta",
  unsupported_key: "Llave privada no admitida",
  key_mismatch: "La llave no corresponde al certificado",
  csd_not_fiel: "Sello digital en lugar de e.firma",
  certificate_expired: "Certificado vencido",
  certificate_not_yet_valid: "Certificado aún no vigente",
  certificate_revoked: "Certificado revocado",
  unknown_issuer: "Emisor no reconocido",
  rfc_mismatch: "El RFC no coincide",
  signature_invalid: "Firma inválida",
  challenge_invalid: "Desafío de acceso inválido",
  revocation_unavailable: "Revocación no verificable",
  unauthorized: "No autorizado",
  forbidden: "Prohibido",
  csrf: "Falta la protección contra falsificación de solicitudes",
  rate_limited: "Demasiadas solicitudes",
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
