import { type Kysely, sql } from "kysely";

/**
 * The habilitación an acuse states (cadena original version 2, ADR 0011): how the party's
 * mailbox was enabled when the act happened. Null for every version-1 acuse, which states
 * nothing; adding a nullable column rewrites no row, so the append-only table stays untouched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table acuses
      add column habilitacion text
        check (habilitacion in ('lineamientos_2020', 'activacion'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table acuses drop column habilitacion`.execute(db);
}
