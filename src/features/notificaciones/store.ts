import { type Selectable, sql } from "kysely";
import type { NotificacionEventType } from "../../domain/notificaciones/lifecycle.ts";
import type {
  Db,
  NotificacionChallengesTable,
  NotificacionEventsTable,
  NotificacionesTable,
} from "../../platform/db/schema.ts";

/**
 * Every SQL statement about notifications. Functions take an executor — the database or the
 * caller's transaction — so a use case writes the act, its events and its outbox messages in
 * one unit of work (ADR 0005).
 */

export type NotificacionRow = Selectable<NotificacionesTable>;

/**
 * Every column of an act's row but the search's `busqueda` (0032): `select *` would bring the
 * whole tsvector, as text, with every act read.
 */
export const NOTIFICACION_COLUMNS = [
  "id",
  "idempotency_key",
  "request_sha256",
  "rfc",
  "registro_patronal",
  "act_type",
  "oficio",
  "issuing_unit",
  "document_name",
  "document_sha256",
  "document_bytes",
  "signature",
  "signer_rfc",
  "signer_certificate_number",
  "deposited_by",
  "deposited_at",
  "aviso_at",
  "estrados",
  "calendar_version",
  "rules_version",
  "replaces_id",
] as const satisfies readonly (keyof NotificacionRow)[];

/** What lists show and project of an act: its row without the signature and request digests. */
export type NotificacionSummaryRow = Omit<
  NotificacionRow,
  "signature" | "idempotency_key" | "request_sha256"
>;

/**
 * The columns of a NotificacionSummaryRow: a page of 50 acts no longer carries 50 CMS
 * signatures (a few KB each, as hex) that no list shows.
 */
export const SUMMARY_COLUMNS = NOTIFICACION_COLUMNS.filter(
  (
    c,
  ): c is Exclude<
    (typeof NOTIFICACION_COLUMNS)[number],
    "signature" | "idempotency_key" | "request_sha256"
  > => c !== "signature" && c !== "idempotency_key" && c !== "request_sha256",
);
export type NotificacionEventRow = Selectable<NotificacionEventsTable>;

/** The types an act has at most once (a unique index; a repeat is a no-op, not an error). */
export const ONCE_ONLY_EVENTS: readonly NotificacionEventType[] = [
  "depositada",
  "aviso_emitido",
  "abierta",
  "acceso_posterior",
  "descarga_posterior",
  "constancia_cuarto_dia",
  "cancelada",
  "notificada_por_estrados",
];

export interface NewNotificacionEvent {
  notificacionId: string;
  type: NotificacionEventType;
  /** The legal instant of the event. */
  at: Temporal.Instant;
  /** When it is written (the clock of the process that writes it). */
  recordedAt: Temporal.Instant;
  acuseFolio?: string | null;
  actorRfc?: string | null;
  data?: Record<string, unknown>;
}

const toDate = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);

/** Inserts the act (append-only: it never changes). */
export async function insertNotificacion(executor: Db, row: NotificacionesTable): Promise<void> {
  await executor.insertInto("notificaciones").values(row).execute();
}

/**
 * Appends an event to an act's timeline. A once-only type already there is left as it was
 * (the earliest wins, both attempts on record elsewhere): answers whether this one was written.
 * Safe to call from a job run twice or from two processes at once.
 */
export async function appendNotificacionEvent(
  executor: Db,
  event: NewNotificacionEvent,
): Promise<boolean> {
  return (await appendNotificacionEvents(executor, [event])).size > 0;
}

/**
 * Appends events in one statement, each as appendNotificacionEvent would (a once-only type
 * already there is left as it was): answers the acts whose event was written. At most one
 * event per act.
 */
export async function appendNotificacionEvents(
  executor: Db,
  events: readonly NewNotificacionEvent[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await executor
    .insertInto("notificacion_events")
    .values(
      events.map((event) => ({
        notificacion_id: event.notificacionId,
        type: event.type,
        at: toDate(event.at),
        recorded_at: toDate(event.recordedAt),
        acuse_folio: event.acuseFolio ?? null,
        actor_rfc: event.actorRfc ?? null,
        data: JSON.stringify(event.data ?? {}),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning("notificacion_id")
    .execute();
  return new Set(rows.map((r) => r.notificacion_id));
}

/**
 * Inserts acts (a deposit's chunk) in one statement; an idempotency key already taken (by a
 * concurrent request) is skipped. Answers the ids written.
 */
export async function insertNotificaciones(
  executor: Db,
  rows: readonly NotificacionesTable[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await executor
    .insertInto("notificaciones")
    .values([...rows])
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .execute();
  return new Set(written.map((r) => r.id));
}

/** The acts of these idempotency keys, by key. */
export async function notificacionesByKeys(
  executor: Db,
  keys: readonly string[],
): Promise<Map<string, NotificacionRow>> {
  if (keys.length === 0) return new Map();
  const rows = await executor
    .selectFrom("notificaciones")
    .select(NOTIFICACION_COLUMNS)
    .where("idempotency_key", "=", sql<string>`any(${[...keys]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.idempotency_key, r]));
}

/**
 * Of these documents, those deposited as an act not cancelled: the first such act's id and
 * idempotency key, by the document's SHA-256.
 */
export async function liveActsOf(
  executor: Db,
  documents: readonly string[],
): Promise<Map<string, { id: string; idempotencyKey: string }>> {
  if (documents.length === 0) return new Map();
  const rows = await executor
    .selectFrom("notificaciones as n")
    .select(["n.id", "n.document_sha256", "n.idempotency_key"])
    .where("n.document_sha256", "=", sql<string>`any(${[...documents]}::text[])`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("notificacion_events as e")
            .select("e.id")
            .whereRef("e.notificacion_id", "=", "n.id")
            .where("e.type", "=", "cancelada"),
        ),
      ),
    )
    .orderBy("n.deposited_at")
    .orderBy("n.id")
    .execute();
  const first = new Map<string, { id: string; idempotencyKey: string }>();
  for (const row of rows) {
    if (!first.has(row.document_sha256)) {
      first.set(row.document_sha256, { id: row.id, idempotencyKey: row.idempotency_key });
    }
  }
  return first;
}

export async function notificacionByKey(
  executor: Db,
  key: string,
): Promise<NotificacionRow | undefined> {
  return executor
    .selectFrom("notificaciones")
    .select(NOTIFICACION_COLUMNS)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
}

/** The seals of these acuses (of `rfc` only, when given), from which their codes derive. */
export async function acuseSealsOf(
  executor: Db,
  folios: readonly string[],
  rfc?: string,
): Promise<{ folio: string; seal: string }[]> {
  if (folios.length === 0) return [];
  let query = executor
    .selectFrom("acuses")
    .select(["folio", "seal"])
    .where("folio", "in", [...folios]);
  if (rfc !== undefined) query = query.where("rfc", "=", rfc);
  return query.execute();
}

export async function notificacionById(
  executor: Db,
  id: string,
): Promise<NotificacionRow | undefined> {
  return executor
    .selectFrom("notificaciones")
    .select(NOTIFICACION_COLUMNS)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The events of these acts, in the order they were written, by act. */
export async function eventsOf(
  executor: Db,
  ids: readonly string[],
): Promise<Map<string, NotificacionEventRow[]>> {
  const byAct = new Map<string, NotificacionEventRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byAct;
  const rows = await executor
    .selectFrom("notificacion_events")
    .selectAll()
    .where("notificacion_id", "=", sql<string>`any(${[...ids]}::uuid[])`)
    .orderBy("id")
    .execute();
  for (const row of rows) byAct.get(row.notificacion_id)?.push(row);
  return byAct;
}

/** A position in a newest-first list: the last row's deposit instant and id. */
export interface Keyset {
  depositedAt: Date;
  id: string;
}

/**
 * Acts newest first (deposited_at desc, id desc), after `before` when given, optionally of one
 * RFC and one act type: «Mis notificaciones» and the staff follow-up.
 */
export async function listNotificaciones(
  executor: Db,
  query: ListQuery,
): Promise<NotificacionSummaryRow[]> {
  return listQuery(executor, query).execute();
}

/** A page of a list: optionally one RFC and one act type, after `before`, at most `limit`. */
export interface ListQuery {
  rfc?: string | undefined;
  actType?: string | undefined;
  before?: Keyset | undefined;
  limit: number;
}

function listQuery(executor: Db, query: ListQuery) {
  let q = executor.selectFrom("notificaciones").select(SUMMARY_COLUMNS);
  if (query.rfc !== undefined) q = q.where("rfc", "=", query.rfc);
  if (query.actType !== undefined) q = q.where("act_type", "=", query.actType);
  const before = query.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb("deposited_at", "<", before.depositedAt),
        eb.and([eb("deposited_at", "=", before.depositedAt), eb("id", "<", before.id)]),
      ]),
    );
  }
  return q.orderBy("deposited_at", "desc").orderBy("id", "desc").limit(query.limit);
}

/**
 * A page of `listNotificaciones` with each act's timeline (in the order written), in one
 * statement: a list page is one round trip for its acts instead of two.
 */
export async function listNotificacionesWithEvents(
  executor: Db,
  query: ListQuery,
): Promise<ActsWithEvents> {
  return withTimelines(await listQuery(executor, query).select(TIMELINE).execute());
}

/** These acts (any order) with their timelines, in one statement: «Mis expedientes» reads them. */
export async function notificacionesWithEvents(
  executor: Db,
  ids: readonly string[],
): Promise<ActsWithEvents> {
  if (ids.length === 0) return { rows: [], events: new Map() };
  return withTimelines(
    await executor
      .selectFrom("notificaciones")
      .select(SUMMARY_COLUMNS)
      .select(TIMELINE)
      .where("id", "=", sql<string>`any(${[...ids]}::uuid[])`)
      .execute(),
  );
}

/** Acts and, by act, their events in the order written. */
export interface ActsWithEvents {
  rows: NotificacionSummaryRow[];
  events: Map<string, NotificacionEventRow[]>;
}

/** An event as json_build_object gives it: instants as ISO text. */
type EventJson = Omit<NotificacionEventRow, "notificacion_id" | "at" | "recorded_at"> & {
  at: string;
  recorded_at: string;
};

/** The act's timeline as one JSON array (id order), a column of the act's own statement. */
const TIMELINE = sql<EventJson[]>`(select coalesce(json_agg(json_build_object(
    'id', e.id::text, 'type', e.type, 'at', e.at, 'recorded_at', e.recorded_at,
    'acuse_folio', e.acuse_folio, 'actor_rfc', e.actor_rfc, 'data', e.data) order by e.id),
    '[]'::json) from notificacion_events e where e.notificacion_id = notificaciones.id)`.as(
  "timeline",
);

function withTimelines(
  found: readonly (NotificacionSummaryRow & { timeline: EventJson[] })[],
): ActsWithEvents {
  const events = new Map<string, NotificacionEventRow[]>();
  const rows = found.map(({ timeline, ...row }) => {
    events.set(
      row.id,
      timeline.map((e) => ({
        ...e,
        notificacion_id: row.id,
        at: new Date(e.at),
        recorded_at: new Date(e.recorded_at),
      })),
    );
    return row;
  });
  return { rows, events };
}

/** A validated contact means an aviso goes to. */
export interface AvisoMeans {
  id: string;
  kind: "correo" | "celular";
  value: string;
  scope: string;
}

/**
 * The RFC's validated means in these scopes («rfc» and, when the act names one, its registro
 * patronal): where the aviso goes (Lineamientos 7.3, 5.1–5.2).
 */
export async function validatedMeansOf(
  executor: Db,
  rfc: string,
  scopes: readonly string[],
): Promise<AvisoMeans[]> {
  const all = (await validatedMeansOfMany(executor, [rfc])).get(rfc) ?? [];
  return all.filter((m) => scopes.includes(m.scope));
}

/** The validated means of many RFCs, every scope: by RFC, each list by scope, kind and id. */
export async function validatedMeansOfMany(
  executor: Db,
  rfcs: readonly string[],
): Promise<Map<string, AvisoMeans[]>> {
  const byRfc = new Map<string, AvisoMeans[]>(rfcs.map((rfc) => [rfc, []]));
  if (rfcs.length === 0) return byRfc;
  const rows = await executor
    .selectFrom("mailbox_means")
    .select(["rfc", "id", "kind", "value", "scope"])
    .where("rfc", "=", sql<string>`any(${[...rfcs]}::text[])`)
    .where("status", "=", "validado")
    .orderBy("scope")
    .orderBy("kind")
    .orderBy("id")
    .execute();
  for (const { rfc, ...means } of rows) byRfc.get(rfc)?.push(means);
  return byRfc;
}

/**
 * Locks the act's row until the transaction ends: every use case that decides on an act's
 * projection (opening, cancellation, the jobs' evidence) takes it before re-reading the events,
 * so two of them never decide on the same history. `for update` writes nothing: the table
 * stays append-only. Answers the row, or undefined when there is no such act.
 */
export async function lockNotificacion(tx: Db, id: string): Promise<NotificacionRow | undefined> {
  return tx
    .selectFrom("notificaciones")
    .select(NOTIFICACION_COLUMNS)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export type NotificacionChallengeRow = Selectable<NotificacionChallengesTable>;

export async function insertOpeningChallenge(
  executor: Db,
  row: NotificacionChallengeRow,
): Promise<void> {
  await executor.insertInto("notificacion_challenges").values(row).execute();
}

/**
 * Marks the session's challenge for this act used and returns it, in one statement: two
 * requests racing with one challenge cannot both get it, and another session cannot spend it.
 */
export async function consumeOpeningChallenge(
  executor: Db,
  challenge: { id: string; sessionId: string; notificacionId: string; usedAt: Date },
): Promise<NotificacionChallengeRow | undefined> {
  return executor
    .updateTable("notificacion_challenges")
    .set({ used_at: challenge.usedAt })
    .where("id", "=", challenge.id)
    .where("session_id", "=", challenge.sessionId)
    .where("notificacion_id", "=", challenge.notificacionId)
    .where("used_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** Challenges are worthless once expired: keeps the table small. */
export async function deleteExpiredOpeningChallenges(executor: Db, before: Date): Promise<void> {
  await executor.deleteFrom("notificacion_challenges").where("expires_at", "<", before).execute();
}
