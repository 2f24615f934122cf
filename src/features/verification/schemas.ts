/**
 * What verification answers, to people (Spanish `title`/`detail`) and programs (stable ids): the
 * one source of these shapes for the public API (/api/v1/verificacion/…, validated and
 * serialized with them), `buzon verify --json` and the web page «Verificación de documentos»
 * (`Static<>` in types.ts). Vite reads this file: no node-only imports.
 */
import { Type } from "@sinclair/typebox";
import { AcuseDocumentSchema, FolioSchema } from "../evidence/schemas.ts";

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

/** What was checked. Stored in no table: safe to extend. */
export const CHECK_IDS = [
  /** The cadena original is exactly the one the acuse's data produce (cadena version 1). */
  "cadena",
  /** The sello digital is RSA-SHA256 of the cadena under the seal certificate's key. */
  "sello",
  /** The seal certificate is the Institute's (the verifier's trusted one, or ours on the server). */
  "certificado_sello",
  /** The (unsealed) verification code and QR link are those the seal and folio give. */
  "enlace_verificacion",
  /** The RFC 3161 time-stamp covers SHA-256(seal bytes) and its TSA is trusted. */
  "sello_tiempo",
  /** The tlog-proof puts the cadena in a checkpoint signed with the log's key. */
  "registro",
  /** The checkpoint of the proof agrees with the one the verifier kept (same size and root). */
  "punto_de_control",
  /** The data equal the acuse the Institute holds under that folio (server side only). */
  "coincide_con_registro",
  /**
   * The uploaded PDF carries the Institute's PAdES signature over the whole file, unchanged:
   * it is byte for byte a file the Institute issued.
   */
  "firma_pdf",
  /** A CMS signature over a document verifies (servant-signed documents). */
  "firma",
  /** The signer's certificate chains to a trusted issuer, was valid and is FIEL. */
  "certificado_firmante",
  /** The signer's certificate is not revoked (OCSP/CRL), when a source is configured. */
  "revocacion",
  /**
   * The statement the export carries (what was registered or validated, ADR 0012) is byte for
   * byte the document of its name the acuse seals.
   */
  "texto_sellado",
] as const;

export const CheckIdSchema = literals(CHECK_IDS, "Qué se comprobó (identificador estable).");

/** `ok`: passed; `failed`: proves something is wrong; `warning`: could not be fully checked. */
export const CheckOutcomeSchema = literals(
  ["ok", "failed", "warning"] as const,
  "ok: pasó; failed: prueba que algo está mal; warning: no se pudo comprobar del todo.",
);

export const VerificationCheckSchema = Type.Object(
  {
    id: CheckIdSchema,
    outcome: CheckOutcomeSchema,
    title: Type.String({ description: "Nombre corto, p. ej. «Sello digital del Instituto»." }),
    detail: Type.String({ description: "Una oración en español con lo que se encontró." }),
  },
  { additionalProperties: false },
);

/**
 * - `autentico`: every check ok, the seal certificate and the log key among those trusted
 *   (warnings allowed only where nothing contradicts authenticity).
 * - `no_confirmado`: nothing failed, but the seal certificate or the log key came only inside
 *   the file and were not compared with trusted ones: anyone can make a coherent forgery.
 * - `alterado`: some check failed: the file or data were modified, or are not ours. An uploaded
 *   PDF whose own signature fails is `alterado` even when its attached data are intact.
 * - `no_encontrado`: no acuse with that folio and code, or no acuse seals that document.
 */
export const VerdictSchema = literals(
  ["autentico", "no_confirmado", "alterado", "no_encontrado"] as const,
  "Veredicto.",
);

export const VerifiedAcuseSchema = Type.Object(
  {
    folio: Type.String(),
    kind: Type.String(),
    kindLabel: Type.String({ description: "Tipo en español, p. ej. «Presentación de promoción»." }),
    rfc: Type.String(),
    actorRfc: Type.String(),
    capacity: Type.String(),
    capacityLabel: Type.String(),
    eventAt: Type.String({
      description: "ISO 8601 en Zona Centro con desfase (como en la cadena).",
    }),
    countsAt: Type.String(),
    eventAtText: Type.String({
      description: "El instante en español, p. ej. «lunes 3 de febrero de 2025, 10:07:17 h».",
    }),
    countsAtText: Type.String(),
    rule: Type.String(),
    calendarVersion: Type.String(),
    rulesVersion: Type.String(),
    documents: Type.Array(AcuseDocumentSchema),
    habilitacion: Type.Optional(
      Type.Union([Type.Literal("lineamientos_2020"), Type.Literal("activacion")], {
        description:
          "Cómo estaba habilitado el buzón de la parte cuando ocurrió el acto; solo en acuses cuya cadena original es de la versión 2.",
      }),
    ),
    habilitacionLabel: Type.Optional(
      Type.String({
        description:
          "La habilitación en español, p. ej. «Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)».",
      }),
    ),
    statement: Type.Optional(
      Type.Object(
        {
          name: Type.String({
            description: "El documento sellado que es, p. ej. «medios-de-contacto.txt».",
          }),
          text: Type.String({
            description:
              "El texto exacto (UTF-8): su SHA-256 es la del documento de ese nombre (comprobación `texto_sellado`).",
          }),
        },
        {
          additionalProperties: false,
          description:
            "Lo que se registró o validó, en los acuses de medios de contacto que lo sellan (ADR 0012).",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const LogPosition = Type.Object(
  {
    leafIndex: Type.Integer(),
    treeSize: Type.Integer(),
    root: Type.String({
      description: "Raíz (base64) del punto de control contra el que se comprobó.",
    }),
  },
  { additionalProperties: false },
);

export const AcuseVerificationSchema = Type.Object(
  {
    verdict: VerdictSchema,
    summary: Type.String({ description: "Una oración en español para el encabezado." }),
    checks: Type.Array(VerificationCheckSchema),
    acuse: Type.Optional(VerifiedAcuseSchema),
    seal: Type.Optional(
      Type.Object(
        {
          certificateNumber: Type.String(),
          subject: Type.String(),
          fingerprint: Type.String({
            description: "SHA-256 del certificado del sello, hexadecimal en mayúsculas con «:».",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    timestamp: Type.Optional(
      Type.Object(
        { genTime: Type.String(), tsa: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    log: Type.Optional(LogPosition),
    links: Type.Optional(
      Type.Object(
        { pdf: Type.String(), json: Type.String(), tlogProof: Type.String() },
        { additionalProperties: false, description: "Dónde obtener los archivos del acuse." },
      ),
    ),
    record: Type.Optional(
      Type.Object(VerifiedAcuseSchema.properties, {
        additionalProperties: false,
        description:
          "El acuse como lo guarda el Instituto, cuando el archivo fue alterado pero su folio y código aún identifican un registro: los datos auténticos, aparte de los del archivo.",
      }),
    ),
    olderCopy: Type.Optional(
      Type.Literal(true, {
        description:
          "El PDF subido no lleva firma, pero sus datos sellados adjuntos son los del registro (`record`): puede ser una copia anterior a que el Instituto firmara sus PDF; el PDF vigente, sellado, está en `links.pdf`. El veredicto sigue siendo `alterado`.",
      }),
    ),
    demonstration: Type.Boolean({
      description: "Sellado con un sello de desarrollo: demostración sin validez oficial.",
    }),
  },
  { $id: "AcuseVerification", title: "Verificación de un acuse", additionalProperties: false },
);

/**
 * An acuse that seals a document, as shown to whoever holds the document: what happened and
 * when, never who (no folio, no RFC). A document can be public — the Términos y Condiciones are
 * the same file for everyone — and its hash must not list the people who signed it.
 */
export const SealingAcuseSchema = Type.Object(
  {
    kind: Type.String(),
    kindLabel: Type.String(),
    eventAt: Type.String(),
    eventAtText: Type.String(),
    countsAt: Type.String(),
    countsAtText: Type.String(),
    documentName: Type.String({ description: "El nombre del documento en ese acuse." }),
    log: Type.Optional(LogPosition),
  },
  { additionalProperties: false },
);

export const DocumentVerificationSchema = Type.Object(
  {
    verdict: literals(["autentico", "no_encontrado"] as const, "Veredicto."),
    summary: Type.String(),
    sha256: Type.String(),
    total: Type.Integer({ description: "Cuántos acuses lo hacen constar (se cuentan hasta 50)." }),
    acuses: Type.Array(SealingAcuseSchema, { description: "Los primeros (a lo más 10)." }),
    documento: Type.Optional(
      Type.Object(
        {
          kind: Type.String(),
          kindName: Type.String(),
          period: Type.String(),
          periodLabel: Type.String(),
          publishedOn: Type.String({ description: "Fecha (Zona Centro) en que se publicó." }),
        },
        {
          additionalProperties: false,
          description:
            "Si el Instituto lo publicó en «Mis documentos»: tipo, periodo y fecha; nunca de quién es (quien pregunta puede tener solo la huella).",
        },
      ),
    ),
  },
  { $id: "DocumentVerification", title: "Acuses de un documento", additionalProperties: false },
);

export const SignatureVerificationSchema = Type.Object(
  {
    verdict: literals(
      ["autentico", "no_confirmado", "alterado"] as const,
      "no_confirmado: la firma es válida pero no se pudo comprobar la revocación del certificado.",
    ),
    summary: Type.String(),
    checks: Type.Array(VerificationCheckSchema),
    signer: Type.Optional(
      Type.Object(
        {
          name: Type.String(),
          rfc: Type.String(),
          curp: Type.Optional(Type.String()),
          certificateNumber: Type.String(),
          issuer: Type.String(),
          validFrom: Type.String(),
          validTo: Type.String(),
          staffRole: Type.Optional(
            Type.String({ description: "Rol en el Instituto, si el RFC es de su personal." }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    signedAt: Type.Optional(
      Type.String({ description: "signingTime que declaró quien firmó (ISO UTC), si lo hay." }),
    ),
    sha256: Type.String(),
    acuses: Type.Array(SealingAcuseSchema, {
      description: "Acuses que hacen constar este documento (p. ej. su notificación).",
    }),
  },
  { $id: "SignatureVerification", title: "Verificación de una firma", additionalProperties: false },
);

export const VerificationFolioParamsSchema = Type.Object({ folio: FolioSchema });

export const VerificationCodigoQuerySchema = Type.Object(
  { codigo: Type.String({ minLength: 1, maxLength: 16, description: "Código de verificación." }) },
  { additionalProperties: false },
);

export const DocumentHashParamsSchema = Type.Object({ sha256: Type.String({ maxLength: 64 }) });

export const SignedDocumentBodySchema = Type.Object(
  {
    sha256: Type.String({ maxLength: 64, description: "SHA-256 del documento, hexadecimal." }),
    firma: Type.String({ maxLength: 2 * 1024 * 1024, description: "La firma .p7s." }),
  },
  { additionalProperties: false },
);

/** The acuse export as uploaded: checked by parseAcuseExport, which says in Spanish what is wrong. */
export const UploadedExportSchema = Type.Unknown({
  description:
    "El acuse exportado (JSON buzon-imss-acuse/1), como lo entrega /api/v1/acuses/{folio}/json.",
});
