import { Buffer } from "node:buffer";
import { createHash, randomBytes, randomUUID, type X509Certificate } from "node:crypto";
import type { EfirmaCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { AppError } from "../../domain/errors.ts";
import { parseRfc } from "../../domain/identifiers/index.ts";
import type { Clock } from "../../platform/clock.ts";
import { sameDigest, sha256 } from "../../platform/crypto/digest.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import type { SessionView } from "./schemas.ts";
import { checkSignIn } from "./sign-in-check.ts";
import { type AuthEvent, type AuthStore, createAuthStore, type SessionRow } from "./store.ts";

/** Who is asking, for the authentication log (never a secret). */
export interface RequestContext {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

/** A session as the API shows it: the wire type is the one source (schemas.ts). */
export type { SessionView };

export interface AuthenticatedSession extends SessionView {
  csrfHash: Buffer;
  /** Handed to the page (never in a cookie it cannot read) to send back on every change. */
  csrfToken: string;
  /**
   * The e.firma certificate the session signed in with: acts signed later in the session (the
   * Terms) must be signed with this one, not another e.firma of the same RFC.
   */
  certificateNumber: string;
}

const CHALLENGE_SECONDS = 120;
/** How often, at most, a request moves a session's idle end (and its last-seen instant). */
export const TOUCH_STEP_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The exact text the browser signs: it binds the RFC, the challenge and its expiry. */
export function challengeText(challenge: {
  rfc: string;
  id: string;
  nonce: string;
  expiresAt: Date;
}): string {
  return `Buzón IMSS|acceso|${challenge.rfc}|${challenge.id}|${challenge.nonce}|${challenge.expiresAt.toISOString()}`;
}

/** The log's request fields, cut to size: user agents are the caller's to choose. */
export function contextFields(
  ctx: RequestContext,
): Pick<AuthEvent, "ip" | "userAgent" | "requestId"> {
  return {
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 300) ?? null,
    requestId: ctx.requestId.slice(0, 64),
  };
}

/** What the log records of a session: whose it is, which one, and the request that acted on it. */
export function sessionFields(
  session: Pick<SessionView, "id" | "rfc" | "representativeRfc">,
  ctx: RequestContext,
): Pick<AuthEvent, "rfc" | "representativeRfc" | "sessionId" | "ip" | "userAgent" | "requestId"> {
  return {
    rfc: session.rfc,
    representativeRfc: session.representativeRfc,
    sessionId: session.id,
    ...contextFields(ctx),
  };
}

export function createAuthService(options: {
  store: AuthStore;
  clock: Clock;
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /**
   * Said after refusing a certificate no trusted issuer issued: the demo trusts only its own
   * development CA, and a person who brings the SAT's test e.firma needs to know which to use.
   */
  unknownIssuerNote?: string;
}) {
  const { store, clock } = options;
  const withIssuerNote = (error: unknown): unknown =>
    options.unknownIssuerNote && error instanceof EfirmaError && error.code === "unknown_issuer"
      ? new EfirmaError("unknown_issuer", `${error.message} ${options.unknownIssuerNote}`)
      : error;
  const now = () => new Date(clock().epochMilliseconds);
  const idleMs = options.sessionIdleMinutes * 60_000;
  // A tenth of a short idle time: a one-minute idle ends no more than 6 s early.
  const touchStepMs = Math.min(TOUCH_STEP_MS, idleMs / 10);

  /**
   * Logs a refused sign-in. What a certificate says about its holder is logged only once its
   * issuer is known to be trusted: anyone can make a certificate that names a victim's RFC.
   */
  const refuse = async (
    error: unknown,
    ctx: RequestContext,
    facts: { rfc?: string | null; trusted?: EfirmaCertificate | undefined },
  ): Promise<never> => {
    const reason =
      error instanceof EfirmaError || error instanceof AppError ? error.code : "error_interno";
    await store.recordEvent({
      at: now(),
      event: "acceso",
      outcome: "rechazado",
      reason,
      rfc: facts.trusted?.rfc ?? facts.rfc ?? null,
      representativeRfc: facts.trusted?.representativeRfc ?? null,
      certificateNumber: facts.trusted?.certificateNumber ?? null,
      ...contextFields(ctx),
    });
    throw error;
  };

  /** Ends a session and logs why, in one transaction; false if it had already ended. */
  const endSession = (
    session: Pick<SessionView, "id" | "rfc" | "representativeRfc">,
    ctx: RequestContext,
    why: {
      at: Date;
      event: "expiracion" | "cierre" | "cierre_remoto";
      reason?: string;
      detail?: Record<string, unknown>;
    },
  ) =>
    store.transaction(async (tx) => {
      if (!(await tx.endSession(session.id, why.at, why.reason ?? why.event))) return false;
      await tx.recordEvent({
        at: why.at,
        event: why.event,
        outcome: "aceptado",
        reason: why.reason ?? null,
        ...sessionFields(session, ctx),
        ...(why.detail ? { detail: why.detail } : {}),
      });
      return true;
    });

  return {
    /**
     * A single-use challenge (256 random bits, two minutes) bound to the sign-in attempt: the
     * attempt token lives in an HttpOnly cookie, so a challenge taken elsewhere is useless here.
     */
    async createChallenge(rfcText: string, ctx: RequestContext) {
      let rfc: string;
      try {
        // A form: a wrong check digit is refused here (domain-mx §2.1).
        rfc = parseRfc(rfcText, { context: "form", pointer: "/rfc" }).value;
      } catch (error) {
        await store.recordEvent({
          at: now(),
          event: "desafio",
          outcome: "rechazado",
          reason: "rfc_invalido",
          ...contextFields(ctx),
        });
        throw error;
      }
      // Always a fresh attempt: a token the client brings could be one an attacker planted
      // (session fixation of the sign-in attempt).
      const attempt = token();
      const createdAt = now();
      const challenge = {
        id: randomUUID(),
        rfc,
        nonce: token(),
        attemptHash: sha256(attempt),
        createdAt,
        expiresAt: new Date(createdAt.getTime() + CHALLENGE_SECONDS * 1000),
      };
      await store.insertChallenge(challenge);
      // Keep the table small: challenges are worthless once expired.
      await store.deleteExpiredChallenges(new Date(createdAt.getTime() - 3600_000));
      return {
        challengeId: challenge.id,
        toSign: challengeText(challenge),
        expiresAt: challenge.expiresAt.toISOString(),
        attemptToken: attempt,
      };
    },

    /**
     * Verifies the signed challenge, the certificate, its issuer, its revocation status and the
     * RFC, then opens a session. Every decision goes to the authentication log.
     */
    async signIn(
      input: { challengeId: string; certificate: string; signature: string },
      attemptToken: string | undefined,
      ctx: RequestContext,
    ) {
      const at = now();
      const invalid = new EfirmaError(
        "challenge_invalid",
        "El desafío de acceso no es válido, ya se usó o venció. Vuelve a intentarlo.",
      );
      const challenge = UUID.test(input.challengeId)
        ? await store.consumeChallenge(input.challengeId, at)
        : undefined;
      if (!challenge) return refuse(invalid, ctx, {});
      if (
        challenge.expires_at.getTime() < at.getTime() ||
        !attemptToken ||
        !sameDigest(sha256(attemptToken), challenge.attempt_hash)
      ) {
        return refuse(invalid, ctx, { rfc: challenge.rfc });
      }
      const checked = checkSignIn({
        certificateDer: Buffer.from(input.certificate, "base64"),
        challengeRfc: challenge.rfc,
        text: challengeText({
          rfc: challenge.rfc,
          id: challenge.id,
          nonce: challenge.nonce,
          expiresAt: challenge.expires_at,
        }),
        signature: input.signature,
        at: clock(),
        anchors: options.anchors,
      });
      if (!checked.ok) {
        return refuse(withIssuerNote(checked.error), ctx, {
          rfc: challenge.rfc,
          trusted: checked.trusted,
        });
      }
      const { certificate } = checked;
      try {
        await options.revocation.check(certificate, checked.issuer);
      } catch (error) {
        return refuse(error, ctx, { rfc: challenge.rfc, trusted: certificate });
      }

      const staff =
        certificate.persona === "fisica" ? await store.staffMember(certificate.rfc) : undefined;
      const sessionToken = token();
      const csrfToken = csrfTokenOf(sessionToken);
      const expiresAt = new Date(at.getTime() + options.sessionMaxHours * 3600_000);
      const row = {
        id: randomUUID(),
        token_hash: sha256(sessionToken),
        csrf_hash: sha256(csrfToken),
        rfc: certificate.rfc,
        name: certificate.name,
        persona: certificate.persona,
        representative_rfc: certificate.representativeRfc,
        representative_curp: certificate.representativeCurp,
        certificate_number: certificate.certificateNumber,
        staff_role: staff?.role ?? null,
        created_at: at,
        last_seen_at: at,
        idle_expires_at: new Date(Math.min(at.getTime() + idleMs, expiresAt.getTime())),
        expires_at: expiresAt,
        ended_at: null,
        ended_reason: null,
        user_agent: ctx.userAgent?.slice(0, 300) ?? null,
        ip: ctx.ip,
      };
      // The session and its «acceso» event commit together: no session the log does not show.
      await store.transaction(async (tx) => {
        await tx.insertSession(row);
        await tx.recordEvent({
          at,
          event: "acceso",
          outcome: "aceptado",
          certificateNumber: certificate.certificateNumber,
          ...sessionFields(toView(row), ctx),
          detail: { staffRole: row.staff_role, warnings: certificate.warnings },
        });
      });
      return { sessionToken, csrfToken, session: toView(row) };
    },

    /**
     * The open session a cookie names, refreshed (in steps of TOUCH_STEP_MS); or unauthorized.
     * The staff role is read again each time, in the session's own statement, so a role changed
     * while signing in cannot survive in the session.
     */
    async authenticate(
      sessionToken: string | undefined,
      ctx: RequestContext,
    ): Promise<AuthenticatedSession> {
      // Made only when refusing: an error's stack costs more than the rest of a request's check.
      const unauthorized = () =>
        new AppError("unauthorized", "Inicia sesión con tu e.firma para continuar.");
      if (!sessionToken || sessionToken.length > 100) throw unauthorized();
      const row = await store.sessionByTokenHash(sha256(sessionToken));
      if (!row) throw unauthorized();
      const at = now();
      const end = sessionEndOf(row, at);
      if (end === "cerrada") throw unauthorized();
      if (end) {
        await endSession(toView(row), ctx, {
          at,
          event: "expiracion",
          ...(end === "cambio_de_rol" ? { reason: end } : {}),
        });
        throw sessionEndError(end);
      }
      // The idle window slides in steps of TOUCH_STEP_MS: a page that asks every second writes
      // the session once in that step, not once a request, and the idle end it keeps is at
      // most one step earlier than exact — never later.
      let idleExpiresAt = row.idle_expires_at;
      if (at.getTime() - row.last_seen_at.getTime() >= touchStepMs) {
        idleExpiresAt = new Date(Math.min(at.getTime() + idleMs, row.expires_at.getTime()));
        await store.touchSession(row.id, at, idleExpiresAt);
      }
      const { current_staff_role: _, ...session } = row;
      return {
        ...toView({ ...session, idle_expires_at: idleExpiresAt }),
        csrfHash: row.csrf_hash,
        csrfToken: csrfTokenOf(sessionToken),
        certificateNumber: row.certificate_number,
      };
    },

    /**
     * The session `id`, judged again inside `within`, a transaction that acts in its name (a
     * chunk of a lote): its row read FOR SHARE, so a logout, an expiry or a role change
     * committed first is seen here, and one issued later waits for this transaction's commit.
     * The same verdict as `authenticate` (`sessionEndOf`), without writing the session: the
     * next request ends an expired one and logs it; a role the route does not allow is logged
     * in `within`, as `requireRole` logs it.
     */
    async recheckWithin(
      within: Db,
      id: string,
      roles: readonly StaffRole[],
      ctx: RequestContext,
    ): Promise<void> {
      const tx = createAuthStore(within);
      const row = await tx.sessionForShare(id);
      if (!row) throw new AppError("unauthorized", "Inicia sesión con tu e.firma para continuar.");
      const end = sessionEndOf(row, now());
      if (end === "cerrada") {
        throw new AppError("unauthorized", "Inicia sesión con tu e.firma para continuar.");
      }
      if (end) throw sessionEndError(end);
      if (!row.staff_role || !roles.includes(row.staff_role)) {
        await tx.recordEvent({
          at: now(),
          event: "autorizacion",
          outcome: "rechazado",
          reason: `rol_insuficiente:${roles.join("|")}`,
          ...sessionFields(toView(row), ctx),
        });
        throw new AppError(
          "forbidden",
          `Esta función es solo para personal del Instituto con rol ${roles.join(" o ")}.`,
        );
      }
    },

    /** CSRF: the token handed to the page at sign-in must come back on every change. */
    async checkCsrf(
      session: AuthenticatedSession,
      header: string | undefined,
      ctx: RequestContext,
    ): Promise<void> {
      if (!header || !sameDigest(sha256(header), session.csrfHash)) {
        await store.recordEvent({
          at: now(),
          event: "autorizacion",
          outcome: "rechazado",
          reason: "csrf",
          ...sessionFields(session, ctx),
        });
        throw new AppError(
          "csrf",
          "La solicitud no trae el código de seguridad de tu sesión. Recarga la página.",
        );
      }
    },

    /** Logs a refusal decided outside the service (a role that does not allow it, a limit). */
    async recordRefusal(
      reason: string,
      ctx: RequestContext,
      session?: AuthenticatedSession,
    ): Promise<void> {
      await store.recordEvent({
        at: now(),
        event: "autorizacion",
        outcome: "rechazado",
        reason,
        rfc: session?.rfc ?? null,
        representativeRfc: session?.representativeRfc ?? null,
        sessionId: session?.id ?? null,
        ...contextFields(ctx),
      });
    },

    async signOut(session: AuthenticatedSession, ctx: RequestContext): Promise<void> {
      await endSession(session, ctx, { at: now(), event: "cierre" });
    },

    async listSessions(session: AuthenticatedSession) {
      const rows = await store.openSessionsOf(session.rfc, session.representativeRfc, now());
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        userAgent: r.user_agent,
        ip: r.ip,
        current: r.id === session.id,
      }));
    },

    /** Ends one of one's own sessions (another device); someone else's is «not found». */
    async endOwnSession(
      session: AuthenticatedSession,
      id: string,
      ctx: RequestContext,
    ): Promise<void> {
      const own = await store.openSessionsOf(session.rfc, session.representativeRfc, now());
      if (!own.some((r) => r.id === id))
        throw new AppError("not_found", "No existe esa sesión abierta.");
      await endSession({ ...session, id }, ctx, {
        at: now(),
        event: "cierre_remoto",
        detail: { closedBy: session.id },
      });
    },

    async events(filter: { rfc?: string | undefined; limit?: number | undefined }) {
      const rows = await store.events({
        rfc: filter.rfc,
        limit: Math.min(filter.limit ?? 100, 1000),
      });
      return rows.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        event: r.event,
        outcome: r.outcome,
        reason: r.reason,
        rfc: r.rfc,
        representativeRfc: r.representative_rfc,
        certificateNumber: r.certificate_number,
        sessionId: r.session_id,
        ip: r.ip,
        requestId: r.request_id,
      }));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Why a session no longer holds at `at`, or undefined while it does: ended (logout, closed
 * elsewhere, a role change already recorded), past its idle or maximum end, or its person's
 * staff role not the one it signed in with (a persona física's: staff are people).
 */
export function sessionEndOf(
  row: SessionRow & { current_staff_role: StaffRole | null },
  at: Date,
): "cerrada" | "expiracion" | "cambio_de_rol" | undefined {
  if (row.ended_at) return "cerrada";
  if (row.expires_at <= at || row.idle_expires_at <= at) return "expiracion";
  if (row.persona === "fisica" && row.current_staff_role !== row.staff_role) {
    return "cambio_de_rol";
  }
  return undefined;
}

function sessionEndError(end: "expiracion" | "cambio_de_rol"): AppError {
  return new AppError(
    "unauthorized",
    end === "expiracion"
      ? "Tu sesión terminó por inactividad o por tiempo. Inicia sesión de nuevo."
      : "Tu rol en el Instituto cambió. Inicia sesión de nuevo.",
  );
}

function toView(row: SessionRow): SessionView {
  return {
    id: row.id,
    rfc: row.rfc,
    name: row.name,
    persona: row.persona,
    representativeRfc: row.representative_rfc,
    representativeName: null,
    staffRole: row.staff_role,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    idleExpiresAt: row.idle_expires_at.toISOString(),
  };
}

/**
 * The CSRF token is derived from the session token, which only the HttpOnly cookie carries: the
 * page can get it back after a reload, and another site can neither read nor compute it.
 */
function csrfTokenOf(sessionToken: string): string {
  return createHash("sha256").update(`buzon-csrf|${sessionToken}`).digest("base64url");
}

function token(): string {
  return randomBytes(32).toString("base64url");
}
