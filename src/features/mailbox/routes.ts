import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { internalError } from "../../domain/errors.ts";
import { problems } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import {
  AclaracionBodySchema,
  AclaracionFiledSchema,
  AclaracionItemSchema,
  AclaracionListSchema,
  AclaracionParamsSchema,
  AclaracionQuerySchema,
  AttendAclaracionBodySchema,
  CodeResentSchema,
  MailboxViewSchema,
  MeansParamsSchema,
  MeansRegisteredSchema,
  MeansValidatedSchema,
  RegisterMeansBodySchema,
  ValidateMeansBodySchema,
} from "./schemas.ts";
import type { MailboxActor, MailboxService, StaffActor } from "./service.ts";

export interface MailboxRoutesOptions {
  mailbox: MailboxService;
  /** The session (and, for changes, its CSRF token): src/features/auth/guard.ts. */
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Staff of the aclaraciones queue (operador, administrador). */
  requireStaff: (request: FastifyRequest) => Promise<void>;
  /**
   * Requests per client address and minute to the mailbox's changes, all together with the
   * Terms' (MAILBOX_RATE_LIMIT): each may issue an acuse or send an e-mail or an SMS.
   */
  rateLimit: number;
}

/**
 * The one budget of the mailbox's changes (means, codes, aclaraciones, the Terms): per client
 * address and minute, in the shared counters. The domain's own limits (attempts per code, a
 * minute between codes, registrations per RFC) hold per mailbox; this one holds per address,
 * across sessions.
 */
export function mailboxLimit(max: number) {
  return { rateLimit: { max, timeWindow: "1 minute", groupId: "buzon" } };
}

/** Who on the staff decides: the token's owner, else the session's (after requireStaff). */
function staffOf(request: FastifyRequest): StaffActor {
  const rfc = request.apiToken?.rfc ?? request.session?.rfc;
  if (!rfc) throw internalError("requireStaff dejó pasar una solicitud sin identidad");
  return {
    rfc,
    via: request.apiToken ? "token_api" : "sesion",
    ip: request.ip,
    requestId: String(request.id),
  };
}

/** The session's RFC is the mailbox; a representative acts for a persona moral. */
function actorOf(session: AuthenticatedSession): MailboxActor {
  return { rfc: session.rfc, representativeRfc: session.representativeRfc };
}

/**
 * «Mis medios de contacto» (issue 9 §2 and §7): thin routes over the mailbox service. Every
 * route needs a session; every change, its CSRF token too. A means of another RFC's mailbox is
 * a 404, as if it did not exist.
 */
export const mailboxRoutes: FastifyPluginAsyncTypebox<MailboxRoutesOptions> = async (
  app,
  { mailbox, requireSession, requireStaff, rateLimit },
) => {
  const tags = ["Buzón"];
  const security = [{ sessionCookie: [] }];
  const limit = mailboxLimit(rateLimit);

  app.get(
    "/api/v1/buzon",
    {
      schema: {
        tags,
        summary: "Mi Buzón IMSS: estado, medios de contacto y Términos",
        security,
        response: { 200: MailboxViewSchema, ...problems(401) },
      },
    },
    async (request) => mailbox.view(actorOf(await requireSession(request))),
  );

  app.post(
    "/api/v1/buzon/medios",
    {
      config: limit,
      schema: {
        tags,
        summary: "Registrar un medio de contacto (correo o celular)",
        description:
          "Del RFC (obligatorio: de 1 a 5 correos y 1 celular) o de uno o varios de sus registros patronales (opcional). Emite un acuse y envía el código de validación; hay 72 horas para validarlo.",
        security,
        body: RegisterMeansBodySchema,
        response: { 201: MeansRegisteredSchema, ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const registered = await mailbox.register(actorOf(session), request.body);
      reply.code(201);
      return registered;
    },
  );

  app.post(
    "/api/v1/buzon/medios/:id/validacion",
    {
      config: limit,
      schema: {
        tags,
        summary: "Validar un medio de contacto con su código",
        description:
          "200 validado (con acuse); 400 código incorrecto; 410 pasaron las 72 horas; 429 intentos agotados (pide otro código).",
        security,
        params: MeansParamsSchema,
        body: ValidateMeansBodySchema,
        response: { 200: MeansValidatedSchema, ...problems(400, 401, 403, 404, 409, 410, 429) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return mailbox.validate(actorOf(session), request.params.id, request.body.codigo);
    },
  );

  app.post(
    "/api/v1/buzon/medios/:id/reenvio",
    {
      config: limit,
      schema: {
        tags,
        summary: "Reenviar el código de validación",
        description:
          "Envía un código nuevo (el anterior deja de valer y los intentos vuelven a empezar). 429 si no ha pasado un minuto desde el último o se agotaron los envíos.",
        security,
        params: MeansParamsSchema,
        response: { 202: CodeResentSchema, ...problems(401, 403, 404, 409, 410, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const resent = await mailbox.resend(actorOf(session), request.params.id);
      reply.code(202);
      return resent;
    },
  );

  app.delete(
    "/api/v1/buzon/medios/:id",
    {
      config: limit,
      schema: {
        tags,
        summary: "Eliminar un medio de contacto",
        description:
          "409 si dejaría un Buzón habilitado sin correo o sin celular validado. Responde el buzón como queda.",
        security,
        params: MeansParamsSchema,
        response: { 200: MailboxViewSchema, ...problems(401, 403, 404, 409, 429) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return mailbox.remove(actorOf(session), request.params.id);
    },
  );

  app.post(
    "/api/v1/buzon/aclaraciones",
    {
      config: limit,
      schema: {
        tags,
        summary: "Aclaración: no recibí el correo de validación",
        description:
          "Dentro de las 24 horas siguientes al registro del correo. Emite un acuse (una promoción) y llega a la bandeja del personal.",
        security,
        body: AclaracionBodySchema,
        response: { 201: AclaracionFiledSchema, ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const filed = await mailbox.fileAclaracion(actorOf(session), request.body);
      reply.code(201);
      return filed;
    },
  );

  app.get(
    "/api/v1/buzon/aclaraciones",
    {
      preHandler: requireStaff,
      schema: {
        tags,
        summary: "Bandeja de aclaraciones de medios de contacto (operador o administrador)",
        description:
          "La presentada primero antes y, en el mismo instante, por id. Paginada: `limite` (1 a 200, 50 por omisión); la página siguiente con `despuesDe=` igual al `next` de la anterior (null en la última). Un cursor alterado es 400 `invalid_cursor`.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        querystring: AclaracionQuerySchema,
        response: { 200: AclaracionListSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => mailbox.aclaraciones(request.query),
  );

  app.post(
    "/api/v1/buzon/aclaraciones/:id/atencion",
    {
      preHandler: requireStaff,
      schema: {
        tags,
        summary: "Atender una aclaración (operador o administrador)",
        description:
          "La marca «atendida» con la respuesta que la persona lee en su buzón (`GET /api/v1/buzon`). Una sola vez: 409 si ya se atendió. Queda en el historial del buzón y en la bitácora de auditoría.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        params: AclaracionParamsSchema,
        body: AttendAclaracionBodySchema,
        response: { 200: AclaracionItemSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => mailbox.attendAclaracion(request.params.id, request.body, staffOf(request)),
  );
};
