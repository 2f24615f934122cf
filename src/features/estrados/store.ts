import { type Selectable, sql } from "kysely";
import type { Db, EstradosPublicacionesTable } from "../../platform/db/schema.ts";
import type { NotificacionRow } from "../notificaciones/store.ts";

/**
 * Every SQL statement of the estrados electrónicos. Functions take an executor — the database
 * or the acuse's transaction — so a publication and its event are written together.
 */

export type PublicacionRow = Omit<
  Selectable<EstradosPublicacionesTable>,
  "first_publication_day" | "last_publication_day" | "notified_on" | "effective_on"
> & {
  first_publication_day: string;
  last_publication_day: string;
  notified_on: string;
  effective_on: string;
};

export type NewPublicacion = Omit<PublicacionRow, never>;

/**
 * The publication's columns under a `pub_` prefix (the act has columns of the same names), the
 * `date` ones as `AAAA-MM-DD` text: no driver turns them into a local-time Date.
 */
const publicacionColumns = [
  "p.notificacion_id as pub_notificacion_id",
  "p.published_at as pub_published_at",
  sql<string>`p.first_publication_day::text`.as("pub_first_publication_day"),
  sql<string>`p.last_publication_day::text`.as("pub_last_publication_day"),
  "p.publication_ends_at as pub_publication_ends_at",
  sql<string>`p.notified_on::text`.as("pub_notified_on"),
  "p.notified_at as pub_notified_at",
  sql<string>`p.effective_on::text`.as("pub_effective_on"),
  "p.calendar_version as pub_calendar_version",
  "p.tfja_calendar_version as pub_tfja_calendar_version",
  "p.rules_version as pub_rules_version",
  "p.acuse_folio as pub_acuse_folio",
  "p.recorded_at as pub_recorded_at",
] as const;

/** The act `n` has no `cancelada` event. */
const notCancelled = sql<boolean>`not exists (
  select 1 from notificacion_events e where e.notificacion_id = n.id and e.type = 'cancelada'
)`;

/**
 * Acts on estrados whose aviso instant has come and that are neither published nor cancelled,
 * oldest first: what the publication job seals.
 */
export async function dueForPublication(
  db: Db,
  now: Date,
  limit: number,
): Promise<NotificacionRow[]> {
  return db
    .selectFrom("notificaciones as n")
    .selectAll("n")
    .where("n.estrados", "=", true)
    .where("n.aviso_at", "<=", now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("estrados_publicaciones as p")
            .select("p.notificacion_id")
            .whereRef("p.notificacion_id", "=", "n.id"),
        ),
      ),
    )
    .where(notCancelled)
    .orderBy("n.aviso_at")
    .orderBy("n.id")
    .limit(limit)
    .execute();
}

/**
 * Publications whose notification instant has come and whose end has no acuse yet, oldest
 * first: what the end-of-publication job seals.
 */
export async function dueForRetiro(
  db: Db,
  now: Date,
  limit: number,
): Promise<{ act: NotificacionRow; publicacion: PublicacionRow }[]> {
  const rows = await db
    .selectFrom("estrados_publicaciones as p")
    .innerJoin("notificaciones as n", "n.id", "p.notificacion_id")
    .selectAll("n")
    .select(publicacionColumns)
    .where("p.notified_at", "<=", now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("notificacion_events as e")
            .select("e.id")
            .whereRef("e.notificacion_id", "=", "p.notificacion_id")
            .where("e.type", "=", "notificada_por_estrados"),
        ),
      ),
    )
    .orderBy("p.notified_at")
    .orderBy("p.notificacion_id")
    .limit(limit)
    .execute();
  return rows.map((row) => split(row));
}

/** Holds the act until the transaction ends: one publication or end at a time per act. */
export async function lockAct(tx: Db, id: string): Promise<void> {
  await sql`select id from notificaciones where id = ${id} for update`.execute(tx);
}

/** Writes the publication; false when the act already had one (a second run, another process). */
export async function insertPublicacion(tx: Db, row: NewPublicacion): Promise<boolean> {
  const result = await tx
    .insertInto("estrados_publicaciones")
    .values(row)
    .onConflict((oc) => oc.column("notificacion_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** An act on the public page: the act, its publication if sealed, the addressee's padrón name. */
export interface ListedAct {
  act: NotificacionRow;
  publicacion: PublicacionRow | null;
  addresseeName: string | null;
  endFolio: string | null;
}

/** A position in the newest-first listing: the last row's publication instant and id. */
export interface EstradosKeyset {
  publishedAt: Date;
  id: string;
}

/**
 * The acts the public page shows at `now`, newest publication first: on estrados, published
 * (their aviso instant has come), not cancelled, and not notified more than `notifiedSince`
 * ago. An act the job has not sealed yet is shown too (its publication counts from the aviso
 * instant fixed at deposit), without its acuse. `publishedSince` bounds the scan.
 */
export async function listPublished(
  db: Db,
  query: {
    now: Date;
    publishedSince: Date;
    notifiedSince: string;
    before?: EstradosKeyset | undefined;
    limit: number;
    id?: string | undefined;
  },
): Promise<ListedAct[]> {
  let q = db
    .selectFrom("notificaciones as n")
    .leftJoin("estrados_publicaciones as p", "p.notificacion_id", "n.id")
    .leftJoin("padron_entries as pe", "pe.rfc", "n.rfc")
    .selectAll("n")
    .select(publicacionColumns)
    .select("pe.name as addressee_name")
    .select((eb) =>
      eb
        .selectFrom("notificacion_events as e")
        .select("e.acuse_folio")
        .whereRef("e.notificacion_id", "=", "n.id")
        .where("e.type", "=", "notificada_por_estrados")
        .limit(1)
        .as("end_folio"),
    )
    .where("n.estrados", "=", true)
    .where("n.aviso_at", "<=", query.now)
    .where(notCancelled);
  if (query.id !== undefined) {
    q = q.where("n.id", "=", query.id);
  } else {
    q = q
      .where("n.aviso_at", ">", query.publishedSince)
      .where((eb) =>
        eb.or([
          eb("p.notificacion_id", "is", null),
          eb("p.notified_on", ">=", sql<string>`${query.notifiedSince}::date`),
        ]),
      );
  }
  const before = query.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb("n.aviso_at", "<", before.publishedAt),
        eb.and([eb("n.aviso_at", "=", before.publishedAt), eb("n.id", "<", before.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy("n.aviso_at", "desc")
    .orderBy("n.id", "desc")
    .limit(query.limit)
    .execute();
  return rows.map((row) => {
    const { act, publicacion } = split(row);
    return {
      act,
      publicacion: row.pub_notificacion_id === null ? null : publicacion,
      addresseeName: row.addressee_name ?? null,
      endFolio: row.end_folio ?? null,
    };
  });
}

/**
 * The act `id` if it went to estrados, with its publication once sealed: whatever its listing
 * bounds (before its aviso instant, long after its notification) and even if cancelled.
 */
export async function estradosActOf(
  db: Db,
  id: string,
): Promise<{ act: NotificacionRow; publicacion: PublicacionRow | null } | undefined> {
  const row = await db
    .selectFrom("notificaciones as n")
    .leftJoin("estrados_publicaciones as p", "p.notificacion_id", "n.id")
    .selectAll("n")
    .select(publicacionColumns)
    .where("n.id", "=", id)
    .where("n.estrados", "=", true)
    .executeTakeFirst();
  if (!row) return undefined;
  const { act, publicacion } = split(row);
  return { act, publicacion: row.pub_notificacion_id === null ? null : publicacion };
}

const PUB_KEYS = [
  "notificacion_id",
  "published_at",
  "first_publication_day",
  "last_publication_day",
  "publication_ends_at",
  "notified_on",
  "notified_at",
  "effective_on",
  "calendar_version",
  "tfja_calendar_version",
  "rules_version",
  "acuse_folio",
  "recorded_at",
] as const;

/** A joined row as the act (its own columns) and its publication (the `pub_` ones). */
function split(row: Record<string, unknown>): {
  act: NotificacionRow;
  publicacion: PublicacionRow;
} {
  const act: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!key.startsWith("pub_") && key !== "addressee_name" && key !== "end_folio") {
      act[key] = value;
    }
  }
  const publicacion = Object.fromEntries(PUB_KEYS.map((key) => [key, row[`pub_${key}`]]));
  return {
    act: act as unknown as NotificacionRow,
    publicacion: publicacion as unknown as PublicacionRow,
  };
}
