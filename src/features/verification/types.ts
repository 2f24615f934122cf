/**
 * What verification answers, derived (`Static<>`) from the schemas in schemas.ts, which document
 * each field: the same shapes come from the public API, `buzon verify --json` and the web page.
 */
import type { Static } from "@sinclair/typebox";
import type {
  AcuseVerificationSchema,
  CheckIdSchema,
  CheckOutcomeSchema,
  DocumentVerificationSchema,
  SealingAcuseSchema,
  SignatureVerificationSchema,
  VerdictSchema,
  VerificationCheckSchema,
  VerifiedAcuseSchema,
} from "./schemas.ts";

export type CheckId = Static<typeof CheckIdSchema>;
export type CheckOutcome = Static<typeof CheckOutcomeSchema>;
export type VerificationCheck = Static<typeof VerificationCheckSchema>;
export type Verdict = Static<typeof VerdictSchema>;
export type VerifiedAcuse = Static<typeof VerifiedAcuseSchema>;
export type AcuseVerification = Static<typeof AcuseVerificationSchema>;
export type SealingAcuse = Static<typeof SealingAcuseSchema>;
export type DocumentVerification = Static<typeof DocumentVerificationSchema>;
export type SignatureVerification = Static<typeof SignatureVerificationSchema>;
