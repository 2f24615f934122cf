import fastifyMultipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { AppError, CodedError } from "../../domain/errors.ts";
import { NoContent, problems, rawUploadBody } from "../../platform/http/schemas.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { mailboxLimit } from "../mailbox/routes.ts";
import {
  BorradorListSchema,
  BorradorRequestSchema,
  BorradorSchema,
  ChallengeRequestSchema,
  ChallengeSchema,
  FiledSchema,
  PromocionCatalogueSchema,
  PromocionDetailSchema,
  PromocionListQuerySchema,
  PromocionListSchema,
  PromocionParamsSchema,
} from "./schemas.ts";
import type { PromocionService, UploadPart } from "./service.ts";

export interface PromocionRoutesOptions {
  promociones: PromocionService;
  /** The signed-in session (and, for changes, its CSRF token): src/features/auth/guard.ts. */
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** The mailbox's budget (MAILBOX_RATE_LIMIT) for challenges and filings. */
  mailboxRateLimit: number;
}

const MALFORMED =
  "El cuerpo multipart está incompleto o mal formado (cortado antes de terminar, sin «boundary» o con una parte ilegible). Vuelve a enviar la promoción completa: el desafío firmado sigue sirviendo mientras no venza.";

/**
 * What the multipart parser (busboy, @fastify/multipart) throws on a body it cannot read — cut
 * short, without a boundary, a malformed part header — is the caller's mistake, not an internal
 * error: a 400 in Spanish, logged as such. Its limits (413) and our own refusals keep theirs.
 */
function multipartRefusal(error: unknown): unknown {
  if (error instanceof CodedError) return error;
  if ((error as { statusCode?: unknown } | undefined)?.statusCode === 413) return error;
  return new AppError("validation", MALFORMED, {
    internal: `multipart ilegible: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/** A file part's bytes, with the parser's failure mid-file (the body cut short) told as such. */
async function* fileBytes(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    throw multipartRefusal(error);
  }
}

/** The multipart parts as the service reads them: fields' values, files' streams, in order. */
async function* partsOf(
  request: FastifyRequest,
  limits: { fileSize: number; files: number },
): AsyncGenerator<UploadPart> {
  try {
    const parts = request.parts({
      limits: {
        fileSize: limits.fileSize,
        files: limits.files,
        fields: 3,
        parts: limits.files + 3,
        fieldSize: 64 * 1024,
        headerPairs: 50,
      },
    });
    for await (const part of parts) {
      if (part.type === "file") {
        yield {
          kind: "file",
          name: part.fieldname,
          filename: part.filename,
          stream: fileBytes(part.file),
        };
      } else {
        yield { kind: "field", name: part.fieldname, value: String(part.value ?? "") };
      }
    }
  } catch (error) {
    throw multipartRefusal(error);
  }
}

export const promocionesRoutes: FastifyPluginAsyncTypebox<PromocionRoutesOptions> = async (
  app,
  { promociones, requireSession, mailboxRateLimit },
) => {
  const tags = ["Promociones"];
  const budget = mailboxLimit(mailboxRateLimit);
  const { largest } = promociones.catalogue();
  // Registered here, so only these routes take multipart bodies. The limits are the backstop
  // of the largest type; each anexo is held to the size signed while it streams (service.ts).
  await app.register(fastifyMultipart, {
    limits: { fileSize: largest.bytes, files: largest.files },
  });

  app.get(
    "/api/v1/promociones/catalogo",
    {
      schema: {
        tags,
        summary: "Catálogo de tipos de promoción, con sus anexos admitidos y límites",
        response: { 200: PromocionCatalogueSchema, ...problems() },
      },
    },
    async () => {
      const c = promociones.catalogue();
      return {
        version: c.version,
        source: c.source,
        types: c.types.map((t) => ({
          ...t,
          adjuntos: { ...t.adjuntos, tipos: [...t.adjuntos.tipos] },
        })),
      };
    },
  );

  app.post(
    "/api/v1/promociones/desafio",
    {
      config: budget,
      schema: {
        tags,
        summary: "Preparar una promoción: el manifiesto a firmar con la e.firma",
        description:
          "Revisa el tipo, el asunto, el escrito, los anexos (nombre, SHA-256 y tamaño, dentro de los límites del tipo) y, para una respuesta a requerimiento, que la notificación sea de tu RFC (si no, 404). Devuelve un desafío de un solo uso (15 minutos) y `toSign`, el manifiesto exacto que el navegador firma.",
        security: [{ sessionCookie: [] }],
        body: ChallengeRequestSchema,
        response: { 201: ChallengeSchema, ...problems(400, 401, 403, 404, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const challenge = await promociones.challenge(session, request.body);
      reply.code(201);
      return challenge;
    },
  );

  app.post(
    "/api/v1/promociones",
    {
      config: budget,
      schema: {
        tags,
        summary: "Presentar una promoción firmada (multipart/form-data)",
        description:
          "Campos `challengeId`, `certificate` (DER en base64) y `signature` (base64, sobre `toSign`) primero; después una parte `files` por anexo, en el orden firmado. Cada anexo se recibe en flujo: su SHA-256 y tamaño se calculan al llegar y se rechaza en cuanto excede lo firmado; su tipo se reconoce por sus bytes. Emite el acuse `promocion` con el instante de recepción de la regla f. El mismo desafío enviado otra vez devuelve la misma promoción (201, mismo cuerpo): nunca se presenta dos veces. Un cuerpo multipart cortado o mal formado (sin `boundary`, una parte ilegible) es 400 `validation`; otro tipo de contenido, 415 `unsupported_media_type`: en ambos casos no se guarda nada y el desafío sigue sirviendo.",
        security: [{ sessionCookie: [] }],
        body: rawUploadBody(
          "multipart/form-data",
          "Campos challengeId, certificate y signature; después una parte `files` por anexo, en el orden firmado.",
        ),
        response: {
          201: FiledSchema,
          ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      if (!request.isMultipart()) {
        throw new AppError(
          "unsupported_media_type",
          "Envía la promoción como multipart/form-data: los campos challengeId, certificate y signature y después una parte «files» por anexo.",
        );
      }
      const filed = await promociones.file(
        session,
        partsOf(request, { fileSize: largest.bytes, files: largest.files }),
      );
      reply.code(201);
      return filed;
    },
  );

  app.get(
    "/api/v1/promociones",
    {
      schema: {
        tags,
        summary: "Mis promociones (la persona de la sesión)",
        description:
          "Las promociones del RFC de la sesión, de la más reciente a la más antigua. Página siguiente: `antesDe=` con la cabecera `x-next-cursor`.",
        security: [{ sessionCookie: [] }],
        querystring: PromocionListQuerySchema,
        response: { 200: PromocionListSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const page = await promociones.list(session.rfc, {
        limit: request.query.limite ?? 100,
        cursor: request.query.antesDe,
      });
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/promociones/:id",
    {
      schema: {
        tags,
        summary: "Una promoción: escrito, anexos, manifiesto firmado, acuse y línea de tiempo",
        security: [{ sessionCookie: [] }],
        params: PromocionParamsSchema,
        response: { 200: PromocionDetailSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return promociones.detail(session.rfc, request.params.id);
    },
  );

  const draftTags = ["Promociones"];
  app.post(
    "/api/v1/promociones/borradores",
    {
      config: budget,
      schema: {
        tags: draftTags,
        summary: "Guardar un borrador (sin firmar)",
        security: [{ sessionCookie: [] }],
        body: BorradorRequestSchema,
        response: { 201: BorradorSchema, ...problems(400, 401, 403, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const draft = await promociones.borradores.create(session.rfc, request.body);
      reply.code(201);
      return draft;
    },
  );

  app.get(
    "/api/v1/promociones/borradores",
    {
      schema: {
        tags: draftTags,
        summary: "Mis borradores",
        security: [{ sessionCookie: [] }],
        response: { 200: BorradorListSchema, ...problems(401) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return promociones.borradores.list(session.rfc);
    },
  );

  app.get(
    "/api/v1/promociones/borradores/:id",
    {
      schema: {
        tags: draftTags,
        summary: "Un borrador",
        security: [{ sessionCookie: [] }],
        params: PromocionParamsSchema,
        response: { 200: BorradorSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return promociones.borradores.get(session.rfc, request.params.id);
    },
  );

  app.put(
    "/api/v1/promociones/borradores/:id",
    {
      config: budget,
      schema: {
        tags: draftTags,
        summary: "Reemplazar un borrador",
        security: [{ sessionCookie: [] }],
        params: PromocionParamsSchema,
        body: BorradorRequestSchema,
        response: { 200: BorradorSchema, ...problems(400, 401, 403, 404, 413, 422, 429) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return promociones.borradores.update(session.rfc, request.params.id, request.body);
    },
  );

  app.delete(
    "/api/v1/promociones/borradores/:id",
    {
      schema: {
        tags: draftTags,
        summary: "Eliminar un borrador",
        security: [{ sessionCookie: [] }],
        params: PromocionParamsSchema,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      await promociones.borradores.remove(session.rfc, request.params.id);
      reply.code(204);
      return null;
    },
  );
};
