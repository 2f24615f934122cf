import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { NoContent, problems } from "../../platform/http/schemas.ts";
import { actorOf, type BearerAuth, contextOf, cookieNames, sessionGuards } from "./guard.ts";
import {
  AuthEventsQuerySchema,
  AuthEventsSchema,
  ChallengeRequestSchema,
  ChallengeSchema,
  EndedSessionsSchema,
  IdParamsSchema,
  RfcParamsSchema,
  SessionCreatedSchema,
  SessionListSchema,
  SessionRequestSchema,
  SessionSchema,
  SessionStateSchema,
  SetStaffBodySchema,
  StaffListSchema,
} from "./schemas.ts";
import type { AuthService } from "./service.ts";
import type { StaffService } from "./staff-service.ts";

export interface AuthRoutesOptions {
  auth: AuthService;
  staff: StaffService;
  secureCookies: boolean;
  sessionMaxHours: number;
  signInRateLimit: number;
  /** Staff API tokens on the staff routes; absent, only signed-in staff. */
  bearer?: BearerAuth | undefined;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, options) => {
  const { auth } = options;
  const names = cookieNames(options.secureCookies);
  const { requireSession, requireRole, requireSignedInRole } = sessionGuards(
    auth,
    names.session,
    options.bearer,
  );
  const tags = ["Acceso"];
  /** Without `maxAge` the cookie ends with the browser. */
  const cookie = (
    reply: FastifyReply,
    name: string,
    value: string,
    path: string,
    maxAge?: number,
  ) =>
    reply.setCookie(name, value, {
      path,
      httpOnly: true,
      sameSite: "strict",
      secure: options.secureCookies,
      ...(maxAge === undefined ? {} : { maxAge }),
    });
  // One budget for the whole sign-in: challenges and attempts count together per address.
  const attemptLimit = { max: options.signInRateLimit, timeWindow: "1 minute", groupId: "acceso" };
  app.addSchema(SessionSchema);

  // Sign-in requests refused before their handler runs (a malformed body, the rate limit) are
  // authentication decisions too: the log gets them here; the service logs the rest.
  const reachedHandler = new WeakSet<object>();
  const signInUrls = new Set(["/api/v1/auth/desafio", "/api/v1/auth/sesion"]);
  app.addHook("onResponse", async (request, reply) => {
    if (request.method !== "POST" || !signInUrls.has(request.routeOptions.url ?? "")) return;
    if (reply.statusCode < 400 || reachedHandler.has(request)) return;
    const reason =
      reply.statusCode === 429 ? "limite_de_intentos" : `solicitud_invalida_${reply.statusCode}`;
    await auth.recordRefusal(reason, contextOf(request));
  });

  app.post(
    "/api/v1/auth/desafio",
    {
      config: { rateLimit: attemptLimit },
      schema: {
        tags,
        summary: "Pedir un desafío de acceso para firmar con la e.firma",
        description:
          "Devuelve el texto exacto que el navegador firma; el desafío es de un solo uso, dura 2 minutos y queda ligado a este intento (cookie HttpOnly).",
        body: ChallengeRequestSchema,
        response: {
          201: ChallengeSchema,
          ...problems(400, 429),
        },
      },
    },
    async (request, reply) => {
      reachedHandler.add(request);
      const challenge = await auth.createChallenge(request.body.rfc, contextOf(request));
      cookie(reply, names.attempt, challenge.attemptToken, "/api/v1/auth", 600);
      reply.code(201);
      return {
        challengeId: challenge.challengeId,
        toSign: challenge.toSign,
        expiresAt: challenge.expiresAt,
      };
    },
  );

  app.post(
    "/api/v1/auth/sesion",
    {
      config: { rateLimit: attemptLimit },
      schema: {
        tags,
        summary: "Iniciar sesión con el desafío firmado",
        description:
          "Solo viajan el certificado y la firma; la llave privada y su contraseña no salen del navegador.",
        body: SessionRequestSchema,
        response: {
          201: SessionCreatedSchema,
          ...problems(400, 401, 413, 429, 503),
        },
      },
    },
    async (request, reply) => {
      reachedHandler.add(request);
      const result = await auth.signIn(
        request.body,
        request.cookies[names.attempt],
        contextOf(request),
      );
      // A session cookie ends with the browser (a shared computer) unless the person asked to
      // stay signed in; the server ends the session at its limits either way.
      cookie(
        reply,
        names.session,
        result.sessionToken,
        "/",
        request.body.remember ? options.sessionMaxHours * 3600 : undefined,
      );
      reply.clearCookie(names.attempt, { path: "/api/v1/auth", secure: options.secureCookies });
      reply.code(201);
      return { session: result.session, csrfToken: result.csrfToken };
    },
  );

  app.get(
    "/api/v1/auth/sesion",
    {
      schema: {
        tags,
        summary: "La sesión actual, o que no hay ninguna",
        description:
          "Siempre 200: `autenticado` dice si la cookie de sesión corresponde a una sesión abierta (una vencida se borra). Así la página lo pregunta una vez al cargar sin registrar un 401 por cada visitante.",
        response: { 200: SessionStateSchema, ...problems(503) },
      },
    },
    async (request, reply) => {
      try {
        const {
          csrfHash: _hash,
          certificateNumber: _certificate,
          ...session
        } = await requireSession(request);
        return { autenticado: true as const, ...session };
      } catch (error) {
        if (!(error instanceof AppError && error.code === "unauthorized")) throw error;
        // A cookie whose session ended is dropped, and the page is told why.
        if (request.cookies[names.session] === undefined) return { autenticado: false as const };
        reply.clearCookie(names.session, { path: "/", secure: options.secureCookies });
        return { autenticado: false as const, detail: error.detail };
      }
    },
  );

  app.delete(
    "/api/v1/auth/sesion",
    {
      schema: {
        tags,
        summary: "Cerrar la sesión actual",
        response: { 204: NoContent, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await auth.signOut(session, contextOf(request));
      reply.clearCookie(names.session, { path: "/", secure: options.secureCookies });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/auth/sesiones",
    {
      schema: {
        tags,
        summary: "Mis sesiones abiertas",
        response: {
          200: SessionListSchema,
          ...problems(401),
        },
      },
    },
    async (request) => ({ sessions: await auth.listSessions(await requireSession(request)) }),
  );

  app.delete(
    "/api/v1/auth/sesiones/:id",
    {
      schema: {
        tags,
        summary: "Cerrar una de mis sesiones",
        params: IdParamsSchema,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await auth.endOwnSession(session, request.params.id, contextOf(request));
      if (request.params.id === session.id)
        reply.clearCookie(names.session, { path: "/", secure: options.secureCookies });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/personal",
    {
      preHandler: requireRole("administrador", "auditor"),
      schema: {
        tags: ["Personal"],
        summary: "Personal del Instituto y sus roles",
        response: { 200: StaffListSchema, ...problems(401, 403) },
      },
    },
    async () => ({
      staff: (await options.staff.list()).map((s) => ({
        rfc: s.rfc,
        name: s.name,
        role: s.role,
        active: s.active,
        updatedAt: s.updated_at.toISOString(),
        updatedBy: s.updated_by,
      })),
    }),
  );

  app.put(
    "/api/v1/personal/:rfc",
    {
      preHandler: requireSignedInRole("administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Dar o cambiar el rol de una persona servidora pública",
        description: "Sus sesiones abiertas terminan en ese momento.",
        params: RfcParamsSchema,
        body: SetStaffBodySchema,
        response: {
          200: EndedSessionsSchema,
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => ({
      endedSessions: await options.staff.set(
        { rfc: request.params.rfc, ...request.body },
        actorOf(request),
      ),
    }),
  );

  app.delete(
    "/api/v1/personal/:rfc",
    {
      preHandler: requireSignedInRole("administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Dar de baja a una persona servidora pública",
        params: RfcParamsSchema,
        response: {
          200: EndedSessionsSchema,
          ...problems(401, 403, 404),
        },
      },
    },
    async (request) => ({
      endedSessions: await options.staff.remove(request.params.rfc, actorOf(request)),
    }),
  );

  app.get(
    "/api/v1/auditoria/accesos",
    {
      preHandler: requireRole("auditor", "administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Bitácora de decisiones de autenticación",
        querystring: AuthEventsQuerySchema,
        response: {
          200: AuthEventsSchema,
          ...problems(401, 403),
        },
      },
    },
    async (request) => ({ events: await auth.events(request.query) }),
  );
};
