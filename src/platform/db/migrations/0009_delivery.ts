import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * The delivery pipeline (issue 9 §4). `outbox` holds every message to send, written in the
 * transaction of the change that causes it; its idempotency key is unique, so one event is one
 * message however often it is enqueued. It is operational state: the worker updates its status
 * and next attempt, and wipes `secret` (a code, sealed with AES-256-GCM) after the last
 * outcome. `delivery_attempts` is evidence: one row per attempt and address, append-only — the
 * aviso of a notification is proven from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      id bigint generated always as identity primary key,
      idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
      channel text not null check (channel in ('correo', 'sms')),
      recipient text not null check (length(recipient) between 1 and 320),
      template text not null,
      data jsonb not null check (jsonb_typeof(data) = 'object'),
      secret bytea,
      rfc text,
      status text not null default 'pendiente'
        check (status in ('pendiente', 'enviada', 'fallida')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at timestamptz,
      last_response text,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((status = 'pendiente') = (finished_at is null)),
      check (status = 'pendiente' or secret is null)
    )
  `.execute(db);
  // The worker's scan: pending messages, oldest first; a message never tried has no instant.
  await sql`
    create index outbox_due on outbox (next_attempt_at nulls first, id)
      where status = 'pendiente'
  `.execute(db);
  await sql`create index outbox_failed on outbox (finished_at desc) where status = 'fallida'`.execute(
    db,
  );
  await sql`create index outbox_rfc on outbox (rfc, created_at) where rfc is not null`.execute(db);
  await sql`
    create table delivery_attempts (
      id bigint generated always as identity primary key,
      outbox_id bigint not null references outbox (id),
      idempotency_key text not null,
      message_id text not null,
      channel text not null check (channel in ('correo', 'sms')),
      recipient text not null,
      rfc text,
      attempt integer not null check (attempt >= 1),
      outcome text not null check (outcome in ('enviado', 'reintento', 'fallido')),
      response text not null,
      at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (outbox_id, attempt)
    )
  `.execute(db);
  await sql`create index delivery_attempts_rfc on delivery_attempts (rfc, at) where rfc is not null`.execute(
    db,
  );
  await makeAppendOnly(db, "delivery_attempts");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table delivery_attempts`.execute(db);
  await sql`drop table outbox`.execute(db);
}
