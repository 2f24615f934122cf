import { CodedError } from "../errors.ts";

/**
 * Refusals of the promociones electrónicas (Lineamientos 6.1–6.5; issue 12 §1). Stable: clients
 * branch on them; their HTTP statuses are in src/platform/http/errors.ts. A refused signature
 * is a 422, not the sign-in's 401: the person is signed in.
 */
export type PromocionErrorCode =
  /** The catalogue file itself is not valid (a start-up refusal). */
  | "promocion_catalogue_invalid"
  /** The type is not in catalogos/promociones.json. */
  | "unknown_promocion_type"
  /** The type is filed elsewhere (the activation's aclaración de medios de contacto). */
  | "promocion_type_elsewhere"
  /** The subject, the text or the notification named do not fit the type. */
  | "promocion_invalid"
  /** An attachment's kind (by its bytes) is not one the type takes, or its name says another. */
  | "attachment_kind_not_allowed"
  /** More attachments than the type takes, or fewer/more parts than were signed. */
  | "attachment_count"
  /** An attachment over the type's limit per file or in total. */
  | "attachment_too_large"
  /** The bytes received are not the ones signed (SHA-256 or size). */
  | "attachment_mismatch"
  /** The challenge does not exist, is not this session's or expired. */
  | "promocion_challenge_invalid"
  /** The certificate is not the e.firma the session signed in with. */
  | "promocion_signer_mismatch"
  /** The certificate or the signature does not verify. */
  | "promocion_signature_refused";

export class PromocionError extends CodedError<PromocionErrorCode> {}
