import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { NoContent, problems } from "../../platform/http/schemas.ts";
import type { ApiTokenService } from "./api-tokens.ts";
import { actorOf, contextOf, type sessionGuards } from "./guard.ts";
import {
  ApiTokenListQuerySchema,
  ApiTokenListSchema,
  ApiTokenParamsSchema,
  ApiTokenSchema,
  CreateApiTokenBodySchema,
  CreatedApiTokenSchema,
} from "./schemas.ts";

export interface TokenRoutesOptions {
  tokens: ApiTokenService;
  guards: ReturnType<typeof sessionGuards>;
}

/** Staff API tokens, managed by administrators (signed in, or with their own token). */
export const tokenRoutes: FastifyPluginAsyncTypebox<TokenRoutesOptions> = async (app, options) => {
  const { tokens } = options;
  const admin = options.guards.requireRole("administrador");
  const signedInAdmin = options.guards.requireSignedInRole("administrador");
  const tags = ["Personal"];
  const security: { [label: string]: string[] }[] = [{ apiToken: [] }, { sessionCookie: [] }];
  app.addSchema(ApiTokenSchema);

  app.get(
    "/api/v1/tokens",
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: "Tokens de API del personal (nunca el token mismo)",
        querystring: ApiTokenListQuerySchema,
        response: { 200: ApiTokenListSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => ({ tokens: await tokens.list(request.query.rfc) }),
  );

  app.post(
    "/api/v1/tokens",
    {
      preHandler: signedInAdmin,
      schema: {
        tags,
        security,
        summary: "Crear un token de API para una persona servidora pública",
        description:
          "El token se muestra solo en esta respuesta. Actúa con los roles dados mientras su titular siga activo con uno de ellos, hasta que vence o se revoca; cada uso y cada rechazo quedan en la bitácora.",
        body: CreateApiTokenBodySchema,
        response: { 201: CreatedApiTokenSchema, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const created = await tokens.create(request.body, actorOf(request), contextOf(request));
      reply.code(201);
      return { token: created.token, apiToken: created.view };
    },
  );

  app.delete(
    "/api/v1/tokens/:id",
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: "Revocar un token de API",
        params: ApiTokenParamsSchema,
        response: { 204: NoContent, ...problems(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await tokens.revoke(request.params.id, actorOf(request), contextOf(request));
      return reply.code(204).send(null);
    },
  );
};
