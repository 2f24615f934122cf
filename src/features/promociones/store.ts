import { type Insertable, type Selectable, sql } from "kysely";
import type { PromocionEventType } from "../../domain/promociones/lifecycle.ts";
import type {
  Db,
  PromocionAttachmentsTable,
  PromocionBorradoresTable,
  PromocionChallengesTable,
  PromocionEventsTable,
  PromocionesTable,
} from "../../platform/db/schema.ts";

/**
 * Every SQL statement of the promociones (migration 0022). Functions take an executor — the
 * database or the caller's transaction — so the promoción, its anexos, its `recibida` event
 * and the acuse are written in one unit of work.
 */
export type PromocionRow = Selectable<PromocionesTable>;
export type PromocionChallengeRow = Selectable<PromocionChallengesTable>;
export type PromocionAttachmentRow = Selectable<PromocionAttachmentsTable>;
export type PromocionEventRow = Selectable<PromocionEventsTable>;
export type BorradorRow = Selectable<PromocionBorradoresTable>;

/** A position in a newest-first list: the last row's instant and id. */
export interface Keyset {
  at: Date;
  id: string;
}

export function createPromocionStore(db: Db) {
  return {
    async insertChallenge(row: Insertable<PromocionChallengesTable>): Promise<void> {
      await db.insertInto("promocion_challenges").values(row).execute();
    },

    async challenge(id: string, sessionId: string): Promise<PromocionChallengeRow | undefined> {
      return db
        .selectFrom("promocion_challenges")
        .selectAll()
        .where("id", "=", id)
        .where("session_id", "=", sessionId)
        .executeTakeFirst();
    },

    /**
     * Marks the challenge used, in the filing's transaction: of two submissions racing with one
     * challenge, one gets it and the other finds the first's promoción.
     */
    async consumeChallenge(id: string, usedAt: Date): Promise<boolean> {
      const row = await db
        .updateTable("promocion_challenges")
        .set({ used_at: usedAt })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .returning("id")
        .executeTakeFirst();
      return row !== undefined;
    },

    async deleteExpiredChallenges(before: Date): Promise<void> {
      // A used challenge stays while its promoción may be asked for again (double submission).
      await db.deleteFrom("promocion_challenges").where("expires_at", "<", before).execute();
    },

    async insertPromocion(
      row: Insertable<PromocionesTable>,
      attachments: Insertable<PromocionAttachmentsTable>[],
    ): Promise<void> {
      await db.insertInto("promociones").values(row).execute();
      if (attachments.length > 0) {
        await db.insertInto("promocion_attachments").values(attachments).execute();
      }
    },

    async appendEvent(event: {
      promocionId: string;
      type: PromocionEventType;
      at: Date;
      recordedAt: Date;
      acuseFolio?: string | null;
      actorRfc?: string | null;
      data?: Record<string, unknown>;
    }): Promise<void> {
      await db
        .insertInto("promocion_events")
        .values({
          promocion_id: event.promocionId,
          type: event.type,
          at: event.at,
          recorded_at: event.recordedAt,
          acuse_folio: event.acuseFolio ?? null,
          actor_rfc: event.actorRfc ?? null,
          data: JSON.stringify(event.data ?? {}),
        })
        .execute();
    },

    async byId(id: string): Promise<PromocionRow | undefined> {
      return db.selectFrom("promociones").selectAll().where("id", "=", id).executeTakeFirst();
    },

    async byChallenge(challengeId: string): Promise<PromocionRow | undefined> {
      return db
        .selectFrom("promociones")
        .selectAll()
        .where("challenge_id", "=", challengeId)
        .executeTakeFirst();
    },

    async attachmentsOf(id: string): Promise<PromocionAttachmentRow[]> {
      return db
        .selectFrom("promocion_attachments")
        .selectAll()
        .where("promocion_id", "=", id)
        .orderBy("position")
        .execute();
    },

    /** The events of these promociones, in the order written, by promoción. */
    async eventsOf(ids: readonly string[]): Promise<Map<string, PromocionEventRow[]>> {
      const byId = new Map<string, PromocionEventRow[]>(ids.map((id) => [id, []]));
      if (ids.length === 0) return byId;
      const rows = await db
        .selectFrom("promocion_events")
        .selectAll()
        .where("promocion_id", "=", sql<string>`any(${[...ids]}::uuid[])`)
        .orderBy("id")
        .execute();
      for (const row of rows) byId.get(row.promocion_id)?.push(row);
      return byId;
    },

    /** The RFC's promociones newest first (sent_at desc, id desc), after `before`. */
    async list(rfc: string, before: Keyset | undefined, limit: number): Promise<PromocionRow[]> {
      let q = db.selectFrom("promociones").selectAll().where("rfc", "=", rfc);
      if (before) {
        q = q.where((eb) =>
          eb.or([
            eb("sent_at", "<", before.at),
            eb.and([eb("sent_at", "=", before.at), eb("id", "<", before.id)]),
          ]),
        );
      }
      return q.orderBy("sent_at", "desc").orderBy("id", "desc").limit(limit).execute();
    },

    async insertBorrador(row: Insertable<PromocionBorradoresTable>): Promise<void> {
      await db.insertInto("promocion_borradores").values(row).execute();
    },

    async borrador(rfc: string, id: string): Promise<BorradorRow | undefined> {
      return db
        .selectFrom("promocion_borradores")
        .selectAll()
        .where("id", "=", id)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
    },

    async borradores(rfc: string): Promise<BorradorRow[]> {
      return db
        .selectFrom("promocion_borradores")
        .selectAll()
        .where("rfc", "=", rfc)
        .orderBy("updated_at", "desc")
        .orderBy("id", "desc")
        .limit(200)
        .execute();
    },

    async updateBorrador(
      rfc: string,
      id: string,
      values: Pick<
        Insertable<PromocionBorradoresTable>,
        "type" | "subject" | "text" | "notificacion_id" | "attachments" | "updated_at"
      >,
    ): Promise<boolean> {
      const result = await db
        .updateTable("promocion_borradores")
        .set(values)
        .where("id", "=", id)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async deleteBorrador(rfc: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom("promocion_borradores")
        .where("id", "=", id)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async countBorradores(rfc: string): Promise<number> {
      const row = await db
        .selectFrom("promocion_borradores")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("rfc", "=", rfc)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type PromocionStore = ReturnType<typeof createPromocionStore>;
