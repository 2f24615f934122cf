/**
 * The padrón API's wire types, the one source for the routes and the web app (`Static<>`).
 * Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";

const Counts = {
  rowsRead: Type.Integer({ minimum: 0, description: "Filas de datos leídas (sin el encabezado)." }),
  inserted: Type.Integer({ minimum: 0, description: "Entradas nuevas." }),
  updated: Type.Integer({ minimum: 0, description: "Entradas que cambiaron." }),
  unchanged: Type.Integer({ minimum: 0, description: "Filas iguales a lo que ya constaba." }),
  refused: Type.Integer({ minimum: 0, description: "Filas rechazadas." }),
};

export const ImportReportSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    fileName: Type.String(),
    sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
    ...Counts,
    refusals: Type.Array(
      Type.Object(
        {
          line: Type.Integer({ minimum: 1, description: "Línea del archivo." }),
          rfc: Type.Union([Type.String(), Type.Null()]),
          code: Type.String({ description: "Motivo, estable (docs/padron.md)." }),
          reason: Type.String({ description: "Motivo, en español." }),
        },
        { additionalProperties: false },
      ),
    ),
    refusalsNotListed: Type.Integer({ minimum: 0 }),
    warnings: Type.Array(
      Type.Object(
        { line: Type.Integer(), rfc: Type.String(), warning: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ImportReportView = Static<typeof ImportReportSchema>;

export const ImportQuerySchema = Type.Object(
  {
    archivo: Type.Optional(
      Type.String({ maxLength: 200, description: "Nombre del archivo, para el registro." }),
    ),
  },
  { additionalProperties: false },
);

export const EstradosQuerySchema = Type.Object(
  {
    despues: Type.Optional(
      Type.String({ maxLength: 13, description: "Último RFC de la página anterior." }),
    ),
    limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const EstradosSchema = Type.Object(
  {
    deadline: Type.String({ description: "Fin del plazo del transitorio primero (AAAA-MM-DD)." }),
    basis: Type.String(),
    total: Type.Integer({ minimum: 0 }),
    items: Type.Array(
      Type.Object(
        {
          rfc: Type.String(),
          name: Type.String(),
          persona: Type.Union([Type.Literal("fisica"), Type.Literal("moral")]),
          emailOnFile: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EstradosView = Static<typeof EstradosSchema>;

export const CampaignBodySchema = Type.Object(
  {
    campana: Type.Optional(
      Type.String({
        pattern: "^[a-z0-9][a-z0-9._-]{0,59}$",
        description: "Nombre de la campaña; por omisión `recordatorio-AAAA-MM-DD` (hoy).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CampaignReportSchema = Type.Object(
  {
    campaign: Type.String(),
    template: Type.String(),
    deadline: Type.String(),
    recipients: Type.Integer({ minimum: 0 }),
    enqueued: Type.Integer({ minimum: 0 }),
    alreadyEnqueued: Type.Integer({ minimum: 0 }),
    withoutEmail: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CampaignReportView = Static<typeof CampaignReportSchema>;
