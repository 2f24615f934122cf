/**
 * Wire schemas shared by several routes, so the OpenAPI document names them once. Like every
 * `schemas.ts` of a feature, this file is the single source of a wire type: the routes validate
 * and serialize with it and the web app derives its types from it with `Static<>`, so it must
 * stay free of node-only imports (Vite reads it).
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { VERSION_PATTERN } from "../../domain/calendar/calendar.ts";
import { internalError } from "../../domain/errors.ts";

export const FieldProblemSchema = Type.Object(
  {
    pointer: Type.String({ description: "Dónde está el problema (JSON Pointer o parámetro)." }),
    detail: Type.String({ description: "El problema, en español." }),
  },
  { additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: "Explicación en español para personas." }),
    instance: Type.String(),
    code: Type.String({ description: "Código estable para programas." }),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(FieldProblemSchema)),
  },
  { $id: "Problem", title: "Problem (RFC 9457)", additionalProperties: false },
);

export type ProblemBody = Static<typeof ProblemSchema>;

/**
 * A reference to a schema registered with `app.addSchema`, typed as the schema it names (the
 * OpenAPI document then shows it once, under components).
 */
export function refTo<T extends TSchema>(schema: T) {
  if (schema.$id === undefined) throw internalError("refTo needs a schema with an $id.");
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

export const problemRef = refTo(ProblemSchema);

/**
 * A route's error responses, all problem+json; 500 (an unexpected error) can come from any
 * route, so every route names it.
 */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries([...statuses, 500].map((s) => [s, problemRef]));
}

/** Newline-delimited JSON: how a batch answers a caller that follows its progress. */
export const NDJSON = "application/x-ndjson";

/**
 * The 200 of a batch followed with `Accept: application/x-ndjson` (progress-stream.ts): one JSON
 * object per line, `{"progreso": counts}` while it runs, then `{"resultado": body}` (the 207's
 * body) or `{"error": problem}`. Described for the OpenAPI document only: the route answers a
 * stream, which Fastify never serializes.
 */
export function progressResponse(counts: TSchema, result: TSchema): TSchema {
  return Type.Unsafe({
    description:
      "Con `Accept: application/x-ndjson`: 200 en cuanto empieza, una línea JSON por avance y al final el resultado o el problema que lo detuvo.",
    content: {
      [NDJSON]: {
        schema: Type.Union([
          Type.Object({ progreso: counts }, { additionalProperties: false }),
          Type.Object({ resultado: result }, { additionalProperties: false }),
          Type.Object({ error: problemRef }, { additionalProperties: false }),
        ]),
      },
    },
  });
}

/** The answer of a route that answers with no body (204). */
export const NoContent = Type.Null({ description: "Sin contenido." });

export const IsoInstant = (description: string) =>
  Type.String({ maxLength: 40, description, examples: ["2025-04-11T17:00:00-06:00"] });

export const IsoDate = (description: string) =>
  Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description, examples: ["2025-04-21"] });

export const VersionLabel = (description: string) =>
  Type.String({ pattern: VERSION_PATTERN, maxLength: 40, description, examples: ["2025-1"] });

/** Text answers (checkpoints, proofs, PEM): the body is the text itself. */
export const PlainText = (description: string) => Type.String({ description });

/**
 * The request body of a raw upload (a PDF, a CSV): the bytes as sent, with `mediaType`. Fastify
 * hands the route a Buffer, which Ajv cannot hold to `type: string` (and `format` without a
 * type makes Ajv's strict mode print a warning at every start), so the validated schema only
 * carries this annotation keyword, known to Ajv (app.ts) and checking nothing: any bytes pass,
 * the route checks them. The OpenAPI document says `type: string, format: binary` instead
 * (`publishRawBodies` in app.ts).
 */
export const RAW_UPLOAD_KEYWORD = "x-raw-upload";

export function rawUploadBody(mediaType: string, description: string) {
  return {
    content: { [mediaType]: { schema: { [RAW_UPLOAD_KEYWORD]: true, description } } },
  };
}
