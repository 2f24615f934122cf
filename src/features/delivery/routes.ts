import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { formatInstant, parseInstant } from "../../domain/time/zona-centro.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { DemoClock } from "../../platform/demo-clock.ts";
import { problems } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import type { DevSinks } from "./dev-sinks.ts";
import {
  DeliveryListSchema,
  DeliveryQuerySchema,
  DemoClockNoticeSchema,
  DemoClockSchema,
  DevMessagesQuerySchema,
  DevMessagesSchema,
  MoveClockBodySchema,
} from "./schemas.ts";
import { type DeliveryService, messageIdOf } from "./service.ts";

type Guard = (request: FastifyRequest) => Promise<unknown>;

/** `GET /api/v1/entregas`: what the pipeline did, for administrators (failures first of all). */
export const deliveryRoutes: FastifyPluginAsyncTypebox<{
  delivery: DeliveryService;
  requireAdmin: Guard;
}> = async (app, { delivery, requireAdmin }) => {
  app.get(
    "/api/v1/entregas",
    {
      onRequest: requireAdmin,
      schema: {
        tags: ["Entregas"],
        summary: "Mensajes de la bandeja de salida por estado (administración)",
        description:
          "Por omisión, los que fallaron después del último reintento, con la última respuesta del servidor SMTP o de la pasarela SMS.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        querystring: DeliveryQuerySchema,
        response: { 200: DeliveryListSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({
      entregas: await delivery.list({ estado: request.query.estado, limit: request.query.limite }),
    }),
  );
};

/**
 * The demonstration's routes (`serve --demo` only; not registered otherwise, so they answer
 * 404): the messages the loopback servers received, and the demo clock (an administrator's).
 * One public, read-only answer tells every page whether the clock runs ahead, for its banner.
 */
export const devRoutes: FastifyPluginAsyncTypebox<{
  sinks: DevSinks;
  clock: DemoClock;
  db: Db;
  messageIdDomain: string;
  runJobs: () => Promise<void>;
  requireAdmin: Guard;
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Requests per client address and minute to the public notice (PUBLIC_RATE_LIMIT). */
  publicRateLimit: number;
}> = async (app, options) => {
  const tags = ["Demostración"];
  const security: Array<Record<string, string[]>> = [{ apiToken: [] }, { sessionCookie: [] }];
  // The instant as every other route writes it: Zona Centro with its offset, to the millisecond
  // (what the database keeps), never the real clock's nanoseconds in UTC.
  const demoNow = () =>
    formatInstant(
      options.clock.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" }),
    );
  const clockState = () => ({
    now: demoNow(),
    moved: options.clock.moved(),
    offsetSeconds: options.clock.offsetSeconds(),
  });

  app.get(
    "/api/v1/dev/mensajes",
    {
      // The administration token (or an administrator's session) sees every address; a person
      // signed in sees the messages sent about their own RFC («Bandeja de desarrollo»).
      onRequest: async (request) => {
        if (request.headers.authorization !== undefined) await options.requireAdmin(request);
        else await options.requireSession(request);
      },
      schema: {
        tags,
        summary: "Mensajes que recibieron los servidores de la demostración (solo --demo)",
        security,
        querystring: DevMessagesQuerySchema,
        response: { 200: DevMessagesSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      let received = options.sinks.messages(request.query.para);
      const session = request.session;
      if (!request.apiToken && session && session.staffRole !== "administrador") {
        const own = await options.db
          .selectFrom("outbox")
          .select("idempotency_key")
          .where("rfc", "=", session.rfc)
          .execute();
        const ids = new Set(
          own.map((o) => messageIdOf(o.idempotency_key, options.messageIdDomain)),
        );
        received = received.filter((m) => ids.has(m.messageId));
      }
      return received.map(({ channel, to, subject, text, sentAt }) => ({
        channel,
        to,
        subject,
        text,
        sentAt,
      }));
    },
  );

  app.get(
    "/api/v1/dev/reloj",
    {
      onRequest: options.requireAdmin,
      schema: {
        tags,
        summary: "Hora y adelanto del reloj de demostración (solo --demo)",
        security,
        response: { 200: DemoClockSchema, ...problems(401, 403, 404) },
      },
    },
    async () => clockState(),
  );

  app.get(
    "/api/v1/demo/reloj",
    {
      // Public and read-only: every page shows a banner while the clock runs ahead. It says
      // only that, and the instant; the offset and the moving stay with the administrator.
      config: {
        rateLimit: { max: options.publicRateLimit, timeWindow: "1 minute", groupId: "demo" },
      },
      schema: {
        tags,
        summary: "Si el reloj de demostración va adelantado (solo --demo; sin autenticación)",
        description:
          "La web muestra el aviso «Reloj de demostración» en cada página mientras `moved` es verdadero.",
        response: { 200: DemoClockNoticeSchema, ...problems(404, 429) },
      },
    },
    async () => ({ moved: options.clock.moved(), now: demoNow() }),
  );

  app.post(
    "/api/v1/dev/reloj",
    {
      onRequest: options.requireAdmin,
      schema: {
        tags,
        summary: "Adelantar el reloj de demostración (solo --demo; nunca hacia atrás)",
        description:
          "Las tareas periódicas que vencen con la nueva hora (plazos de validación, entregas…) se ejecutan antes de responder.",
        security,
        body: MoveClockBodySchema,
        response: { 200: DemoClockSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const at = parseInstant(request.body.at, "at");
      options.clock.moveTo(at);
      await options.runJobs();
      return clockState();
    },
  );
};
