/**
 * The calendar API's wire types, the one source for the routes and the web app (`Static<>`).
 * Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { MAX_YEAR, MIN_YEAR } from "../../domain/time/range.ts";
import { IsoDate, VersionLabel } from "../../platform/http/schemas.ts";

/** CFF art. 12: the kinds of declared day (absent in a file = `inhabil`). */
export const DayKindSchema = Type.Union(
  [
    Type.Literal("inhabil"),
    Type.Literal("vacaciones_generales"),
    Type.Literal("oficinas_cerradas"),
  ],
  {
    description:
      "inhabil: no cuenta en ningún plazo; vacaciones_generales: no cuenta salvo en plazos para declaraciones y pagos (CFF 12 ¶2); oficinas_cerradas: cuenta, pero un plazo que vence ese día se prorroga al siguiente día hábil (CFF 12, último ¶).",
  },
);

/** The calendars the engine knows: IMSS and TFJA (juicio de nulidad). */
export const AuthoritySchema = Type.Union([Type.Literal("IMSS"), Type.Literal("TFJA")], {
  description: "Autoridad del calendario: IMSS o TFJA (juicio de nulidad).",
});

const DeclaredDaySchema = Type.Object(
  {
    date: IsoDate("Día inhábil."),
    reason: Type.String({ examples: ["Jueves Santo"] }),
    source: Type.String({ examples: ["ACDO.… (DOF …)"] }),
    kind: Type.Optional(DayKindSchema),
  },
  { additionalProperties: false },
);

export const CalendarDaySchema = Type.Object(
  {
    date: IsoDate("Día inhábil."),
    weekday: Type.String({ description: "Día de la semana, en español." }),
    reason: Type.String(),
    source: Type.String(),
    kind: Type.Union([Type.Literal("cff"), Type.Literal("declarado")]),
    dayKind: Type.Optional(DayKindSchema),
  },
  { additionalProperties: false },
);

export const CalendarYearParamsSchema = Type.Object({
  year: Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR }),
});

export const AuthorityQuerySchema = Type.Object(
  { autoridad: Type.Optional(AuthoritySchema) },
  { additionalProperties: false },
);

export const VersionQuerySchema = Type.Object(
  {
    version: Type.Optional(VersionLabel("Versión del calendario; por omisión la vigente.")),
    autoridad: Type.Optional(AuthoritySchema),
  },
  { additionalProperties: false },
);

export const CalendarYearSchema = Type.Object(
  {
    year: Type.Integer(),
    authority: Type.String(),
    version: Type.String(),
    declared: Type.Boolean({
      description:
        "Si la versión contiene la declaración de la autoridad para el año; si no, solo se conocen los días del CFF.",
    }),
    days: Type.Array(CalendarDaySchema),
  },
  { additionalProperties: false },
);

export const CalendarFileSchema = Type.Object(
  {
    authority: Type.String(),
    version: Type.String(),
    years: Type.Optional(
      Type.Array(Type.Integer(), { description: "Años cuya declaración contiene la versión." }),
    ),
    days: Type.Array(DeclaredDaySchema),
  },
  { $id: "CalendarFile", title: "Archivo de calendario", additionalProperties: false },
);

export const VersionSummarySchema = Type.Object(
  {
    id: Type.String(),
    authority: Type.String(),
    version: Type.String(),
    note: Type.String(),
    createdBy: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

export const VersionListSchema = Type.Object(
  { versions: Type.Array(VersionSummarySchema) },
  { additionalProperties: false },
);

export const VersionParamsSchema = Type.Object({
  version: VersionLabel("Versión del calendario."),
});

export const ImportVersionBodySchema = Type.Object(
  {
    calendar: Type.Unknown({
      description:
        "El archivo de calendario: {authority: IMSS|TFJA, version, years?, days:[{date, reason, source, kind?}]}; se valida al cargarlo.",
    }),
    note: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const DeclareDayBodySchema = Type.Object(
  {
    date: Type.String({ description: "AAAA-MM-DD." }),
    reason: Type.String({ description: "Motivo (hasta 200 caracteres)." }),
    source: Type.String({ description: "Fundamento (hasta 300 caracteres)." }),
    kind: Type.Optional(DayKindSchema),
    authority: Type.Optional(AuthoritySchema),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const CreatedVersionSchema = Type.Object(
  {
    version: Type.String(),
    authority: Type.String(),
    days: Type.Integer({ description: "Días declarados en la versión." }),
    createdAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

export type CalendarDay = Static<typeof CalendarDaySchema>;
export type CalendarYear = Static<typeof CalendarYearSchema>;
export type CalendarFile = Static<typeof CalendarFileSchema>;
export type VersionSummary = Static<typeof VersionSummarySchema>;
export type VersionList = Static<typeof VersionListSchema>;
export type Authority = Static<typeof AuthoritySchema>;
