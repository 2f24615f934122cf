import { sql } from "kysely";
import {
  applyMailboxEvent,
  emptyMailbox,
  type MailboxEvent,
  type MailboxEventData,
  type MailboxProjection,
  projectMailbox,
} from "../../domain/mailbox/projection.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { Keyset } from "../promociones/store.ts";

/** An event to append: its payload, whose mailbox, when, and the acuse that proves it. */
export type NewMailboxEvent = MailboxEventData & {
  rfc: string;
  at: Temporal.Instant;
  acuseFolio?: string | null;
};

/**
 * Appends one event to a mailbox and brings its projections (`mailboxes`, and the status of
 * the means it names in `mailbox_means`) up to date, all in one transaction: joined when
 * `executor` is one (an acuse's `record`, a use case's unit of work), begun otherwise. The
 * mailbox's row is locked first, so two events of one mailbox never project from the same
 * stale history. A `medio_registrado` expects its `mailbox_means` row written by the caller
 * (it carries the code hash, which no event holds). Returns the mailbox after the event.
 */
export async function appendMailboxEvent(
  executor: Db,
  event: NewMailboxEvent,
): Promise<MailboxProjection> {
  if (!executor.isTransaction) {
    return executor.transaction().execute((tx) => appendMailboxEvent(tx, event));
  }
  const before = await lockMailbox(executor, event.rfc);
  const at = new Date(event.at.epochMilliseconds);
  await executor
    .insertInto("mailbox_events")
    .values({
      rfc: event.rfc,
      type: event.type,
      data: JSON.stringify(event.data),
      at,
      acuse_folio: event.acuseFolio ?? null,
    })
    .execute();
  const after = applyMailboxEvent(before, toDomainEvent(event));
  await executor
    .updateTable("mailboxes")
    .set({
      state: after.state,
      provenance: after.provenance,
      terms_version: after.termsVersion,
      updated_at: at,
    })
    .where("rfc", "=", event.rfc)
    .execute();
  await projectMeans(executor, event, at);
  return after;
}

/**
 * Creates the row of each RFC that has none, as `sin_medios` with no provenance: the row a
 * use case locks before it decides on the mailbox. Rows that exist stay as they are.
 */
export async function createMissingMailboxes(tx: Db, rfcs: readonly string[]): Promise<void> {
  await tx
    .insertInto("mailboxes")
    .values(
      rfcs.map((rfc) => ({
        rfc,
        state: "sin_medios" as const,
        provenance: null,
        terms_version: null,
        updated_at: new Date(0),
      })),
    )
    .onConflict((oc) => oc.column("rfc").doNothing())
    .execute();
}

/**
 * Locks the mailbox's row (creating it as `sin_medios` if it has none) until the transaction
 * ends and returns the mailbox replayed from its events. Use cases that decide on the mailbox
 * (limits, duplicates, removal) call it first so concurrent requests decide one after another.
 */
export async function lockMailbox(tx: Db, rfc: string): Promise<MailboxProjection> {
  await createMissingMailboxes(tx, [rfc]);
  await sql`select rfc from mailboxes where rfc = ${rfc} for update`.execute(tx);
  return loadMailbox(tx, rfc);
}

/**
 * lockMailbox for many RFCs at once (a deposit's chunk of acts): the rows are created and locked
 * in RFC order, so two transactions locking overlapping sets never wait on each other in a
 * cycle, and the mailboxes are replayed from one read of their events.
 */
export async function lockMailboxes(
  tx: Db,
  rfcs: readonly string[],
): Promise<Map<string, MailboxProjection>> {
  const sorted = [...new Set(rfcs)].sort();
  if (sorted.length === 0) return new Map();
  await createMissingMailboxes(tx, sorted);
  await sql`select rfc from mailboxes where rfc = any(${sorted}::text[]) order by rfc for update`.execute(
    tx,
  );
  return loadMailboxes(tx, sorted);
}

/** loadMailbox for many RFCs, from one read of their events. */
export async function loadMailboxes(
  executor: Db,
  rfcs: readonly string[],
): Promise<Map<string, MailboxProjection>> {
  const byRfc = new Map<string, MailboxEvent[]>(rfcs.map((rfc) => [rfc, []]));
  if (rfcs.length === 0) return new Map();
  const rows = await executor
    .selectFrom("mailbox_events")
    .select(["rfc", "type", "data", "at", "acuse_folio"])
    .where("rfc", "=", sql<string>`any(${[...byRfc.keys()]}::text[])`)
    .orderBy("id")
    .execute();
  for (const row of rows) {
    byRfc.get(row.rfc)?.push({
      type: row.type,
      data: row.data,
      rfc: row.rfc,
      at: Temporal.Instant.fromEpochMilliseconds(row.at.getTime()),
      acuseFolio: row.acuse_folio,
    } as MailboxEvent);
  }
  return new Map(
    [...byRfc].map(([rfc, events]) => [
      rfc,
      events.length === 0 ? emptyMailbox(rfc) : projectMailbox(rfc, events),
    ]),
  );
}

/** The mailbox replayed from its events (an empty `sin_medios` one when it has none). */
export async function loadMailbox(executor: Db, rfc: string): Promise<MailboxProjection> {
  const rows = await executor
    .selectFrom("mailbox_events")
    .select(["type", "data", "at", "acuse_folio"])
    .where("rfc", "=", rfc)
    .orderBy("id")
    .execute();
  if (rows.length === 0) return emptyMailbox(rfc);
  return projectMailbox(
    rfc,
    rows.map(
      (row) =>
        ({
          type: row.type,
          data: row.data,
          rfc,
          at: Temporal.Instant.fromEpochMilliseconds(row.at.getTime()),
          acuseFolio: row.acuse_folio,
        }) as MailboxEvent,
    ),
  );
}

function toDomainEvent(event: NewMailboxEvent): MailboxEvent {
  return { ...event, acuseFolio: event.acuseFolio ?? null } as MailboxEvent;
}

/** The means' status follows its events; a code is worthless once its means is settled. */
async function projectMeans(tx: Db, event: NewMailboxEvent, at: Date): Promise<void> {
  switch (event.type) {
    case "medio_validado":
      await tx
        .updateTable("mailbox_means")
        .set({ status: "validado", validated_at: at, code_hash: null })
        .where("id", "=", event.data.meansId)
        .where("status", "=", "pendiente")
        .execute();
      return;
    case "medio_cancelado":
      await tx
        .updateTable("mailbox_means")
        .set({ status: "cancelado", ended_at: at, code_hash: null })
        .where("id", "=", event.data.meansId)
        .where("status", "=", "pendiente")
        .execute();
      return;
    case "medio_eliminado":
      await tx
        .updateTable("mailbox_means")
        .set({ status: "eliminado", ended_at: at, code_hash: null })
        .where("id", "=", event.data.meansId)
        .execute();
      return;
    default:
      return;
  }
}

/** What selectAclaraciones reads: one RFC's, one id, or a page of one status after a keyset. */
export interface AclaracionesFilter {
  rfc?: string;
  id?: string;
  estado?: "abierta" | "atendida" | undefined;
  after?: Keyset | undefined;
  limit?: number;
}

/**
 * Aclaraciones with their e-mail, oldest first and by id in the same instant: the order each of
 * 0038's indexes holds (by status, by RFC, or all), so no read sorts the table.
 */
export function selectAclaraciones(executor: Db, filter: AclaracionesFilter) {
  let query = executor
    .selectFrom("mailbox_aclaraciones as a")
    .innerJoin("mailbox_means as m", "m.id", "a.means_id")
    .select([
      "a.id",
      "a.rfc",
      "a.means_id",
      "m.value",
      "m.acuse_folio as registration_folio",
      "a.description",
      "a.status",
      "a.acuse_folio",
      "a.created_at",
      "a.attended_at",
      "a.attended_by",
      "a.attended_note",
    ])
    .orderBy("a.created_at")
    .orderBy("a.id")
    .limit(filter.limit ?? 500);
  if (filter.rfc) query = query.where("a.rfc", "=", filter.rfc);
  if (filter.id) query = query.where("a.id", "=", filter.id);
  if (filter.estado) query = query.where("a.status", "=", filter.estado);
  const after = filter.after;
  if (after) {
    // The `>=` bounds the scan of the index (status, created_at, id) on PostgreSQL; the OR alone
    // is a filter the scan would apply from the first row of the status on.
    query = query
      .where("a.created_at", ">=", after.at)
      .where((eb) =>
        eb.or([
          eb("a.created_at", ">", after.at),
          eb.and([eb("a.created_at", "=", after.at), eb("a.id", ">", after.id)]),
        ]),
      );
  }
  return query;
}
