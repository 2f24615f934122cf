import { type Kysely, sql } from "kysely";

/**
 * The aclaraciones' three reads in the order they are shown (oldest first, then by id) without
 * sorting the table: the staff queue of one status (0011's index gains the id, the keyset's
 * tie-break), the whole queue («todas», no status), and one person's own (her «Mis medios de
 * contacto»). Before, the last two read and sorted every aclaración of the country.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index mailbox_aclaraciones_queue`.execute(db);
  await sql`
    create index mailbox_aclaraciones_queue on mailbox_aclaraciones (status, created_at, id)
  `.execute(db);
  await sql`
    create index mailbox_aclaraciones_order on mailbox_aclaraciones (created_at, id)
  `.execute(db);
  await sql`
    create index mailbox_aclaraciones_rfc on mailbox_aclaraciones (rfc, created_at, id)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index mailbox_aclaraciones_rfc`.execute(db);
  await sql`drop index mailbox_aclaraciones_order`.execute(db);
  await sql`drop index mailbox_aclaraciones_queue`.execute(db);
  await sql`
    create index mailbox_aclaraciones_queue on mailbox_aclaraciones (status, created_at)
  `.execute(db);
}
