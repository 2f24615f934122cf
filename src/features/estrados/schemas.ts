/**
 * The estrados electrónicos' wire types (issue 11 §4 and §6: `GET /api/v1/estrados`), the one
 * source for the routes and the web app (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant } from "../../platform/http/schemas.ts";
import { ExplanationStepSchema, WarningSchema } from "../plazos/schemas.ts";

export const EstradosListQuerySchema = Type.Object(
  {
    limite: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 20, description: "Actos por página." }),
    ),
    despues: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "Cursor de la página siguiente (`next` de la anterior).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const EstradosParamsSchema = Type.Object(
  { id: Type.String({ maxLength: 64, description: "Identificador del acto." }) },
  { additionalProperties: false },
);

export const EstradosItemSchema = Type.Object(
  {
    id: Type.String({ description: "Identificador del acto." }),
    actType: Type.String({ description: "Numeral del anexo 7 (7.1 … 7.18)." }),
    actTypeName: Type.String({ description: "Nombre del tipo de acto, como lo escribe el anexo." }),
    oficio: Type.String({ description: "Número de oficio." }),
    issuingUnit: Type.String({ description: "Unidad administrativa que emite el acto." }),
    addressee: Type.Object(
      {
        name: Type.String({ description: "Nombre o razón social, como en el padrón." }),
        rfc: Type.String({
          description:
            "RFC con la fecha (de nacimiento o de constitución) oculta: `XOJO******U44` (docs/notificaciones.md).",
        }),
      },
      { additionalProperties: false },
    ),
    status: Type.Union([Type.Literal("en_publicacion"), Type.Literal("concluida")], {
      description:
        "`en_publicacion` durante los diez días (el documento se descarga); `concluida` después (el acto ya está notificado o lo estará el decimoprimer día).",
    }),
    publishedAt: IsoInstant("Publicación en los estrados: el instante del aviso (regla a)."),
    firstPublicationDay: IsoDate("Primer día de publicación (el hábil siguiente)."),
    lastPublicationDay: IsoDate("Décimo día hábil de publicación."),
    notifiedOn: IsoDate("Fecha de notificación: el decimoprimer día hábil (CFF art. 139)."),
    notifiedAt: IsoInstant("notifiedOn a las 00:00 (Zona Centro)."),
    effectiveOn: IsoDate("Surte efectos: el día hábil siguiente (CFF art. 135)."),
    publicationAcuse: Type.Union([Type.String(), Type.Null()], {
      description: "Folio del acuse de publicación; null mientras se sella (segundos).",
    }),
    endAcuse: Type.Union([Type.String(), Type.Null()], {
      description: "Folio del acuse de fin de la publicación, desde el decimoprimer día.",
    }),
    document: Type.Union(
      [
        Type.Object(
          {
            url: Type.String({ description: "Descarga del documento publicado (PDF)." }),
            sha256: Type.String({ description: "Huella SHA-256 del PDF." }),
            bytes: Type.Integer({ description: "Tamaño en bytes." }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: "El documento, solo durante los diez días de publicación." },
    ),
    calendarVersion: Type.String({ description: "Versión del calendario IMSS de las fechas." }),
    rulesVersion: Type.String({ description: "Versión de las reglas de las fechas." }),
  },
  { additionalProperties: false },
);

export const EstradosListSchema = Type.Object(
  {
    items: Type.Array(EstradosItemSchema),
    next: Type.Union([Type.String(), Type.Null()], {
      description: "Cursor de la página siguiente (`despues=`), o null al final.",
    }),
  },
  { additionalProperties: false },
);

export const EstradosDetailSchema = Type.Object(
  {
    ...EstradosItemSchema.properties,
    publicationDays: Type.Array(IsoDate("Día hábil de publicación.")),
    recursoInconformidadBy: IsoDate("Último día para el recurso de inconformidad."),
    juicioNulidadBy: IsoDate("Último día para el juicio de nulidad (calendario del TFJA)."),
    recursoInconformidadDays: Type.Integer(),
    juicioNulidadDays: Type.Integer(),
    sinMediosDeDefensa: Type.Boolean(),
    juicioNulidadCalendar: Type.Object(
      { authority: Type.String(), version: Type.String() },
      { additionalProperties: false },
    ),
    warnings: Type.Array(WarningSchema),
    explanation: Type.Array(ExplanationStepSchema, {
      description: "¿Por qué esta fecha? Cada paso con su fundamento (motor de plazos).",
    }),
  },
  { additionalProperties: false },
);

/**
 * An act's place on the estrados as another page tells its addressee (a promoción answered by
 * an act that went to estrados): its dates, fixed at publication or, until then, the engine's.
 */
export const EstradosPlaceSchema = Type.Object(
  {
    publishedAt: IsoInstant("Publicación en los estrados: el instante del aviso (regla a)."),
    firstPublicationDay: IsoDate("Primer día de publicación (el hábil siguiente)."),
    lastPublicationDay: IsoDate("Décimo día hábil de publicación."),
    notifiedOn: IsoDate("Fecha de notificación: el decimoprimer día hábil (CFF art. 139)."),
    effectiveOn: IsoDate("Surte efectos: el día hábil siguiente (CFF art. 135)."),
    listedUntil: IsoDate(
      "Último día en que el acto figura en los estrados (30 días naturales tras su notificación).",
    ),
    status: Type.Union(
      [
        Type.Literal("por_publicar"),
        Type.Literal("en_publicacion"),
        Type.Literal("concluida"),
        Type.Literal("fuera_de_listado"),
      ],
      {
        description:
          "`por_publicar` antes de `publishedAt`; `en_publicacion` durante los diez días (el documento se descarga); `concluida` después, mientras figura en la página pública; `fuera_de_listado` pasado `listedUntil`. La página pública del acto (`/estrados/{id}`) lo muestra solo en `en_publicacion` y `concluida`.",
      },
    ),
  },
  { additionalProperties: false },
);

export type EstradosItem = Static<typeof EstradosItemSchema>;
export type EstradosList = Static<typeof EstradosListSchema>;
export type EstradosDetail = Static<typeof EstradosDetailSchema>;
export type EstradosPlace = Static<typeof EstradosPlaceSchema>;
