import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { problems } from "../../platform/http/schemas.ts";
import { ATTEMPT_COOKIE, contextOf, SESSION_COOKIE, sessionGuards } from "./guard.ts";
import type { AuthService } from "./service.ts";
import type { StaffService } from "./staff-service.ts";

const SessionSchema = Type.Object(
  {
    id: Type.String(),
    rfc: Type.String(),
    name: Type.String(),
    persona: Type.Union([Type.Literal("fisica"), Type.Literal("moral")]),
    representativeRfc: Type.Union([Type.String(), Type.Null()]),
    representativeName: Type.Union([Type.String(), Type.Null()]),
    staffRole: Type.Union([Type.String(), Type.Null()]),
    mailboxStatus: Type.Literal("no_habilitado"),
    createdAt: Type.String(),
    expiresAt: Type.String(),
    idleExpiresAt: Type.String(),
  },
  { $id: "Session", title: "Sesión" },
);

/** Base64 of a few KiB at most: a certificate is ~1.5 KiB, a signature 256 bytes. */
const Base64 = (maxLength: number, description: string) =>
  Type.String({ pattern: "^[A-Za-z0-9+/]+={0,2}$", maxLength, description });

export interface AuthRoutesOptions {
  auth: AuthService;
  staff: StaffService;
  secureCookies: boolean;
  sessionMaxHours: number;
  signInRateLimit: number;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, options) => {
  const { auth } = options;
  const { requireSession, requireRole } = sessionGuards(auth);
  const tags = ["Acceso"];
  const cookie = (reply: FastifyReply, name: string, value: string, path: string, maxAge: number) =>
    reply.setCookie(name, value, {
      path,
      httpOnly: true,
      sameSite: "strict",
      secure: options.secureCookies,
      maxAge,
    });
  const attemptLimit = { max: options.signInRateLimit, timeWindow: "1 minute" };
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
        body: Type.Object({ rfc: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            challengeId: Type.String(),
            toSign: Type.String(),
            expiresAt: Type.String(),
          }),
          ...problems(400, 429),
        },
      },
    },
    async (request, reply) => {
      reachedHandler.add(request);
      const challenge = await auth.createChallenge(
        request.body.rfc,
        request.cookies[ATTEMPT_COOKIE],
        contextOf(request),
      );
      cookie(reply, ATTEMPT_COOKIE, challenge.attemptToken, "/api/v1/auth", 600);
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
        body: Type.Object(
          {
            challengeId: Type.String({ format: "uuid" }),
            certificate: Base64(32_768, "Certificado (.cer) en base64 (DER)."),
            signature: Base64(
              2_048,
              "Firma RSA-SHA256 (PKCS#1 v1.5) del texto del desafío, en base64.",
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ session: Type.Ref("Session"), csrfToken: Type.String() }),
          ...problems(400, 401, 413, 429, 503),
        },
      },
    },
    async (request, reply) => {
      reachedHandler.add(request);
      const result = await auth.signIn(
        request.body,
        request.cookies[ATTEMPT_COOKIE],
        contextOf(request),
      );
      cookie(reply, SESSION_COOKIE, result.sessionToken, "/", options.sessionMaxHours * 3600);
      reply.clearCookie(ATTEMPT_COOKIE, { path: "/api/v1/auth" });
      reply.code(201);
      return { session: result.session, csrfToken: result.csrfToken };
    },
  );

  app.get(
    "/api/v1/auth/sesion",
    {
      schema: {
        tags,
        summary: "La sesión actual",
        response: {
          200: Type.Intersect([Type.Ref("Session"), Type.Object({ csrfToken: Type.String() })]),
          ...problems(401),
        },
      },
    },
    async (request) => {
      const { csrfHash: _hash, ...session } = await requireSession(request);
      return session;
    },
  );

  app.delete(
    "/api/v1/auth/sesion",
    {
      schema: {
        tags,
        summary: "Cerrar la sesión actual",
        response: { 204: Type.Null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await auth.signOut(session, contextOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
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
          200: Type.Object({
            sessions: Type.Array(
              Type.Object({
                id: Type.String(),
                createdAt: Type.String(),
                lastSeenAt: Type.String(),
                userAgent: Type.Union([Type.String(), Type.Null()]),
                ip: Type.Union([Type.String(), Type.Null()]),
                current: Type.Boolean(),
              }),
            ),
          }),
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
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await auth.endOwnSession(session, request.params.id, contextOf(request));
      if (request.params.id === session.id) reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  const StaffSchema = Type.Object({
    rfc: Type.String(),
    name: Type.String(),
    role: Type.String(),
    active: Type.Boolean(),
    updatedAt: Type.String(),
    updatedBy: Type.String(),
  });

  app.get(
    "/api/v1/personal",
    {
      preHandler: requireRole("administrador", "auditor"),
      schema: {
        tags: ["Personal"],
        summary: "Personal del Instituto y sus roles",
        response: { 200: Type.Object({ staff: Type.Array(StaffSchema) }), ...problems(401, 403) },
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
      preHandler: requireRole("administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Dar o cambiar el rol de una persona servidora pública",
        description: "Sus sesiones abiertas terminan en ese momento.",
        params: Type.Object({ rfc: Type.String({ maxLength: 20 }) }),
        body: Type.Object(
          {
            role: Type.String({ maxLength: 20 }),
            name: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ endedSessions: Type.Integer() }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => ({
      endedSessions: await options.staff.set(
        { rfc: request.params.rfc, ...request.body },
        `sesion:${request.session?.rfc}`,
      ),
    }),
  );

  app.delete(
    "/api/v1/personal/:rfc",
    {
      preHandler: requireRole("administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Dar de baja a una persona servidora pública",
        params: Type.Object({ rfc: Type.String({ maxLength: 20 }) }),
        response: {
          200: Type.Object({ endedSessions: Type.Integer() }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (request) => ({
      endedSessions: await options.staff.remove(
        request.params.rfc,
        `sesion:${request.session?.rfc}`,
      ),
    }),
  );

  app.get(
    "/api/v1/auditoria/accesos",
    {
      preHandler: requireRole("auditor", "administrador"),
      schema: {
        tags: ["Personal"],
        summary: "Bitácora de decisiones de autenticación",
        querystring: Type.Object(
          {
            rfc: Type.Optional(Type.String({ maxLength: 20 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            events: Type.Array(
              Type.Object({
                id: Type.String(),
                at: Type.String(),
                event: Type.String(),
                outcome: Type.String(),
                reason: Type.Union([Type.String(), Type.Null()]),
                rfc: Type.Union([Type.String(), Type.Null()]),
                representativeRfc: Type.Union([Type.String(), Type.Null()]),
                certificateNumber: Type.Union([Type.String(), Type.Null()]),
                sessionId: Type.Union([Type.String(), Type.Null()]),
                ip: Type.Union([Type.String(), Type.Null()]),
                requestId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => ({ events: await auth.events(request.query) }),
  );
};
