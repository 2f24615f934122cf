import { type Kysely, sql } from "kysely";

/**
 * Rate-limit counters shared by every process on one PostgreSQL, so a limit is the same with
 * one server or ten. A counter is a key (limit and client address) with its hits in the
 * current window; rows past their window are reset on the next hit and swept now and then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limit_counters (
      key text primary key,
      hits integer not null,
      window_ends_at timestamptz not null
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rate_limit_counters`.execute(db);
}
