/**
 * «Mis documentos»'s wire types (issue 12 §2, §5): the one source for the routes and the web app
 * (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoInstant } from "../../platform/http/schemas.ts";

const Sha256 = Type.String({
  pattern: "^[0-9a-f]{64}$",
  description: "SHA-256 de los bytes del PDF, 64 dígitos hexadecimales en minúsculas.",
});

export const DocumentoSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    kind: Type.String({ description: "Tipo (catalogos/documentos.json)." }),
    period: Type.String({
      description:
        "AAAA-MM (mensual), AAAA-MM con el mes de cierre del bimestre (bimestral) o AAAA-MM-DD (constancias).",
    }),
    registroPatronal: Type.Union([Type.String(), Type.Null()], {
      description: "El registro patronal (propuestas de cédula); null en las constancias del RFC.",
    }),
    sha256: Sha256,
    kindName: Type.String({ description: "El tipo como se lee." }),
    periodLabel: Type.String({ description: "El periodo como se lee («2.º bimestre de 2026…»)." }),
    fileName: Type.String(),
    bytes: Type.Integer(),
    publishedAt: IsoInstant("Cuándo lo publicó el Instituto."),
  },
  { $id: "Documento", additionalProperties: false },
);
export type Documento = Static<typeof DocumentoSchema>;

export const DocumentoListSchema = Type.Array(DocumentoSchema);

export const DocumentoListQuerySchema = Type.Object(
  {
    kind: Type.Optional(Type.String({ maxLength: 60, description: "Solo de este tipo." })),
    period: Type.Optional(
      Type.String({
        pattern: "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$",
        description: "Solo de este periodo.",
      }),
    ),
    registroPatronal: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z][0-9]{10}$",
        description: "Solo de este registro patronal.",
      }),
    ),
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    antesDe: Type.Optional(
      Type.String({ maxLength: 200, description: "Cursor: la cabecera `x-next-cursor`." }),
    ),
  },
  { additionalProperties: false },
);

export const DocumentoParamsSchema = Type.Object(
  { id: Type.String({ format: "uuid" }) },
  { additionalProperties: false },
);

export const DocumentoKindsSchema = Type.Object(
  {
    version: Type.String(),
    kinds: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          apartado: Type.String(),
          periodo: Type.String(),
          registroPatronal: Type.String(),
          maxBytes: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PublishRequestSchema = Type.Object(
  {
    rfc: Type.String({ minLength: 12, maxLength: 13 }),
    kind: Type.String({ minLength: 1, maxLength: 60 }),
    period: Type.String({ minLength: 7, maxLength: 10 }),
    registroPatronal: Type.Optional(Type.String({ maxLength: 11 })),
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
    document: Type.String({
      pattern: "^[A-Za-z0-9+/]+={0,2}$",
      description: "El PDF en base64.",
    }),
  },
  { additionalProperties: false },
);
export type PublishRequest = Static<typeof PublishRequestSchema>;

export const PublishedSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    sha256: Sha256,
    publishedAt: IsoInstant("Instante de la publicación (la primera, si ya estaba publicado)."),
    outcome: Type.Union([Type.Literal("publicado"), Type.Literal("ya_publicado")]),
  },
  { additionalProperties: false },
);

export const DOCUMENTO_LOTE_MAX_ITEMS = 100;

export const PublishLoteRequestSchema = Type.Object(
  {
    items: Type.Array(PublishRequestSchema, {
      minItems: 1,
      maxItems: DOCUMENTO_LOTE_MAX_ITEMS,
      description: `Hasta ${DOCUMENTO_LOTE_MAX_ITEMS} documentos, cada uno como el cuerpo de POST /api/v1/staff/documentos.`,
    }),
  },
  { additionalProperties: false },
);

/** How far a lote has gone: its 207's `counts` and the progress lines of NDJSON. */
export const PublishLoteCountsSchema = Type.Object(
  {
    total: Type.Integer(),
    done: Type.Integer(),
    published: Type.Integer(),
    alreadyPublished: Type.Integer(),
    refused: Type.Integer(),
  },
  { additionalProperties: false },
);

export const PublishLoteResultSchema = Type.Object(
  {
    counts: PublishLoteCountsSchema,
    results: Type.Array(
      Type.Union([
        Type.Object(
          {
            index: Type.Integer(),
            status: Type.Union([Type.Literal(200), Type.Literal(201)]),
            outcome: Type.Union([Type.Literal("publicado"), Type.Literal("ya_publicado")]),
            id: Type.String({ format: "uuid" }),
            sha256: Sha256,
            publishedAt: IsoInstant("Instante de la publicación."),
          },
          { additionalProperties: false },
        ),
        Type.Object(
          {
            index: Type.Integer(),
            status: Type.Integer({ description: "El estado HTTP que habría tenido solo." }),
            outcome: Type.Literal("rechazado"),
            code: Type.String(),
            detail: Type.String(),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);
