import { Buffer } from "node:buffer";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { CodedError, internalError } from "../../domain/errors.ts";
import type { Db } from "../../platform/db/schema.ts";
import { isProblemCode, PROBLEMS } from "../../platform/http/errors.ts";
import { streamProgress, wantsProgress } from "../../platform/http/progress-stream.ts";
import { problems, progressResponse } from "../../platform/http/schemas.ts";
import { loteStoppedError } from "../auth/guard.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { PdfSchema } from "../evidence/schemas.ts";
import { attachmentDisposition } from "../notificaciones/routes.ts";
import { type LoteCounts, publishLote } from "./lote.ts";
import {
  DocumentoKindsSchema,
  DocumentoListQuerySchema,
  DocumentoListSchema,
  DocumentoParamsSchema,
  DocumentoSchema,
  PublishedSchema,
  PublishLoteCountsSchema,
  PublishLoteRequestSchema,
  PublishLoteResultSchema,
  type PublishRequest,
  PublishRequestSchema,
} from "./schemas.ts";
import type { DocumentoService, Publisher, PublishInput } from "./service.ts";

export interface DocumentoRoutesOptions {
  documentos: DocumentoService;
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Staff who publish documents: notificador or administrador (session + CSRF, or API token). */
  requirePublisher: (request: FastifyRequest) => Promise<void>;
  /**
   * The same, judged again before each publication of a lote (guard.ts `recheckRole`): a
   * session that ended or a token revoked while the lote runs publishes no more.
   */
  recheckPublisher: (request: FastifyRequest) => Promise<void>;
  /**
   * The same, inside the publication's transaction (guard.ts `recheckRoleWithin`): a logout or
   * a revocation committed before refuses it; one issued meanwhile waits for it.
   */
  holdPublisher: (request: FastifyRequest, tx: Db) => Promise<void>;
}

/** All the documents of one POST of a lote: bigger sets go through `buzon documentos publicar`. */
const LOTE_BODY_LIMIT = 64 * 1024 * 1024;

function publisherOf(request: FastifyRequest): Publisher {
  const token = request.apiToken;
  const by = token ? `token ${token.tokenId} de ${token.rfc}` : request.session?.rfc;
  if (!by) throw internalError("requirePublisher dejó pasar una solicitud sin identidad");
  return { by, via: "api" };
}

const inputOf = (body: PublishRequest): PublishInput => ({
  rfc: body.rfc,
  kind: body.kind,
  period: body.period,
  registroPatronal: body.registroPatronal,
  fileName: body.fileName,
  document: Buffer.from(body.document, "base64"),
});

/** «Mis documentos» (issue 12 §2): the particular's list and downloads; staff publish. */
export const documentosRoutes: FastifyPluginAsyncTypebox<DocumentoRoutesOptions> = async (
  app,
  { documentos, requireSession, requirePublisher, recheckPublisher, holdPublisher },
) => {
  const tags = ["Mis documentos"];
  const single = Math.ceil(documentos.catalogue().largestBytes / 3) * 4 + 64 * 1024;

  app.get(
    "/api/v1/documentos/tipos",
    {
      schema: {
        tags,
        summary: "Tipos de documento que el Instituto publica (catalogos/documentos.json)",
        response: { 200: DocumentoKindsSchema, ...problems() },
      },
    },
    async () => {
      const c = documentos.catalogue();
      return { version: c.version, kinds: c.kinds.map((k) => ({ ...k })) };
    },
  );

  app.get(
    "/api/v1/documentos",
    {
      schema: {
        tags,
        summary: "Mis documentos (la persona de la sesión)",
        description:
          "Los documentos publicados para el RFC de la sesión, del más reciente al más antiguo, con filtros `kind`, `period` y `registroPatronal`. Página siguiente: `antesDe=` con la cabecera `x-next-cursor`.",
        security: [{ sessionCookie: [] }],
        querystring: DocumentoListQuerySchema,
        response: { 200: DocumentoListSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const q = request.query;
      const page = await documentos.list(session.rfc, {
        kind: q.kind,
        period: q.period,
        registroPatronal: q.registroPatronal,
        limit: q.limite ?? 50,
        cursor: q.antesDe,
      });
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/documentos/:id",
    {
      schema: {
        tags,
        summary: "Un documento de la persona de la sesión",
        security: [{ sessionCookie: [] }],
        params: DocumentoParamsSchema,
        response: { 200: DocumentoSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return documentos.detail(session.rfc, request.params.id);
    },
  );

  app.get(
    "/api/v1/documentos/:id/archivo",
    {
      schema: {
        tags,
        summary: "Descargar el PDF de un documento",
        description:
          "Cada lectura comprueba la huella SHA-256 del documento almacenado: uno alterado no se entrega (500 `blob_corrupt`). El documento de otro RFC: 404.",
        security: [{ sessionCookie: [] }],
        params: DocumentoParamsSchema,
        response: { 200: PdfSchema, ...problems(400, 401, 404, 500, 503) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const { view, bytes } = await documentos.download(session.rfc, request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(view.fileName))
        .header("x-content-sha256", view.sha256)
        .send(bytes);
    },
  );

  app.post(
    "/api/v1/staff/documentos",
    {
      onRequest: requirePublisher,
      bodyLimit: single,
      schema: {
        tags,
        summary: "Publicar un documento para un particular",
        description:
          "Personal con rol `notificador` o `administrador` (sesión con `x-csrf-token`, o token de API). El tipo del catálogo, un periodo que le corresponde (un bimestre EBA se nombra por su mes de cierre, par), el registro patronal del RFC en el padrón cuando el tipo lo pide, un PDF dentro del límite del tipo. Idempotente: el mismo PDF publicado otra vez como el mismo documento responde 200 con la primera publicación; como otro documento, 409 `documento_hash_conflict`.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: PublishRequestSchema,
        response: {
          200: PublishedSchema,
          201: PublishedSchema,
          ...problems(400, 401, 403, 409, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      // The guard ran on the request's arrival, before its body: judged again in the
      // publication's own transaction, as each publication of a lote is.
      const done = await documentos.publish(inputOf(request.body), publisherOf(request), {
        authority: (tx) => holdPublisher(request, tx),
      });
      reply.code(done.created ? 201 : 200);
      return {
        id: done.id,
        sha256: done.sha256,
        publishedAt: done.publishedAt,
        outcome: done.created ? ("publicado" as const) : ("ya_publicado" as const),
      };
    },
  );

  app.post(
    "/api/v1/staff/documentos/lote",
    {
      onRequest: requirePublisher,
      bodyLimit: LOTE_BODY_LIMIT,
      schema: {
        tags,
        summary: "Publicar muchos documentos, con informe por elemento",
        description:
          'Como `POST /api/v1/staff/documentos` para cada elemento de `items`, cada uno por separado: el rechazo de uno no impide los demás. Responde 207 con `counts` y `results` en el orden de `items`: 201 publicado, 200 ya publicado, o el estado y `code` del problema con su `detail` en español. Con `Accept: application/x-ndjson` responde 200 en cuanto empieza y va escribiendo una línea JSON por avance (`{"progreso": { total, done, published, alreadyPublished, refused }}`) y al final `{"resultado": <el cuerpo del 207>}`, o `{"error": <problem>}` si el lote se detuvo. Antes de cada publicación, y dentro de su transacción, se comprueba otra vez la sesión o el token de API y su rol: si la sesión terminó, el token se revocó o venció o el rol ya no permite publicar mientras el lote avanzaba, las publicaciones en curso terminan y ninguna otra empieza; cada documento no publicado tiene el `status` (401 o 403) y el `code` de ese problema y un `detail` que lo explica, y el lote responde como siempre (207, o `{"resultado": …}` al final). Hasta 64 MiB por solicitud; lotes mayores: `buzon documentos publicar --lote`.',
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: PublishLoteRequestSchema,
        response: {
          200: progressResponse(PublishLoteCountsSchema, PublishLoteResultSchema),
          207: PublishLoteResultSchema,
          ...problems(400, 401, 403, 413),
        },
      },
    },
    async (request, reply) => {
      const stopped = (error: unknown) =>
        error instanceof CodedError
          ? loteStoppedError(request, error, {
              during: "se publicaba el lote",
              notDone: "este documento no se publicó",
              again: "los ya publicados no se repiten (el mismo PDF como el mismo documento)",
            })
          : error;
      const run = async (onProgress?: (counts: LoteCounts) => void) => {
        const { results, counts } = await publishLote(
          request.body.items,
          (item) => ({ input: inputOf(item) }),
          (input, publisher, hooks) => documentos.publish(input, publisher, hooks),
          publisherOf(request),
          {
            statusOf: (code) => (isProblemCode(code) ? PROBLEMS[code].status : 500),
            ...(onProgress ? { onProgress } : {}),
            // The guard ran before the body arrived (up to 64 MiB takes a while to upload):
            // the authority is judged again before each publication, and within its
            // transaction (what no revocation can slip past).
            beforePublish: async () => {
              try {
                await recheckPublisher(request);
              } catch (error) {
                throw stopped(error);
              }
            },
            authority: async (tx) => {
              try {
                await holdPublisher(request, tx);
              } catch (error) {
                throw stopped(error);
              }
            },
            // Nothing to decode for a document left: its index says which it is.
            describe: () => ({}),
          },
        );
        return { counts, results };
      };
      if (wantsProgress(request)) return streamProgress(request, reply, run);
      reply.code(207);
      return run();
    },
  );
};
