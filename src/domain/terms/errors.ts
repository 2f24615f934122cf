import { CodedError } from "../errors.ts";

/**
 * Refusals of the Términos y Condiciones: publishing a version and signing one. A certificate
 * or signature refused while signing is `terms_signature_refused` (422), not the sign-in's 401
 * codes: the person is signed in, and a 401 would tell the page the session ended.
 */
export type TermsErrorCode =
  /** The text to publish is empty, too large or not text. */
  | "terms_text_invalid"
  /** The text to publish is the current version's. */
  | "terms_unchanged"
  /** The signing challenge does not exist, is not this session's, was used or expired. */
  | "terms_challenge_invalid"
  /** The challenge was for a version that is no longer the current one. */
  | "terms_version_outdated"
  /** The certificate is not the e.firma the session signed in with. */
  | "terms_signer_mismatch"
  /** The certificate or the signature does not verify (expired, revoked, wrong key…). */
  | "terms_signature_refused"
  /** Contact means are not validated yet (Lineamientos 5.2): nothing to enable. */
  | "terms_means_not_validated"
  /** The current version is already signed for this mailbox. */
  | "terms_already_signed";

export class TermsError extends CodedError<TermsErrorCode> {}
