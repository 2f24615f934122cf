import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * The estrados electrónicos (CFF art. 139; Lineamientos 7.8; issue 11 §4). An act deposited for
 * an addressee without an enabled mailbox (`notificaciones.estrados`) is published on the public
 * page at its aviso instant (rule a); `estrados_publicaciones` is that publication as sealed in
 * its acuse, with the dates the time engine gave (ten business days, the eleventh the
 * notification) and the calendar and rules versions that gave them. Append-only: one row per
 * act, the primary key, so a job run twice or in two processes at once cannot publish twice.
 * The end of the publication is the act's `notificada_por_estrados` event (unique per act in
 * 0019). `publicada_en_estrados` is made unique per act here too: its event and this row are
 * written in the acuse's transaction, and either refuses a second one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table estrados_publicaciones (
      notificacion_id uuid primary key references notificaciones (id),
      published_at timestamptz not null,
      first_publication_day date not null,
      last_publication_day date not null check (last_publication_day >= first_publication_day),
      publication_ends_at timestamptz not null check (publication_ends_at > published_at),
      notified_on date not null check (notified_on > last_publication_day),
      notified_at timestamptz not null check (notified_at >= publication_ends_at),
      effective_on date not null check (effective_on > notified_on),
      calendar_version text not null,
      tfja_calendar_version text not null,
      rules_version text not null,
      acuse_folio text not null unique,
      recorded_at timestamptz not null
    )
  `.execute(db);
  // The public listing: newest publication first, keyset by (published_at, id).
  await sql`
    create index estrados_publicaciones_listing
      on estrados_publicaciones (published_at desc, notificacion_id desc)
  `.execute(db);
  // The end-of-publication job: publications whose notification instant has come.
  await sql`
    create index estrados_publicaciones_notified_at on estrados_publicaciones (notified_at)
  `.execute(db);
  await makeAppendOnly(db, "estrados_publicaciones");

  // The publication job: acts on estrados by aviso instant (0019 indexes the others).
  await sql`
    create index notificaciones_estrados on notificaciones (aviso_at, id) where estrados
  `.execute(db);
  await sql`
    create unique index notificacion_events_publicada_once on notificacion_events (notificacion_id)
      where type = 'publicada_en_estrados'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notificacion_events_publicada_once`.execute(db);
  await sql`drop index notificaciones_estrados`.execute(db);
  await sql`drop table estrados_publicaciones`.execute(db);
}
