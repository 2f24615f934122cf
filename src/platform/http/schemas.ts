import { type TSchema, Type } from "@sinclair/typebox";
import { VERSION_PATTERN } from "../../domain/calendar/calendar.ts";

/** Schemas shared by several routes, so the OpenAPI document names them once. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: "Explicación en español para personas." }),
    instance: Type.String(),
    code: Type.String({ description: "Código estable para programas." }),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ pointer: Type.String(), detail: Type.String() })),
    ),
  },
  { $id: "Problem", title: "Problem (RFC 9457)" },
);

export const problemRef = Type.Ref("Problem");

/** Standard error responses for a route, all problem+json. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, problemRef]));
}

export const IsoInstant = (description: string) =>
  Type.String({ maxLength: 40, description, examples: ["2025-04-11T17:00:00-06:00"] });

export const IsoDate = (description: string) =>
  Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description, examples: ["2025-04-21"] });

export const VersionLabel = (description: string) =>
  Type.String({ pattern: VERSION_PATTERN, maxLength: 40, description, examples: ["2025-1"] });
