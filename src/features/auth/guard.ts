import type { FastifyRequest } from "fastify";
import type { StaffRole } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { AuthenticatedSession, AuthService, RequestContext } from "./service.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in session, set by `requireSession`. */
    session?: AuthenticatedSession;
  }
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
export function sessionGuards(auth: AuthService, sessionCookie = SESSION_COOKIE) {
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
  const requireRole =
    (...roles: StaffRole[]) =>
    async (request: FastifyRequest): Promise<void> => {
      const session = await requireSession(request);
      if (!session.staffRole || !roles.includes(session.staffRole)) {
        await auth.recordRefusal(
          `rol_insuficiente:${roles.join("|")}`,
          contextOf(request),
          session,
        );
        throw new AppError(
          "forbidden",
          `Esta función es solo para personal del Instituto con rol ${roles.join(" o ")}.`,
        );
      }
    };
  return { requireSession, requireRole };
}
