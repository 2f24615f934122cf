/**
 * The notifications API's wire types (issue 11 §6): the one source for the routes and the web
 * app (`Static<>`). Vite reads this file: no node-only imports. Field names and values are those
 * of `buzon plazos notificacion`; instants in Zona Centro with their offset (-06:00).
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant } from "../../platform/http/schemas.ts";
import type { StaffRoleSchema } from "../auth/schemas.ts";
import { CodigoSchema, FolioSchema } from "../evidence/schemas.ts";
import { ExplanationSchema, WarningSchema } from "../plazos/schemas.ts";

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const NotificacionStateSchema = Type.Union(
  [
    Type.Literal("depositada"),
    Type.Literal("pendiente"),
    Type.Literal("notificada"),
    Type.Literal("cancelada"),
    Type.Literal("estrados"),
  ],
  {
    description:
      "depositada: aún no disponible (antes del instante del aviso); pendiente: disponible, esperando apertura; notificada; cancelada; estrados: el buzón no está habilitado o no tiene medios validados.",
  },
);

export const NotifiedBySchema = Type.Union(
  [Type.Literal("apertura"), Type.Literal("ministerio_de_ley"), Type.Literal("estrados")],
  { description: "Cómo quedó notificada." },
);

export const ActTypeIdSchema = Type.String({
  pattern: "^7\\.([1-9]|1[0-8])$",
  description: "Numeral del anexo 7 (catalogos/actos-anexo-7.json): «7.1» … «7.18».",
  examples: ["7.1"],
});

/**
 * Who receives an act's evidence package, and so sees its acuses' verification codes on the
 * act's page too (the package carries the same acuses): not the operador, who follows the acts.
 * The web shows the package's button to these roles only.
 */
export const EVIDENCE_READERS: readonly Static<typeof StaffRoleSchema>[] = [
  "notificador",
  "administrador",
  "auditor",
];

/** POST /api/v1/notificaciones. */
export const DepositRequestSchema = Type.Object(
  {
    idempotencyKey: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "Clave de idempotencia del depósito: la misma clave con el mismo contenido devuelve el mismo acto; con otro contenido, 409 `idempotency_conflict`.",
    }),
    rfc: Type.String({ minLength: 1, maxLength: 20, description: "RFC del destinatario." }),
    registroPatronal: Type.Optional(
      Type.String({ maxLength: 20, description: "Registro patronal del destinatario (opcional)." }),
    ),
    actType: Type.String({
      minLength: 1,
      maxLength: 10,
      description: "Tipo de acto del catálogo del anexo 7 («7.1» … «7.18»); otro, 422.",
    }),
    oficio: Type.String({ minLength: 1, maxLength: 200, description: "Número de oficio." }),
    issuingUnit: Type.String({
      minLength: 1,
      maxLength: 300,
      description: "Unidad administrativa que emite el acto.",
    }),
    documentName: Type.String({
      minLength: 1,
      maxLength: 255,
      description: "Nombre del archivo PDF, como se descargará.",
    }),
    document: Type.String({
      minLength: 1,
      description: "El PDF en base64 (hasta NOTIFICACION_MAX_BYTES; 20 MiB por omisión).",
    }),
    signature: Type.String({
      minLength: 1,
      description:
        "Firma CMS desprendida (DER, .p7s) sobre los bytes del PDF, hecha con la e.firma de quien firma el acto, en base64.",
    }),
    replaces: Type.Optional(
      Type.String({
        format: "uuid",
        description: "El acto que este corrige (un acto nuevo que nombra al que sustituye).",
      }),
    ),
  },
  { additionalProperties: false },
);
export type DepositRequest = Static<typeof DepositRequestSchema>;

/** 201 of the deposit. */
export const DepositedSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    state: NotificacionStateSchema,
    depositedAt: IsoInstant("Instante del depósito."),
    avisoAt: IsoInstant(
      "Instante legal en que el acto queda disponible y cuenta el aviso (regla a, Lineamientos 7.2): fijado al depositar.",
    ),
  },
  { additionalProperties: false },
);
export type Deposited = Static<typeof DepositedSchema>;

const notificacionFields = {
  id: Type.String({ format: "uuid" }),
  actType: ActTypeIdSchema,
  actTypeName: Type.String({ description: "Nombre del tipo de acto en el anexo 7." }),
  oficio: Type.String(),
  issuingUnit: Type.String(),
  documentName: Type.String(),
  registroPatronal: Type.Union([Type.String(), Type.Null()]),
  state: NotificacionStateSchema,
  depositedAt: IsoInstant("Instante del depósito."),
  avisoAt: IsoInstant("Instante legal del aviso (regla a)."),
  openBy: Nullable(IsoDate("Último día hábil para abrir (Lineamientos 7.4).")),
  businessDaysLeft: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description:
      "Días hábiles que quedan para abrir, calculados al momento de la consulta con el reloj legal y el calendario IMSS vigente (el de `openBy`): de los tres días hábiles del plazo (Lineamientos 7.4: después de la fecha del aviso, hasta `openBy`), los que van de hoy (Zona Centro) en adelante, hoy incluido si es uno de ellos. El día del aviso, 3; vencido `openBy`, 0; null si el acto no está pendiente (depositada, notificada, cancelada, estrados).",
  }),
  deemedNotifiedAt: Nullable(
    IsoInstant("09:30 del cuarto día hábil: notificada si no se abre (Lineamientos 7.5)."),
  ),
  notifiedAt: Nullable(IsoInstant("Cuándo quedó notificada.")),
  notifiedBy: Type.Union([NotifiedBySchema, Type.Null()]),
  effectiveOn: Nullable(IsoDate("Surte efectos (CFF 135).")),
  recursoInconformidadBy: Nullable(IsoDate("Último día del recurso de inconformidad.")),
  juicioNulidadBy: Nullable(IsoDate("Último día del juicio de nulidad (calendario TFJA).")),
  recurrible: Type.Boolean({ description: "Si el tipo de acto es impugnable (catálogo)." }),
  sinMediosDeDefensa: Type.Boolean({
    description: "El acto no señala los medios de defensa: los plazos se duplican (LFDC 23).",
  }),
  calendarVersion: Type.Union([Type.String(), Type.Null()], {
    description:
      "Versión del calendario IMSS con que el motor contó las fechas de este elemento (`openBy`, `businessDaysLeft`, `deemedNotifiedAt`, `effectiveOn`, `recursoInconformidadBy`); null mientras no hay fechas que contar. Una vez notificado, las fechas que fijó la evidencia sellada (el instante de la constancia o de la apertura, y su último día para abrir) conservan la versión que esa evidencia nombra (la explicación del detalle la dice); `calendarVersion` es la que contó lo demás.",
  }),
  juicioNulidadCalendar: Type.Union(
    [
      Type.Object(
        { authority: Type.String(), version: Type.String() },
        { additionalProperties: false },
      ),
      Type.Null(),
    ],
    { description: "Calendario con que se contó `juicioNulidadBy` (TFJA); null sin esa fecha." },
  ),
  rulesVersion: Type.String({ description: "Versión de las reglas del motor de plazos." }),
};

/**
 * Whether the addressee can open the act now (ADR 0002): in the particular's list and detail
 * only, not in the staff's follow-up nor in the evidence package (a snapshot of what happened).
 */
const openingFields = {
  openable: Type.Boolean({
    description:
      "Si la apertura con la e.firma procede ahora y notificaría el acto, calculado al momento de la consulta con el reloj legal (el del sistema; en la demostración, el reloj de la demo) y el calendario IMSS vigente: true solo si el acto está `pendiente` y no es el cuarto día hábil antes de las 09:30. Ese día entre las 00:00 y las 09:29 (Zona Centro) el desafío y la apertura se rechazan con 409 `illegal_transition` (ADR 0002) y `openingRefusal` dice por qué; a las 09:30 el acto queda notificado por ministerio de ley. false en cualquier otro estado (una vez notificado por ministerio de ley, la firma registra un acceso posterior y no notifica).",
  }),
  openingRefusal: Type.Union([Type.String(), Type.Null()], {
    description:
      "Mientras el acto está `pendiente` pero no se puede abrir (`openable` false: el cuarto día hábil antes de las 09:30), por qué, en español: el mismo texto del 409 del desafío y de la apertura, con el último día para abrir y el instante en que la ley lo notifica (`deemedNotifiedAt`). null en cualquier otro caso.",
  }),
};

/** One item of GET /api/v1/notificaciones (the staff listing's has the same dates, not these). */
export const NotificacionItemSchema = Type.Object(
  { ...notificacionFields, ...openingFields },
  { additionalProperties: false },
);
export type NotificacionItem = Static<typeof NotificacionItemSchema>;
/** The fields of an act the particular's item and the staff's share. */
export type ActItem = Omit<NotificacionItem, keyof typeof openingFields>;

export const NotificacionListSchema = Type.Array(NotificacionItemSchema);

export const TimelineEntrySchema = Type.Object(
  {
    event: Type.String({ description: "Tipo de evento (depositada, abierta, …)." }),
    at: IsoInstant("Instante legal del evento."),
    acuse: Type.Optional(Type.String({ description: "Folio del acuse que lo hace constar." })),
    acuseCodigo: Type.Optional(
      Type.String({
        description:
          "Código de verificación de ese acuse (solo en el detalle que ve el destinatario).",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Both timelines' order (views.ts, inLegalOrder): the pages show them as the API gives them. */
const TIMELINE_ORDER =
  "Los eventos del acto por su instante legal (`at`); los del mismo instante, en el orden en que se registraron. Un aviso sellado después de una cancelación va antes de ella si su instante es anterior.";

/** GET /api/v1/notificaciones/{id}. */
export const NotificacionDetailSchema = Type.Object(
  {
    ...notificacionFields,
    ...openingFields,
    documentSha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
    documentBytes: Type.Integer(),
    timeline: Type.Array(TimelineEntrySchema, { description: TIMELINE_ORDER }),
    explanation: ExplanationSchema,
    warnings: Type.Array(WarningSchema),
    availableUntil: Nullable(IsoDate("Consultable hasta (Lineamientos 7.7).")),
  },
  { additionalProperties: false },
);
export type NotificacionDetail = Static<typeof NotificacionDetailSchema>;

export const NotificacionParamsSchema = Type.Object(
  { id: Type.String({ format: "uuid" }) },
  { additionalProperties: false },
);

export const NotificacionListQuerySchema = Type.Object(
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

/** GET /api/v1/staff/notificaciones. */
export const StaffListQuerySchema = Type.Object(
  {
    rfc: Type.Optional(Type.String({ maxLength: 20 })),
    state: Type.Optional(NotificacionStateSchema),
    actType: Type.Optional(ActTypeIdSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const StaffItemSchema = Type.Object(
  {
    ...notificacionFields,
    rfc: Type.String(),
    signerRfc: Type.String(),
    depositedBy: Type.String(),
    estrados: Type.Boolean(),
    replaces: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type StaffItem = Static<typeof StaffItemSchema>;

export const StaffListSchema = Type.Object(
  {
    items: Type.Array(StaffItemSchema),
    next: Type.Union([Type.String(), Type.Null()], {
      description: "Cursor de la página siguiente (`cursor=`), o null al final.",
    }),
  },
  { additionalProperties: false },
);
export type StaffList = Static<typeof StaffListSchema>;

/** One event of an act as the staff follow it: what, when, its acuse and who. */
export const StaffTimelineEntrySchema = Type.Object(
  {
    event: Type.String({
      description:
        "Tipo de evento: depositada, aviso_emitido, segundo_aviso, abierta, acceso_posterior, descarga_posterior, constancia_cuarto_dia, cancelada, publicada_en_estrados, notificada_por_estrados.",
    }),
    at: IsoInstant("Instante legal del evento."),
    acuse: Type.Optional(Type.String({ description: "Folio del acuse que lo hace constar." })),
    acuseCodigo: Type.Optional(
      Type.String({
        description:
          "Código de verificación de ese acuse, para su PDF y su verificación: solo a `notificador`, `administrador` y `auditor`, que reciben el mismo acuse en el paquete de evidencia.",
      }),
    ),
    actorRfc: Type.Optional(
      Type.String({
        description:
          "Quién: la persona física que abrió, accedió o descargó (el titular o su representante legal), quien depositó o canceló; el Instituto en los eventos del sistema.",
      }),
    ),
    capacity: Type.Optional(
      Type.Union([Type.Literal("titular"), Type.Literal("representante_legal")], {
        description: "En `abierta`, `acceso_posterior` y `descarga_posterior`: con qué carácter.",
      }),
    ),
    countsAt: Type.Optional(
      IsoInstant(
        "En `abierta`: el instante en que la apertura notifica (regla a: fuera de horario, a las 09:30 del día hábil siguiente).",
      ),
    ),
    motivo: Type.Optional(Type.String({ description: "En `cancelada`: el motivo." })),
  },
  { additionalProperties: false },
);
export type StaffTimelineEntry = Static<typeof StaffTimelineEntrySchema>;

/** GET /api/v1/staff/notificaciones/{id}: the follow-up item and the act's whole timeline. */
export const StaffDetailSchema = Type.Object(
  {
    ...StaffItemSchema.properties,
    timeline: Type.Array(StaffTimelineEntrySchema, { description: TIMELINE_ORDER }),
  },
  { additionalProperties: false },
);
export type StaffDetail = Static<typeof StaffDetailSchema>;

/** GET /api/v1/notificaciones/catalogo: the act types (for the staff compose form). */
export const ActTypeSchema = Type.Object(
  {
    id: ActTypeIdSchema,
    name: Type.String(),
    recurrible: Type.Boolean(),
    senalaMediosDeDefensa: Type.Boolean(),
    plazoRespuestaDiasHabiles: Type.Union([Type.Integer(), Type.Null()]),
    nota: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const ActCatalogueSchema = Type.Object(
  { version: Type.String(), source: Type.String(), types: Type.Array(ActTypeSchema) },
  { additionalProperties: false },
);

/** A ZIP answer (the evidence package). */
export const ZipSchema = Type.Unsafe<Uint8Array>({ type: "string", format: "binary" });

/** Most acts in one POST /api/v1/notificaciones/lote (more: several requests, or the CLI). */
export const LOTE_MAX_ITEMS = 100;

/** POST /api/v1/notificaciones/lote. */
export const LoteRequestSchema = Type.Object(
  {
    items: Type.Array(DepositRequestSchema, {
      minItems: 1,
      maxItems: LOTE_MAX_ITEMS,
      description: `Hasta ${LOTE_MAX_ITEMS} depósitos, cada uno como el cuerpo de POST /api/v1/notificaciones.`,
    }),
  },
  { additionalProperties: false },
);
export type LoteRequest = Static<typeof LoteRequestSchema>;

const LoteDepositedSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: "Posición del elemento en `items`." }),
    idempotencyKey: Type.String(),
    status: Type.Union([Type.Literal(200), Type.Literal(201)], {
      description: "201: depositado ahora; 200: ya estaba depositado con esta clave y contenido.",
    }),
    outcome: Type.Union([Type.Literal("depositado"), Type.Literal("ya_depositado")]),
    id: Type.String({ format: "uuid" }),
    state: NotificacionStateSchema,
    depositedAt: IsoInstant("Instante del depósito."),
    avisoAt: IsoInstant("Instante legal del aviso (regla a)."),
  },
  { additionalProperties: false },
);

const LoteRefusedSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: "Posición del elemento en `items`." }),
    idempotencyKey: Type.String(),
    status: Type.Integer({
      description: "El estado HTTP que habría tenido este depósito solo (400, 409, 422, 503…).",
    }),
    outcome: Type.Literal("rechazado"),
    code: Type.String({ description: "El código del problema (docs/api.md)." }),
    detail: Type.String({ description: "Por qué, en español." }),
  },
  { additionalProperties: false },
);

/** How far a lote has gone: the progress lines of `Accept: application/x-ndjson`. */
export const LoteCountsSchema = Type.Object(
  {
    total: Type.Integer(),
    done: Type.Integer(),
    deposited: Type.Integer(),
    alreadyDeposited: Type.Integer(),
    refused: Type.Integer(),
  },
  { additionalProperties: false },
);

/** 207 of the lote: one result per item, in order, each independent of the others. */
export const LoteResultSchema = Type.Object(
  { results: Type.Array(Type.Union([LoteDepositedSchema, LoteRefusedSchema])) },
  { additionalProperties: false },
);

/** Base64 of a few KiB at most, as sign-in takes them. */
const Base64 = (maxLength: number, description: string) =>
  Type.String({ pattern: "^[A-Za-z0-9+/]+={0,2}$", maxLength, description });

const AcuseRefSchema = Type.Object(
  { folio: FolioSchema, codigo: CodigoSchema },
  { additionalProperties: false },
);

/** 201 of POST /api/v1/notificaciones/{id}/apertura/desafio. */
export const OpeningChallengeSchema = Type.Object(
  {
    challengeId: Type.String({ format: "uuid" }),
    toSign: Type.String({
      description:
        "El texto exacto (UTF-8, varias líneas) que se firma con la e.firma de la sesión: RFC, acto, oficio, tipo de acto, documento y su SHA-256, fecha y hora, desafío y nonce, y lo que hace la firma (CFF art. 134, fracción I).",
    }),
    expiresAt: IsoInstant("Vence el desafío (un solo uso, 5 minutos)."),
  },
  { additionalProperties: false },
);
export type OpeningChallenge = Static<typeof OpeningChallengeSchema>;

/** POST /api/v1/notificaciones/{id}/apertura. */
export const OpeningRequestSchema = Type.Object(
  {
    challengeId: Type.String({ format: "uuid" }),
    certificate: Base64(32_768, "Certificado (.cer) de la e.firma de la sesión, en base64 (DER)."),
    signature: Base64(2_048, "Firma RSA-SHA256 (PKCS#1 v1.5) de `toSign`, en base64."),
  },
  { additionalProperties: false },
);
export type OpeningRequest = Static<typeof OpeningRequestSchema>;

/** 201 of the opening. */
export const OpenedSchema = Type.Object(
  {
    acuse: AcuseRefSchema,
    notifiedAt: IsoInstant(
      "Cuándo quedó notificada: la apertura ajustada al horario (regla a), o el cuarto día hábil a las 09:30 si ya estaba notificada.",
    ),
    notifiedBy: Type.Union([Type.Literal("apertura"), Type.Literal("ministerio_de_ley")]),
  },
  { additionalProperties: false },
);
export type Opened = Static<typeof OpenedSchema>;

/** POST /api/v1/notificaciones/{id}/cancelacion (staff). */
export const CancellationRequestSchema = Type.Object(
  {
    motivo: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: "Por qué se cancela el acto (queda en su línea de tiempo y en su acuse).",
    }),
  },
  { additionalProperties: false },
);
export type CancellationRequest = Static<typeof CancellationRequestSchema>;

export const CancelledSchema = Type.Object(
  { state: NotificacionStateSchema, acuse: AcuseRefSchema },
  { additionalProperties: false },
);
export type Cancelled = Static<typeof CancelledSchema>;
