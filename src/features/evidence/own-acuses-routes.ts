import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { problems } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { OwnAcusesQuerySchema, OwnAcusesSchema } from "./schemas.ts";
import type { EvidenceService } from "./service.ts";

/**
 * «Mis acuses» (issue 9 follow-up): the signed-in particular's acuses of her own buzón. Only
 * the session's RFC is ever read: no parameter names a buzón, so no one else's is listed.
 */
export const ownAcusesRoutes: FastifyPluginAsyncTypebox<{
  evidence: EvidenceService;
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
}> = async (app, { evidence, requireSession }) => {
  app.get(
    "/api/v1/buzon/acuses",
    {
      schema: {
        tags: ["Buzón"],
        summary: "Mis acuses: los acuses de mi Buzón IMSS, del más reciente al más antiguo",
        description:
          "De todos los tipos (medios de contacto, Términos, aclaraciones…), leídos de los acuses por el RFC del buzón de la sesión. Paginado: pide la página siguiente con `despues` = `siguiente`; un `despues` alterado es 400 invalid_cursor.",
        security: [{ sessionCookie: [] }],
        querystring: OwnAcusesQuerySchema,
        response: { 200: OwnAcusesSchema, ...problems(400, 401) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return evidence.ownAcuses(session.rfc, request.query);
    },
  );
};
