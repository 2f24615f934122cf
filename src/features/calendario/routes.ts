import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { parseCalendarData, parseDeclaredDay } from "../../domain/calendar/calendar.ts";
import { MAX_YEAR, MIN_YEAR } from "../../domain/time/range.ts";
import { ADMIN_ACTOR } from "../../platform/http/admin-auth.ts";
import { problems, VersionLabel } from "../../platform/http/schemas.ts";
import type { CalendarService } from "./service.ts";
import type { StoredCalendarVersion } from "./store.ts";

const DaySchema = Type.Object({
  date: Type.String({ examples: ["2025-04-17"] }),
  reason: Type.String({ examples: ["Jueves Santo"] }),
  source: Type.String({ examples: ["ACDO.… (DOF …)"] }),
});

const YearDaySchema = Type.Object({
  date: Type.String(),
  weekday: Type.String(),
  reason: Type.String(),
  source: Type.String(),
  kind: Type.Union([Type.Literal("cff"), Type.Literal("declarado")]),
});

const CalendarFileSchema = Type.Object(
  { authority: Type.String(), version: Type.String(), days: Type.Array(DaySchema) },
  { $id: "CalendarFile", title: "Archivo de calendario" },
);

const VersionSummarySchema = Type.Object({
  id: Type.String(),
  authority: Type.String(),
  version: Type.String(),
  note: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
});

const VersionQuery = Type.Object(
  {
    version: Type.Optional(VersionLabel("Versión del calendario; por omisión la vigente.")),
  },
  { additionalProperties: false },
);

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
  return request.session ? `administrador ${request.session.rfc}` : ADMIN_ACTOR;
}

export interface CalendarioRoutesOptions {
  calendar: CalendarService;
  /** Refuses the request unless an administrator makes it. */
  requireAdmin: (request: FastifyRequest) => Promise<void>;
}

export const calendarioRoutes: FastifyPluginAsyncTypebox<CalendarioRoutesOptions> = async (
  app,
  { calendar, requireAdmin },
) => {
  const tags = ["Calendario"];

  app.get(
    "/api/v1/calendario/:year",
    {
      schema: {
        tags,
        summary: "Días inhábiles de un año",
        description:
          "Días del CFF art. 12 y días declarados por el IMSS; sábados y domingos son siempre inhábiles y no se listan.",
        params: Type.Object({ year: Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR }) }),
        querystring: VersionQuery,
        response: {
          200: Type.Object({
            year: Type.Integer(),
            authority: Type.String(),
            version: Type.String(),
            days: Type.Array(YearDaySchema),
          }),
          ...problems(400, 404),
        },
      },
    },
    async (request) => calendar.yearView(request.params.year, request.query.version),
  );

  app.get(
    "/api/v1/calendario/versiones",
    {
      schema: {
        tags,
        summary: "Historial de versiones del calendario",
        response: { 200: Type.Object({ versions: Type.Array(VersionSummarySchema) }) },
      },
    },
    async () => {
      const versions = await calendar.listVersions();
      return { versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })) };
    },
  );

  app.get(
    "/api/v1/calendario/versiones/:version",
    {
      schema: {
        tags,
        summary: "Una versión del calendario, en la forma de archivo",
        description:
          "Sirve para repetir un cálculo con `buzon plazos … --calendario archivo.json`.",
        params: Type.Object({ version: VersionLabel("Versión del calendario.") }),
        response: { 200: Type.Ref("CalendarFile"), ...problems(404) },
      },
    },
    async (request) => calendar.versionFile(request.params.version),
  );

  const Created = Type.Object({
    version: Type.String(),
    authority: Type.String(),
    days: Type.Integer(),
    createdAt: Type.String(),
  });

  app.post(
    "/api/v1/calendario/versiones",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Cargar una versión completa del calendario (administración)",
        security: [{ adminToken: [] }, { sessionCookie: [] }],
        body: Type.Object({
          calendar: Type.Unknown({
            description:
              "El archivo de calendario: {authority, version, days:[{date, reason, source}]}",
          }),
          note: Type.String({ minLength: 1, maxLength: 500 }),
        }),
        response: { 201: Created, ...problems(400, 401, 409, 503) },
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
          "Crea una versión nueva del calendario con el día añadido; las anteriores se conservan.",
        security: [{ adminToken: [] }, { sessionCookie: [] }],
        body: Type.Object({
          date: Type.String(),
          reason: Type.String(),
          source: Type.String(),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 201: Created, ...problems(400, 401, 409, 503) },
      },
    },
    async (request, reply) => {
      const { note, ...day } = request.body;
      const parsed = parseDeclaredDay(day);
      const version = await calendar.declareDay(parsed, {
        id: actorOf(request),
        note: note?.trim() || `Declaración del ${parsed.date}: ${parsed.reason}`,
      });
      reply.code(201);
      return created(version);
    },
  );

  app.addSchema(CalendarFileSchema);
};
