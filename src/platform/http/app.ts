import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { refuseNul } from "./nul.ts";
import { isPagePath } from "./page-paths.ts";
import { handleError, sendProblem } from "./problem.ts";
import { type Counters, memoryCounters, rateLimitStore } from "./rate-limit-store.ts";
import { ProblemSchema, RAW_UPLOAD_KEYWORD } from "./schemas.ts";
import { registerSecurityHeaders, relaxStylesForApiDocs } from "./security-headers.ts";

export interface HttpAppOptions {
  logger: FastifyServerOptions["logger"];
  /** Built web app directory; absent or missing means API only. */
  webDir?: string | undefined;
  /** Readiness: resolves when the app can serve (database reachable). */
  ready: () => Promise<void>;
  /** Said in the readiness answer beside its status (the blob store's kind). */
  readyDetails?: Record<string, string>;
  version: string;
  /** Proxies believed about the client address (see Config.trustProxy). */
  trustProxy?: boolean | number | string[];
  /** The site is served over https (PUBLIC_URL): browsers are told to keep to it (HSTS). */
  https?: boolean;
  /** Where rate limits count: shared across processes on PostgreSQL (default: memory). */
  rateLimitCounters?: Counters;
  /** Longest a request may take to arrive, and a connection may stay silent (default 60 s). */
  requestTimeoutSeconds?: number;
}

/**
 * A raw upload's body (`rawUploadBody` in schemas.ts) is validated by an annotation alone; the
 * published document says what it is, `type: string, format: binary`, per media type.
 */
function publishRawBodies<S>(schema: S): S {
  const body = (schema as { body?: { content?: Record<string, { schema?: object }> } } | undefined)
    ?.body;
  if (body?.content === undefined) return schema;
  const content = Object.fromEntries(
    Object.entries(body.content).map(([mediaType, entry]) => {
      const inner = entry.schema as Record<string, unknown> | undefined;
      if (inner?.[RAW_UPLOAD_KEYWORD] !== true) return [mediaType, entry];
      const { [RAW_UPLOAD_KEYWORD]: _raw, ...rest } = inner;
      return [mediaType, { ...entry, schema: { type: "string", format: "binary", ...rest } }];
    }),
  );
  return { ...schema, body: { ...body, content } };
}

type AjvPlugin = Extract<
  NonNullable<NonNullable<FastifyServerOptions["ajv"]>["plugins"]>[number],
  (...args: never[]) => unknown
>;

/** The raw-upload annotation (schemas.ts): known, so Ajv's strict mode neither fails nor warns. */
const rawUploadKeyword: AjvPlugin = (ajv) =>
  ajv.addKeyword({ keyword: RAW_UPLOAD_KEYWORD, schemaType: "boolean" });

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** A registered route as the contract test reads it: method, URL and schema. */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
}

const routeTables = new WeakMap<object, RegisteredRoute[]>();

/** Every route registered on an app made by createHttpApp (HEAD included), in order. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routeTables.get(app) ?? [];
}

/**
 * The Fastify app with what every route relies on: request ids, problem+json errors, OpenAPI
 * at /api/docs, health probes and the web app. Features register their routes on it.
 */
export async function createHttpApp(options: HttpAppOptions) {
  const timeoutMs = (options.requestTimeoutSeconds ?? 60) * 1000;
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 1024 * 1024,
    // A body trickled a byte at a time must not hold a socket: the whole request has a deadline
    // (checked every second, not Node's default 30), a silent socket is closed, and an idle
    // keep-alive connection lasts seconds.
    requestTimeout: timeoutMs,
    connectionTimeout: timeoutMs,
    keepAliveTimeout: 5000,
    http: { connectionsCheckingInterval: 1000, headersTimeout: Math.min(timeoutMs, 20_000) },
    // A caller's id is kept when it looks like one, so a support case can be traced end to end.
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: { allErrors: false, coerceTypes: true, removeAdditional: false },
      plugins: [rawUploadKeyword],
    },
    return503OnClosing: true,
    // Fastify also takes a number of hops; its type declaration omits it.
    trustProxy: (options.trustProxy ?? false) as boolean | string[],
    // Errors raised before routing (a malformed URL) get the same problem+json as the rest.
    frameworkErrors: (error, request, reply) => {
      if (error.code === "FST_ERR_BAD_URL") {
        return sendProblem(request, reply, "validation", "La dirección solicitada no es válida.");
      }
      return handleError(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Kept so a test can hold every route to the published contract (OpenAPI and docs/api.md).
  const routes: RegisteredRoute[] = [];
  routeTables.set(app, routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, schema: route.schema as RegisteredRoute["schema"] });
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // U+0000 in a JSON body, a query or a path parameter: a 400 before any route sees it (nul.ts).
  app.addHook("preValidation", refuseNul);
  await registerSecurityHeaders(app, { https: options.https ?? false });
  // API answers carry sessions, staff, audit events and acuses: no cache (a shared computer's, a
  // proxy's) keeps them unless a route says otherwise.
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control")) {
      reply.header("cache-control", "no-store");
    }
  });

  await app.register(fastifyCookie);
  // Limits are set per route (sign-in, verification, the public log and plazos). Their counters
  // are the database's on PostgreSQL, so several processes share one budget.
  await app.register(fastifyRateLimit, {
    global: false,
    store: rateLimitStore(options.rateLimitCounters ?? memoryCounters()),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "rate_limited",
        `Demasiados intentos. Espera ${Math.ceil(context.ttl / 1000)} segundos y vuelve a intentarlo.`,
      ),
  });

  // The API speaks JSON only; anything else is refused with 415 rather than half-parsed.
  app.removeContentTypeParser("text/plain");
  app.addSchema(ProblemSchema);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Buzón IMSS API",
        version: options.version,
        description:
          "API del Buzón IMSS. Los instantes son ISO 8601 con zona (se devuelven en Zona Centro, -06:00); las fechas, AAAA-MM-DD. Los errores son RFC 9457 (application/problem+json) con `detail` en español.",
      },
      components: {
        securitySchemes: {
          apiToken: {
            type: "http",
            scheme: "bearer",
            description: "Token de API de una persona servidora pública (`bzn_…`).",
          },
          sessionCookie: { type: "apiKey", in: "cookie", name: "buzon_sesion" },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    transform: ({ schema, url }) => ({ schema: publishRawBodies(schema), url }),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/api/docs",
    transformStaticCSP: relaxStylesForApiDocs,
  });

  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      await options.ready();
      return { status: "ready", ...options.readyDetails };
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return sendProblem(request, reply, "unavailable", "La base de datos no responde.");
    }
  });

  const webDir = options.webDir;
  const hasWeb = webDir !== undefined && existsSync(join(webDir, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const isPageRequest =
      (request.method === "GET" || request.method === "HEAD") &&
      path !== "/api" &&
      !path.startsWith("/api/");
    if (hasWeb && isPageRequest) {
      // Any path outside the API answers the page, whatever Accept says (link previews and QR
      // apps fetch without text/html): 200 for the app's own pages, 404 for any other, which
      // the app renders as «Página no encontrada».
      return reply
        .code(isPagePath(path) ? 200 : 404)
        .type("text/html; charset=utf-8")
        .sendFile("index.html");
    }
    return sendProblem(request, reply, "not_found", `No existe el recurso ${path}.`);
  });

  return app;
}

export type HttpApp = Awaited<ReturnType<typeof createHttpApp>>;
export type { FastifyInstance };
