import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { computeHabilitacion } from "../../domain/plazos/habilitacion.ts";
import { RULES } from "../../domain/plazos/rules.ts";
import type { Db } from "../../platform/db/schema.ts";
import { problems, rawUploadBody } from "../../platform/http/schemas.ts";
import { listNotifiablePorEstrados, type ReminderCampaign } from "./campaign.ts";
import type { PadronImporter } from "./import.ts";
import {
  CampaignBodySchema,
  CampaignReportSchema,
  EstradosQuerySchema,
  EstradosSchema,
  ImportQuerySchema,
  ImportReportSchema,
} from "./schemas.ts";

/** Uploads past this go through `buzon padron importar`, which streams from disk. */
export const MAX_PADRON_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Who acts, as the import record names them (never the token). */
function actorOf(request: FastifyRequest): string {
  if (request.apiToken) return `administrador ${request.apiToken.rfc} (token de API)`;
  return `administrador ${request.session?.rfc ?? "desconocido"}`;
}

export interface PadronRoutesOptions {
  db: Db;
  importPadron: PadronImporter;
  campaign: ReminderCampaign;
  requireAdmin: (request: FastifyRequest) => Promise<void>;
}

export const padronRoutes: FastifyPluginAsyncTypebox<PadronRoutesOptions> = async (
  app,
  { db, importPadron, campaign, requireAdmin },
) => {
  const tags = ["Padrón"];
  const security: { [label: string]: string[] }[] = [{ apiToken: [] }, { sessionCookie: [] }];

  app.addContentTypeParser(
    "text/csv",
    { parseAs: "buffer", bodyLimit: MAX_PADRON_UPLOAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    "/api/v1/padron/importaciones",
    {
      onRequest: requireAdmin,
      bodyLimit: MAX_PADRON_UPLOAD_BYTES,
      schema: {
        tags,
        summary: "Importar el padrón desde un CSV (administración)",
        description:
          "Cuerpo: el CSV tal cual (`content-type: text/csv`, hasta 64 MiB; columnas en docs/padron.md). Responde el reporte: conteos y cada fila rechazada con su línea y motivo. Reimportar el mismo archivo no cambia nada.",
        security,
        body: rawUploadBody("text/csv", "El CSV del padrón, tal cual (hasta 64 MiB)."),
        querystring: ImportQuerySchema,
        response: { 200: ImportReportSchema, ...problems(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request) => {
      const body = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) {
        throw new AppError("validation", "Envía el CSV del padrón como cuerpo de la solicitud.", {
          pointer: "archivo",
        });
      }
      return importPadron(Readable.from([body]), {
        fileName: request.query.archivo ?? "padron.csv",
        actor: actorOf(request),
      });
    },
  );

  app.get(
    "/api/v1/padron/estrados",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Particulares notificables por estrados (administración)",
        description:
          "Quienes están en el padrón sin buzón habilitado (ni por los Lineamientos de 2020 ni por firma de los Términos): Lineamientos transitorio primero y 7.8; LSS art. 286-M; CFF art. 134-III. Paginado por RFC.",
        security,
        querystring: EstradosQuerySchema,
        response: { 200: EstradosSchema, ...problems(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const page = await listNotifiablePorEstrados(db, {
        after: request.query.despues?.toUpperCase(),
        limit: request.query.limite ?? 100,
      });
      return {
        deadline: computeHabilitacion().deadline,
        basis: `${RULES.habilitacion.basis}; Lineamientos 7.8; LSS art. 286-M; CFF art. 134-III`,
        ...page,
      };
    },
  );

  app.post(
    "/api/v1/padron/recordatorios",
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Enviar el recordatorio de habilitación (administración)",
        description:
          "Encola «Cumple con tu obligación de activar el Buzón IMSS» al correo en registros de cada particular sin buzón habilitado. Una campaña no envía dos veces al mismo RFC: repetirla solo alcanza a los nuevos.",
        security,
        body: CampaignBodySchema,
        response: { 200: CampaignReportSchema, ...problems(400, 401, 403, 503) },
      },
    },
    async (request) => campaign({ campaign: request.body.campana }),
  );
};
