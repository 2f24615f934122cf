import { CodedError } from "../errors.ts";

/**
 * Refusals of the contact means and their validation (Lineamientos 5.1–5.2). Stable: clients
 * branch on them; their HTTP statuses are in src/platform/http/errors.ts.
 */
export type MailboxErrorCode =
  | "invalid_phone"
  | "means_limit"
  | "duplicate_means"
  | "registro_patronal_ajeno"
  | "not_in_padron"
  | "wrong_code"
  | "code_expired"
  | "code_locked"
  | "resend_too_soon"
  | "too_many_registrations"
  | "means_not_pending"
  | "removal_disables_mailbox"
  | "aclaracion_not_allowed";

export class MailboxError extends CodedError<MailboxErrorCode> {}
