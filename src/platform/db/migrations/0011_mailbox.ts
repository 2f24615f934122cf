import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * The mailbox and its contact means (Lineamientos 5.1–5.4). `mailbox_events` is the truth,
 * append-only: every registration, validation, cancellation, removal, Terms signature and 2020
 * enablement. `mailboxes` and `mailbox_means` are projections of it, updated in the same
 * transaction as each event, so other features can query state without replaying events;
 * `mailbox_means` also keeps the operational state of validation (code hash, attempts, sends).
 * `mailbox_aclaraciones` is the staff queue of «no me llegó el correo» (5.2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mailbox_events (
      id bigint generated always as identity primary key,
      rfc text not null,
      type text not null check (type in (
        'medio_registrado', 'medio_validado', 'medio_cancelado', 'medio_eliminado',
        'terminos_firmados', 'habilitacion_2020'
      )),
      data jsonb not null check (jsonb_typeof(data) = 'object'),
      at timestamptz not null,
      acuse_folio text
    )
  `.execute(db);
  await sql`create index mailbox_events_rfc on mailbox_events (rfc, id)`.execute(db);
  await makeAppendOnly(db, "mailbox_events");
  await sql`
    create table mailboxes (
      rfc text primary key,
      state text not null check (state in (
        'sin_medios', 'medios_pendientes', 'medios_validados', 'habilitado'
      )),
      provenance text check (provenance in ('activacion', 'lineamientos_2020')),
      terms_version text,
      updated_at timestamptz not null
    )
  `.execute(db);
  await sql`create index mailboxes_state on mailboxes (state)`.execute(db);
  await sql`
    create table mailbox_means (
      id uuid primary key,
      rfc text not null,
      kind text not null check (kind in ('correo', 'celular')),
      value text not null,
      scope text not null,
      status text not null check (status in ('pendiente', 'validado', 'cancelado', 'eliminado')),
      registered_at timestamptz not null,
      expires_at timestamptz not null,
      validated_at timestamptz,
      ended_at timestamptz,
      acuse_folio text not null,
      replaces uuid,
      code_hash bytea,
      code_sent_at timestamptz,
      code_sends integer not null default 0,
      failed_attempts integer not null default 0,
      locked_at timestamptz
    )
  `.execute(db);
  // One live means per address and scope: a duplicate, or the second of two identical
  // requests racing, hits this index instead of creating a second means.
  await sql`
    create unique index mailbox_means_live on mailbox_means (rfc, kind, value, scope)
      where status in ('pendiente', 'validado')
  `.execute(db);
  await sql`create index mailbox_means_rfc on mailbox_means (rfc, registered_at)`.execute(db);
  await sql`
    create index mailbox_means_pending on mailbox_means (expires_at) where status = 'pendiente'
  `.execute(db);
  await sql`
    create table mailbox_aclaraciones (
      id uuid primary key,
      rfc text not null,
      means_id uuid not null references mailbox_means (id),
      description text not null,
      -- The exact text the acuse's document hash covers (UTF-8), so anyone can re-hash it.
      document text not null,
      status text not null default 'abierta' check (status in ('abierta', 'atendida')),
      acuse_folio text not null unique,
      created_at timestamptz not null,
      attended_at timestamptz,
      attended_by text
    )
  `.execute(db);
  await sql`
    create index mailbox_aclaraciones_queue on mailbox_aclaraciones (status, created_at)
  `.execute(db);
  await sql`create unique index mailbox_aclaraciones_means on mailbox_aclaraciones (means_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mailbox_aclaraciones`.execute(db);
  await sql`drop table mailbox_means`.execute(db);
  await sql`drop table mailboxes`.execute(db);
  await sql`drop table mailbox_events`.execute(db);
}
