import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Sign-in with e.firma (Lineamientos 5.3, 6.1): single-use challenges, sessions, the
 * Institute's staff and their roles, and an append-only log of every authentication decision.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table auth_challenges (
      id uuid primary key,
      rfc text not null,
      nonce text not null,
      attempt_hash bytea not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )
  `.execute(db);
  await sql`create index auth_challenges_expires_at on auth_challenges (expires_at)`.execute(db);
  await sql`
    create table staff_members (
      rfc text primary key,
      name text not null default '',
      role text not null check (role in ('notificador', 'operador', 'administrador', 'auditor')),
      active boolean not null default true,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by text not null
    )
  `.execute(db);
  await sql`
    create table sessions (
      id uuid primary key,
      token_hash bytea not null unique,
      csrf_hash bytea not null,
      rfc text not null,
      name text not null,
      persona text not null check (persona in ('fisica', 'moral')),
      representative_rfc text,
      representative_curp text,
      certificate_number text not null,
      staff_role text,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      idle_expires_at timestamptz not null,
      expires_at timestamptz not null,
      ended_at timestamptz,
      ended_reason text,
      user_agent text,
      ip text
    )
  `.execute(db);
  await sql`create index sessions_owner on sessions (rfc, representative_rfc) where ended_at is null`.execute(
    db,
  );
  await sql`
    create table auth_events (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      event text not null,
      outcome text not null check (outcome in ('aceptado', 'rechazado')),
      reason text,
      rfc text,
      representative_rfc text,
      certificate_number text,
      session_id uuid,
      ip text,
      user_agent text,
      request_id text,
      detail jsonb not null default '{}'
    )
  `.execute(db);
  await sql`create index auth_events_rfc on auth_events (rfc, at)`.execute(db);
  await makeAppendOnly(db, "auth_events");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table auth_events`.execute(db);
  await sql`drop table sessions`.execute(db);
  await sql`drop table staff_members`.execute(db);
  await sql`drop table auth_challenges`.execute(db);
}
