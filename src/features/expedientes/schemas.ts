/**
 * «Mis expedientes» wire types (issue 12 §4): the one source for the routes and the web app
 * (`Static<>`). Vite reads this file: no node-only imports. Instants in Zona Centro with their
 * offset (-06:00).
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant } from "../../platform/http/schemas.ts";
import { CodigoSchema, FolioSchema } from "../evidence/schemas.ts";

export const EXPEDIENTE_CLASES = ["notificacion", "promocion", "documento", "comunicado"] as const;
export type ExpedienteClase = (typeof EXPEDIENTE_CLASES)[number];

/** The longest search text accepted (a longer one is a 400). */
export const Q_MAX_LENGTH = 200;
/** Items per page unless asked otherwise, and at most. */
export const EXPEDIENTES_PAGE = 25;
export const EXPEDIENTES_PAGE_MAX = 100;

const ClaseSchema = Type.Union(
  [
    Type.Literal("notificacion"),
    Type.Literal("promocion"),
    Type.Literal("documento"),
    Type.Literal("comunicado"),
  ],
  { description: "notificacion, promocion, documento o comunicado." },
);

const filterFields = {
  q: Type.Optional(
    Type.String({
      maxLength: Q_MAX_LENGTH,
      description:
        "Palabras a buscar (todas deben aparecer, cada una como inicio de palabra, sin distinguir mayúsculas ni acentos): folio de acuse, oficio, tipo, asunto o título, registro patronal, nombre de archivo, periodo, y el inicio del texto de promociones y comunicados.",
    }),
  ),
  clase: Type.Optional(ClaseSchema),
  desde: Type.Optional(IsoDate("Desde este día (Zona Centro), incluido.")),
  hasta: Type.Optional(IsoDate("Hasta este día (Zona Centro), incluido.")),
  registroPatronal: Type.Optional(
    Type.String({
      pattern: "^[A-Za-z][0-9]{10}$",
      description:
        "Solo lo de este registro patronal (notificaciones y documentos; las promociones y los comunicados no tienen uno).",
    }),
  ),
};

/** GET /api/v1/expedientes.csv */
export const ExpedienteFiltersSchema = Type.Object(filterFields, { additionalProperties: false });
export type ExpedienteFilters = Static<typeof ExpedienteFiltersSchema>;

/** GET /api/v1/expedientes */
export const ExpedienteListQuerySchema = Type.Object(
  {
    ...filterFields,
    antesDe: Type.Optional(
      Type.String({
        maxLength: 300,
        description: "La cabecera `x-next-cursor` de la página anterior, tal cual.",
      }),
    ),
    limite: Type.Optional(
      Type.Integer({ minimum: 1, maximum: EXPEDIENTES_PAGE_MAX, default: EXPEDIENTES_PAGE }),
    ),
  },
  { additionalProperties: false },
);
export type ExpedienteListQuery = Static<typeof ExpedienteListQuerySchema>;

export const ExpedienteAcuseSchema = Type.Object(
  {
    folio: FolioSchema,
    codigo: CodigoSchema,
    pdf: Type.String({ description: "Dónde se descarga el PDF del acuse." }),
    verification: Type.String({ description: "Su verificación pública (página del sitio)." }),
  },
  { additionalProperties: false },
);

export const ExpedienteItemSchema = Type.Object(
  {
    clase: ClaseSchema,
    id: Type.String({ format: "uuid" }),
    title: Type.String({
      description: "Tipo de acto, asunto de la promoción, documento y periodo, o título.",
    }),
    typeName: Type.String({ description: "El tipo como se lee." }),
    reference: Type.Union([Type.String(), Type.Null()], {
      description:
        "Oficio (notificación), folio del acuse de recibo (promoción), periodo (documento); null en comunicados.",
    }),
    registroPatronal: Type.Union([Type.String(), Type.Null()]),
    date: IsoInstant(
      "Instante que ordena la lista: el aviso (notificación), el envío (promoción), la publicación (documento, comunicado).",
    ),
    state: Type.Union([Type.String(), Type.Null()], {
      description:
        "Estado de la notificación (pendiente, notificada, cancelada) o de la promoción (recibida, en_atencion, respondida, concluida); leido o sin_leer en comunicados; null en documentos.",
    }),
    link: Type.String({ description: "La página del elemento en el sitio." }),
    download: Type.Union([Type.String(), Type.Null()], {
      description: "Descarga del documento publicado (solo documentos).",
    }),
    acuses: Type.Array(ExpedienteAcuseSchema, {
      description:
        "Los acuses del elemento con RFC de la sesión, para descargarlos y verificarlos.",
    }),
  },
  { additionalProperties: false },
);
export type ExpedienteItem = Static<typeof ExpedienteItemSchema>;

export const ExpedienteListSchema = Type.Array(ExpedienteItemSchema);
