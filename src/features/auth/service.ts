import { Buffer } from "node:buffer";
import {
  createHash,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type X509Certificate,
} from "node:crypto";
import { type EfirmaCertificate, readCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { checkCertificate, checkSignature } from "../../domain/efirma/verify.ts";
import { parseRfc } from "../../domain/identifiers/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { StaffRole } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { AuthStore, SessionRow } from "./store.ts";

/** Who is asking, for the authentication log (never a secret). */
export interface RequestContext {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

export interface SessionView {
  id: string;
  rfc: string;
  name: string;
  persona: "fisica" | "moral";
  representativeRfc: string | null;
  /** SAT certificates of personas morales name only the company; the representative's name is not in them. */
  representativeName: string | null;
  staffRole: StaffRole | null;
  /** Activation is the next capability; until then every mailbox reads «no habilitado». */
  mailboxStatus: "no_habilitado";
  createdAt: string;
  expiresAt: string;
  idleExpiresAt: string;
}

export interface AuthenticatedSession extends SessionView {
  csrfHash: Buffer;
  /** Handed to the page (never in a cookie it cannot read) to send back on every change. */
  csrfToken: string;
}

export const STAFF_ROLES: readonly StaffRole[] = [
  "notificador",
  "operador",
  "administrador",
  "auditor",
];

const CHALLENGE_SECONDS = 120;

/** The exact text the browser signs: it binds the RFC, the challenge and its expiry. */
export function challengeText(challenge: {
  rfc: string;
  id: string;
  nonce: string;
  expiresAt: Date;
}): string {
  return `Buzón IMSS|acceso|${challenge.rfc}|${challenge.id}|${challenge.nonce}|${challenge.expiresAt.toISOString()}`;
}

export function createAuthService(options: {
  store: AuthStore;
  clock: Clock;
  anchors: () => readonly X509Certificate[];
  revocation: RevocationChecker;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}) {
  const { store, clock } = options;
  const now = () => new Date(clock().epochMilliseconds);
  const idleMs = options.sessionIdleMinutes * 60_000;

  const refuse = async (
    error: unknown,
    ctx: RequestContext,
    facts: { rfc?: string | null; certificate?: EfirmaCertificate | undefined },
  ): Promise<never> => {
    const reason =
      error instanceof EfirmaError || error instanceof AppError ? error.code : "error_interno";
    await store.recordEvent({
      at: now(),
      event: "acceso",
      outcome: "rechazado",
      reason,
      rfc: facts.certificate?.rfc ?? facts.rfc ?? null,
      representativeRfc: facts.certificate?.representativeRfc ?? null,
      certificateNumber: facts.certificate?.certificateNumber ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent ?? null,
      requestId: ctx.requestId,
    });
    throw error;
  };

  return {
    /**
     * A single-use challenge (256 random bits, two minutes) bound to the sign-in attempt: the
     * attempt token lives in an HttpOnly cookie, so a challenge taken elsewhere is useless here.
     */
    async createChallenge(rfcText: string, attemptToken: string | undefined, ctx: RequestContext) {
      let rfc: string;
      try {
        rfc = parseRfc(rfcText, { context: "certificate", pointer: "/rfc" }).value;
      } catch (error) {
        await store.recordEvent({
          at: now(),
          event: "desafio",
          outcome: "rechazado",
          reason: "rfc_invalido",
          ip: ctx.ip,
          userAgent: ctx.userAgent ?? null,
          requestId: ctx.requestId,
        });
        throw error;
      }
      const attempt =
        attemptToken && /^[A-Za-z0-9_-]{43}$/.test(attemptToken) ? attemptToken : token();
      const createdAt = now();
      const challenge = {
        id: randomUUID(),
        rfc,
        nonce: token(),
        attemptHash: digest(attempt),
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
      const challenge = /^[0-9a-f-]{36}$/i.test(input.challengeId)
        ? await store.consumeChallenge(input.challengeId, at)
        : undefined;
      const invalid = new EfirmaError(
        "challenge_invalid",
        "El desafío de acceso no es válido, ya se usó o venció. Vuelve a intentarlo.",
      );
      if (!challenge) return refuse(invalid, ctx, {});
      if (
        challenge.expires_at.getTime() < at.getTime() ||
        !attemptToken ||
        !equalDigest(digest(attemptToken), challenge.attempt_hash)
      ) {
        return refuse(invalid, ctx, { rfc: challenge.rfc });
      }
      let certificate: EfirmaCertificate | undefined;
      try {
        certificate = readCertificate(Buffer.from(input.certificate, "base64"));
        const issuer = checkCertificate(certificate, {
          at: clock(),
          anchors: options.anchors(),
          typedRfc: challenge.rfc,
        });
        const text = challengeText({
          rfc: challenge.rfc,
          id: challenge.id,
          nonce: challenge.nonce,
          expiresAt: challenge.expires_at,
        });
        checkSignature(certificate, text, input.signature);
        await options.revocation.check(certificate, issuer);
      } catch (error) {
        return refuse(error, ctx, { rfc: challenge.rfc, certificate });
      }

      const staff =
        certificate.persona === "fisica" ? await store.staffMember(certificate.rfc) : undefined;
      const sessionToken = token();
      const csrfToken = csrfTokenOf(sessionToken);
      const expiresAt = new Date(at.getTime() + options.sessionMaxHours * 3600_000);
      const row = {
        id: randomUUID(),
        token_hash: digest(sessionToken),
        csrf_hash: digest(csrfToken),
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
        user_agent: ctx.userAgent?.slice(0, 300) ?? null,
        ip: ctx.ip,
      };
      await store.insertSession(row);
      await store.recordEvent({
        at,
        event: "acceso",
        outcome: "aceptado",
        rfc: certificate.rfc,
        representativeRfc: certificate.representativeRfc,
        certificateNumber: certificate.certificateNumber,
        sessionId: row.id,
        ip: ctx.ip,
        userAgent: ctx.userAgent ?? null,
        requestId: ctx.requestId,
        detail: { staffRole: row.staff_role, warnings: certificate.warnings },
      });
      return {
        sessionToken,
        csrfToken,
        session: toView({ ...row, ended_at: null, ended_reason: null }),
      };
    },

    /** The open session a cookie names, refreshed; or unauthorized. */
    async authenticate(
      sessionToken: string | undefined,
      ctx: RequestContext,
    ): Promise<AuthenticatedSession> {
      const unauthorized = new AppError(
        "unauthorized",
        "Inicia sesión con tu e.firma para continuar.",
      );
      if (!sessionToken || sessionToken.length > 100) throw unauthorized;
      const row = await store.sessionByTokenHash(digest(sessionToken));
      if (!row || row.ended_at) throw unauthorized;
      const at = now();
      if (row.expires_at <= at || row.idle_expires_at <= at) {
        if (await store.endSession(row.id, at, "expiracion")) {
          await store.recordEvent({
            at,
            event: "expiracion",
            outcome: "aceptado",
            rfc: row.rfc,
            representativeRfc: row.representative_rfc,
            sessionId: row.id,
            ip: ctx.ip,
            requestId: ctx.requestId,
          });
        }
        throw new AppError(
          "unauthorized",
          "Tu sesión terminó por inactividad o por tiempo. Inicia sesión de nuevo.",
        );
      }
      const idleExpiresAt = new Date(Math.min(at.getTime() + idleMs, row.expires_at.getTime()));
      await store.touchSession(row.id, at, idleExpiresAt);
      return {
        ...toView({ ...row, idle_expires_at: idleExpiresAt }),
        csrfHash: row.csrf_hash,
        csrfToken: csrfTokenOf(sessionToken),
      };
    },

    /** CSRF: the token handed to the page at sign-in must come back on every change. */
    checkCsrf(session: AuthenticatedSession, header: string | undefined): void {
      if (!header || !equalDigest(digest(header), session.csrfHash)) {
        throw new AppError(
          "csrf",
          "La solicitud no trae el código de seguridad de tu sesión. Recarga la página.",
        );
      }
    },

    async signOut(session: AuthenticatedSession, ctx: RequestContext): Promise<void> {
      await store.endSession(session.id, now(), "cierre");
      await store.recordEvent({
        at: now(),
        event: "cierre",
        outcome: "aceptado",
        rfc: session.rfc,
        representativeRfc: session.representativeRfc,
        sessionId: session.id,
        ip: ctx.ip,
        userAgent: ctx.userAgent ?? null,
        requestId: ctx.requestId,
      });
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
      await store.endSession(id, now(), "cierre_remoto");
      await store.recordEvent({
        at: now(),
        event: "cierre_remoto",
        outcome: "aceptado",
        rfc: session.rfc,
        representativeRfc: session.representativeRfc,
        sessionId: id,
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { closedBy: session.id },
      });
    },

    listStaff() {
      return store.listStaff();
    },

    /** Grants or changes a role; the person's open sessions end at once, so the change holds now. */
    async setStaff(
      input: { rfc: string; role: string; name?: string | undefined },
      actor: string,
    ): Promise<number> {
      const rfc = parseRfc(input.rfc, { context: "form", pointer: "/rfc" });
      if (rfc.persona !== "fisica") {
        throw new AppError(
          "validation",
          "El personal del Instituto se identifica con el RFC de una persona física.",
        );
      }
      if (!STAFF_ROLES.includes(input.role as StaffRole)) {
        throw new AppError(
          "validation",
          `Rol desconocido «${input.role}»: use ${STAFF_ROLES.join(", ")}.`,
        );
      }
      const at = now();
      await store.upsertStaff({
        rfc: rfc.value,
        name: input.name?.trim() ?? "",
        role: input.role as StaffRole,
        at,
        by: actor,
      });
      const ended = await store.endSessionsOfPerson(rfc.value, at, "cambio_de_rol");
      await store.recordEvent({
        at,
        event: "personal",
        outcome: "aceptado",
        reason: "rol_asignado",
        rfc: rfc.value,
        detail: { role: input.role, by: actor, endedSessions: ended },
      });
      return ended;
    },

    async removeStaff(rfcText: string, actor: string): Promise<number> {
      const rfc = parseRfc(rfcText, { context: "certificate", pointer: "/rfc" }).value;
      const at = now();
      if (!(await store.deactivateStaff(rfc, at, actor))) {
        throw new AppError("not_found", `${rfc} no forma parte del personal activo.`);
      }
      const ended = await store.endSessionsOfPerson(rfc, at, "baja_de_personal");
      await store.recordEvent({
        at,
        event: "personal",
        outcome: "aceptado",
        reason: "baja",
        rfc,
        detail: { by: actor, endedSessions: ended },
      });
      return ended;
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

function toView(
  row: Omit<SessionRow, "token_hash" | "csrf_hash"> & { csrf_hash?: Buffer },
): SessionView {
  return {
    id: row.id,
    rfc: row.rfc,
    name: row.name,
    persona: row.persona,
    representativeRfc: row.representative_rfc,
    representativeName: null,
    staffRole: row.staff_role,
    mailboxStatus: "no_habilitado",
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

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function equalDigest(a: Buffer, b: Buffer | Uint8Array): boolean {
  const other = Buffer.from(b);
  return a.length === other.length && timingSafeEqual(a, other);
}
