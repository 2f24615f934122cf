import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { problems } from "../../platform/http/schemas.ts";
import {
  EmisionQuerySchema,
  EmisionResultSchema,
  EstradosQuerySchema,
  EstradosResultSchema,
  ExplanationSchema,
  HabilitacionQuerySchema,
  HabilitacionResultSchema,
  NotificacionQuerySchema,
  NotificacionResultSchema,
  PromocionQuerySchema,
  PromocionResultSchema,
  ValidacionQuerySchema,
  ValidacionResultSchema,
} from "./schemas.ts";
import type { PlazosService } from "./service.ts";

const tags = ["Plazos"];

export const plazosRoutes: FastifyPluginAsyncTypebox<{
  plazos: PlazosService;
  /** Requests per client address and minute, all plazos routes together. */
  rateLimit: number;
}> = async (app, { plazos, rateLimit }) => {
  app.addSchema(ExplanationSchema);
  // Public and computed on each call: one budget per address for every route below.
  app.addHook(
    "onRequest",
    app.rateLimit({ max: rateLimit, timeWindow: "1 minute", groupId: "plazos" }),
  );

  app.get(
    "/api/v1/plazos/notificacion",
    {
      schema: {
        tags,
        summary: "Plazos de una notificación electrónica",
        description:
          "Del aviso a la fecha límite para impugnar: reglas de los Lineamientos 7.2–7.7, CFF arts. 12, 134-I y 135 y LFPCA arts. 13 y 74 (juicio de nulidad en el calendario del TFJA). `warnings` nombra cada lectura debatible con la fecha que daría la otra.",
        querystring: NotificacionQuerySchema,
        response: { 200: NotificacionResultSchema, ...problems(400, 404, 422) },
      },
    },
    async (request) => plazos.notificacion(request.query),
  );

  app.get(
    "/api/v1/plazos/estrados",
    {
      schema: {
        tags,
        summary: "Plazos de una notificación por estrados (CFF art. 139)",
        description:
          "De la publicación en los estrados electrónicos a la fecha límite para impugnar: diez días hábiles de publicación contados a partir del día siguiente, notificada el decimoprimer día (a las 00:00, Zona Centro), surte efectos el día hábil siguiente (CFF art. 135) y los plazos del recurso de inconformidad y del juicio de nulidad (calendario del TFJA).",
        querystring: EstradosQuerySchema,
        response: { 200: EstradosResultSchema, ...problems(400, 404, 422) },
      },
    },
    async (request) => plazos.estrados(request.query),
  );

  app.get(
    "/api/v1/plazos/promocion",
    {
      schema: {
        tags,
        summary: "Momento en que se tiene por recibida una promoción (Lineamientos 6.3)",
        querystring: PromocionQuerySchema,
        response: {
          200: PromocionResultSchema,
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
        querystring: EmisionQuerySchema,
        response: {
          200: EmisionResultSchema,
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
        querystring: ValidacionQuerySchema,
        response: {
          200: ValidacionResultSchema,
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
        summary: "Fecha límite para habilitar el Buzón IMSS (transitorio primero; CFF art. 12)",
        querystring: HabilitacionQuerySchema,
        response: {
          200: HabilitacionResultSchema,
          ...problems(400, 404),
        },
      },
    },
    async (request) => plazos.habilitacion(request.query),
  );
};
