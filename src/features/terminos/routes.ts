import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { PlainText, problems } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { CodigoQuerySchema, FolioParamsSchema } from "../evidence/schemas.ts";
import { mailboxLimit } from "../mailbox/routes.ts";
import {
  PublishTermsBodySchema,
  TermsChallengeSchema,
  TermsSignatureEvidenceSchema,
  TermsSignatureRequestSchema,
  TermsSignedSchema,
  TermsVersionListSchema,
  TermsVersionParamsSchema,
  TermsVersionSummarySchema,
} from "./schemas.ts";
import type { TermsService } from "./service.ts";

export interface TermsRoutesOptions {
  terms: TermsService;
  /** The signed-in session (and, for changes, its CSRF token), or a refusal. */
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Refuses the request unless an administrator makes it. */
  requireAdmin: (request: FastifyRequest) => Promise<void>;
  /** Requests per client address and minute on the public routes that take a folio. */
  rateLimit: number;
  /** The mailbox's budget (MAILBOX_RATE_LIMIT), shared with its other changes. */
  mailboxRateLimit: number;
}

/** Who published a version, as the version records it (never the token). */
function publisherOf(request: FastifyRequest): string {
  if (request.apiToken) return `administrador ${request.apiToken.rfc} (token de API)`;
  return `administrador ${request.session?.rfc ?? "desconocido"}`;
}

export const terminosRoutes: FastifyPluginAsyncTypebox<TermsRoutesOptions> = async (
  app,
  { terms, requireSession, requireAdmin, rateLimit, mailboxRateLimit },
) => {
  const tags = ["Términos y Condiciones"];
  const limit = { rateLimit: { max: rateLimit, timeWindow: "1 minute" } };
  // Each challenge is a row; each signature, an acuse: one budget with the mailbox's changes.
  const mailboxBudget = mailboxLimit(mailboxRateLimit);

  app.get(
    "/api/v1/buzon/terminos",
    {
      config: mailboxBudget,
      schema: {
        tags,
        summary: "Términos y Condiciones vigentes y el desafío para firmarlos",
        description:
          "Cada llamada crea un desafío de un solo uso, ligado a la sesión, que vence en 5 minutos. `toSign` es el texto exacto que el navegador firma con la e.firma de la sesión.",
        security: [{ sessionCookie: [] }],
        response: { 200: TermsChallengeSchema, ...problems(401, 429, 503) },
      },
    },
    async (request) => terms.challenge(await requireSession(request)),
  );

  app.post(
    "/api/v1/buzon/terminos",
    {
      config: mailboxBudget,
      schema: {
        tags,
        summary: "Firmar los Términos y Condiciones con la e.firma (habilita el Buzón IMSS)",
        description:
          "Solo viajan el certificado y la firma. Se verifica el desafío (un solo uso, de esta sesión, vigente, de la versión vigente), que el certificado sea el de la e.firma con que se inició la sesión, su vigencia, emisor y revocación, y la firma. Emite el acuse `firma_terminos`.",
        security: [{ sessionCookie: [] }],
        body: TermsSignatureRequestSchema,
        response: { 201: TermsSignedSchema, ...problems(400, 401, 403, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const signed = await terms.sign(session, request.body);
      reply.code(201);
      return signed;
    },
  );

  app.get(
    "/api/v1/terminos/versiones",
    {
      schema: {
        tags,
        summary: "Versiones publicadas de los Términos y Condiciones",
        response: { 200: TermsVersionListSchema, ...problems() },
      },
    },
    async () => ({ versions: await terms.list() }),
  );

  app.get(
    "/api/v1/terminos/versiones/:version",
    {
      schema: {
        tags,
        summary: "El texto exacto de una versión (text/plain; UTF-8)",
        description: "Su SHA-256 es el que nombran las firmas y los acuses de esa versión.",
        params: TermsVersionParamsSchema,
        response: { 200: PlainText("El texto exacto."), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const row = await terms.version(request.params.version);
      return reply
        .type("text/plain; charset=utf-8")
        .header("x-content-sha256", row.sha256)
        .header(
          "content-disposition",
          `attachment; filename="terminos-y-condiciones-v${row.version}.txt"`,
        )
        .send(row.text);
    },
  );

  app.post(
    "/api/v1/terminos/versiones",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Publicar una versión nueva (administración)",
        description:
          "La versión siguiente a la vigente. Desde ese momento cada buzón debe firmarla antes de volver a usarse.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: PublishTermsBodySchema,
        response: { 201: TermsVersionSummarySchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const published = await terms.publish(request.body.text, {
        by: publisherOf(request),
        note: request.body.note,
      });
      reply.code(201);
      return published;
    },
  );

  app.get(
    "/api/v1/terminos/firmas/:folio",
    {
      config: limit,
      schema: {
        tags,
        summary: "La firma conservada de unos Términos y Condiciones, para verificarla",
        description:
          "A quien tiene el folio y el código del acuse: el texto firmado, el certificado, la firma y la misma firma como .p7s desprendido sobre el texto firmado.",
        params: FolioParamsSchema,
        querystring: CodigoQuerySchema,
        response: { 200: TermsSignatureEvidenceSchema, ...problems(400, 404, 429) },
      },
    },
    async (request) => terms.signatureEvidence(request.params.folio, request.query.codigo),
  );
};
