/**
 * The public verification API (/api/v1/verificacion/…): no session needed. The answers are the
 * server's own types, imported as types only, so the contract has one source.
 */
import { getJson, sendBytes, sendJson } from "./client.ts";

export type {
  AcuseVerification,
  CheckOutcome,
  DocumentVerification,
  SealingAcuse,
  SignatureVerification,
  Verdict,
  VerificationCheck,
  VerifiedAcuse,
} from "../../../src/features/verification/types.ts";

import type {
  AcuseVerification,
  DocumentVerification,
  SignatureVerification,
} from "../../../src/features/verification/types.ts";

export type SignatureSigner = NonNullable<SignatureVerification["signer"]>;

export const verificationApi = {
  /** The folio and the 8-character code printed beside the QR (case-sensitive; + and / travel encoded). */
  acuse(folio: string, codigo: string, signal?: AbortSignal) {
    return getJson<AcuseVerification>(
      `/api/v1/verificacion/acuses/${encodeURIComponent(folio)}`,
      { codigo },
      signal,
    );
  },
  /** The acuse's PDF, sent as it is. */
  pdf(file: Blob, signal?: AbortSignal) {
    return sendBytes<AcuseVerification>("/api/v1/verificacion/pdf", file, "application/pdf", {
      signal,
    });
  },
  /** The acuse's JSON export (acuse.json), already parsed. */
  export(body: unknown, signal?: AbortSignal) {
    return sendJson<AcuseVerification>("POST", "/api/v1/verificacion/acuse", body, { signal });
  },
  /** Acuses that seal a document, found by its SHA-256 (computed in the browser). */
  documento(sha256: string, signal?: AbortSignal) {
    return getJson<DocumentVerification>(
      `/api/v1/verificacion/documentos/${encodeURIComponent(sha256)}`,
      {},
      signal,
    );
  },
  /** A public servant's detached CMS over a document: the document's hash, never the document. */
  firma(body: { sha256: string; firma: string }, signal?: AbortSignal) {
    return sendJson<SignatureVerification>("POST", "/api/v1/verificacion/firma", body, {
      signal,
    });
  },
};
