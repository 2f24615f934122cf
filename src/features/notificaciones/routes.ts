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
import { mailboxLimit } from "../mailbox/routes.ts";
import type { Apertura } from "./apertura.ts";
import { type BatchCounts, depositBatch } from "./batch.ts";
import type { Cancel } from "./cancelacion.ts";
import type { Depositor } from "./deposit.ts";
import type { EvidencePackager } from "./evidence-zip.ts";
import {
  ActCatalogueSchema,
  CancellationRequestSchema,
  CancelledSchema,
  DepositedSchema,
  DepositRequestSchema,
  LOTE_MAX_ITEMS,
  LoteCountsSchema,
  LoteRequestSchema,
  LoteResultSchema,
  NotificacionDetailSchema,
  NotificacionListQuerySchema,
  NotificacionListSchema,
  NotificacionParamsSchema,
  OpenedSchema,
  OpeningChallengeSchema,
  OpeningRequestSchema,
  StaffDetailSchema,
  StaffListQuerySchema,
  StaffListSchema,
  ZipSchema,
} from "./schemas.ts";
import type { NotificacionService } from "./service.ts";

export interface NotificacionRoutesOptions {
  notificaciones: NotificacionService;
  /** The signed-in session (and, for changes, its CSRF token): src/features/auth/guard.ts. */
  requireSession: (request: FastifyRequest) => Promise<AuthenticatedSession>;
  /** Staff who deposit acts: notificador or administrador (session + CSRF, or API token). */
  requireDepositor: (request: FastifyRequest) => Promise<void>;
  /**
   * The same, judged again before each chunk of a lote (guard.ts `recheckRole`): a session that
   * ended or a token revoked while the lote runs deposits no more.
   */
  recheckDepositor: (request: FastifyRequest) => Promise<void>;
  /**
   * The same, inside the transaction that writes the acts (guard.ts `recheckRoleWithin`): a
   * logout or a revocation committed before refuses them; one issued meanwhile waits for it.
   */
  holdDepositor: (request: FastifyRequest, tx: Db) => Promise<void>;
  /** Staff who follow the acts (every staff role). */
  requireStaff: (request: FastifyRequest) => Promise<void>;
  /** Largest PDF accepted (NOTIFICACION_MAX_BYTES); the body limit follows from it. */
  maxDocumentBytes: number;
  /** The evidence package (ZIP) of an act, and who may download it (notificador, administrador, auditor). */
  evidencePackages?: EvidencePackager;
  requireEvidenceReader?: (request: FastifyRequest) => Promise<void>;
  /**
   * Whether this staff request may see the acuses' verification codes (and so their PDFs):
   * the roles that receive the evidence package, which carries the same acuses. Without it, no
   * one does.
   */
  seesAcuseCodes?: (request: FastifyRequest) => boolean;
  /** The signed opening (apertura.ts) and the staff cancellation (cancelacion.ts). */
  apertura: Apertura;
  cancel: Cancel;
  /** Challenges and openings a minute per client, in the mailbox's budget (MAILBOX_RATE_LIMIT). */
  openingRateLimit: number;
}

/** Who deposits: the token's owner, else the session's (after requireDepositor). */
function depositorOf(request: FastifyRequest): Depositor {
  const rfc = request.apiToken?.rfc ?? request.session?.rfc;
  if (!rfc) throw internalError("requireDepositor dejó pasar una solicitud sin identidad");
  return { rfc, via: request.apiToken ? "token_api" : "sesion" };
}

/**
 * `attachment` with the document's own name: an ASCII fallback in `filename` (quotes,
 * backslashes, controls and anything outside ASCII replaced) and the exact name, percent-encoded
 * UTF-8, in `filename*` (RFC 6266), so no name can break out of the header.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_").trim() || "documento.pdf";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const notificacionesRoutes: FastifyPluginAsyncTypebox<NotificacionRoutesOptions> = async (
  app,
  {
    notificaciones,
    requireSession,
    requireDepositor,
    recheckDepositor,
    holdDepositor,
    requireStaff,
    maxDocumentBytes,
    evidencePackages,
    requireEvidenceReader,
    seesAcuseCodes,
    apertura,
    cancel,
    openingRateLimit,
  },
) => {
  const tags = ["Notificaciones"];
  // The PDF in base64 (4 characters for 3 bytes), the signature and the other fields.
  const bodyLimit = Math.ceil(maxDocumentBytes / 3) * 4 + 2 * 1024 * 1024;

  app.post(
    "/api/v1/notificaciones",
    {
      onRequest: requireDepositor,
      bodyLimit,
      schema: {
        tags,
        summary: "Depositar un acto firmado para notificarlo por el Buzón IMSS",
        description:
          "Personal con rol `notificador` o `administrador` (sesión con `x-csrf-token`, o token de API). Verifica el PDF, la firma CMS desprendida sobre sus bytes, el certificado (vigencia, emisor, revocación) y que quien firma sea personal activo con rol notificador o administrador; el RFC en el padrón y el registro patronal suyo. Fija el instante legal del aviso (regla a) y, en una transacción, guarda el acto, su evento `depositada` y los avisos a cada medio validado, que no salen antes de ese instante; si el buzón no está habilitado o no tiene medios validados, el acto va a estrados. Idempotente por `idempotencyKey`.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: DepositRequestSchema,
        response: {
          201: DepositedSchema,
          ...problems(400, 401, 403, 409, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      // The guard ran on the request's arrival, before a body of up to 20 MiB: the authority
      // is judged again in the deposit's own transaction, as each chunk of a lote is.
      const { created: _created, ...deposited } = await notificaciones.deposit(
        request.body,
        depositorOf(request),
        { authority: (tx) => holdDepositor(request, tx) },
      );
      reply.code(201);
      return deposited;
    },
  );

  app.post(
    "/api/v1/notificaciones/lote",
    {
      onRequest: requireDepositor,
      // Many small acts, or a few large ones: twice one deposit's limit in all.
      bodyLimit: 2 * bodyLimit,
      schema: {
        tags,
        summary: "Depositar varios actos firmados en una solicitud",
        description: `Los mismos permisos y comprobaciones que \`POST /api/v1/notificaciones\`, para hasta ${LOTE_MAX_ITEMS} actos (\`items\`), cada uno con su clave de idempotencia. Se depositan por tramos (una transacción por tramo), y cada elemento tiene la respuesta que habría tenido solo: el rechazo de uno no impide los demás. Responde 207 con \`results\` en el orden de \`items\`: \`status\` 201 (depositado), 200 (ya depositado con esa clave y contenido) o el estado y \`code\` del problema que habría tenido solo, con \`detail\` en español. Repetir la solicitud completa no deposita nada dos veces. Con \`Accept: application/x-ndjson\` responde 200 en cuanto empieza y va escribiendo una línea JSON por avance (\`{"progreso": { total, done, deposited, alreadyDeposited, refused }}\`) y al final \`{"resultado": <el cuerpo del 207>}\`, o \`{"error": <problem>}\` si el lote se detuvo. Antes de cada tramo, y dentro de su transacción, se comprueba otra vez la sesión o el token de API y su rol (ningún acto confirma después de una revocación o un cierre que confirmó antes): si la sesión terminó, el token se revocó o venció o el rol ya no permite depositar mientras el lote avanzaba, los tramos ya en curso terminan y ningún otro empieza; cada acto no depositado tiene el \`status\` (401 o 403) y el \`code\` de ese problema y un \`detail\` que lo explica, y el lote responde como siempre (207, o \`{"resultado": …}\` al final). Repetir la solicitud con una sesión o un token vigente deposita solo lo que faltó.`,
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        body: LoteRequestSchema,
        response: {
          200: progressResponse(LoteCountsSchema, LoteResultSchema),
          207: LoteResultSchema,
          ...problems(400, 401, 403, 413),
        },
      },
    },
    async (request, reply) => {
      const stopped = (error: unknown) =>
        error instanceof CodedError
          ? loteStoppedError(request, error, {
              during: "se depositaba el lote",
              notDone: "este acto no se depositó",
              again: "los ya depositados no se repiten (misma clave de idempotencia)",
            })
          : error;
      const run = async (onProgress?: (counts: BatchCounts) => void) => {
        const { results } = await depositBatch(
          request.body.items,
          (input) => ({ input }),
          depositorOf(request),
          (inputs, depositor, hooks) => notificaciones.depositMany(inputs, depositor, hooks),
          {
            concurrency: 4,
            statusOf: (code) => (isProblemCode(code) ? PROBLEMS[code].status : 500),
            ...(onProgress ? { onProgress } : {}),
            // The guard ran before the body arrived (a large lote takes a while to upload), and
            // each chunk takes a while: the authority is judged again before each one, and
            // within each of its transactions (what no revocation can slip past).
            beforeChunk: async () => {
              try {
                await recheckDepositor(request);
              } catch (error) {
                throw stopped(error);
              }
            },
            authority: async (tx) => {
              try {
                await holdDepositor(request, tx);
              } catch (error) {
                throw stopped(error);
              }
            },
            describe: (input) => ({ idempotencyKey: input.idempotencyKey }),
          },
        );
        return { results };
      };
      if (wantsProgress(request)) return streamProgress(request, reply, run);
      reply.code(207);
      return run();
    },
  );

  app.get(
    "/api/v1/notificaciones",
    {
      schema: {
        tags,
        summary: "Mis notificaciones (la persona de la sesión)",
        description:
          "Los actos dirigidos al RFC de la sesión, del más reciente al más antiguo, desde el instante de su aviso. Consultar la lista no abre nada: solo la apertura firmada notifica. Las fechas son las del motor de plazos (calendario IMSS y, para el juicio de nulidad, TFJA); `null` mientras no se conocen. `openable` dice si abrir con la e.firma procede ahora (con el reloj legal): false el cuarto día hábil antes de las 09:30, cuando el plazo para abrir terminó y `openingRefusal` dice por qué (ADR 0002). Página siguiente: `antesDe=` con la cabecera `x-next-cursor`.",
        security: [{ sessionCookie: [] }],
        querystring: NotificacionListQuerySchema,
        response: { 200: NotificacionListSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const page = await notificaciones.list(session.rfc, {
        limit: request.query.limite ?? 100,
        cursor: request.query.antesDe,
      });
      if (page.next) reply.header("x-next-cursor", page.next);
      return page.items;
    },
  );

  app.get(
    "/api/v1/notificaciones/catalogo",
    {
      schema: {
        tags,
        summary: "Catálogo de tipos de acto (anexo 7 de los Lineamientos)",
        response: { 200: ActCatalogueSchema, ...problems() },
      },
    },
    async () => {
      const catalogue = notificaciones.catalogue();
      return { version: catalogue.version, source: catalogue.source, types: [...catalogue.types] };
    },
  );

  app.get(
    "/api/v1/notificaciones/:id",
    {
      schema: {
        tags,
        summary: "Una notificación: fechas, línea de tiempo y explicación",
        description:
          "Solo la persona destinataria; de otra persona (o inexistente), 404. No abre el documento. `openable`, calculado al momento de la consulta con el reloj legal (el del sistema; en la demostración, el reloj de la demo), dice si la apertura con la e.firma procede ahora y notificaría el acto: true solo mientras está `pendiente` y no es el cuarto día hábil entre las 00:00 y las 09:29 (Zona Centro). En esa ventana el desafío y la apertura responden 409 `illegal_transition` (ADR 0002): `openable` es false y `openingRefusal` trae el mismo texto de ese 409; a las 09:30 el acto queda notificado por ministerio de ley y el barrido sella la constancia del cuarto día.",
        security: [{ sessionCookie: [] }],
        params: NotificacionParamsSchema,
        response: { 200: NotificacionDetailSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const session = await requireSession(request);
      return notificaciones.detail(session.rfc, request.params.id);
    },
  );

  app.get(
    "/api/v1/notificaciones/:id/documento",
    {
      schema: {
        tags,
        summary: "El documento notificado (PDF), una vez notificado",
        description:
          "Antes de notificarse, 403 `not_yet_notified`: se abre primero con la e.firma. Cada lectura comprueba la huella del documento almacenado. La primera descarga después de la notificación por ministerio de ley, si nadie había accedido, queda registrada en la línea de tiempo (`descarga_posterior`) y no cambia nada.",
        security: [{ sessionCookie: [] }],
        params: NotificacionParamsSchema,
        response: { 200: PdfSchema, ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const document = await notificaciones.document(session, request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(document.name))
        .send(document.bytes);
    },
  );

  // Each challenge is a row; each opening, an acuse: the mailbox's budget.
  const openingBudget = mailboxLimit(openingRateLimit);

  app.post(
    "/api/v1/notificaciones/:id/apertura/desafio",
    {
      config: openingBudget,
      schema: {
        tags,
        summary: "Desafío para abrir una notificación con la e.firma",
        description:
          "Solo la persona destinataria (de otra persona, o inexistente, 404). Un desafío de un solo uso, ligado a la sesión y al acto, que vence en 5 minutos; `toSign` es el texto exacto que el navegador firma con la e.firma de la sesión. 409 `illegal_transition` si el acto aún no está disponible (antes del instante de su aviso), está cancelado, se notifica por estrados o es el cuarto día hábil antes de las 09:30 (el plazo para abrir terminó: ADR 0002; el detalle lo anticipa con `openable` y `openingRefusal`); 409 `already_opened` si ya se abrió.",
        security: [{ sessionCookie: [] }],
        params: NotificacionParamsSchema,
        response: { 201: OpeningChallengeSchema, ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const challenge = await apertura.challenge(session, request.params.id);
      reply.code(201);
      return challenge;
    },
  );

  app.post(
    "/api/v1/notificaciones/:id/apertura",
    {
      config: openingBudget,
      schema: {
        tags,
        summary: "Abrir una notificación con la e.firma (CFF art. 134, fracción I)",
        description:
          "Solo viajan el certificado y la firma del texto del desafío. Se verifica el desafío (un solo uso, de esta sesión y este acto, vigente), que el certificado sea el de la e.firma con que se inició la sesión, su vigencia, emisor y revocación, y la firma. Mientras el acto espera apertura, lo notifica y emite el acuse `apertura_notificacion` (surte en el instante que da el motor: regla a). El cuarto día hábil antes de las 09:30 la rechaza con 409 `illegal_transition` (el plazo para abrir terminó: ADR 0002). Desde las 09:30 del cuarto día hábil registra el primer acceso (`acceso_posterior`) con su acuse `acceso_posterior_notificacion` y no cambia la notificación. Dos aperturas a la vez: un solo acuse; la otra, 409 `already_opened`.",
        security: [{ sessionCookie: [] }],
        params: NotificacionParamsSchema,
        body: OpeningRequestSchema,
        response: { 201: OpenedSchema, ...problems(400, 401, 403, 404, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const session = await requireSession(request);
      const opened = await apertura.open(session, request.params.id, request.body);
      reply.code(201);
      return opened;
    },
  );

  app.post(
    "/api/v1/notificaciones/:id/cancelacion",
    {
      onRequest: requireDepositor,
      schema: {
        tags,
        summary: "Cancelar un acto antes de su notificación (personal)",
        description:
          "Personal con rol `notificador` o `administrador` (sesión con `x-csrf-token`, o token de API); un `notificador` solo cancela los actos que depositó o firmó (otro: 403 `cancellation_not_authorized`). Emite el acuse `cancelacion_notificacion` (nombra el documento del acto y sella el motivo), registra el evento `cancelada` y retira de la bandeja de salida los avisos aún no enviados (los enviados quedan registrados); si el acto respondía una promoción, ésta vuelve a `en_atencion` en la misma transacción. Un acto ya notificado, o ya publicado en estrados, no se cancela: 409 `illegal_transition`; para corregirlo se deposita un nuevo acto con `replaces`.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        params: NotificacionParamsSchema,
        body: CancellationRequestSchema,
        response: { 201: CancelledSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const role = request.apiToken?.role ?? request.session?.staffRole ?? undefined;
      const cancelled = await cancel(
        request.params.id,
        { ...depositorOf(request), role },
        request.body.motivo,
      );
      reply.code(201);
      return cancelled;
    },
  );

  app.get(
    "/api/v1/staff/notificaciones",
    {
      onRequest: requireStaff,
      schema: {
        tags,
        summary: "Seguimiento de los actos depositados (personal)",
        description:
          "Todos los actos, del más reciente al más antiguo, con filtros por `rfc`, `state` y `actType`; paginado por `cursor` (`next`).",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        querystring: StaffListQuerySchema,
        response: { 200: StaffListSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) =>
      notificaciones.staffList({
        rfc: request.query.rfc,
        state: request.query.state,
        actType: request.query.actType,
        limit: request.query.limit ?? 100,
        cursor: request.query.cursor,
      }),
  );

  app.get(
    "/api/v1/staff/notificaciones/:id",
    {
      onRequest: requireStaff,
      schema: {
        tags,
        summary: "Seguimiento de un acto: su estado y su línea de tiempo (personal)",
        description:
          "Los datos del seguimiento (`GET /api/v1/staff/notificaciones`) y cada evento del acto por su instante legal (los del mismo instante, en el orden en que se registraron; el mismo orden que el detalle de la persona), con ese instante, el folio de su acuse y quién: al abrir, acceder o descargar, la persona que firmó o descargó (`actorRfc`) y su carácter (`capacity`: titular o representante legal); en la apertura, cuándo notifica (`countsAt`); en la cancelación, su motivo. `acuseCodigo` (el código de verificación, para descargar el PDF del acuse y verificarlo) solo para `notificador`, `administrador` y `auditor`, que reciben los mismos acuses en el paquete de evidencia; el rol `operador` ve el folio. El texto firmado, el certificado y la sesión de una apertura van solo en el paquete de evidencia.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        params: NotificacionParamsSchema,
        response: { 200: StaffDetailSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      notificaciones.staffDetail(request.params.id, {
        withCodes: seesAcuseCodes?.(request) ?? false,
      }),
  );

  if (evidencePackages && requireEvidenceReader) {
    app.get(
      "/api/v1/staff/notificaciones/:id/evidencia",
      {
        onRequest: requireEvidenceReader,
        schema: {
          tags,
          summary: "Paquete de evidencia del acto (ZIP)",
          description:
            "Personal con rol `notificador`, `administrador` o `auditor`; cada entrega queda en la bitácora (`auth_events`, evento `evidencia`: quién, cuándo, qué acto, SHA-256 del ZIP). Un ZIP determinista con el documento firmado (`documento.pdf`), su firma CMS desprendida (`documento.pdf.p7s`), cada acuse del acto (JSON `buzon-imss-acuse/1`, PDF y prueba de registro), la línea de tiempo, las direcciones del aviso con el resultado de su entrega, las versiones de calendario usadas, el punto de control del registro, `SHA256SUMS` y `LEEME.txt` con cómo verificar cada archivo (`buzon verify`, `openssl cms -verify`, `sha256sum`). `id`: el identificador del acto.",
          security: [{ apiToken: [] }, { sessionCookie: [] }],
          params: NotificacionParamsSchema,
          response: { 200: ZipSchema, ...problems(400, 401, 403, 404, 503) },
        },
      },
      async (request, reply) => {
        const zip = await evidencePackages.packageOf(request.params.id, {
          via: request.apiToken ? "token_api" : "sesion",
          rfc: depositorOf(request).rfc,
          sessionId: request.session?.id,
          ip: request.ip,
          requestId: String(request.id),
        });
        return reply
          .type("application/zip")
          .header("content-disposition", attachmentDisposition(zip.fileName))
          .header("cache-control", "no-store")
          .send(zip.bytes);
      },
    );
  }
};
