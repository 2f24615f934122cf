import { type Kysely, sql } from "kysely";

/**
 * Makes a table refuse UPDATE, DELETE and TRUNCATE (evidence is append-only), with the
 * forbid_change() trigger function created in 0001. The triggers are named
 * `<table>_append_only` and `<table>_no_truncate`.
 */
export async function makeAppendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  await sql`
    create trigger ${sql.id(`${table}_append_only`)}
      before update or delete on ${sql.table(table)}
      for each row execute function forbid_change()
  `.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_no_truncate`)}
      before truncate on ${sql.table(table)}
      for each statement execute function forbid_change()
  `.execute(db);
}
