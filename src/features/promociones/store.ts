import { type Insertable, type Selectable, sql } from "kysely";
import type { PromocionEventType, PromocionState } from "../../domain/promociones/lifecycle.ts";
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

/**
 * Every column of a promoción's row but the search's `busqueda` (0032, 0039): `select *` would
 * bring, as text, the tsvector of the whole escrito (tens of KB for a long one) with every read.
 */
const PROMOCION_COLUMNS = [
  "id",
  "challenge_id",
  "rfc",
  "signer_rfc",
  "type",
  "subject",
  "text",
  "text_sha256",
  "text_bytes",
  "notificacion_id",
  "signed_text",
  "certificate",
  "certificate_number",
  "signature",
  "sent_at",
  "received_at",
  "acuse_folio",
  "calendar_version",
  "rules_version",
  "answer_term_days",
  "answer_due_on",
  "answered_in_time",
] as const satisfies readonly (keyof PromocionRow)[];

/** A position in a newest-first list: the last row's instant and id. */
export interface Keyset {
  at: Date;
  id: string;
}

/** The staff queue's filters, as the store reads them (the service checked them). */
export interface QueueFilters {
  state?: PromocionState | undefined;
  type?: string | undefined;
  /** An RFC, or null for «sin asignar». */
  assignee?: string | null | undefined;
  rfc?: string | undefined;
  receivedFrom?: Date | undefined;
  receivedBefore?: Date | undefined;
}

/** A queue row: the promoción with its state and assignee as its events project them. */
export interface QueueRow {
  id: string;
  rfc: string;
  type: string;
  subject: string;
  sent_at: Date;
  received_at: Date;
  state: PromocionState;
  assignee: string | null;
  attachments: number;
}

export function createPromocionStore(db: Db) {
  return {
    /**
     * Serializes the decisions on one promoción until the caller's transaction ends: two staff
     * members taking it, or an answer racing a conclusion, see each other's event.
     */
    async lock(id: string): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${`promocion:${id}`}))`.execute(db);
    },

    /**
     * The staff's queue, oldest received first (received_at, id), after `after`. The state and
     * assignee come from `promocion_estado` (0037), the events' projection a trigger keeps in
     * each event's statement: a page of one state reads that state's index, not every history.
     */
    async queue(
      filters: QueueFilters,
      after: Keyset | undefined,
      limit: number,
    ): Promise<QueueRow[]> {
      let q = db
        .selectFrom("promocion_estado as s")
        .innerJoin("promociones as p", "p.id", "s.promocion_id")
        .select([
          "p.id",
          "p.rfc",
          "p.type",
          "p.subject",
          "p.sent_at",
          "p.received_at",
          "s.state",
          "s.assignee",
          (eb) =>
            eb
              .selectFrom("promocion_attachments as x")
              .select((x) => x.fn.countAll<string>().as("n"))
              .whereRef("x.promocion_id", "=", "p.id")
              .as("attachments"),
        ]);
      if (filters.state) q = q.where("s.state", "=", filters.state);
      if (filters.type) q = q.where("p.type", "=", filters.type);
      if (filters.rfc) q = q.where("p.rfc", "=", filters.rfc);
      if (filters.assignee === null) q = q.where("s.assignee", "is", null);
      else if (filters.assignee) q = q.where("s.assignee", "=", filters.assignee);
      if (filters.receivedFrom) q = q.where("s.received_at", ">=", filters.receivedFrom);
      if (filters.receivedBefore) q = q.where("s.received_at", "<", filters.receivedBefore);
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb("s.received_at", ">", after.at),
            eb.and([eb("s.received_at", "=", after.at), eb("s.promocion_id", ">", after.id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy("s.received_at")
        .orderBy("s.promocion_id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        ...row,
        state: row.state as PromocionState,
        assignee: row.assignee ?? null,
        attachments: Number(row.attachments ?? 0),
      }));
    },

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

    /**
     * Purges the challenges expired before `before`, used or not: a repeat of a filed one is
     * answered from its promoción (`byChallenge`, `challenge_id` unique), never from here.
     */
    async deleteExpiredChallenges(before: Date): Promise<void> {
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

    /**
     * The promoción whose `respondida` names this act (at most one: 0033's unique index), or
     * undefined. Whether that is still its answer is the projection's to say.
     */
    async answeredBy(notificacionId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("promocion_events")
        .select("promocion_id")
        .where("type", "=", "respondida")
        .where(sql<boolean>`data ? 'notificacionId'`)
        .where(sql<string>`data ->> 'notificacionId'`, "=", notificacionId)
        .executeTakeFirst();
      return row?.promocion_id;
    },

    async byId(id: string): Promise<PromocionRow | undefined> {
      return db
        .selectFrom("promociones")
        .select(PROMOCION_COLUMNS)
        .where("id", "=", id)
        .executeTakeFirst();
    },

    /** The promoción a challenge filed (at most one: `challenge_id` is unique). */
    async byChallenge(challengeId: string): Promise<PromocionRow | undefined> {
      return db
        .selectFrom("promociones")
        .select(PROMOCION_COLUMNS)
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
      let q = db.selectFrom("promociones").select(PROMOCION_COLUMNS).where("rfc", "=", rfc);
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
