import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Electronic notifications (Lineamientos 7.1–7.10; issue 11). `notificaciones` is the act as
 * deposited, immutable: the signed document's hash (its bytes live in the blob store), the
 * detached CMS signature, who signed and who deposited, and the legal instant of the aviso
 * (rule a) computed at deposit with the calendar version it names. A correction is a new act
 * naming the one it `replaces_id`. `notificacion_events` is the act's timeline, append-only;
 * the state is a projection of it (src/domain/notificaciones/lifecycle.ts). The events that
 * happen at most once per act are unique by type, so a job run twice, or in two processes at
 * once, cannot write a second constancia or opening. `notificacion_challenges` are the
 * single-use challenges of the signed opening (CFF 134-I), bound to a session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notificaciones (
      id uuid primary key,
      idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
      request_sha256 text not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
      rfc text not null,
      registro_patronal text,
      act_type text not null,
      oficio text not null,
      issuing_unit text not null,
      document_name text not null,
      document_sha256 text not null check (document_sha256 ~ '^[0-9a-f]{64}$'),
      document_bytes integer not null check (document_bytes > 0),
      signature bytea not null,
      signer_rfc text not null,
      signer_certificate_number text not null,
      deposited_by text not null,
      deposited_at timestamptz not null,
      aviso_at timestamptz not null check (aviso_at >= deposited_at),
      estrados boolean not null,
      calendar_version text not null,
      rules_version text not null,
      replaces_id uuid references notificaciones (id)
    )
  `.execute(db);
  // «Mis notificaciones»: the particular's acts, newest first, keyset by (deposited_at, id).
  await sql`
    create index notificaciones_rfc on notificaciones (rfc, deposited_at desc, id desc)
  `.execute(db);
  // Staff follow-up by act type and the keyset of the whole list.
  await sql`
    create index notificaciones_deposited on notificaciones (deposited_at desc, id desc)
  `.execute(db);
  await sql`create index notificaciones_replaces on notificaciones (replaces_id)
    where replaces_id is not null`.execute(db);
  await makeAppendOnly(db, "notificaciones");

  await sql`
    create table notificacion_events (
      id bigint generated always as identity primary key,
      notificacion_id uuid not null references notificaciones (id),
      type text not null check (type in (
        'depositada', 'aviso_emitido', 'segundo_aviso', 'abierta', 'acceso_posterior',
        'constancia_cuarto_dia', 'cancelada', 'publicada_en_estrados',
        'notificada_por_estrados'
      )),
      at timestamptz not null,
      recorded_at timestamptz not null,
      acuse_folio text,
      actor_rfc text,
      data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object')
    )
  `.execute(db);
  await sql`
    create index notificacion_events_act on notificacion_events (notificacion_id, id)
  `.execute(db);
  // At most once per act: a second run of a job, or a second process, hits this index.
  await sql`
    create unique index notificacion_events_once on notificacion_events (notificacion_id, type)
      where type in (
        'depositada', 'constancia_cuarto_dia', 'abierta', 'cancelada', 'aviso_emitido',
        'acceso_posterior', 'notificada_por_estrados'
      )
  `.execute(db);
  await makeAppendOnly(db, "notificacion_events");

  // The 4th-day sweep: acts whose aviso went out and that no event has settled yet. A partial
  // index over the acts not yet notified would need a mutable flag; the sweep instead scans
  // aviso_at (not estrados) and excludes the settled ones through notificacion_events_once.
  await sql`
    create index notificaciones_sweep on notificaciones (aviso_at, id) where not estrados
  `.execute(db);

  await sql`
    create table notificacion_challenges (
      id uuid primary key,
      session_id uuid not null,
      notificacion_id uuid not null references notificaciones (id),
      rfc text not null,
      nonce text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      used_at timestamptz
    )
  `.execute(db);
  await sql`
    create index notificacion_challenges_expires_at on notificacion_challenges (expires_at)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table notificacion_challenges`.execute(db);
  await sql`drop table notificacion_events`.execute(db);
  await sql`drop table notificaciones`.execute(db);
}
