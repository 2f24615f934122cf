import { CodedError } from "../errors.ts";

/**
 * Refusals about the acts notified electronically (Lineamientos 7.1–7.10; issue 11): deposit,
 * catalogue, document. The lifecycle's own refusals are in lifecycle.ts. Stable: clients
 * branch on them; their HTTP statuses are in src/platform/http/errors.ts.
 */
export type ActErrorCode =
  /** The act type is not in the catalogue of annex 7. */
  | "unknown_act_type"
  /** The catalogue file itself is not valid (a start-up refusal). */
  | "act_catalogue_invalid"
  /** The same idempotency key was used for another request. */
  | "idempotency_conflict"
  /** The addressee's RFC is not in the padrón. */
  | "addressee_not_in_padron"
  /** The registro patronal given does not belong to the addressee's RFC. */
  | "registro_patronal_not_of_addressee"
  /** The detached signature does not cover these document bytes, or does not verify. */
  | "document_signature_invalid"
  /** The signer is not active staff allowed to sign acts (notificador or administrador). */
  | "signer_not_authorized"
  /** A staff member who neither deposited nor signed the act, and is not an administrador, cancels it. */
  | "cancellation_not_authorized"
  /** The same signed document is already a live (not cancelled) act. */
  | "document_already_deposited"
  /** The document of an act the Institute cancelled is asked for. */
  | "act_cancelled"
  /** The document is asked for before the act is notified. */
  | "not_yet_notified";

export class ActError extends CodedError<ActErrorCode> {}
