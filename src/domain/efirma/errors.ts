import { CodedError } from "../errors.ts";

/**
 * Refusals about e.firma credentials. Each has a stable code and a Spanish message a person
 * can act on; the HTTP layer maps codes to statuses (src/platform/http/errors.ts).
 */
export type EfirmaErrorCode =
  | "not_a_certificate"
  | "not_a_key"
  | "file_too_large"
  | "wrong_password"
  | "unsupported_key"
  | "key_mismatch"
  | "csd_not_fiel"
  | "certificate_expired"
  | "certificate_not_yet_valid"
  | "certificate_revoked"
  | "unknown_issuer"
  | "revocation_unavailable"
  | "rfc_mismatch"
  | "signature_invalid"
  | "challenge_invalid";

export class EfirmaError extends CodedError<EfirmaErrorCode> {}

/** Certificates and keys are a few KiB; anything bigger is not one, and parsing it costs time. */
export const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;
