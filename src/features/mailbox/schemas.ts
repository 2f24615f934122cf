/**
 * The mailbox API's wire types (issue 9 §7): the one source for the routes (validation,
 * serialization, OpenAPI) and the web app (`Static<>`). Vite reads this file: no node-only
 * imports. Field names of the contract are kept as written there; the others sit beside them.
 */
import { type Static, Type } from "@sinclair/typebox";
import { ExplanationStepSchema } from "../plazos/schemas.ts";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Instant = (description: string) =>
  Type.String({ description, examples: ["2026-12-03T10:07:17.151-06:00"] });

export const MailboxStateSchema = Type.Union(
  [
    Type.Literal("sin_medios"),
    Type.Literal("medios_pendientes"),
    Type.Literal("medios_validados"),
    Type.Literal("habilitado"),
  ],
  {
    description:
      "sin_medios → medios_pendientes → medios_validados (correo y celular del RFC validados) → habilitado (y Términos firmados).",
  },
);

export const MeansKindSchema = Type.Union([Type.Literal("correo"), Type.Literal("celular")], {
  description: "Mecanismo de comunicación.",
});

export const MeansSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    kind: MeansKindSchema,
    value: Type.String({ description: "Correo en minúsculas, o celular como +52 y 10 dígitos." }),
    scope: Type.String({
      description: "`rfc`, o el registro patronal (11 caracteres) al que pertenece.",
    }),
    status: Type.Union(
      [Type.Literal("pendiente"), Type.Literal("validado"), Type.Literal("cancelado")],
      {
        description: "cancelado: pasaron las 72 horas sin validarlo; hay que registrarlo de nuevo.",
      },
    ),
    registeredAt: Instant("Registro (Zona Centro)."),
    expiresAt: Instant("Límite para validarlo: 72 horas naturales después del registro."),
    validatedAt: Nullable(Instant("Validación.")),
    replaces: Nullable(
      Type.String({ description: "El medio que este sustituye al validarse (un cambio)." }),
    ),
    acuseFolio: Nullable(
      Type.String({
        description:
          "Folio del acuse de su registro; null para el correo del padrón traído de un buzón habilitado en 2020 (`origin`), que no se registró aquí.",
      }),
    ),
    acuseCodigo: Nullable(
      Type.String({
        description:
          "Código de verificación del acuse de su registro (con `acuseFolio`, en la verificación pública); null cuando no hay acuse.",
      }),
    ),
    origin: Nullable(
      Type.Literal("padron_2020", {
        description:
          "padron_2020: el correo que el padrón del Instituto tenía de un buzón habilitado con los Lineamientos de 2020 (5.4), validado por esa habilitación; null para los registrados aquí.",
      }),
    ),
    attemptsLeft: Nullable(
      Type.Integer({ minimum: 0, description: "Intentos que quedan con el código actual." }),
    ),
    locked: Type.Boolean({
      description: "Se agotaron los intentos: hace falta «Reenviar código».",
    }),
    resendAvailableAt: Nullable(Instant("Desde cuándo se puede pedir otro código.")),
    aclaracionUntil: Nullable(
      Instant("Hasta cuándo se puede registrar una aclaración si el correo no llegó."),
    ),
  },
  { additionalProperties: false },
);

const AclaracionStatusSchema = Type.Union([Type.Literal("abierta"), Type.Literal("atendida")]);

/** An aclaración as the person who filed it sees it in her mailbox. */
export const OwnAclaracionSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    meansId: Type.String({ format: "uuid" }),
    email: Type.String({ description: "El correo que no llegó." }),
    acuseFolio: Type.String({ description: "Folio del acuse de la aclaración." }),
    status: AclaracionStatusSchema,
    createdAt: Instant("Presentación."),
    attendedAt: Nullable(Instant("Cuándo la atendió el Instituto.")),
    note: Nullable(Type.String({ description: "La respuesta del Instituto." })),
  },
  { additionalProperties: false },
);

export const MailboxViewSchema = Type.Object(
  {
    rfc: Type.String(),
    state: MailboxStateSchema,
    provenance: Nullable(
      Type.Union([Type.Literal("activacion"), Type.Literal("lineamientos_2020")], {
        description:
          "Cómo se habilitó: con esta activación, o importado como habilitado con los Lineamientos de 2020 (5.4).",
      }),
    ),
    means: Type.Array(MeansSchema),
    aclaraciones: Type.Array(OwnAclaracionSchema, {
      description: "Las aclaraciones que registró, la más antigua primero, con la respuesta.",
    }),
    terms: Type.Object(
      {
        signedVersion: Nullable(
          Type.String({
            description:
              "Versión que firmó con su e.firma; null si nunca firmó (un buzón habilitado en 2020 sin firma aquí: `provenance`).",
          }),
        ),
        currentVersion: Nullable(Type.String({ description: "Versión vigente de los Términos." })),
      },
      { additionalProperties: false },
    ),
    validated: Type.Object(
      {
        correos: Type.Integer({ minimum: 0, description: "Correos del RFC validados." }),
        celulares: Type.Integer({ minimum: 0, description: "Celulares del RFC validados." }),
      },
      { additionalProperties: false },
    ),
    canEnter: Type.Boolean({
      description:
        "Si puede entrar al buzón: habilitado y con la versión vigente de los Términos firmada (una versión nueva pide firmarla de nuevo).",
    }),
    inPadron: Type.Boolean({ description: "Si el RFC está en el padrón del Instituto." }),
    registrosPatronales: Type.Array(Type.String(), {
      description: "Registros patronales del RFC según el padrón (para sus medios opcionales).",
    }),
  },
  { additionalProperties: false },
);

export const RegisterMeansBodySchema = Type.Object(
  {
    kind: MeansKindSchema,
    value: Type.String({
      maxLength: 320,
      description: "Correo electrónico o celular (10 dígitos).",
    }),
    registrosPatronales: Type.Optional(
      Type.Array(Type.String({ maxLength: 20 }), {
        maxItems: 1000,
        description:
          "Para medios de registros patronales: uno, varios o todos los del RFC. Sin él, el medio es del RFC.",
      }),
    ),
    replaces: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          "Cambio: el id de un medio vigente del mismo tipo y alcance que se elimina cuando este se valide.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AcuseRefSchema = Type.Object(
  {
    folio: Type.String(),
    codigo: Type.String({
      description: "Código de verificación del acuse (verificación pública).",
    }),
  },
  { additionalProperties: false },
);

export const MeansRegisteredSchema = Type.Object(
  {
    means: Type.Array(MeansSchema),
    acuse: AcuseRefSchema,
    state: MailboxStateSchema,
    registeredAt: Instant("Registro: la fecha del mensaje del portal."),
    expiresAt: Instant("Límite de las 72 horas."),
    plazo: Type.Object(
      {
        rulesVersion: Type.String(),
        explanation: Type.Array(ExplanationStepSchema),
      },
      {
        additionalProperties: false,
        description: "Cómo se calculó el límite (buzon plazos validacion).",
      },
    ),
  },
  { additionalProperties: false },
);

export const MeansParamsSchema = Type.Object(
  { id: Type.String({ maxLength: 40 }) },
  { additionalProperties: false },
);

export const ValidateMeansBodySchema = Type.Object(
  { codigo: Type.String({ maxLength: 20, description: "El código de 6 dígitos recibido." }) },
  { additionalProperties: false },
);

export const MeansValidatedSchema = Type.Object(
  {
    means: Type.Array(MeansSchema, {
      description: "Los medios validados (los de un mismo registro).",
    }),
    state: MailboxStateSchema,
    acuse: AcuseRefSchema,
  },
  { additionalProperties: false },
);

export const CodeResentSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    sentAt: Instant("Envío del código nuevo (los anteriores dejan de valer)."),
    resendAvailableAt: Instant("Desde cuándo se puede pedir otro."),
    expiresAt: Instant("El límite de las 72 horas no cambia."),
  },
  { additionalProperties: false },
);

export const AclaracionBodySchema = Type.Object(
  {
    meansId: Type.String({ maxLength: 40, description: "El correo que no llegó." }),
    descripcion: Type.Optional(
      Type.String({ maxLength: 2000, description: "Lo que la persona quiera explicar." }),
    ),
  },
  { additionalProperties: false },
);

export const AclaracionFiledSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    status: Type.Literal("abierta"),
    receivedAt: Instant("Cuándo se tiene por recibida (Lineamientos 6.3)."),
    acuse: AcuseRefSchema,
  },
  { additionalProperties: false },
);

export const AclaracionQuerySchema = Type.Object(
  {
    estado: Type.Optional(Type.Union([Type.Literal("abierta"), Type.Literal("atendida")])),
    limite: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, default: 50, description: "Tamaño de la página." }),
    ),
    despuesDe: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "Cursor de la página siguiente: el `next` de la anterior.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** An aclaración as staff see it in their queue. */
export const AclaracionItemSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    rfc: Type.String(),
    meansId: Type.String({ format: "uuid" }),
    email: Type.String(),
    registrationFolio: Type.String(),
    description: Type.String(),
    status: AclaracionStatusSchema,
    acuseFolio: Type.String(),
    createdAt: Instant("Presentación."),
    attendedAt: Nullable(Instant("Cuándo se atendió.")),
    attendedBy: Nullable(Type.String({ description: "RFC de quien la atendió." })),
    note: Nullable(Type.String({ description: "La respuesta que lee la persona." })),
  },
  { additionalProperties: false },
);

export const AclaracionListSchema = Type.Object(
  {
    aclaraciones: Type.Array(AclaracionItemSchema, {
      description: "Una página, la presentada primero antes (y, en el mismo instante, por id).",
    }),
    next: Type.Union([Type.String(), Type.Null()], {
      description: "Cursor de la página siguiente (`despuesDe=`), o null en la última.",
    }),
  },
  { additionalProperties: false },
);

export const AclaracionParamsSchema = Type.Object(
  { id: Type.String({ format: "uuid", description: "La aclaración." }) },
  { additionalProperties: false },
);

export const AttendAclaracionBodySchema = Type.Object(
  {
    nota: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: "La respuesta para la persona: qué se hizo o qué debe hacer.",
    }),
  },
  { additionalProperties: false },
);

export type MailboxState = Static<typeof MailboxStateSchema>;
export type MeansKind = Static<typeof MeansKindSchema>;
export type Means = Static<typeof MeansSchema>;
export type MailboxView = Static<typeof MailboxViewSchema>;
export type RegisterMeansBody = Static<typeof RegisterMeansBodySchema>;
export type MeansRegistered = Static<typeof MeansRegisteredSchema>;
export type MeansValidated = Static<typeof MeansValidatedSchema>;
export type CodeResent = Static<typeof CodeResentSchema>;
export type AclaracionBody = Static<typeof AclaracionBodySchema>;
export type AclaracionFiled = Static<typeof AclaracionFiledSchema>;
export type AclaracionQuery = Static<typeof AclaracionQuerySchema>;
export type AclaracionList = Static<typeof AclaracionListSchema>;
export type AclaracionItem = Static<typeof AclaracionItemSchema>;
export type OwnAclaracion = Static<typeof OwnAclaracionSchema>;
