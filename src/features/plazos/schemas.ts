/**
 * The plazos API's wire types, the one source for the routes (validation, serialization, OpenAPI)
 * and the web app (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant, refTo, VersionLabel } from "../../platform/http/schemas.ts";
import { DayKindSchema } from "../calendario/schemas.ts";

export const SkippedDaySchema = Type.Object(
  {
    date: IsoDate("Día saltado."),
    reason: Type.String(),
    source: Type.String(),
    kind: Type.Union([Type.Literal("cff"), Type.Literal("declarado")]),
    dayKind: Type.Optional(DayKindSchema),
  },
  { additionalProperties: false },
);

export const WarningSchema = Type.Object(
  {
    code: Type.Union(
      [
        Type.Literal("aviso_fuera_de_horario"),
        Type.Literal("apertura_antes_de_horario"),
        Type.Literal("transmision_poder_ejecutivo"),
        Type.Literal("calendario_sin_declaracion"),
        Type.Literal("conocimiento_anterior_al_aviso"),
      ],
      { description: "Lectura debatible o falta de calendario (identificador estable)." },
    ),
    text: Type.String({ description: "Advertencia en español, con la fecha de la otra lectura." }),
    otherReading: Type.Union([
      Type.Object(
        {
          notifiedAt: IsoInstant("Notificación según la otra lectura."),
          effectiveOn: IsoDate("Surte efectos según la otra lectura."),
          recursoInconformidadBy: IsoDate("Recurso de inconformidad según la otra lectura."),
          juicioNulidadBy: IsoDate("Juicio de nulidad según la otra lectura."),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

export const ExplanationStepSchema = Type.Object(
  {
    rule: Type.String({ description: "Regla aplicada (identificador estable)." }),
    basis: Type.String({ description: "Fundamento legal." }),
    text: Type.String({ description: "Explicación en español." }),
    skippedDays: Type.Array(SkippedDaySchema),
  },
  { additionalProperties: false },
);

export const ExplanationSchema = Type.Array(ExplanationStepSchema, {
  $id: "Explanation",
  title: "Explicación del cálculo",
});

const explanation = refTo(ExplanationSchema);

const CalendarFields = {
  calendarAuthority: Type.String(),
  calendarVersion: Type.String({ description: "Versión del calendario con la que se calculó." }),
  rulesVersion: Type.String({ description: "Versión de las reglas con la que se calculó." }),
};

const Version = Type.Optional(VersionLabel("Versión del calendario; por omisión la vigente."));

export const NotificacionQuerySchema = Type.Object(
  {
    aviso: IsoInstant("Instante del envío del aviso (ISO 8601 con zona, p. ej. -06:00)."),
    abierto: Type.Optional(IsoInstant("Instante de apertura, si la hubo.")),
    version: Version,
    calendarioTfja: Type.Optional(
      VersionLabel(
        "Versión del calendario del TFJA para el juicio de nulidad; por omisión la vigente.",
      ),
    ),
    sinMediosDeDefensa: Type.Optional(
      Type.Boolean({
        description:
          "El acto omite señalar los medios de defensa: duplica los plazos del recurso y del juicio (LFDC art. 23).",
      }),
    ),
    conocimiento: Type.Optional(
      IsoDate("Fecha en que se manifiesta haber conocido el acto (CFF art. 135, segundo párrafo)."),
    ),
  },
  { additionalProperties: false },
);

export const NotificacionResultSchema = Type.Object(
  {
    avisoAt: IsoInstant("Envío del aviso."),
    openedAt: Type.Union([IsoInstant("Apertura."), Type.Null()]),
    openBy: IsoDate("Tercer día hábil: último día para abrir (Lineamientos 7.4)."),
    deemedNotifiedAt: IsoInstant("09:30 del cuarto día hábil (Lineamientos 7.5)."),
    notifiedAt: IsoInstant("Momento en que la notificación se tiene por hecha."),
    notifiedBy: Type.Union([Type.Literal("apertura"), Type.Literal("ministerio_de_ley")]),
    effectiveOn: IsoDate(
      "Día en que surte efectos (CFF art. 135): el día hábil siguiente a la notificación o, si es anterior, la fecha de conocimiento manifestada (¶2), aunque sea inhábil.",
    ),
    effectiveBy: Type.Union([Type.Literal("notificacion"), Type.Literal("conocimiento")], {
      description:
        "De dónde sale effectiveOn: la notificación (CFF art. 135, primer párrafo) o el conocimiento manifestado (segundo párrafo).",
    }),
    recursoInconformidadBy: IsoDate(
      "Último día para el recurso de inconformidad (15 días hábiles).",
    ),
    juicioNulidadBy: IsoDate("Último día para el juicio de nulidad (30 días hábiles del TFJA)."),
    recursoInconformidadDays: Type.Integer({ description: "15, o 30 sin medios de defensa." }),
    juicioNulidadDays: Type.Integer({ description: "30, o 60 sin medios de defensa." }),
    sinMediosDeDefensa: Type.Boolean(),
    conocimiento: Type.Union([IsoDate("Conocimiento manifestado (CFF art. 135)."), Type.Null()]),
    availableUntil: IsoDate("Consultable hasta (Lineamientos 7.7)."),
    ...CalendarFields,
    juicioNulidadCalendar: Type.Object(
      {
        authority: Type.String({ description: "TFJA." }),
        version: Type.String({ description: "Versión del calendario del TFJA usada." }),
      },
      { additionalProperties: false },
    ),
    warnings: Type.Array(WarningSchema),
    explanation,
  },
  { additionalProperties: false },
);

export const EstradosQuerySchema = Type.Object(
  {
    publicada: IsoInstant(
      "Instante de la publicación en los estrados electrónicos (ISO 8601 con zona, p. ej. -06:00).",
    ),
    version: Version,
    calendarioTfja: NotificacionQuerySchema.properties.calendarioTfja,
    sinMediosDeDefensa: NotificacionQuerySchema.properties.sinMediosDeDefensa,
  },
  { additionalProperties: false },
);

export const EstradosResultSchema = Type.Object(
  {
    publishedAt: IsoInstant("Publicación en los estrados electrónicos."),
    publicationDays: Type.Array(IsoDate("Día hábil de publicación."), {
      description:
        "Los diez días hábiles de publicación, contados a partir del día siguiente a la publicación (CFF art. 139).",
    }),
    lastPublicationDay: IsoDate("Décimo día hábil de publicación."),
    notifiedOn: IsoDate(
      "Decimoprimer día hábil contado a partir del día siguiente a la publicación: fecha de notificación (CFF art. 139).",
    ),
    notifiedAt: IsoInstant(
      "notifiedOn a las 00:00 (Zona Centro): la ley fija el día, no una hora.",
    ),
    notifiedBy: Type.Literal("estrados"),
    effectiveOn: IsoDate("Día hábil siguiente a la notificación (CFF art. 135)."),
    recursoInconformidadBy: NotificacionResultSchema.properties.recursoInconformidadBy,
    juicioNulidadBy: NotificacionResultSchema.properties.juicioNulidadBy,
    recursoInconformidadDays: NotificacionResultSchema.properties.recursoInconformidadDays,
    juicioNulidadDays: NotificacionResultSchema.properties.juicioNulidadDays,
    sinMediosDeDefensa: Type.Boolean(),
    availableUntil: NotificacionResultSchema.properties.availableUntil,
    ...CalendarFields,
    juicioNulidadCalendar: NotificacionResultSchema.properties.juicioNulidadCalendar,
    warnings: Type.Array(WarningSchema),
    explanation,
  },
  { additionalProperties: false },
);

export const PromocionQuerySchema = Type.Object(
  { enviada: IsoInstant("Instante del envío."), version: Version },
  { additionalProperties: false },
);

export const PromocionResultSchema = Type.Object(
  {
    sentAt: IsoInstant("Envío."),
    receivedAt: IsoInstant("Recepción legal."),
    ...CalendarFields,
    explanation,
  },
  { additionalProperties: false },
);

export const EmisionQuerySchema = Type.Object(
  { at: IsoInstant("Instante en que se genera el acuse."), version: Version },
  { additionalProperties: false },
);

export const EmisionResultSchema = Type.Object(
  {
    at: IsoInstant("Instante dado."),
    notifiedAt: IsoInstant("Instante en que se tiene por realizada."),
    ...CalendarFields,
    explanation,
  },
  { additionalProperties: false },
);

export const ValidacionQuerySchema = Type.Object(
  { registrado: IsoInstant("Instante del registro.") },
  { additionalProperties: false },
);

export const ValidacionResultSchema = Type.Object(
  {
    registeredAt: IsoInstant("Registro."),
    expiresAt: IsoInstant("Vencimiento."),
    rulesVersion: Type.String(),
    explanation,
  },
  { additionalProperties: false },
);

export const HabilitacionQuerySchema = Type.Object(
  { version: Version },
  { additionalProperties: false },
);

export const HabilitacionResultSchema = Type.Object(
  {
    entryIntoForce: IsoDate("Entrada en vigor de los Lineamientos."),
    nominalDeadline: IsoDate("Día 180 contado desde la entrada en vigor (1 feb 2025)."),
    deadline: IsoDate(
      "Último día para habilitar, prorrogado al siguiente día hábil (CFF art. 12, último párrafo).",
    ),
    ...CalendarFields,
    explanation,
  },
  { additionalProperties: false },
);

export type ExplanationStep = Static<typeof ExplanationStepSchema>;
export type NotificacionQuery = Static<typeof NotificacionQuerySchema>;
export type NotificacionResult = Static<typeof NotificacionResultSchema>;
export type EstradosQuery = Static<typeof EstradosQuerySchema>;
export type EstradosResult = Static<typeof EstradosResultSchema>;
export type PromocionResult = Static<typeof PromocionResultSchema>;
export type EmisionResult = Static<typeof EmisionResultSchema>;
export type ValidacionResult = Static<typeof ValidacionResultSchema>;
export type PlazoWarning = Static<typeof WarningSchema>;
export type HabilitacionResult = Static<typeof HabilitacionResultSchema>;
