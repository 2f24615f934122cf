import { sql } from "kysely";
import type { NotificacionEventType } from "../../domain/notificaciones/lifecycle.ts";
import type { Db } from "../../platform/db/schema.ts";

/**
 * The SQL of the notifications' jobs (sweeps.ts) and of the aviso's evidence (aviso.ts). Every
 * sweep walks the partial index `notificaciones_sweep (aviso_at, id) where not estrados` by
 * keyset, and leaves out the acts a once-only event already settled through the unique index
 * `notificacion_events_once (notificacion_id, type)`: one index probe per act, never a scan of
 * the events.
 */

/** A position in the sweep's order (aviso_at, id), both exclusive unless `inclusive`. */
export interface SweepKey {
  avisoAt: Date;
  id: string;
  inclusive?: boolean;
}

/** What a sweep needs of an act to decide and to write its acuse. */
export interface SweepRow {
  id: string;
  rfc: string;
  registro_patronal: string | null;
  act_type: string;
  oficio: string;
  issuing_unit: string;
  document_name: string;
  document_sha256: string;
  document_bytes: number;
  aviso_at: Date;
  calendar_version: string;
  rules_version: string;
}

/**
 * Acts not on estrados with `from ≤ aviso_at < until`, after `after` in (aviso_at, id) order,
 * that have none of the `settledBy` events, at most `limit`. The check is a scalar subquery, so
 * the planner runs it per act read (an index probe) instead of an anti-join that scans every
 * event of every act for each batch; the types are literals (the lifecycle's own names) so the
 * probe can use the once-only index.
 */
export async function actsToSweep(
  executor: Db,
  query: {
    from?: Date | undefined;
    until: Date;
    after?: SweepKey | undefined;
    settledBy: readonly NotificacionEventType[];
    /**
     * Leaves out the acts cancelled before their aviso instant (never made available): one
     * cancelled after it still has its aviso's evidence due (aviso-cancelado.ts).
     */
    excludeCancelledBeforeAviso?: boolean | undefined;
    limit: number;
  },
): Promise<SweepRow[]> {
  const after = query.after;
  const { rows } = await sql<SweepRow>`
    select n.id, n.rfc, n.registro_patronal, n.act_type, n.oficio, n.issuing_unit,
           n.document_name, n.document_sha256, n.document_bytes, n.aviso_at,
           n.calendar_version, n.rules_version
      from notificaciones n
     where not n.estrados
       and n.aviso_at < ${query.until}
       ${query.from ? sql`and n.aviso_at >= ${query.from}` : sql``}
       ${
         after
           ? after.inclusive
             ? sql`and (n.aviso_at, n.id) >= (${after.avisoAt}::timestamptz, ${after.id}::uuid)`
             : sql`and (n.aviso_at, n.id) > (${after.avisoAt}::timestamptz, ${after.id}::uuid)`
           : sql``
       }
       and not (select exists (
         select 1 from notificacion_events e
          where e.notificacion_id = n.id and e.type in (${sql.join(query.settledBy.map((t) => sql.lit(t)))})
       ))
       ${
         query.excludeCancelledBeforeAviso
           ? sql`and not (select exists (
               select 1 from notificacion_events e
                where e.notificacion_id = n.id and e.type = 'cancelada' and e.at < n.aviso_at
             ))`
           : sql``
       }
     order by n.aviso_at, n.id
     limit ${query.limit}
  `.execute(executor);
  return rows;
}

/**
 * Takes the act's lock for the rest of the transaction if nobody holds it, without waiting:
 * the same row lock (`for update`, which writes nothing: the table stays append-only) every use
 * case that decides on an act takes before re-reading its events (opening, cancellation). A job
 * that finds it held skips the act and comes back next run, rather than wait while it holds the
 * acuses' log lock. Answers whether it got it.
 */
export async function tryLockNotificacion(tx: Db, id: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    select id from notificaciones where id = ${id} for update skip locked
  `.execute(tx);
  return rows.length === 1;
}

/**
 * tryLockNotificacion for many acts in one statement: answers the ids it locked (the others
 * another transaction holds).
 */
export async function tryLockNotificaciones(tx: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    select id from notificaciones where id = any(${[...ids]}::uuid[]) for update skip locked
  `.execute(tx);
  return new Set(rows.map((r) => r.id));
}

/** One message of an act's avisos with every attempt to deliver it. */
export interface AvisoMessageRow {
  outbox_id: string;
  idempotency_key: string;
  channel: "correo" | "sms";
  recipient: string;
  status: "pendiente" | "enviada" | "fallida";
  created_at: Date;
  next_attempt_at: Date | null;
}

export interface AvisoAttemptRow {
  outbox_id: string;
  attempt: number;
  outcome: "enviado" | "reintento" | "fallido";
  response: string;
  at: Date;
  message_id: string;
}

/**
 * The avisos of an act (first and second) and their delivery attempts, oldest first. Through
 * the outbox's index by RFC; the attempts are append-only, so what they say stays as it was.
 */
export async function avisoMessagesOf(
  executor: Db,
  act: { id: string; rfc: string },
): Promise<{ messages: AvisoMessageRow[]; attempts: AvisoAttemptRow[] }> {
  const prefix = `notificacion:${act.id}:`;
  const { rows: messages } = await sql<AvisoMessageRow>`
    select id::text as outbox_id, idempotency_key, channel, recipient, status, created_at,
           next_attempt_at
      from outbox
     where rfc = ${act.rfc} and starts_with(idempotency_key, ${prefix})
     order by id
  `.execute(executor);
  if (messages.length === 0) return { messages, attempts: [] };
  const { rows: attempts } = await sql<AvisoAttemptRow>`
    select outbox_id::text as outbox_id, attempt, outcome, response, at, message_id
      from delivery_attempts
     where outbox_id = any(${messages.map((m) => m.outbox_id)}::bigint[])
     order by outbox_id, attempt
  `.execute(executor);
  return { messages, attempts };
}

/**
 * One message the deposit queued for an act's aviso: its key, channel and whole address, and
 * where its delivery stands (the constancia states it).
 */
export interface AvisoAddressRow {
  notificacion_id: string;
  idempotency_key: string;
  channel: "correo" | "sms";
  recipient: string;
  status: "pendiente" | "enviada" | "fallida";
  finished_at: Date | null;
  /** Attempts recorded so far (through the unique (outbox_id, attempt) index). */
  attempts_recorded: number;
  /**
   * Attempts the couriers took (the claim counts one before sending, the result records it):
   * more than recorded while a courier holds it, or after one that never came back.
   */
  attempts_taken: number;
  /**
   * Whether the latest claim (attempt number `attempts_taken`) has its result recorded. A claim
   * that never came back (a courier that died) leaves `attempts_taken` above `attempts_recorded`
   * for good; only the latest claim without a result is a send that may be under way.
   */
  latest_claim_recorded: boolean;
  /** While a courier holds it, until when (its lease); then its next attempt or its last. */
  next_attempt_at: Date | null;
  /**
   * Ended by a withdrawal (`withdrawPending`, the courier's hold policy: `retirado: …`), not by
   * a send's result; one whose send completed after it is `enviada`, not withdrawn.
   */
  withdrawn: boolean;
}

/**
 * The messages the deposit queued for the avisos of these acts (`notificacion:<id>:aviso:<means>`,
 * deposit.ts), in one statement for a batch, each act's in the order they were queued. Found by
 * their exact keys through the outbox's unique index: every means the act's RFC ever had
 * (mailbox_means, never deleted, a handful per RFC) names one candidate key per act. A prefix
 * scan of the key would depend on the database's collation, and one over the RFC's outbox would
 * read every message of an RFC with thousands of acts for each of them.
 *
 * `lock` (in a transaction that seals what they say): the messages are share-locked until it
 * ends, so a courier's result waits for the seal instead of changing them under it.
 */
export async function avisoAddressesOf(
  executor: Db,
  acts: readonly { id: string; rfc: string }[],
  { lock = false }: { lock?: boolean } = {},
): Promise<Map<string, AvisoAddressRow[]>> {
  const byAct = new Map<string, AvisoAddressRow[]>(acts.map((a) => [a.id, []]));
  if (acts.length === 0) return byAct;
  const { rows } = await sql<AvisoAddressRow>`
    select a.id::text as notificacion_id, o.idempotency_key, o.channel, o.recipient, o.status,
           o.finished_at,
           (select count(*) from delivery_attempts d where d.outbox_id = o.id)::int
             as attempts_recorded,
           o.attempts as attempts_taken, o.next_attempt_at,
           exists (select 1 from delivery_attempts d
                    where d.outbox_id = o.id and d.attempt = o.attempts) as latest_claim_recorded,
           (o.status = 'fallida' and coalesce(starts_with(o.last_response, 'retirado: '), false))
             as withdrawn
      from unnest(${acts.map((a) => a.id)}::uuid[], ${acts.map((a) => a.rfc)}::text[]) as a(id, rfc)
      join mailbox_means m on m.rfc = a.rfc
      join outbox o on o.idempotency_key = 'notificacion:' || a.id::text || ':aviso:' || m.id::text
     order by a.id, o.id
     ${lock ? sql`for share of o` : sql``}
  `.execute(executor);
  for (const row of rows) byAct.get(row.notificacion_id)?.push(row);
  return byAct;
}

/** An act's cancellation: its instant and its acuse's folio (every cancellation has one). */
export interface CancellationRow {
  notificacion_id: string;
  at: Date;
  acuse_folio: string | null;
}

/**
 * The cancellations of these acts, in one statement for a batch: the once-only index
 * (notificacion_id, type) finds each act's `cancelada`, if any.
 */
export async function cancellationsOf(
  executor: Db,
  ids: readonly string[],
): Promise<Map<string, CancellationRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<CancellationRow>`
    select notificacion_id::text as notificacion_id, at, acuse_folio
      from notificacion_events
     where notificacion_id = any(${[...ids]}::uuid[]) and type = 'cancelada'
  `.execute(executor);
  return new Map(rows.map((r) => [r.notificacion_id, r]));
}
