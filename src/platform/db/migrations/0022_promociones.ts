import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Promociones electrónicas (Lineamientos 6.1–6.5; issue 12 §1). `promociones` is the promoción
 * as filed, immutable: the escrito, the manifest the particular signed with the e.firma (its
 * certificate and signature), the instants sent and received (rule f), the acuse, and for an
 * answer to a requerimiento the notification it answers with its term as computed at receipt.
 * `promocion_attachments` lists the anexos in the signed order (their bytes live in the blob
 * store). `promocion_events` is the timeline, append-only; the state is a projection of it
 * (src/domain/promociones/lifecycle.ts). `promocion_challenges` are the single-use signing
 * challenges, bound to a session; `challenge_id` is unique in `promociones`, so one challenge
 * files one promoción at most. `promocion_borradores` are the drafts: unsigned, the person's
 * own, changed and deleted at will (a draft is not evidence of anything).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table promocion_challenges (
      id uuid primary key,
      session_id uuid not null,
      rfc text not null,
      type text not null,
      subject text not null,
      text text not null,
      notificacion_id uuid,
      attachments jsonb not null check (jsonb_typeof(attachments) = 'array'),
      nonce text not null,
      to_sign text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      used_at timestamptz
    )
  `.execute(db);
  await sql`
    create index promocion_challenges_expires_at on promocion_challenges (expires_at)
  `.execute(db);

  await sql`
    create table promociones (
      id uuid primary key,
      challenge_id uuid not null unique,
      rfc text not null,
      signer_rfc text not null,
      type text not null,
      subject text not null,
      text text not null,
      text_sha256 text not null check (text_sha256 ~ '^[0-9a-f]{64}$'),
      text_bytes integer not null check (text_bytes >= 0),
      notificacion_id uuid references notificaciones (id),
      signed_text text not null,
      certificate bytea not null,
      certificate_number text not null,
      signature bytea not null,
      sent_at timestamptz not null,
      received_at timestamptz not null check (received_at >= sent_at),
      acuse_folio text not null,
      calendar_version text not null,
      rules_version text not null,
      answer_term_days integer check (answer_term_days > 0),
      answer_due_on text check (answer_due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      answered_in_time boolean
    )
  `.execute(db);
  // «Mis promociones»: the particular's, newest first, keyset by (sent_at, id).
  await sql`create index promociones_rfc on promociones (rfc, sent_at desc, id desc)`.execute(db);
  await sql`create index promociones_notificacion on promociones (notificacion_id)
    where notificacion_id is not null`.execute(db);
  await makeAppendOnly(db, "promociones");

  await sql`
    create table promocion_attachments (
      promocion_id uuid not null references promociones (id),
      position integer not null check (position >= 1),
      name text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      bytes bigint not null check (bytes >= 0),
      kind text not null check (kind in ('pdf', 'xml', 'imagen', 'zip')),
      media_type text not null,
      primary key (promocion_id, position)
    )
  `.execute(db);
  await makeAppendOnly(db, "promocion_attachments");

  await sql`
    create table promocion_events (
      id bigint generated always as identity primary key,
      promocion_id uuid not null references promociones (id),
      type text not null check (type in (
        'recibida', 'en_atencion', 'nota_interna', 'respondida', 'concluida'
      )),
      at timestamptz not null,
      recorded_at timestamptz not null,
      acuse_folio text,
      actor_rfc text,
      data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object')
    )
  `.execute(db);
  await sql`create index promocion_events_promocion on promocion_events (promocion_id, id)`.execute(
    db,
  );
  await sql`
    create unique index promocion_events_once on promocion_events (promocion_id, type)
      where type in ('recibida', 'respondida', 'concluida')
  `.execute(db);
  await makeAppendOnly(db, "promocion_events");

  await sql`
    create table promocion_borradores (
      id uuid primary key,
      rfc text not null,
      type text not null,
      subject text not null,
      text text not null,
      notificacion_id uuid,
      attachments jsonb not null check (jsonb_typeof(attachments) = 'array'),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  await sql`
    create index promocion_borradores_rfc on promocion_borradores (rfc, updated_at desc, id desc)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table promocion_borradores`.execute(db);
  await sql`drop table promocion_events`.execute(db);
  await sql`drop table promocion_attachments`.execute(db);
  await sql`drop table promociones`.execute(db);
  await sql`drop table promocion_challenges`.execute(db);
}
