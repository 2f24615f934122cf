import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { problems } from "../../platform/http/schemas.ts";
import { PdfSchema } from "../evidence/schemas.ts";
import { attachmentDisposition } from "../notificaciones/routes.ts";
import {
  EstradosDetailSchema,
  EstradosListQuerySchema,
  EstradosListSchema,
  EstradosParamsSchema,
} from "./schemas.ts";
import type { EstradosService } from "./service.ts";

export interface EstradosRoutesOptions {
  estrados: EstradosService;
  /** Requests per client address and minute, the three routes together (PUBLIC_RATE_LIMIT). */
  rateLimit: number;
}

/** The public estrados electrónicos: no session, one rate limit per address. */
export const estradosRoutes: FastifyPluginAsyncTypebox<EstradosRoutesOptions> = async (
  app,
  { estrados, rateLimit },
) => {
  const tags = ["Estrados"];
  app.addHook(
    "onRequest",
    app.rateLimit({ max: rateLimit, timeWindow: "1 minute", groupId: "estrados" }),
  );

  app.get(
    "/api/v1/estrados",
    {
      schema: {
        tags,
        summary: "Estrados electrónicos: actos publicados (CFF art. 139)",
        description:
          "Público. Los actos que el Instituto notifica por estrados porque el buzón de la persona destinataria no está habilitado (Lineamientos 7.8; LSS art. 286-M), del más reciente al más antiguo: en publicación (diez días hábiles) y concluidos en los últimos 30 días naturales desde su notificación. De la persona solo el nombre o razón social del padrón y el RFC sin su fecha; nunca el contenido del documento, que se descarga aparte durante los diez días. Paginado por `despues` (`next`).",
        querystring: EstradosListQuerySchema,
        response: { 200: EstradosListSchema, ...problems(400, 429) },
      },
    },
    async (request) =>
      estrados.list({ limit: request.query.limite ?? 20, cursor: request.query.despues }),
  );

  app.get(
    "/api/v1/estrados/:id",
    {
      schema: {
        tags,
        summary: "Un acto en los estrados, con sus fechas y por qué",
        description:
          "Los datos del listado, los diez días de publicación, los plazos para impugnar y la explicación del motor de plazos (regla `estrados`). Un acto que no está en los estrados es 404.",
        params: EstradosParamsSchema,
        response: { 200: EstradosDetailSchema, ...problems(404, 429) },
      },
    },
    async (request) => estrados.detail(request.params.id),
  );

  app.get(
    "/api/v1/estrados/:id/documento",
    {
      schema: {
        tags,
        summary: "El documento publicado en los estrados (PDF)",
        description:
          "Solo durante los diez días de publicación (CFF art. 139 publica «el documento»); después, 410 `publicacion_concluida`. Un acto que no está en los estrados es 404. Cada lectura comprueba la huella del documento almacenado.",
        params: EstradosParamsSchema,
        response: { 200: PdfSchema, ...problems(404, 410, 429, 503) },
      },
    },
    async (request, reply) => {
      const document = await estrados.document(request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(document.name))
        .header("cache-control", "no-store")
        .send(document.bytes);
    },
  );
};
