/**
 * The public log's and the acuse downloads' wire types: the one source for the routes and for
 * any client (`Static<>`). Vite may read this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { FOLIO_PATTERN } from "../../domain/evidence/folio-pattern.ts";

export const FolioSchema = Type.String({
  pattern: FOLIO_PATTERN,
  maxLength: 40,
  description: "Folio del acuse.",
  examples: ["BI-20250203-100717151"],
});

const TreeSize = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

const Base64Hash = Type.String({ description: "SHA-256 en base64." });

export const CodigoSchema = Type.String({
  minLength: 1,
  maxLength: 16,
  description: "Código de verificación impreso en el acuse (últimos 8 caracteres del sello).",
});

export const FolioParamsSchema = Type.Object({ folio: FolioSchema });

export const CodigoQuerySchema = Type.Object(
  { codigo: CodigoSchema },
  { additionalProperties: false },
);

export const InclusionQuerySchema = Type.Object(
  {
    folio: FolioSchema,
    codigo: CodigoSchema,
    size: Type.Optional(TreeSize("Tamaño del árbol; por omisión el del último punto.")),
  },
  { additionalProperties: false },
);

export const InclusionProofSchema = Type.Object(
  {
    folio: Type.String(),
    leafIndex: Type.Integer({ description: "Posición de la hoja, contada desde 0." }),
    treeSize: Type.Integer(),
    leafHash: Base64Hash,
    proof: Type.Array(Base64Hash),
  },
  { additionalProperties: false },
);

export const ConsistencyQuerySchema = Type.Object(
  { desde: TreeSize("Tamaño anterior."), hasta: TreeSize("Tamaño posterior.") },
  { additionalProperties: false },
);

export const ConsistencyProofSchema = Type.Object(
  { size1: Type.Integer(), size2: Type.Integer(), proof: Type.Array(Base64Hash) },
  { additionalProperties: false },
);

export const TlogProofQuerySchema = Type.Object(
  {
    codigo: CodigoSchema,
    tamano: Type.Optional(TreeSize("Tamaño de un punto de control publicado.")),
  },
  { additionalProperties: false },
);

/** A document an acuse seals: its name, SHA-256 (hex) and size. */
export const AcuseDocumentSchema = Type.Object(
  { name: Type.String(), sha256: Type.String(), bytes: Type.Integer() },
  { additionalProperties: false },
);

/** The acuse export (buzon-imss-acuse/1); docs/acuse.md describes each field. */
export const AcuseExportSchema = Type.Object(
  {
    format: Type.Literal("buzon-imss-acuse/1"),
    acuse: Type.Object(
      {
        folio: Type.String(),
        kind: Type.String({ description: "Tipo de acuse (identificador estable)." }),
        parties: Type.Object(
          {
            rfc: Type.String(),
            actorRfc: Type.String(),
            capacity: Type.String({ description: "Calidad en que actuó quien generó el acto." }),
          },
          { additionalProperties: false },
        ),
        eventAt: Type.String({ description: "Instante del acto, Zona Centro con desfase." }),
        countsAt: Type.String({ description: "Instante en que surte, Zona Centro con desfase." }),
        rule: Type.String(),
        calendarVersion: Type.String(),
        rulesVersion: Type.String(),
        documents: Type.Array(AcuseDocumentSchema),
        habilitacion: Type.Optional(
          Type.Union([Type.Literal("lineamientos_2020"), Type.Literal("activacion")], {
            description:
              "Cómo estaba habilitado el buzón de la parte cuando ocurrió el acto. Solo en acuses cuya cadena original es de la versión 2, que lo sella después de rulesVersion.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    cadenaOriginal: Type.String(),
    seal: Type.String({ description: "Sello digital: RSA-SHA256 de la cadena, base64." }),
    sealCertificateNumber: Type.String(),
    sealCertificate: Type.String({ description: "Certificado del sello, DER en base64." }),
    verificationCode: Type.String(),
    verificationUrl: Type.String(),
    timestamp: Type.Optional(
      Type.Object(
        {
          token: Type.String({ description: "TimeStampToken RFC 3161 (DER), base64." }),
          genTime: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    log: Type.Optional(
      Type.Object(
        {
          verifierKey: Type.String(),
          proof: Type.String({ description: "Prueba c2sp.org/tlog-proof@v1." }),
        },
        { additionalProperties: false },
      ),
    ),
    statement: Type.Optional(
      Type.Object(
        {
          name: Type.String({ description: "El documento sellado que es (`documents[].name`)." }),
          text: Type.String({
            description: "Su texto exacto: la SHA-256 de sus bytes UTF-8 es la sellada.",
          }),
        },
        {
          additionalProperties: false,
          description:
            "Lo que se registró o validó, en los acuses de medios de contacto que lo sellan (ADR 0012); ausente en los demás.",
        },
      ),
    ),
  },
  {
    $id: "AcuseExport",
    title: "Acuse exportado (buzon-imss-acuse/1)",
    additionalProperties: false,
  },
);

/** «Mis acuses»: `despues` is the `siguiente` of the previous page, opaque. */
export const OwnAcusesQuerySchema = Type.Object(
  {
    despues: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "El valor `siguiente` de la página anterior, tal cual (opaco).",
      }),
    ),
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const OwnAcuseSchema = Type.Object(
  {
    folio: Type.String(),
    codigo: Type.String({
      description: "Código de verificación (con el folio, en la verificación pública).",
    }),
    kind: Type.String({ description: "Tipo de acuse (identificador estable)." }),
    kindLabel: Type.String({ description: "El tipo en español." }),
    eventAt: Type.String({ description: "Instante del acto, Zona Centro con desfase." }),
    countsAt: Type.String({ description: "Instante en que se tiene por realizado." }),
  },
  { additionalProperties: false },
);

export const OwnAcusesSchema = Type.Object(
  {
    acuses: Type.Array(OwnAcuseSchema, { description: "Del más reciente al más antiguo." }),
    siguiente: Type.Union([Type.String(), Type.Null()], {
      description: "Para la página siguiente (`?despues=`); null si no hay más.",
    }),
  },
  { additionalProperties: false },
);

/** A PDF answer. */
export const PdfSchema = Type.Unsafe<Uint8Array>({ type: "string", format: "binary" });

export type InclusionProof = Static<typeof InclusionProofSchema>;
export type ConsistencyProof = Static<typeof ConsistencyProofSchema>;
export type AcuseExportBody = Static<typeof AcuseExportSchema>;
export type OwnAcuse = Static<typeof OwnAcuseSchema>;
export type OwnAcuses = Static<typeof OwnAcusesSchema>;
