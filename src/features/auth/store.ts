import type { Buffer } from "node:buffer";
import type { Insertable, Selectable } from "kysely";
import type { Db, SessionsTable, StaffRole } from "../../platform/db/schema.ts";
import { transactional } from "../../platform/db/unit-of-work.ts";

export type SessionRow = Selectable<SessionsTable>;

export interface AuthEvent {
  at: Date;
  event:
    | "desafio"
    | "acceso"
    | "autorizacion"
    | "cierre"
    | "cierre_remoto"
    | "expiracion"
    | "personal"
    | "token_api"
    /** A staff decision on an aclaración of means of contact (issue 9 §2). */
    | "aclaracion"
    /** An act's evidence package handed out (staff download or `buzon evidencia`). */
    | "evidencia";
  outcome: "aceptado" | "rechazado";
  reason?: string | null;
  rfc?: string | null;
  representativeRfc?: string | null;
  certificateNumber?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Every SQL statement of sign-in, sessions, staff and the authentication log, and
 * `transaction(work)`: the same statements bound to one transaction, for the use cases that
 * write a decision and its event (they commit together or not at all).
 */
export function createAuthStore(db: Db) {
  return { ...authStatements(db), transaction: transactional(db, authStatements) };
}

export type AuthStore = ReturnType<typeof createAuthStore>;
/** The statements of one transaction (what `transaction(work)` hands to `work`). */
export type AuthStatements = ReturnType<typeof authStatements>;

function authStatements(db: Db) {
  /** Sessions with the staff role their person holds now (null if none or inactive). */
  const sessionsWithRole = () =>
    db
      .selectFrom("sessions")
      .leftJoin("staff_members", (join) =>
        join.onRef("staff_members.rfc", "=", "sessions.rfc").on("staff_members.active", "=", true),
      )
      .selectAll("sessions")
      .select("staff_members.role as current_staff_role");
  return {
    async insertChallenge(row: {
      id: string;
      rfc: string;
      nonce: string;
      attemptHash: Buffer;
      createdAt: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db
        .insertInto("auth_challenges")
        .values({
          id: row.id,
          rfc: row.rfc,
          nonce: row.nonce,
          attempt_hash: row.attemptHash,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
        })
        .execute();
    },

    /**
     * Marks a challenge used and returns it, in one statement, so two requests racing with the
     * same challenge cannot both get it.
     */
    async consumeChallenge(id: string, usedAt: Date) {
      return db
        .updateTable("auth_challenges")
        .set({ used_at: usedAt })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .returning(["id", "rfc", "nonce", "attempt_hash", "created_at", "expires_at"])
        .executeTakeFirst();
    },

    async deleteExpiredChallenges(before: Date): Promise<void> {
      await db.deleteFrom("auth_challenges").where("expires_at", "<", before).execute();
    },

    async insertSession(row: Insertable<SessionsTable>): Promise<void> {
      await db.insertInto("sessions").values(row).execute();
    },

    /**
     * The session with the role its holder has now (null when not active staff), in one
     * statement: every authenticated request reads both.
     */
    async sessionByTokenHash(
      tokenHash: Buffer,
    ): Promise<(SessionRow & { current_staff_role: StaffRole | null }) | undefined> {
      return sessionsWithRole().where("sessions.token_hash", "=", tokenHash).executeTakeFirst();
    },

    /**
     * A session by id, read FOR SHARE inside a transaction that acts in its name (a chunk of a
     * lote): its end (logout, expiry, a role change: an UPDATE of the row) waits for that
     * commit. The staff role is joined as `sessionByTokenHash` joins it, not locked: a role
     * change ends the session's row in its own transaction.
     */
    async sessionForShare(
      id: string,
    ): Promise<(SessionRow & { current_staff_role: StaffRole | null }) | undefined> {
      return sessionsWithRole()
        .where("sessions.id", "=", id)
        .forShare("sessions")
        .executeTakeFirst();
    },

    async touchSession(id: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void> {
      await db
        .updateTable("sessions")
        .set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
        .where("id", "=", id)
        .where("ended_at", "is", null)
        .execute();
    },

    async endSession(id: string, at: Date, reason: string): Promise<boolean> {
      const result = await db
        .updateTable("sessions")
        .set({ ended_at: at, ended_reason: reason })
        .where("id", "=", id)
        .where("ended_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Ends every open session of a person signed in as themself (staff role changes). */
    async endSessionsOfPerson(rfc: string, at: Date, reason: string): Promise<number> {
      const result = await db
        .updateTable("sessions")
        .set({ ended_at: at, ended_reason: reason })
        .where("rfc", "=", rfc)
        .where("representative_rfc", "is", null)
        .where("ended_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async openSessionsOf(
      rfc: string,
      representativeRfc: string | null,
      now: Date,
    ): Promise<SessionRow[]> {
      let query = db
        .selectFrom("sessions")
        .selectAll()
        .where("rfc", "=", rfc)
        .where("ended_at", "is", null)
        .where("expires_at", ">", now)
        .where("idle_expires_at", ">", now);
      query =
        representativeRfc === null
          ? query.where("representative_rfc", "is", null)
          : query.where("representative_rfc", "=", representativeRfc);
      return query.orderBy("created_at", "desc").execute();
    },

    /**
     * `share`: read FOR SHARE, inside a transaction that acts in the person's name (a chunk of
     * a lote): a baja or a role change (an UPDATE of the row) waits for that commit.
     */
    async staffMember(rfc: string, options?: { share?: boolean }) {
      const query = db
        .selectFrom("staff_members")
        .selectAll()
        .where("rfc", "=", rfc)
        .where("active", "=", true);
      return (options?.share ? query.forShare() : query).executeTakeFirst();
    },

    async listStaff() {
      return db.selectFrom("staff_members").selectAll().orderBy("rfc").execute();
    },

    async upsertStaff(row: {
      rfc: string;
      name: string;
      role: StaffRole;
      at: Date;
      by: string;
    }): Promise<void> {
      await db
        .insertInto("staff_members")
        .values({
          rfc: row.rfc,
          name: row.name,
          role: row.role,
          active: true,
          created_at: row.at,
          updated_at: row.at,
          updated_by: row.by,
        })
        .onConflict((oc) =>
          oc.column("rfc").doUpdateSet({
            name: row.name,
            role: row.role,
            active: true,
            updated_at: row.at,
            updated_by: row.by,
          }),
        )
        .execute();
    },

    async deactivateStaff(rfc: string, at: Date, by: string): Promise<boolean> {
      const result = await db
        .updateTable("staff_members")
        .set({ active: false, updated_at: at, updated_by: by })
        .where("rfc", "=", rfc)
        .where("active", "=", true)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordEvent(event: AuthEvent): Promise<void> {
      await db
        .insertInto("auth_events")
        .values({
          at: event.at,
          event: event.event,
          outcome: event.outcome,
          reason: event.reason ?? null,
          rfc: event.rfc ?? null,
          representative_rfc: event.representativeRfc ?? null,
          certificate_number: event.certificateNumber ?? null,
          session_id: event.sessionId ?? null,
          ip: event.ip ?? null,
          user_agent: event.userAgent ?? null,
          request_id: event.requestId ?? null,
          detail: JSON.stringify(event.detail ?? {}),
        })
        .execute();
    },

    async events(filter: { rfc?: string | undefined; limit: number }) {
      let query = db
        .selectFrom("auth_events")
        .selectAll()
        .orderBy("id", "desc")
        .limit(filter.limit);
      if (filter.rfc) query = query.where("rfc", "=", filter.rfc);
      return query.execute();
    },
  };
}
