import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Evidence (Lineamientos 6.1, 7.7, 7.9): sealed acuses, the leaves of the public Merkle log
 * (RFC 9162) that holds them, and the log's signed checkpoints. All three are append-only: no
 * row is ever updated or deleted, and the database refuses it (forbid_change, from 0001).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table acuses (
      id bigint generated always as identity primary key,
      folio text not null unique check (folio ~ '^[A-Z]{1,8}-[0-9]{8}-[0-9]{9}$'),
      kind text not null,
      rfc text not null,
      actor_rfc text not null,
      capacity text not null,
      event_at timestamptz not null,
      counts_at timestamptz not null check (counts_at >= event_at),
      rule text not null,
      calendar_version text not null,
      rules_version text not null,
      documents jsonb not null check (jsonb_typeof(documents) = 'array'),
      cadena_original text not null,
      seal text not null,
      seal_certificate_number text not null,
      leaf_index bigint not null unique check (leaf_index >= 0),
      created_at timestamptz not null default now(),
      unique (folio, leaf_index)
    )
  `.execute(db);
  await sql`create index acuses_rfc on acuses (rfc, event_at)`.execute(db);
  await sql`
    create table log_leaves (
      leaf_index bigint primary key check (leaf_index >= 0),
      leaf_hash bytea not null check (octet_length(leaf_hash) = 32),
      folio text not null unique references acuses (folio),
      foreign key (folio, leaf_index) references acuses (folio, leaf_index)
    )
  `.execute(db);
  // A log has no gaps: each leaf takes the next index. Two writers racing past this check
  // would collide on the primary key; the store also serialises issuance under a lock.
  await sql`
    create function log_leaves_next_index() returns trigger language plpgsql as $$
    begin
      if new.leaf_index <> (select coalesce(max(leaf_index) + 1, 0) from log_leaves) then
        raise exception 'la hoja % no es la siguiente del registro', new.leaf_index
          using errcode = 'P0001';
      end if;
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger log_leaves_contiguous
      before insert on log_leaves
      for each row execute function log_leaves_next_index()
  `.execute(db);
  await sql`
    create table log_checkpoints (
      size bigint primary key check (size >= 0),
      root bytea not null check (octet_length(root) = 32),
      note text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  for (const table of ["acuses", "log_leaves", "log_checkpoints"]) {
    await makeAppendOnly(db, table);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table log_checkpoints`.execute(db);
  await sql`drop table log_leaves`.execute(db);
  await sql`drop function log_leaves_next_index()`.execute(db);
  await sql`drop table acuses`.execute(db);
}
