import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Calendars are versioned data (CFF art. 12; Lineamientos 7.2): each version is a full,
 * immutable snapshot of an authority's declared days, so every computed date can be recomputed
 * with the version it named.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception 'la tabla % solo admite inserciones', tg_table_name
        using errcode = 'P0001';
    end
    $$
  `.execute(db);
  await sql`
    create table calendar_versions (
      id bigint generated always as identity primary key,
      authority text not null check (authority ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
      version text not null check (length(version) between 1 and 40),
      days jsonb not null check (jsonb_typeof(days) = 'array'),
      note text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (authority, version)
    )
  `.execute(db);
  await makeAppendOnly(db, "calendar_versions");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table calendar_versions`.execute(db);
  await sql`drop function forbid_change()`.execute(db);
}
