/**
 * What verification answers, to people (Spanish `title`/`detail`) and programs (stable ids).
 * The same shapes come from the public API (/api/v1/verificacion/…), `buzon verify --json` and
 * the web page «Verificación de documentos».
 */

/** What was checked. Stored in no table: safe to extend. */
export type CheckId =
  /** The cadena original is exactly the one the acuse's data produce (cadena version 1). */
  | "cadena"
  /** The sello digital is RSA-SHA256 of the cadena under the seal certificate's key. */
  | "sello"
  /** The seal certificate is the Institute's (the verifier's trusted one, or ours on the server). */
  | "certificado_sello"
  /** The (unsealed) verification code and QR link are those the seal and folio give. */
  | "enlace_verificacion"
  /** The RFC 3161 time-stamp covers SHA-256(seal bytes) and its TSA is trusted. */
  | "sello_tiempo"
  /** The tlog-proof puts the cadena in a checkpoint signed with the log's key. */
  | "registro"
  /** The checkpoint of the proof agrees with the one the verifier kept (same size and root). */
  | "punto_de_control"
  /** The data equal the acuse the Institute holds under that folio (server side only). */
  | "coincide_con_registro"
  /**
   * The uploaded PDF carries the Institute's PAdES signature over the whole file, unchanged:
   * it is byte for byte a file the Institute issued.
   */
  | "firma_pdf"
  /** A CMS signature over a document verifies (servant-signed documents). */
  | "firma"
  /** The signer's certificate chains to a trusted issuer, was valid and is FIEL. */
  | "certificado_firmante"
  /** The signer's certificate is not revoked (OCSP/CRL), when a source is configured. */
  | "revocacion";

/** `ok`: passed; `failed`: proves something is wrong; `warning`: could not be fully checked. */
export type CheckOutcome = "ok" | "failed" | "warning";

export interface VerificationCheck {
  id: CheckId;
  outcome: CheckOutcome;
  /** Short Spanish label, e.g. «Sello digital del Instituto». */
  title: string;
  /** One Spanish sentence saying what was found. */
  detail: string;
}

/**
 * - `autentico`: every check ok, the seal certificate and the log key among those trusted
 *   (warnings allowed only where nothing contradicts authenticity).
 * - `no_confirmado`: nothing failed, but the seal certificate or the log key came only inside
 *   the file and were not compared with trusted ones: anyone can make a coherent forgery.
 * - `alterado`: some check failed: the file or data were modified, or are not ours. An uploaded
 *   PDF whose own signature fails is `alterado` even when its attached data are intact.
 * - `no_encontrado`: no acuse with that folio and code, or no acuse seals that document.
 */
export type Verdict = "autentico" | "no_confirmado" | "alterado" | "no_encontrado";

export interface VerifiedAcuse {
  folio: string;
  kind: string;
  /** Spanish label of the kind, e.g. «Presentación de promoción». */
  kindLabel: string;
  rfc: string;
  actorRfc: string;
  capacity: string;
  capacityLabel: string;
  /** ISO 8601 in Zona Centro with offset (as in the cadena). */
  eventAt: string;
  countsAt: string;
  /** Spanish text of the instants in Zona Centro, e.g. «lunes 3 de febrero de 2025, 10:07:17 h». */
  eventAtText: string;
  countsAtText: string;
  rule: string;
  calendarVersion: string;
  rulesVersion: string;
  documents: { name: string; sha256: string; bytes: number }[];
}

export interface AcuseVerification {
  verdict: Verdict;
  /** One Spanish sentence for the banner. */
  summary: string;
  checks: VerificationCheck[];
  acuse?: VerifiedAcuse;
  seal?: {
    certificateNumber: string;
    subject: string;
    /** SHA-256 fingerprint of the seal certificate, uppercase hex with colons (as openssl). */
    fingerprint: string;
  };
  timestamp?: { genTime: string; tsa?: string };
  log?: {
    leafIndex: number;
    treeSize: number;
    /** Base64 root of the checkpoint the proof was checked against. */
    root: string;
  };
  /** Where to get the acuse's files (server answers only). */
  links?: { pdf: string; json: string; tlogProof: string };
  /**
   * The acuse as the Institute keeps it, when the file was altered but its folio and code still
   * identify a record (server answers only): the authentic data, to show apart from the file's.
   */
  record?: VerifiedAcuse;
  /**
   * Sealed with a development seal (its certificate carries DEV_SEAL_MARKER): a demonstration
   * without legal value, whatever the verdict.
   */
  demonstration: boolean;
}

/**
 * An acuse that seals a document, as shown to whoever holds the document: what happened and
 * when, never who (no folio, no RFC). A document can be public — the Términos y Condiciones are
 * the same file for everyone — and its hash must not list the people who signed it.
 */
export interface SealingAcuse {
  kind: string;
  kindLabel: string;
  eventAt: string;
  eventAtText: string;
  countsAt: string;
  countsAtText: string;
  /** The document's name in that acuse. */
  documentName: string;
  log: { leafIndex: number; treeSize: number; root: string } | undefined;
}

/** Acuses found sealing a document hash (upload of the original document). */
export interface DocumentVerification {
  verdict: "autentico" | "no_encontrado";
  summary: string;
  sha256: string;
  /** How many acuses seal it (counted up to 50); `acuses` lists the first ones (at most 10). */
  total: number;
  acuses: SealingAcuse[];
}

/** A document signed with a public servant's e.firma (detached CMS). */
export interface SignatureVerification {
  /** `no_confirmado`: the signature verifies, but the certificate's revocation could not be checked. */
  verdict: "autentico" | "no_confirmado" | "alterado";
  summary: string;
  checks: VerificationCheck[];
  signer?: {
    name: string;
    rfc: string;
    curp: string | undefined;
    certificateNumber: string;
    issuer: string;
    validFrom: string;
    validTo: string;
    /** Role in the Institute when the RFC is registered staff. */
    staffRole: string | undefined;
  };
  /** signingTime the signer declared (ISO UTC), if any. */
  signedAt: string | undefined;
  sha256: string;
  /** Acuses that seal this document (e.g. its notification), if any. */
  acuses: SealingAcuse[];
}
