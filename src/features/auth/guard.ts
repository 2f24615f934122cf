import type { FastifyRequest } from "fastify";
import { AppError, type CodedError, internalError } from "../../domain/errors.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import type { ApiTokenService, TokenIdentity } from "./api-tokens.ts";
import type { AuthenticatedSession, AuthService, RequestContext } from "./service.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in session, set by `requireSession`. */
    session?: AuthenticatedSession;
    /** The staff API token that authorized the request, set by `requireRole`. */
    apiToken?: TokenIdentity;
  }
}

/** Who made a change, as records name them: a signed-in person or a person's API token. */
export function actorOf(request: FastifyRequest): string {
  if (request.apiToken) return `token ${request.apiToken.tokenId} de ${request.apiToken.rfc}`;
  return `sesion:${request.session?.rfc ?? "desconocida"}`;
}

/**
 * Bearer tokens on staff routes: the token service, a limiter of failed attempts per client
 * address (@fastify/rate-limit's `createRateLimit`) that locks out guessing, and a limit of uses
 * per valid token, so a leaked or runaway token cannot flood the API.
 */
export interface BearerAuth {
  tokens: ApiTokenService;
  failures: (
    request: FastifyRequest,
    options?: { increment?: boolean },
  ) => Promise<{ isAllowed: true } | { isAllowed: false; remaining: number; ttlInSeconds: number }>;
  /** Counts a use of the token `tokenId`; the seconds to wait when it is past its limit. */
  uses?: (request: FastifyRequest, tokenId: string) => Promise<number | undefined>;
}

export const SESSION_COOKIE = "buzon_sesion";
export const ATTEMPT_COOKIE = "buzon_intento";

/**
 * The cookies' names. Over https they carry the browsers' prefixes: `__Host-` (Secure, Path=/,
 * no Domain: no subdomain can set or shadow the session) and `__Secure-` for the attempt, whose
 * path is narrower than `__Host-` allows.
 */
export function cookieNames(secure: boolean): { session: string; attempt: string } {
  return secure
    ? { session: `__Host-${SESSION_COOKIE}`, attempt: `__Secure-${ATTEMPT_COOKIE}` }
    : { session: SESSION_COOKIE, attempt: ATTEMPT_COOKIE };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function contextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers["user-agent"];
  return {
    ip: request.ip,
    userAgent: typeof userAgent === "string" ? userAgent : undefined,
    requestId: String(request.id),
  };
}

/** Route hooks that demand a session (and, for changes, its CSRF token) or a staff role. */
export function sessionGuards(
  auth: AuthService,
  sessionCookie = SESSION_COOKIE,
  bearer?: BearerAuth,
) {
  const requireSession = async (request: FastifyRequest): Promise<AuthenticatedSession> => {
    const session = await auth.authenticate(request.cookies[sessionCookie], contextOf(request));
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers["x-csrf-token"];
      await auth.checkCsrf(
        session,
        typeof header === "string" ? header : undefined,
        contextOf(request),
      );
    }
    request.session = session;
    return session;
  };
  const requireSessionRole = async (
    request: FastifyRequest,
    roles: readonly StaffRole[],
  ): Promise<void> => {
    const session = await requireSession(request);
    if (!session.staffRole || !roles.includes(session.staffRole)) {
      await auth.recordRefusal(`rol_insuficiente:${roles.join("|")}`, contextOf(request), session);
      throw new AppError(
        "forbidden",
        `Esta función es solo para personal del Instituto con rol ${roles.join(" o ")}.`,
      );
    }
  };
  const requireRole =
    (...roles: StaffRole[]) =>
    async (request: FastifyRequest): Promise<void> => {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        if (!bearer) {
          throw new AppError("unauthorized", "Este servidor no acepta tokens de API.");
        }
        request.apiToken = await requireToken(bearer, authorization, roles, request);
        return;
      }
      await requireSessionRole(request, roles);
    };
  /**
   * `requireRole` again, for a request whose work outlasts its start (a lote deposits chunk
   * after chunk): the session is read as on any request (ended, expired, its role changed:
   * 401), the token judged as on any request (revoked, expired, its holder without the role:
   * 401), each refusal logged. The token's pass is not another use: it is the same request.
   */
  const recheckRole =
    (...roles: StaffRole[]) =>
    async (request: FastifyRequest): Promise<void> => {
      if (request.apiToken) {
        if (!bearer) throw internalError("una solicitud con token de API sin tokens de API");
        request.apiToken = await bearer.tokens.recheck(
          request.apiToken.tokenId,
          roles,
          contextOf(request),
        );
        return;
      }
      await requireSessionRole(request, roles);
    };
  /**
   * `recheckRole` inside `within`, the transaction that writes in the request's name (a chunk
   * of a lote, one deposit): the token's row and its holder's, or the session's row, are read
   * FOR SHARE, so a revocation, a baja, a role change or a logout committed first refuses the
   * transaction, and one issued while it runs waits for its commit. Nothing commits in a
   * person's name after their authority ended. One row read by its key or two: cheap enough
   * for every deposit. Reads and logs only through `within` (PGlite has one connection).
   */
  const recheckRoleWithin =
    (...roles: StaffRole[]) =>
    async (request: FastifyRequest, within: Db): Promise<void> => {
      if (request.apiToken) {
        if (!bearer) throw internalError("una solicitud con token de API sin tokens de API");
        await bearer.tokens.recheck(request.apiToken.tokenId, roles, contextOf(request), within);
        return;
      }
      if (!request.session) throw internalError("una solicitud sin sesión ni token de API");
      await auth.recheckWithin(within, request.session.id, roles, contextOf(request));
    };
  /**
   * A staff role proven by an e.firma session, never by a bearer token: for changes that create
   * credentials or grant roles. A leaked token must not mint tokens that outlive its own
   * revocation, nor grant roles in the name of someone who never signed in.
   */
  const requireSignedInRole =
    (...roles: StaffRole[]) =>
    async (request: FastifyRequest): Promise<void> => {
      if (request.headers.authorization !== undefined) {
        await auth.recordRefusal("requiere_efirma", contextOf(request));
        throw new AppError(
          "forbidden",
          "Esta función requiere una sesión iniciada con e.firma; un token de API no basta.",
        );
      }
      await requireRole(...roles)(request);
    };
  return { requireSession, requireRole, recheckRole, recheckRoleWithin, requireSignedInRole };
}

/** A staff API token, after the failure limit of the client's address; failures count toward it. */
async function requireToken(
  bearer: BearerAuth,
  authorization: string,
  roles: readonly StaffRole[],
  request: FastifyRequest,
): Promise<TokenIdentity> {
  const ctx = contextOf(request);
  // Read without counting: only refusals count, and the limit's worth of them locks.
  const limit = await bearer.failures(request, { increment: false });
  if (!limit.isAllowed && limit.remaining === 0) {
    await bearer.tokens.recordRefusal("token_limite_de_intentos", ctx);
    throw new AppError(
      "rate_limited",
      `Demasiados intentos con tokens no válidos. Espera ${limit.ttlInSeconds} segundos y vuelve a intentarlo.`,
    );
  }
  try {
    const uses = bearer.uses;
    return await bearer.tokens.authenticate(
      authorization,
      roles,
      ctx,
      uses && ((tokenId) => uses(request, tokenId)),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") await bearer.failures(request);
    throw error;
  }
}

/**
 * What a lote says of each item it did not do because `recheckRole` refused the request midway:
 * the refusal's own code (401 or 403), what ended, that this item was not done, and how to
 * finish (the same request again does only what is missing).
 */
export function loteStoppedError(
  request: FastifyRequest,
  cause: CodedError,
  lote: {
    /** «se depositaba el lote» */
    during: string;
    /** «este acto no se depositó» */
    notDone: string;
    /** «los ya depositados no se repiten (misma clave de idempotencia)» */
    again: string;
  },
): CodedError {
  const { during, notDone, again } = lote;
  if (cause.code !== "unauthorized" && cause.code !== "forbidden") return cause;
  const detail =
    cause.code === "forbidden"
      ? `El rol de quien envió el lote cambió mientras ${during}: ${notDone}. ${cause.detail} Con el rol debido, envía el lote otra vez: ${again}.`
      : request.apiToken
        ? `El token de API dejó de valer mientras ${during} (revocado, vencido, o su titular ya no tiene el rol): ${notDone}. Envía el lote otra vez con un token vigente: ${again}.`
        : `La sesión terminó mientras ${during}: ${notDone}. ${cause.detail} Envía el lote otra vez: ${again}.`;
  return new AppError(cause.code, detail, { internal: cause.message, cause });
}
