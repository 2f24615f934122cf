import { type Kysely, sql } from "kysely";

/**
 * Leases for jobs that one worker at a time should run (the time-stamp sweep): any number of
 * `buzon worker` and `buzon serve` processes share one database, and a job's lease says who
 * runs it until when. A lease outlives a crashed holder only until it expires. Operational
 * state, not evidence: rows are updated and deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job_leases (
      job text primary key,
      holder text not null,
      expires_at timestamptz not null
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_leases`.execute(db);
}
