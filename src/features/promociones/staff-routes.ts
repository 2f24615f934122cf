import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { internalError } from "../../domain/errors.ts";
import type { Db } from "../../platform/db/schema.ts";
import { problems } from "../../platform/http/schemas.ts";
import { attachmentDisposition } from "../notificaciones/routes.ts";
import type { AtencionService, StaffActor } from "./atencion.ts";
import {
  ComunicadoAnswerRequestSchema,
  ConcludeRequestSchema,
  NoteRequestSchema,
  NotificacionAnswerRequestSchema,
  PromocionParamsSchema,
  StaffAttachmentParamsSchema,
  StaffPromocionSchema,
  StaffQueueQuerySchema,
  StaffQueueSchema,
  TakeRequestSchema,
} from "./schemas.ts";

export interface StaffPromocionRoutesOptions {
  atencion: AtencionService;
  /** Staff who read the queue and a promoción: those who attend it and those who answer it. */
  requireReader: (request: FastifyRequest) => Promise<void>;
  /** Staff who take, note and conclude: operador or administrador (session + CSRF, or token). */
  requireAttendant: (request: FastifyRequest) => Promise<void>;
  /** Staff who answer with an act: those who deposit acts (notificador or administrador). */
  requireDepositor: (request: FastifyRequest) => Promise<void>;
  /**
   * The same, judged again inside the deposit's transaction (guard.ts `recheckRoleWithin`): a
   * token revoked, a role removed or a session closed while the body uploads answers nothing.
   */
  holdDepositor: (request: FastifyRequest, tx: Db) => Promise<void>;
  /** Staff who answer with a comunicado: those who compose comunicados. */
  requireComposer: (request: FastifyRequest) => Promise<void>;
  /** Largest act PDF (NOTIFICACION_MAX_BYTES): the answer's body limit follows from it. */
  maxDocumentBytes: number;
}

/** Who acts: the token's owner, else the session's (after the route's role guard). */
function actorOf(request: FastifyRequest): StaffActor {
  const rfc = request.apiToken?.rfc ?? request.session?.rfc;
  if (!rfc) throw internalError("el guardia del personal dejó pasar una solicitud sin identidad");
  return { rfc, via: request.apiToken ? "token_api" : "sesion" };
}

const BINARY = Type.Unsafe<Uint8Array>({ type: "string", format: "binary" });

/**
 * «Atención de promociones» (issue 12 §1): the staff's queue and detail, taking, notes, the
 * conclusion and the answer. Thin: the service decides (src/features/promociones/atencion.ts).
 */
export const staffPromocionesRoutes: FastifyPluginAsyncTypebox<
  StaffPromocionRoutesOptions
> = async (
  app,
  {
    atencion,
    requireReader,
    requireAttendant,
    requireDepositor,
    holdDepositor,
    requireComposer,
    maxDocumentBytes,
  },
) => {
  const tags = ["Atención de promociones"];
  const security: { [label: string]: string[] }[] = [{ apiToken: [] }, { sessionCookie: [] }];
  const detailResponse = { 200: StaffPromocionSchema };

  app.get(
    "/api/v1/staff/promociones",
    {
      onRequest: requireReader,
      schema: {
        tags,
        summary: "Bandeja de promociones recibidas",
        description:
          "Personal con rol `operador`, `notificador` o `administrador`. De la recibida primero a la más reciente (por instante de recepción). Filtros: `estado`, `tipo`, `asignadoA` (RFC o `sin_asignar`), `rfc` de quien la presentó, `recibidaDesde`/`recibidaHasta` (días de la Zona Centro, incluidos). Página siguiente: `despuesDe=` con la cabecera `x-next-cursor`.",
        security,
        querystring: StaffQueueQuerySchema,
        response: { 200: StaffQueueSchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = await atencion.queue(request.query);
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/staff/promociones/:id",
    {
      onRequest: requireReader,
      schema: {
        tags,
        summary: "Una promoción con su escrito, anexos, acuse y línea de tiempo completa",
        description:
          "Incluye las notas internas y quién actuó en cada paso (el particular nunca ve las notas).",
        security,
        params: PromocionParamsSchema,
        response: { ...detailResponse, ...problems(401, 403, 404) },
      },
    },
    async (request) => atencion.detail(request.params.id),
  );

  app.get(
    "/api/v1/staff/promociones/:id/anexos/:n",
    {
      onRequest: requireReader,
      schema: {
        tags,
        summary: "Descargar un anexo (por su posición en el orden firmado, desde 1)",
        security,
        params: StaffAttachmentParamsSchema,
        response: { 200: BINARY, ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const file = await atencion.attachment(request.params.id, request.params.n);
      return reply
        .type(file.mediaType)
        .header("content-disposition", attachmentDisposition(file.fileName))
        .header("cache-control", "no-store")
        .send(file.bytes);
    },
  );

  app.post(
    "/api/v1/staff/promociones/:id/atencion",
    {
      onRequest: requireAttendant,
      schema: {
        tags,
        summary: "Tomar la promoción o reasignarla (evento en_atencion)",
        description:
          "Sin `assignee`, la toma quien pide. Tomarla otra vez quien ya la tiene no cambia nada. Si la atiende otra persona, 409 `promocion_already_assigned`, salvo que `from` diga quién la tenía (reasignación). En una promoción respondida o concluida, 409 `promocion_transition_invalid`.",
        security,
        params: PromocionParamsSchema,
        body: TakeRequestSchema,
        response: { ...detailResponse, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => atencion.take(request.params.id, actorOf(request), request.body),
  );

  app.post(
    "/api/v1/staff/promociones/:id/notas",
    {
      onRequest: requireAttendant,
      schema: {
        tags,
        summary: "Agregar una nota interna (nunca se muestra al particular)",
        security,
        params: PromocionParamsSchema,
        body: NoteRequestSchema,
        response: { ...detailResponse, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => atencion.note(request.params.id, actorOf(request), request.body),
  );

  app.post(
    "/api/v1/staff/promociones/:id/conclusion",
    {
      onRequest: requireAttendant,
      schema: {
        tags,
        summary: "Concluir la promoción sin respuesta propia, con su motivo",
        description: "El motivo forma parte de la línea de tiempo que ve el particular.",
        security,
        params: PromocionParamsSchema,
        body: ConcludeRequestSchema,
        response: { ...detailResponse, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => atencion.conclude(request.params.id, actorOf(request), request.body),
  );

  app.post(
    "/api/v1/staff/promociones/:id/respuesta/notificacion",
    {
      onRequest: requireDepositor,
      // The PDF in base64 (4 characters for 3 bytes), the signature and the other fields.
      bodyLimit: Math.ceil(maxDocumentBytes / 3) * 4 + 2 * 1024 * 1024,
      schema: {
        tags,
        summary: "Responder con una notificación firmada por la persona servidora pública",
        description:
          "Personal con rol `notificador` o `administrador`, que firma el acto con su propia e.firma. El acto se deposita como `POST /api/v1/notificaciones` (las mismas comprobaciones: PDF, firma CMS desprendida, certificado y rol `notificador` o `administrador` de quien firma, padrón), dirigido al RFC de la promoción (`rfc` debe ser ése: si no, 422) y con la clave de idempotencia de la promoción. En la misma transacción la promoción pasa a `respondida` nombrando la notificación. Repetir la misma solicitud devuelve lo mismo; otra respuesta, 409.",
        security,
        params: PromocionParamsSchema,
        body: NotificacionAnswerRequestSchema,
        response: { ...detailResponse, ...problems(400, 401, 403, 404, 409, 413, 422, 503) },
      },
    },
    async (request) =>
      atencion.answerWithNotificacion(request.params.id, actorOf(request), request.body, (tx) =>
        holdDepositor(request, tx),
      ),
  );

  app.post(
    "/api/v1/staff/promociones/:id/respuesta/comunicado",
    {
      onRequest: requireComposer,
      schema: {
        tags,
        summary: "Responder con un comunicado al RFC de la promoción (respuesta informativa)",
        description:
          "Personal con rol `operador` o `administrador`. Publica un comunicado dirigido solo al RFC de la promoción (`rfc` debe ser ése) y, en la misma transacción, la promoción pasa a `respondida` nombrándolo.",
        security,
        params: PromocionParamsSchema,
        body: ComunicadoAnswerRequestSchema,
        response: { ...detailResponse, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      atencion.answerWithComunicado(request.params.id, actorOf(request), request.body),
  );
};
