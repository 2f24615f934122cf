/**
 * «Mis comunicados»'s wire types (issue 12 §3, §5): the one source for the routes and the web
 * app (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoInstant } from "../../platform/http/schemas.ts";

export const ComunicadoItemSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    title: Type.String(),
    publishedAt: IsoInstant("Desde cuándo se muestra."),
    read: Type.Boolean({ description: "Si la persona de la sesión ya lo leyó." }),
    readAt: Type.Union([IsoInstant("Cuándo lo marcó leído."), Type.Null()]),
    excerpt: Type.String({ description: "El principio del texto, en una línea." }),
  },
  { $id: "ComunicadoItem", additionalProperties: false },
);
export type ComunicadoItem = Static<typeof ComunicadoItemSchema>;

export const ComunicadoDetailSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    title: Type.String(),
    publishedAt: IsoInstant("Desde cuándo se muestra."),
    read: Type.Boolean(),
    readAt: Type.Union([IsoInstant("Cuándo lo marcó leído."), Type.Null()]),
    excerpt: Type.String(),
    body: Type.String({ description: "El texto completo (texto simple, saltos de línea `\\n`)." }),
  },
  { additionalProperties: false },
);
export type ComunicadoDetail = Static<typeof ComunicadoDetailSchema>;

export const ComunicadoListSchema = Type.Array(ComunicadoItemSchema);

export const ComunicadoListQuerySchema = Type.Object(
  {
    leido: Type.Optional(Type.Boolean({ description: "Solo leídos (true) o sin leer (false)." })),
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    antesDe: Type.Optional(
      Type.String({ maxLength: 200, description: "Cursor: la cabecera `x-next-cursor`." }),
    ),
  },
  { additionalProperties: false },
);

export const ComunicadoParamsSchema = Type.Object(
  { id: Type.String({ format: "uuid" }) },
  { additionalProperties: false },
);

export const UnreadSchema = Type.Object(
  {
    unread: Type.Integer({ description: "Sin leer (hasta 99)." }),
    capped: Type.Boolean({ description: "Hay más de 99: el menú dice «99+»." }),
  },
  { additionalProperties: false },
);

const AudienceSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("general"), Type.Literal("subdelegacion"), Type.Literal("rfc")]),
    subdelegacion: Type.Optional(Type.String({ maxLength: 20 })),
    rfc: Type.Optional(Type.String({ maxLength: 13 })),
  },
  { additionalProperties: false },
);

export const ComposeRequestSchema = Type.Object(
  {
    title: Type.String({ maxLength: 400 }),
    body: Type.String({ maxLength: 40_000 }),
    audience: AudienceSchema,
    sendEmail: Type.Optional(
      Type.Boolean({ description: "También un correo a cada buzón habilitado al que llega." }),
    ),
    publishedAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "ISO 8601 con zona; vacío: ahora. Programado: se muestra desde entonces.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ComposeRequest = Static<typeof ComposeRequestSchema>;

export const PreviewSchema = Type.Object(
  {
    title: Type.String(),
    body: Type.String(),
    audience: AudienceSchema,
    audienceLabel: Type.String(),
    sendEmail: Type.Boolean(),
    publishedAt: IsoInstant("Desde cuándo se mostraría."),
    scheduled: Type.Boolean(),
    reach: Type.Integer({
      description: "RFC del padrón a los que llega hoy (general: todo el padrón; un RFC: 1).",
    }),
  },
  { additionalProperties: false },
);
export type Preview = Static<typeof PreviewSchema>;

export const StaffComunicadoSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    title: Type.String(),
    body: Type.String(),
    audience: AudienceSchema,
    audienceLabel: Type.String(),
    sendEmail: Type.Boolean(),
    publishedAt: IsoInstant("Desde cuándo se muestra."),
    scheduled: Type.Boolean({ description: "Aún no se muestra." }),
    createdAt: IsoInstant("Cuándo se redactó."),
    createdBy: Type.String(),
    readers: Type.Integer({ description: "Cuántos RFC lo han leído." }),
    emailsEnqueued: Type.Union([Type.Boolean(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type StaffComunicado = Static<typeof StaffComunicadoSchema>;

export const SubdelegacionesSchema = Type.Array(
  Type.Object(
    { id: Type.String(), name: Type.String(), claves: Type.Array(Type.String()) },
    { additionalProperties: false },
  ),
);
export type Subdelegaciones = Static<typeof SubdelegacionesSchema>;
