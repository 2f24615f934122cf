import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { PlainText, problems, refTo } from "../../platform/http/schemas.ts";
import {
  AcuseExportSchema,
  CodigoQuerySchema,
  ConsistencyProofSchema,
  ConsistencyQuerySchema,
  FolioParamsSchema,
  InclusionProofSchema,
  InclusionQuerySchema,
  PdfSchema,
  TlogProofQuerySchema,
} from "./schemas.ts";
import type { EvidenceService } from "./service.ts";

const TEXT = "text/plain; charset=utf-8";
const tags = ["Registro público"];

export const evidenceRoutes: FastifyPluginAsyncTypebox<{
  evidence: EvidenceService;
  /** Requests per client address and minute on the routes that take a folio. */
  rateLimit: number;
  /** Requests per client address and minute on the public log's other routes. */
  publicRateLimit: number;
}> = async (app, { evidence, rateLimit, publicRateLimit }) => {
  const limit = { rateLimit: { max: rateLimit, timeWindow: "1 minute" } };
  // The log's routes are public and cheap, but not free (a checkpoint may be signed on demand).
  const logLimit = {
    rateLimit: { max: publicRateLimit, timeWindow: "1 minute", groupId: "registro" },
  };
  app.addSchema(AcuseExportSchema);
  app.get(
    "/api/v1/log/checkpoint",
    {
      config: logLimit,
      schema: {
        tags,
        summary: "Último punto de control firmado del registro",
        description:
          "Nota firmada en el formato c2sp.org/tlog-checkpoint (origen, tamaño, raíz RFC 9162). Si el registro creció, se publica uno nuevo antes de responder (a lo más uno por segundo).",
        response: { 200: PlainText("Punto de control (text/plain)."), ...problems() },
      },
    },
    async (_request, reply) => {
      const checkpoint = await evidence.checkpointOnDemand();
      return reply.type(TEXT).send(checkpoint.note);
    },
  );

  app.get(
    "/api/v1/log/verificador",
    {
      config: logLimit,
      schema: {
        tags,
        summary: "Clave de verificación del registro",
        description: "Clave Ed25519 de nota firmada: `origen+idhex+clavebase64`.",
        response: { 200: PlainText("Clave de verificación (text/plain)."), ...problems() },
      },
    },
    async (_request, reply) => reply.type(TEXT).send(evidence.verifierKey()),
  );

  app.get(
    "/api/v1/log/inclusion",
    {
      config: limit,
      schema: {
        tags,
        summary: "Prueba de inclusión de un acuse",
        description:
          "Por omisión contra el último punto de control. La hoja es SHA-256(0x00 ‖ cadena original en UTF-8). Pide el código de verificación del acuse: los folios se pueden adivinar.",
        querystring: InclusionQuerySchema,
        response: {
          200: InclusionProofSchema,
          ...problems(400, 404, 429),
        },
      },
    },
    async (request) =>
      evidence.inclusionProofFor(request.query.folio, request.query.codigo, request.query.size),
  );

  app.get(
    "/api/v1/log/consistencia",
    {
      config: logLimit,
      schema: {
        tags,
        summary: "Prueba de consistencia entre dos tamaños del registro",
        querystring: ConsistencyQuerySchema,
        response: {
          200: ConsistencyProofSchema,
          ...problems(400),
        },
      },
    },
    async (request) => evidence.consistencyProof(request.query.desde, request.query.hasta),
  );

  app.get(
    "/api/v1/acuses/:folio/tlog-proof",
    {
      config: limit,
      schema: {
        tags,
        summary: "Prueba de registro de un acuse para verificación sin conexión",
        description:
          "Formato c2sp.org/tlog-proof@v1; la hoja es la cadena original del acuse en UTF-8. Por omisión, contra el primer punto de control que incluye al acuse (la misma prueba siempre); con `tamano`, contra el punto de control publicado de ese tamaño (el que guardaste).",
        params: FolioParamsSchema,
        querystring: TlogProofQuerySchema,
        response: { 200: PlainText("Prueba tlog-proof (text/plain)."), ...problems(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const proof = await evidence.tlogProofFor(
        request.params.folio,
        request.query.codigo,
        request.query.tamano,
      );
      return reply
        .type(TEXT)
        .header("content-disposition", `attachment; filename="${request.params.folio}.tlog-proof"`)
        .send(proof);
    },
  );

  const heldAcuse = evidence.heldAcuse;

  app.get(
    "/api/v1/acuses/:folio/pdf",
    {
      config: limit,
      schema: {
        tags,
        summary: "PDF del acuse",
        description:
          "El mismo PDF cada vez: datos, cadena original, sello, QR de verificación, y adjuntos para verificarlo sin conexión (acuse.json, sello.p7s, sello.pem, prueba de registro…).",
        params: FolioParamsSchema,
        querystring: CodigoQuerySchema,
        response: {
          200: PdfSchema,
          ...problems(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const row = await heldAcuse(request.params.folio, request.query.codigo);
      const pdf = await evidence.pdfOf(row);
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="acuse-${row.folio}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    "/api/v1/acuses/:folio/json",
    {
      config: limit,
      schema: {
        tags,
        summary: "Acuse exportado (JSON buzon-imss-acuse/1) para verificarlo sin conexión",
        params: FolioParamsSchema,
        querystring: CodigoQuerySchema,
        response: { 200: refTo(AcuseExportSchema), ...problems(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const row = await heldAcuse(request.params.folio, request.query.codigo);
      return reply
        .header("content-disposition", `attachment; filename="acuse-${row.folio}.json"`)
        .send(await evidence.exportOf(row));
    },
  );

  app.get(
    "/api/v1/sello/certificado",
    {
      schema: {
        tags,
        summary: "Certificado del sello digital del Instituto (PEM)",
        description:
          "Compara su huella SHA-256 con la del certificado que trae un acuse, o úsalo con `buzon verify --sello-cer` y `openssl cms -verify -CAfile`.",
        response: { 200: PlainText("Certificado PEM (application/x-pem-file)."), ...problems() },
      },
    },
    async (_request, reply) =>
      reply.type("application/x-pem-file").send(evidence.sealCertificate().toString()),
  );
};
