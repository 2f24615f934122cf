/**
 * The promociones API's wire types (issue 12 §5): the one source for the routes and the web app
 * (`Static<>`). Vite reads this file: no node-only imports. Instants in Zona Centro with their
 * offset (-06:00).
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant } from "../../platform/http/schemas.ts";
import { EstradosPlaceSchema } from "../estrados/schemas.ts";
import { DepositRequestSchema } from "../notificaciones/schemas.ts";

const Uuid = (description: string) => Type.String({ minLength: 36, maxLength: 36, description });
const Sha256 = Type.String({
  pattern: "^[0-9a-f]{64}$",
  description: "SHA-256 de los bytes exactos, 64 dígitos hexadecimales en minúsculas.",
});

export const PromocionTypeIdSchema = Type.String({
  minLength: 1,
  maxLength: 60,
  description: "Tipo de promoción (catalogos/promociones.json).",
  examples: ["aclaracion_orientacion"],
});

export const AttachmentMetaSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: "Nombre del archivo." }),
    sha256: Sha256,
    size: Type.Integer({ minimum: 1, description: "Tamaño en bytes." }),
  },
  { additionalProperties: false },
);

/** POST /api/v1/promociones/desafio. */
export const ChallengeRequestSchema = Type.Object(
  {
    type: PromocionTypeIdSchema,
    subject: Type.String({ minLength: 1, maxLength: 400, description: "Asunto (una línea)." }),
    text: Type.String({ maxLength: 200_000, description: "El escrito (texto)." }),
    notificacionId: Type.Optional(
      Uuid("La notificación que contesta (solo «respuesta_requerimiento», y de tu RFC)."),
    ),
    attachments: Type.Array(AttachmentMetaSchema, {
      maxItems: 100,
      description: "Los anexos, en el orden en que se firman y se envían.",
    }),
  },
  { additionalProperties: false },
);
export type ChallengeRequest = Static<typeof ChallengeRequestSchema>;

export const ChallengeSchema = Type.Object(
  {
    challengeId: Uuid("Desafío de un solo uso, ligado a la sesión."),
    toSign: Type.String({
      description:
        "El manifiesto exacto que el navegador firma con la e.firma de la sesión (docs/promociones.md).",
    }),
    expiresAt: IsoInstant("Vence el desafío (15 minutos)."),
  },
  { additionalProperties: false },
);

export const RespuestaSchema = Type.Object(
  {
    notificacionId: Type.String(),
    plazoDiasHabiles: Type.Union([Type.Integer(), Type.Null()], {
      description: "Plazo del tipo de acto (plazoRespuestaDiasHabiles); null si no lo fija.",
    }),
    venceEl: Type.Union([IsoDate("Último día del plazo (calendario IMSS)."), Type.Null()]),
    enTiempo: Type.Union([Type.Boolean(), Type.Null()], {
      description: "Si se recibió dentro del plazo; null si el plazo no se conoce.",
    }),
  },
  { additionalProperties: false },
);

/** POST /api/v1/promociones (201). */
export const FiledSchema = Type.Object(
  {
    id: Type.String(),
    receivedAt: IsoInstant("Instante legal de recepción (`buzon plazos promocion`, regla f)."),
    acuse: Type.Object(
      { folio: Type.String(), codigo: Type.String() },
      { additionalProperties: false },
    ),
    respuesta: Type.Union([RespuestaSchema, Type.Null()], {
      description:
        "Para una respuesta a requerimiento: el plazo del acto y si se contestó en tiempo.",
    }),
  },
  { additionalProperties: false },
);
export type Filed = Static<typeof FiledSchema>;

export const PromocionStateSchema = Type.Union(
  [
    Type.Literal("recibida"),
    Type.Literal("en_atencion"),
    Type.Literal("respondida"),
    Type.Literal("concluida"),
  ],
  {
    description:
      "recibida → en_atencion → respondida | concluida; una respondida vuelve a en_atencion si se cancela el acto que la respondió.",
  },
);

export const PromocionItemSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    subject: Type.String(),
    state: PromocionStateSchema,
    sentAt: IsoInstant("Cuándo se envió."),
    receivedAt: IsoInstant("Cuándo se tiene por recibida (regla f)."),
  },
  { additionalProperties: false },
);
export const PromocionListSchema = Type.Array(PromocionItemSchema);
export type PromocionItem = Static<typeof PromocionItemSchema>;

export const PromocionListQuerySchema = Type.Object(
  {
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    antesDe: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "Cursor de la página siguiente (cabecera `x-next-cursor` de la anterior).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const PromocionParamsSchema = Type.Object(
  { id: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);

export const AnswerSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("notificacion"), Type.Literal("comunicado")]),
    id: Type.String(),
    at: IsoInstant("Cuándo se respondió."),
    availableAt: IsoInstant("Desde cuándo puede leerse (el aviso de la notificación)."),
    label: Type.Union([Type.String(), Type.Null()], {
      description: "Oficio de la notificación o título del comunicado.",
    }),
    link: Type.String({
      description:
        "Página donde leer la respuesta: la notificación en «Mis notificaciones», su publicación en los estrados electrónicos (`/estrados/{id}`) o el comunicado.",
    }),
    via: Type.Union([Type.Literal("buzon"), Type.Literal("estrados")], {
      description:
        "`estrados` cuando el acto de la respuesta se notifica por estrados (el buzón no estaba habilitado o no tenía medios validados al depositarlo, Lineamientos 7.8): no está en «Mis notificaciones» y `link` lleva a su publicación; `buzon` en otro caso.",
    }),
    estrados: Type.Union([EstradosPlaceSchema, Type.Null()], {
      description: "Las fechas de su publicación en los estrados, cuando `via` es `estrados`.",
    }),
  },
  { additionalProperties: false },
);

/**
 * The names the acuse gives the signed manifest and the e.firma's signature over it: the web's
 * downloads of `signedText` and `p7s` keep them, so each file matches its line of the acuse.
 */
export const MANIFEST_NAME = "manifiesto-firmado.txt";
export const MANIFEST_SIGNATURE_NAME = "firma-promocion.p7s";

export const PromocionDetailSchema = Type.Object(
  {
    ...PromocionItemSchema.properties,
    text: Type.String(),
    textSha256: Sha256,
    signerRfc: Type.String(),
    signedText: Type.String({ description: "El manifiesto firmado, exacto." }),
    signedTextSha256: Sha256,
    certificateNumber: Type.String({ description: "Número del certificado de la e.firma." }),
    certificate: Type.String({ description: "Certificado de la e.firma, DER en base64." }),
    signature: Type.String({
      description: "Firma PKCS#1 v1.5 SHA-256 de `signedText`, en base64.",
    }),
    p7s: Type.String({
      description:
        "La misma firma como CMS desprendido (.p7s, DER en base64) sobre `signedText`: el `firma-promocion.p7s` que lista el acuse (mismo SHA-256), verificable con `openssl cms -verify -binary -noverify -content` o en `POST /api/v1/verificacion/firma`.",
    }),
    attachments: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          sha256: Sha256,
          size: Type.Integer(),
          kind: Type.Union([
            Type.Literal("pdf"),
            Type.Literal("xml"),
            Type.Literal("imagen"),
            Type.Literal("zip"),
          ]),
        },
        { additionalProperties: false },
      ),
    ),
    acuse: Type.Object(
      { folio: Type.String(), codigo: Type.String() },
      { additionalProperties: false },
    ),
    respuesta: Type.Union([RespuestaSchema, Type.Null()]),
    answer: Type.Union([AnswerSchema, Type.Null()]),
    timeline: Type.Array(
      Type.Object(
        {
          event: Type.String(),
          at: IsoInstant("Instante del evento."),
          acuse: Type.Optional(Type.String()),
          reason: Type.Optional(Type.String({ description: "Motivo de la conclusión." })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PromocionDetail = Static<typeof PromocionDetailSchema>;

/* The staff's side (docs/promociones.md, «Atención de promociones»). */

export const StaffQueueQuerySchema = Type.Object(
  {
    estado: Type.Optional(PromocionStateSchema),
    tipo: Type.Optional(Type.String({ maxLength: 60, description: "Tipo de promoción." })),
    asignadoA: Type.Optional(
      Type.String({
        maxLength: 13,
        description: "RFC de quien la atiende, o `sin_asignar`.",
      }),
    ),
    rfc: Type.Optional(Type.String({ maxLength: 13, description: "RFC de quien la presentó." })),
    recibidaDesde: Type.Optional(IsoDate("Recibida desde este día (Zona Centro), incluido.")),
    recibidaHasta: Type.Optional(IsoDate("Recibida hasta este día (Zona Centro), incluido.")),
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    despuesDe: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "Cursor de la página siguiente (cabecera `x-next-cursor` de la anterior).",
      }),
    ),
  },
  { additionalProperties: false },
);
export type StaffQueueQuery = Static<typeof StaffQueueQuerySchema>;

export const StaffQueueItemSchema = Type.Object(
  {
    id: Type.String(),
    rfc: Type.String({ description: "Quien la presentó." }),
    type: Type.String(),
    typeName: Type.String(),
    subject: Type.String(),
    state: PromocionStateSchema,
    assignee: Type.Union([Type.String(), Type.Null()], { description: "Quien la atiende." }),
    attachments: Type.Integer({ minimum: 0, description: "Número de anexos." }),
    sentAt: IsoInstant("Cuándo se envió."),
    receivedAt: IsoInstant("Cuándo se tiene por recibida (regla f)."),
  },
  { additionalProperties: false },
);
export const StaffQueueSchema = Type.Array(StaffQueueItemSchema);
export type StaffQueueItem = Static<typeof StaffQueueItemSchema>;

export const StaffPromocionSchema = Type.Object(
  {
    ...Type.Omit(PromocionDetailSchema, ["timeline", "attachments"]).properties,
    rfc: Type.String(),
    typeName: Type.String(),
    assignee: Type.Union([Type.String(), Type.Null()]),
    conclusion: Type.Union([Type.String(), Type.Null()]),
    attachments: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          sha256: Sha256,
          size: Type.Integer(),
          kind: Type.String(),
          fileName: Type.String({
            description:
              "Nombre con que se descarga: el firmado, sin caracteres invisibles, con la extensión de lo que son sus bytes.",
          }),
          download: Type.String({ description: "Ruta para descargar el anexo." }),
        },
        { additionalProperties: false },
      ),
    ),
    timeline: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          event: Type.String(),
          at: IsoInstant("Instante del evento."),
          actor: Type.Union([Type.String(), Type.Null()], { description: "RFC de quien actuó." }),
          acuse: Type.Optional(Type.String()),
          assignee: Type.Optional(Type.String()),
          text: Type.Optional(Type.String({ description: "Nota interna." })),
          reason: Type.Optional(
            Type.String({ description: "Motivo de la conclusión o de la cancelación del acto." }),
          ),
          notificacionId: Type.Optional(
            Type.String({ description: "El acto de la respuesta (o de la respuesta cancelada)." }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type StaffPromocion = Static<typeof StaffPromocionSchema>;

export const StaffAttachmentParamsSchema = Type.Object(
  { id: Type.String({ maxLength: 64 }), n: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);

export const TakeRequestSchema = Type.Object(
  {
    assignee: Type.Optional(
      Type.String({ maxLength: 13, description: "RFC de quien la atenderá; omitido: quien pide." }),
    ),
    from: Type.Optional(
      Type.Union([Type.String({ maxLength: 13 }), Type.Null()], {
        description:
          "Quien la tenía asignada según la página (null: nadie). Necesario para reasignar: si cambió, 409.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const NoteRequestSchema = Type.Object(
  {
    text: Type.String({
      maxLength: 8000,
      description: "La nota interna (hasta 4,000 caracteres).",
    }),
  },
  { additionalProperties: false },
);

export const ConcludeRequestSchema = Type.Object(
  {
    reason: Type.String({
      maxLength: 2000,
      description: "Motivo (hasta 1,000 caracteres); el particular lo ve.",
    }),
  },
  { additionalProperties: false },
);

/** The deposit's own fields (POST /api/v1/notificaciones) but its key: the promoción's. */
export const NotificacionAnswerRequestSchema = Type.Omit(
  DepositRequestSchema,
  ["idempotencyKey", "replaces"],
  { additionalProperties: false },
);
export type NotificacionAnswerRequest = Static<typeof NotificacionAnswerRequestSchema>;

export const ComunicadoAnswerRequestSchema = Type.Object(
  {
    rfc: Type.String({ maxLength: 13, description: "RFC destinatario: el de la promoción." }),
    title: Type.String({ maxLength: 400 }),
    body: Type.String({ maxLength: 20_000 }),
    sendEmail: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ComunicadoAnswerRequest = Static<typeof ComunicadoAnswerRequestSchema>;

export const PromocionCatalogueSchema = Type.Object(
  {
    version: Type.String(),
    source: Type.String(),
    types: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          presentacion: Type.Union([
            Type.Literal("promociones"),
            Type.Literal("medios_de_contacto"),
          ]),
          notificacion: Type.Union([Type.Literal("requerida"), Type.Literal("no_admitida")]),
          asunto: Type.Object({ maxLength: Type.Integer() }),
          texto: Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() }),
          adjuntos: Type.Object({
            tipos: Type.Array(Type.String()),
            maxArchivos: Type.Integer(),
            maxBytesPorArchivo: Type.Integer(),
            maxBytesTotal: Type.Integer(),
          }),
          nota: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** POST/PUT /api/v1/promociones/borradores… */
export const BorradorRequestSchema = Type.Object(
  {
    type: PromocionTypeIdSchema,
    subject: Type.Optional(Type.String({ maxLength: 400 })),
    text: Type.Optional(Type.String({ maxLength: 200_000 })),
    notificacionId: Type.Optional(Type.Union([Uuid("Notificación que contestará."), Type.Null()])),
    attachments: Type.Optional(Type.Array(AttachmentMetaSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const BorradorSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    subject: Type.String(),
    text: Type.String(),
    notificacionId: Type.Union([Type.String(), Type.Null()]),
    attachments: Type.Array(AttachmentMetaSchema),
    createdAt: IsoInstant("Creado."),
    updatedAt: IsoInstant("Última modificación."),
  },
  { additionalProperties: false },
);
export const BorradorListSchema = Type.Array(BorradorSchema);
