import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { IsoDate, IsoInstant, problems, VersionLabel } from "../../platform/http/schemas.ts";
import type { PlazosService } from "./service.ts";

const SkippedDay = Type.Object({
  date: Type.String(),
  reason: Type.String(),
  source: Type.String(),
  kind: Type.Union([Type.Literal("cff"), Type.Literal("declarado")]),
});

const Explanation = Type.Array(
  Type.Object({
    rule: Type.String({ description: "Regla aplicada (identificador estable)." }),
    basis: Type.String({ description: "Fundamento legal." }),
    text: Type.String({ description: "Explicación en español." }),
    skippedDays: Type.Array(SkippedDay),
  }),
  { $id: "Explanation", title: "Explicación del cálculo" },
);

const CalendarFields = {
  calendarAuthority: Type.String(),
  calendarVersion: Type.String({ description: "Versión del calendario con la que se calculó." }),
  rulesVersion: Type.String({ description: "Versión de las reglas con la que se calculó." }),
};

const Version = Type.Optional(VersionLabel("Versión del calendario; por omisión la vigente."));

const NotificacionResponse = Type.Object({
  avisoAt: IsoInstant("Envío del aviso."),
  openedAt: Type.Union([IsoInstant("Apertura."), Type.Null()]),
  openBy: IsoDate("Tercer día hábil: último día para abrir (Lineamientos 7.4)."),
  deemedNotifiedAt: IsoInstant("09:30 del cuarto día hábil (Lineamientos 7.5)."),
  notifiedAt: IsoInstant("Momento en que la notificación se tiene por hecha."),
  notifiedBy: Type.Union([Type.Literal("apertura"), Type.Literal("ministerio_de_ley")]),
  effectiveOn: IsoDate("Día en que surte efectos (CFF art. 135)."),
  recursoInconformidadBy: IsoDate("Último día para el recurso de inconformidad (15 días hábiles)."),
  juicioNulidadBy: IsoDate("Último día para el juicio de nulidad (30 días hábiles)."),
  availableUntil: IsoDate("Consultable hasta (Lineamientos 7.7)."),
  ...CalendarFields,
  explanation: Type.Ref("Explanation"),
});

const tags = ["Plazos"];

export const plazosRoutes: FastifyPluginAsyncTypebox<{ plazos: PlazosService }> = async (
  app,
  { plazos },
) => {
  app.addSchema(Explanation);

  app.get(
    "/api/v1/plazos/notificacion",
    {
      schema: {
        tags,
        summary: "Plazos de una notificación electrónica",
        description:
          "Del aviso a la fecha límite para impugnar: reglas de los Lineamientos 7.2–7.7 y CFF arts. 12, 134-I y 135.",
        querystring: Type.Object(
          {
            aviso: IsoInstant("Instante del envío del aviso (ISO 8601 con zona, p. ej. -06:00)."),
            abierto: Type.Optional(IsoInstant("Instante de apertura, si la hubo.")),
            version: Version,
          },
          { additionalProperties: false },
        ),
        response: { 200: NotificacionResponse, ...problems(400, 404, 422) },
      },
    },
    async (request) => plazos.notificacion(request.query),
  );

  app.get(
    "/api/v1/plazos/promocion",
    {
      schema: {
        tags,
        summary: "Momento en que se tiene por recibida una promoción (Lineamientos 6.3)",
        querystring: Type.Object(
          { enviada: IsoInstant("Instante del envío."), version: Version },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            sentAt: IsoInstant("Envío."),
            receivedAt: IsoInstant("Recepción legal."),
            ...CalendarFields,
            explanation: Type.Ref("Explanation"),
          }),
          ...problems(400, 404, 422),
        },
      },
    },
    async (request) => plazos.promocion(request.query),
  );

  app.get(
    "/api/v1/plazos/emision",
    {
      schema: {
        tags,
        summary:
          "Momento en que cuenta una notificación emitida en un instante dado (Lineamientos 7.2)",
        querystring: Type.Object(
          { at: IsoInstant("Instante en que se genera el acuse."), version: Version },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            at: IsoInstant("Instante dado."),
            notifiedAt: IsoInstant("Instante en que se tiene por realizada."),
            ...CalendarFields,
            explanation: Type.Ref("Explanation"),
          }),
          ...problems(400, 404, 422),
        },
      },
    },
    async (request) => plazos.emision(request.query),
  );

  app.get(
    "/api/v1/plazos/validacion",
    {
      schema: {
        tags,
        summary: "Vencimiento de la validación de medios de contacto: 72 horas (Lineamientos 5.2)",
        querystring: Type.Object(
          { registrado: IsoInstant("Instante del registro.") },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            registeredAt: IsoInstant("Registro."),
            expiresAt: IsoInstant("Vencimiento."),
            rulesVersion: Type.String(),
            explanation: Type.Ref("Explanation"),
          }),
          ...problems(400),
        },
      },
    },
    async (request) => plazos.validacion(request.query),
  );

  app.get(
    "/api/v1/plazos/habilitacion",
    {
      schema: {
        tags,
        summary: "Fecha límite para habilitar el Buzón IMSS (transitorio primero)",
        response: {
          200: Type.Object({
            entryIntoForce: IsoDate("Entrada en vigor de los Lineamientos."),
            deadline: IsoDate("Último día para habilitar."),
            rulesVersion: Type.String(),
            explanation: Type.Ref("Explanation"),
          }),
        },
      },
    },
    async () => plazos.habilitacion(),
  );
};
