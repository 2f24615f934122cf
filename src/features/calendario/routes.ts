import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { parseCalendarData, parseDeclaredDay } from "../../domain/calendar/calendar.ts";
import { problems, refTo } from "../../platform/http/schemas.ts";
import {
  AuthorityQuerySchema,
  CalendarFileSchema,
  CalendarYearParamsSchema,
  CalendarYearSchema,
  CreatedVersionSchema,
  DeclareDayBodySchema,
  ImportVersionBodySchema,
  VersionListSchema,
  VersionParamsSchema,
  VersionQuerySchema,
} from "./schemas.ts";
import type { CalendarService } from "./service.ts";
import type { StoredCalendarVersion } from "./store.ts";

/** The answer to an administrative change: the new version, never the token that made it. */
function created(version: StoredCalendarVersion) {
  return {
    version: version.version,
    authority: version.authority,
    days: version.days.length,
    createdAt: version.createdAt.toISOString(),
  };
}

/** Who made an administrative change, as the version records it (never the token). */
function actorOf(request: FastifyRequest): string {
  if (request.apiToken) return `administrador ${request.apiToken.rfc} (token de API)`;
  return `administrador ${request.session?.rfc ?? "desconocido"}`;
}

export interface CalendarioRoutesOptions {
  calendar: CalendarService;
  /** Refuses the request unless an administrator makes it. */
  requireAdmin: (request: FastifyRequest) => Promise<void>;
  /** Requests per client address and minute to the public reads, all together (PUBLIC_RATE_LIMIT). */
  publicRateLimit: number;
}

export const calendarioRoutes: FastifyPluginAsyncTypebox<CalendarioRoutesOptions> = async (
  app,
  { calendar, requireAdmin, publicRateLimit },
) => {
  const tags = ["Calendario"];
  const publicLimit = {
    rateLimit: { max: publicRateLimit, timeWindow: "1 minute", groupId: "calendario" },
  };
  app.addSchema(CalendarFileSchema);

  app.get(
    "/api/v1/calendario/:year",
    {
      config: publicLimit,
      schema: {
        tags,
        summary: "Días inhábiles de un año",
        description:
          "Días del CFF art. 12 y días declarados por la autoridad (`autoridad`: IMSS, por omisión, o TFJA), con su tipo; sábados y domingos son siempre inhábiles y no se listan.",
        params: CalendarYearParamsSchema,
        querystring: VersionQuerySchema,
        response: {
          200: CalendarYearSchema,
          ...problems(400, 404, 429),
        },
      },
    },
    async (request) =>
      calendar.yearView(request.params.year, request.query.version, request.query.autoridad),
  );

  app.get(
    "/api/v1/calendario/versiones",
    {
      config: publicLimit,
      schema: {
        tags,
        summary: "Historial de versiones del calendario de una autoridad (IMSS por omisión)",
        querystring: AuthorityQuerySchema,
        response: { 200: VersionListSchema, ...problems(400, 429) },
      },
    },
    async (request) => {
      const versions = await calendar.listVersions(request.query.autoridad);
      return { versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })) };
    },
  );

  app.get(
    "/api/v1/calendario/versiones/:version",
    {
      config: publicLimit,
      schema: {
        tags,
        summary: "Una versión del calendario, en la forma de archivo",
        description:
          "Sirve para repetir un cálculo con `buzon plazos … --calendario archivo.json`.",
        params: VersionParamsSchema,
        querystring: AuthorityQuerySchema,
        response: { 200: refTo(CalendarFileSchema), ...problems(400, 404, 429) },
      },
    },
    async (request) => calendar.versionFile(request.params.version, request.query.autoridad),
  );

  app.post(
    "/api/v1/calendario/versiones",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Cargar una versión completa del calendario de IMSS o TFJA (administración)",
        description: "La autoridad es la del archivo (`calendar.authority`).",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: ImportVersionBodySchema,
        response: { 201: CreatedVersionSchema, ...problems(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const data = parseCalendarData(request.body.calendar);
      const version = await calendar.importVersion(data, {
        id: actorOf(request),
        note: request.body.note,
      });
      reply.code(201);
      return created(version);
    },
  );

  app.post(
    "/api/v1/calendario/dias-inhabiles",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Declarar un día inhábil (administración)",
        description:
          "Crea una versión nueva del calendario de la autoridad (`authority`: IMSS, por omisión, o TFJA) con el día añadido; las anteriores se conservan.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: DeclareDayBodySchema,
        response: { 201: CreatedVersionSchema, ...problems(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const { note, authority, ...day } = request.body;
      const parsed = parseDeclaredDay(day);
      const version = await calendar.declareDay(
        parsed,
        {
          id: actorOf(request),
          note: note?.trim() || `Declaración del ${parsed.date}: ${parsed.reason}`,
        },
        authority,
      );
      reply.code(201);
      return created(version);
    },
  );
};
