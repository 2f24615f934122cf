import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { AppError } from "../../domain/errors.ts";
import { parseAcuseExport } from "../../domain/evidence/acuse-export.ts";
import { problems, rawUploadBody, refTo } from "../../platform/http/schemas.ts";
import { MAX_PDF_BYTES } from "../../platform/pdf/read-attachments.ts";
import {
  AcuseVerificationSchema,
  DocumentHashParamsSchema,
  DocumentVerificationSchema,
  SignatureVerificationSchema,
  SignedDocumentBodySchema,
  UploadedExportSchema,
  VerificationCodigoQuerySchema,
  VerificationFolioParamsSchema,
} from "./schemas.ts";
import type { VerificationService } from "./service.ts";

const tags = ["Verificación de documentos"];

const MAX_EXPORT_BYTES = 1024 * 1024;

/**
 * Public verification (issue 4 §4). No session: anyone checks a receipt or a document. Each
 * route is rate-limited per client address; uploads are bounded and read as raw bytes.
 */
export const verificationRoutes: FastifyPluginAsyncTypebox<{
  verification: VerificationService;
  rateLimit: number;
}> = async (app, { verification, rateLimit }) => {
  const limit = { rateLimit: { max: rateLimit, timeWindow: "1 minute" } };
  app.addSchema(AcuseVerificationSchema);
  app.addSchema(DocumentVerificationSchema);
  app.addSchema(SignatureVerificationSchema);
  const acuseAnswer = refTo(AcuseVerificationSchema);

  app.addContentTypeParser(
    "application/pdf",
    { parseAs: "buffer", bodyLimit: MAX_PDF_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    "/api/v1/verificacion/acuses/:folio",
    {
      config: limit,
      schema: {
        tags,
        summary: "Verificar un acuse por folio y código de verificación",
        description:
          "El código son los últimos 8 caracteres del sello digital (impresos junto al QR). Un folio desconocido y un código equivocado reciben la misma respuesta (`no_encontrado`).",
        params: VerificationFolioParamsSchema,
        querystring: VerificationCodigoQuerySchema,
        response: {
          200: acuseAnswer,
          ...problems(400, 429),
        },
      },
    },
    async (request) => verification.byFolio(request.params.folio, request.query.codigo),
  );

  app.post(
    "/api/v1/verificacion/pdf",
    {
      config: limit,
      bodyLimit: MAX_PDF_BYTES,
      schema: {
        tags,
        summary: "Verificar el PDF de un acuse",
        description:
          "Cuerpo: el PDF tal cual (`content-type: application/pdf`, hasta 10 MiB). Se comprueban su firma PAdES (el sello del Instituto sobre el PDF entero) y los datos sellados que lleva adjuntos, y se comparan con el registro del Instituto.",
        body: rawUploadBody("application/pdf", "El PDF del acuse, tal cual (hasta 10 MiB)."),
        response: { 200: acuseAnswer, ...problems(400, 413, 415, 429, 503) },
      },
    },
    async (request) => {
      const body = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) {
        throw new AppError("validation", "Envía el PDF del acuse como cuerpo de la solicitud.");
      }
      return verification.uploadedPdf(body);
    },
  );

  app.post(
    "/api/v1/verificacion/acuse",
    {
      config: limit,
      bodyLimit: MAX_EXPORT_BYTES,
      schema: {
        tags,
        summary: "Verificar un acuse exportado (JSON buzon-imss-acuse/1)",
        body: UploadedExportSchema,
        response: { 200: acuseAnswer, ...problems(400, 413, 415, 429) },
      },
    },
    // A malformed export is an AcuseExportError: 400 malformed_export, with the field's pointer.
    async (request) => verification.uploadedExport(parseAcuseExport(request.body)),
  );

  app.get(
    "/api/v1/verificacion/documentos/:sha256",
    {
      config: limit,
      schema: {
        tags,
        summary: "Buscar los acuses que hacen constar un documento",
        description:
          "Por la huella SHA-256 del documento (64 dígitos hexadecimales), que el navegador calcula: el documento no se envía.",
        params: DocumentHashParamsSchema,
        response: { 200: refTo(DocumentVerificationSchema), ...problems(400, 429) },
      },
    },
    async (request) => verification.byDocumentHash(request.params.sha256),
  );

  app.post(
    "/api/v1/verificacion/firma",
    {
      config: limit,
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        summary: "Verificar un documento firmado con la e.firma de un servidor público",
        description:
          "Firma CMS desprendida (.p7s) sobre el documento; se envía la huella SHA-256 del documento y la firma en base64 (DER) o PEM.",
        body: SignedDocumentBodySchema,
        response: { 200: refTo(SignatureVerificationSchema), ...problems(400, 413, 429) },
      },
    },
    async (request) => verification.signedDocument(request.body),
  );
};
