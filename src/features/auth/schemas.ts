/**
 * The sign-in, session, staff and audit API's wire types: the one source for the routes, the
 * service's session view and the web app (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { refTo } from "../../platform/http/schemas.ts";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const StaffRoleSchema = Type.Union(
  [
    Type.Literal("notificador"),
    Type.Literal("operador"),
    Type.Literal("administrador"),
    Type.Literal("auditor"),
  ],
  { description: "Rol de una persona servidora pública." },
);

const sessionFields = {
  id: Type.String(),
  rfc: Type.String({ description: "RFC del titular del buzón." }),
  name: Type.String(),
  persona: Type.Union([Type.Literal("fisica"), Type.Literal("moral")]),
  representativeRfc: Nullable(Type.String({ description: "RFC de quien firmó por una moral." })),
  /** SAT certificates of personas morales name only the company. */
  representativeName: Nullable(Type.String()),
  staffRole: Nullable(StaffRoleSchema),
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  idleExpiresAt: Type.String({ format: "date-time" }),
};

export const SessionSchema = Type.Object(sessionFields, {
  $id: "Session",
  title: "Sesión",
  additionalProperties: false,
});

const CsrfToken = Type.String({
  description: "Se devuelve en `x-csrf-token` en toda solicitud que cambia algo.",
});

/** Base64 of a few KiB at most: a certificate is ~1.5 KiB, a signature 256 bytes. */
const Base64 = (maxLength: number, description: string) =>
  Type.String({ pattern: "^[A-Za-z0-9+/]+={0,2}$", maxLength, description });

export const ChallengeRequestSchema = Type.Object(
  { rfc: Type.String({ maxLength: 20 }) },
  { additionalProperties: false },
);

export const ChallengeSchema = Type.Object(
  {
    challengeId: Type.String({ format: "uuid" }),
    toSign: Type.String({ description: "El texto exacto que se firma (UTF-8)." }),
    expiresAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

export const SessionRequestSchema = Type.Object(
  {
    challengeId: Type.String({ format: "uuid" }),
    certificate: Base64(32_768, "Certificado (.cer) en base64 (DER)."),
    signature: Base64(2_048, "Firma RSA-SHA256 (PKCS#1 v1.5) del texto del desafío, en base64."),
    remember: Type.Optional(
      Type.Boolean({
        description:
          "«Mantener la sesión»: la cookie dura lo que la sesión (SESSION_MAX_HOURS); sin él, termina al cerrar el navegador.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const SessionCreatedSchema = Type.Object(
  { session: refTo(SessionSchema), csrfToken: CsrfToken },
  { additionalProperties: false },
);

/**
 * GET /api/v1/auth/sesion: who is signed in, or that nobody is. Always 200, so a page can ask
 * once on load without an anonymous visitor's browser logging a 401 on every page.
 */
export const SessionStateSchema = Type.Union(
  [
    Type.Object(
      { autenticado: Type.Literal(true), ...sessionFields, csrfToken: CsrfToken },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        autenticado: Type.Literal(false),
        detail: Type.Optional(
          Type.String({
            description: "Por qué terminó la sesión de la cookie enviada, en español.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ],
  { title: "Estado de la sesión" },
);

export const IdParamsSchema = Type.Object({ id: Type.String({ format: "uuid" }) });

export const SessionSummarySchema = Type.Object(
  {
    id: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
    lastSeenAt: Type.String({ format: "date-time" }),
    userAgent: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    current: Type.Boolean({ description: "La sesión de esta solicitud." }),
  },
  { additionalProperties: false },
);

export const SessionListSchema = Type.Object(
  { sessions: Type.Array(SessionSummarySchema) },
  { additionalProperties: false },
);

export const StaffMemberSchema = Type.Object(
  {
    rfc: Type.String(),
    name: Type.String(),
    role: StaffRoleSchema,
    active: Type.Boolean(),
    updatedAt: Type.String({ format: "date-time" }),
    updatedBy: Type.String(),
  },
  { additionalProperties: false },
);

export const StaffListSchema = Type.Object(
  { staff: Type.Array(StaffMemberSchema) },
  { additionalProperties: false },
);

export const RfcParamsSchema = Type.Object({ rfc: Type.String({ maxLength: 20 }) });

export const SetStaffBodySchema = Type.Object(
  {
    role: Type.String({ maxLength: 20 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const EndedSessionsSchema = Type.Object(
  { endedSessions: Type.Integer({ description: "Sesiones de esa persona que terminaron." }) },
  { additionalProperties: false },
);

export const AuthEventsQuerySchema = Type.Object(
  {
    rfc: Type.Optional(Type.String({ maxLength: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const AuthEventSchema = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: "date-time" }),
    event: Type.String(),
    outcome: Type.Union([Type.Literal("aceptado"), Type.Literal("rechazado")]),
    reason: Nullable(Type.String()),
    rfc: Nullable(Type.String()),
    representativeRfc: Nullable(Type.String()),
    certificateNumber: Nullable(Type.String()),
    sessionId: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const AuthEventsSchema = Type.Object(
  { events: Type.Array(AuthEventSchema) },
  { additionalProperties: false },
);

export const ApiTokenSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    rfc: Type.String({ description: "RFC de la persona servidora pública titular del token." }),
    name: Type.String({ description: "Para qué es (p. ej. «carga de calendario nocturna»)." }),
    roles: Type.Array(StaffRoleSchema, {
      description: "Roles con que puede actuar; solo mientras su titular tenga uno de ellos.",
    }),
    createdAt: Type.String({ format: "date-time" }),
    createdBy: Type.String(),
    expiresAt: Type.String({ format: "date-time" }),
    revokedAt: Nullable(Type.String({ format: "date-time" })),
    revokedBy: Nullable(Type.String()),
    lastUsedAt: Nullable(Type.String({ format: "date-time" })),
  },
  { $id: "ApiToken", title: "Token de API", additionalProperties: false },
);

export const ApiTokenListSchema = Type.Object(
  { tokens: Type.Array(refTo(ApiTokenSchema)) },
  { additionalProperties: false },
);

export const ApiTokenListQuerySchema = Type.Object(
  { rfc: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);

export const CreateApiTokenBodySchema = Type.Object(
  {
    rfc: Type.String({ maxLength: 20, description: "Titular: personal activo del Instituto." }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(StaffRoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    days: Type.Integer({ minimum: 1, maximum: 365, description: "Vigencia en días." }),
  },
  { additionalProperties: false },
);

export const CreatedApiTokenSchema = Type.Object(
  {
    token: Type.String({
      pattern: "^bzn_[A-Za-z0-9_-]{43}$",
      description:
        "El token (se muestra solo esta vez; el servidor guarda su SHA-256). Se envía como `Authorization: Bearer <token>`.",
    }),
    apiToken: refTo(ApiTokenSchema),
  },
  { additionalProperties: false },
);

export const ApiTokenParamsSchema = Type.Object(
  { id: Type.String({ format: "uuid" }) },
  { additionalProperties: false },
);

export type ApiToken = Static<typeof ApiTokenSchema>;
export type SessionView = Static<typeof SessionSchema>;
export type SessionState = Static<typeof SessionStateSchema>;
export type SignedInState = Extract<SessionState, { autenticado: true }>;
export type Challenge = Static<typeof ChallengeSchema>;
export type SessionRequest = Static<typeof SessionRequestSchema>;
export type SessionCreated = Static<typeof SessionCreatedSchema>;
export type SessionSummary = Static<typeof SessionSummarySchema>;
export type SessionList = Static<typeof SessionListSchema>;
export type StaffMember = Static<typeof StaffMemberSchema>;
