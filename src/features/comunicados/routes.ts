import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { NoContent, problems } from "../../platform/http/schemas.ts";
import { actorOf } from "../auth/guard.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import {
  ComposeRequestSchema,
  ComunicadoDetailSchema,
  ComunicadoListQuerySchema,
  ComunicadoListSchema,
  ComunicadoParamsSchema,
  PreviewSchema,
  StaffComunicadoSchema,
  SubdelegacionesSchema,
  UnreadSchema,
} from "./schemas.ts";
import type { ComunicadoService } from "./service.ts";

export interface ComunicadoRoutesOptions {
  comunicados: ComunicadoService;
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Staff who compose comunicados: operador or administrador (session + CSRF, or API token). */
  requireComposer: (request: FastifyRequest) => Promise<void>;
}

/** «Mis comunicados» (issue 12 §3): the particular reads and marks; staff compose. */
export const comunicadosRoutes: FastifyPluginAsyncTypebox<ComunicadoRoutesOptions> = async (
  app,
  { comunicados, requireSession, requireComposer },
) => {
  const tags = ["Mis comunicados"];

  app.get(
    "/api/v1/comunicados",
    {
      schema: {
        tags,
        summary: "Mis comunicados (la persona de la sesión)",
        description:
          "Los comunicados que llegan al RFC de la sesión (generales, de su subdelegación por sus registros patronales en el padrón, o dirigidos a él) ya publicados, del más reciente al más antiguo, con `read`. Filtro `leido`. Página siguiente: `antesDe=` con la cabecera `x-next-cursor`.",
        security: [{ sessionCookie: [] }],
        querystring: ComunicadoListQuerySchema,
        response: { 200: ComunicadoListSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const page = await comunicados.list(session.rfc, {
        limit: request.query.limite ?? 50,
        cursor: request.query.antesDe,
        read: request.query.leido,
      });
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/comunicados/sin-leer",
    {
      schema: {
        tags,
        summary: "Cuántos comunicados sin leer (para el menú)",
        security: [{ sessionCookie: [] }],
        response: { 200: UnreadSchema, ...problems(401) },
      },
    },
    async (request) => comunicados.unread((await requireSession(request)).rfc),
  );

  app.get(
    "/api/v1/comunicados/:id",
    {
      schema: {
        tags,
        summary: "Un comunicado, con su texto completo",
        description: "Leerlo no lo marca: `POST …/leido` lo marca.",
        security: [{ sessionCookie: [] }],
        params: ComunicadoParamsSchema,
        response: { 200: ComunicadoDetailSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return comunicados.detail(session.rfc, request.params.id);
    },
  );

  app.post(
    "/api/v1/comunicados/:id/leido",
    {
      schema: {
        tags,
        summary: "Marcar un comunicado como leído",
        description:
          "Idempotente: marcarlo otra vez no cambia el instante de la primera. Uno que no llega al RFC de la sesión, o aún no publicado: 404.",
        security: [{ sessionCookie: [] }],
        params: ComunicadoParamsSchema,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await comunicados.markRead(session.rfc, request.params.id);
      reply.code(204);
      return null;
    },
  );

  const staffTags = ["Mis comunicados (personal)"];
  const staff: { security: Record<string, string[]>[] } = {
    security: [{ apiToken: [] }, { sessionCookie: [] }],
  };

  app.get(
    "/api/v1/staff/comunicados/subdelegaciones",
    {
      onRequest: requireComposer,
      schema: {
        tags: staffTags,
        summary: "Subdelegaciones a las que se puede dirigir un comunicado",
        ...staff,
        response: { 200: SubdelegacionesSchema, ...problems(401, 403) },
      },
    },
    async () => comunicados.subdelegaciones().map((s) => ({ ...s, claves: [...s.claves] })),
  );

  app.post(
    "/api/v1/staff/comunicados/vista-previa",
    {
      onRequest: requireComposer,
      schema: {
        tags: staffTags,
        summary: "Vista previa de un comunicado (no publica nada)",
        description:
          "Las mismas comprobaciones que publicarlo; responde el texto como quedaría y a cuántos RFC del padrón llega hoy.",
        ...staff,
        body: ComposeRequestSchema,
        response: { 200: PreviewSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => comunicados.preview(request.body),
  );

  app.post(
    "/api/v1/staff/comunicados",
    {
      onRequest: requireComposer,
      schema: {
        tags: staffTags,
        summary: "Publicar o programar un comunicado",
        description:
          "Personal con rol `operador` o `administrador`. General, a una subdelegación (los RFC con un registro patronal suyo en el padrón, al momento de leer) o a un RFC. `publishedAt` futuro: se muestra desde entonces. `sendEmail`: también un correo a cada buzón habilitado al que llega, cuando se publica. Un comunicado es una fila, sin copias por destinatario; no corre plazo alguno.",
        ...staff,
        body: ComposeRequestSchema,
        response: { 201: StaffComunicadoSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const created = await comunicados.compose(request.body, actorOf(request));
      reply.code(201);
      return created;
    },
  );

  app.get(
    "/api/v1/staff/comunicados",
    {
      onRequest: requireComposer,
      schema: {
        tags: staffTags,
        summary: "Comunicados publicados y programados",
        ...staff,
        querystring: Type.Object(
          {
            limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(StaffComunicadoSchema), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = await comunicados.staffList({
        limit: request.query.limite ?? 50,
        cursor: request.query.cursor,
      });
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );
};
