/**
 * The Términos y Condiciones API's wire types: the one source for the routes and the web app
 * (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { CodigoSchema, FolioSchema } from "../evidence/schemas.ts";
import { MailboxStateSchema } from "../mailbox/schemas.ts";

const Sha256Hex = Type.String({
  pattern: "^[0-9a-f]{64}$",
  description: "SHA-256 del texto exacto (bytes UTF-8), en hexadecimal.",
});

export const TermsVersionLabel = Type.String({
  pattern: "^[1-9][0-9]{0,8}$",
  description: "Número de versión de los Términos y Condiciones.",
  examples: ["1"],
});

/** Base64 of a few KiB at most, as sign-in takes them. */
const Base64 = (maxLength: number, description: string) =>
  Type.String({ pattern: "^[A-Za-z0-9+/]+={0,2}$", maxLength, description });

/** GET /api/v1/buzon/terminos: the current version and a challenge to sign it. */
export const TermsChallengeSchema = Type.Object(
  {
    version: TermsVersionLabel,
    sha256: Sha256Hex,
    text: Type.String({ description: "El texto exacto de la versión vigente." }),
    challengeId: Type.String({ format: "uuid" }),
    toSign: Type.String({
      description:
        "El texto exacto que se firma con la e.firma (UTF-8): `Buzón IMSS|terminos|<RFC>|<versión>|<SHA-256>|<instante>|<desafío>|<nonce>` (docs/efirma.md).",
    }),
    expiresAt: Type.String({ format: "date-time", description: "Vence el desafío." }),
    publishedAt: Type.String({ format: "date-time", description: "Publicación de la versión." }),
  },
  { additionalProperties: false },
);

/** POST /api/v1/buzon/terminos. */
export const TermsSignatureRequestSchema = Type.Object(
  {
    challengeId: Type.String({ format: "uuid" }),
    certificate: Base64(32_768, "Certificado (.cer) de la e.firma de la sesión, en base64 (DER)."),
    signature: Base64(2_048, "Firma RSA-SHA256 (PKCS#1 v1.5) de `toSign`, en base64."),
  },
  { additionalProperties: false },
);

export const TermsSignedSchema = Type.Object(
  {
    acuse: Type.Object(
      { folio: FolioSchema, codigo: CodigoSchema },
      { additionalProperties: false },
    ),
    state: MailboxStateSchema,
  },
  { additionalProperties: false },
);

export const TermsVersionParamsSchema = Type.Object({ version: TermsVersionLabel });

export const TermsVersionSummarySchema = Type.Object(
  {
    version: TermsVersionLabel,
    sha256: Sha256Hex,
    bytes: Type.Integer(),
    note: Type.String(),
    publishedAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

export const TermsVersionListSchema = Type.Object(
  { versions: Type.Array(TermsVersionSummarySchema) },
  { additionalProperties: false },
);

/** POST /api/v1/terminos/versiones (administration). */
export const PublishTermsBodySchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 262_144, description: "El texto exacto." }),
    note: Type.String({ minLength: 1, maxLength: 500, description: "Motivo de la versión." }),
  },
  { additionalProperties: false },
);

/**
 * The evidence of a signature of the Terms, to anyone holding the acuse's folio and code: the
 * exact signed text, the certificate and the signature, and the same as a detached CMS (.p7s)
 * over the signed text, which the signature verification page and OpenSSL check.
 */
export const TermsSignatureEvidenceSchema = Type.Object(
  {
    folio: FolioSchema,
    rfc: Type.String(),
    signerRfc: Type.String({ description: "RFC de quien firmó (el representante, en una moral)." }),
    version: TermsVersionLabel,
    sha256: Sha256Hex,
    signedText: Type.String({ description: "El texto exacto que se firmó (UTF-8)." }),
    signedTextSha256: Sha256Hex,
    signedAt: Type.String({ format: "date-time" }),
    certificateNumber: Type.String(),
    certificate: Type.String({ description: "Certificado de la e.firma, DER en base64." }),
    signature: Type.String({ description: "Firma PKCS#1 v1.5 SHA-256, en base64." }),
    p7s: Type.String({
      description:
        "La misma firma como CMS desprendido (.p7s, DER en base64) sobre `signedText`: verificable con `openssl cms -verify -binary -noverify -content` o en la página de verificación de firmas.",
    }),
  },
  { additionalProperties: false },
);

export type TermsChallenge = Static<typeof TermsChallengeSchema>;
export type TermsSignatureRequest = Static<typeof TermsSignatureRequestSchema>;
export type TermsSigned = Static<typeof TermsSignedSchema>;
export type TermsVersionSummary = Static<typeof TermsVersionSummarySchema>;
export type TermsSignatureEvidence = Static<typeof TermsSignatureEvidenceSchema>;
