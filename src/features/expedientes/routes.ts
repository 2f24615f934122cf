import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { problems } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { CSV_BOM, CSV_HEADER, csvLine, csvLineOf } from "./csv.ts";
import {
  ExpedienteFiltersSchema,
  ExpedienteListQuerySchema,
  ExpedienteListSchema,
} from "./schemas.ts";
import type { ExpedienteService } from "./service.ts";

/** «Mis expedientes» (issue 12 §4): only the session's RFC is ever read. */
export const expedientesRoutes: FastifyPluginAsyncTypebox<{
  expedientes: ExpedienteService;
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** The site's address, for the CSV's absolute links. */
  publicUrl: string;
}> = async (app, { expedientes, requireSession, publicUrl }) => {
  const tags = ["Mis expedientes"];
  const origin = publicUrl.replace(/\/$/, "");

  app.get(
    "/api/v1/expedientes",
    {
      schema: {
        tags,
        summary:
          "Mis expedientes: notificaciones, promociones, documentos y comunicados en una lista",
        description:
          "Lo de la persona de la sesión, del más reciente al más antiguo (aviso de la notificación, envío de la promoción, publicación del documento o comunicado); a igual instante, por clase e id, siempre igual. Las notificaciones son las que «Mis notificaciones» muestra. Cada elemento trae sus acuses (folio, código, PDF y verificación) y el enlace a su página. Búsqueda `q`, filtros `clase`, `desde`/`hasta` (días de la Zona Centro, incluidos) y `registroPatronal`. Página siguiente: `antesDe=` con la cabecera `x-next-cursor`.",
        security: [{ sessionCookie: [] }],
        querystring: ExpedienteListQuerySchema,
        response: { 200: ExpedienteListSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const page = await expedientes.list(session.rfc, request.query);
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/expedientes.csv",
    {
      schema: {
        tags,
        summary: "Mis expedientes en CSV (toda la lista, con los mismos filtros)",
        description:
          "UTF-8 con BOM (Excel lo abre con acentos), una línea por elemento, todas las celdas entre comillas; una celda que empieza con =, +, - o @ lleva antes un apóstrofo para que ninguna hoja de cálculo la tome por fórmula. Se envía a medida que se lee.",
        security: [{ sessionCookie: [] }],
        querystring: ExpedienteFiltersSchema,
        response: {
          200: Type.Any({ description: "text/csv; charset=utf-8" }),
          ...problems(400, 401),
        },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const items = expedientes.all(session.rfc, request.query);
      // The first page is read before answering, so a bad filter is still a 400 problem.
      const first = await items.next();
      async function* lines() {
        yield `${CSV_BOM}${csvLine([...CSV_HEADER])}`;
        if (first.done) return;
        yield csvLineOf(first.value, origin);
        for await (const item of items) yield csvLineOf(item, origin);
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="mis-expedientes.csv"')
        .header("cache-control", "no-store")
        .send(Readable.from(lines()));
    },
  );
};
