import { type Kysely, sql } from "kysely";

/**
 * The signature covers only the PDF: one signed document deposited twice (with another key, to
 * the same or another RFC) would be two acts from one signature. The deposit refuses a second
 * live act with the same document (409 `document_already_deposited`) by looking it up here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index notificaciones_document on notificaciones (document_sha256)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notificaciones_document`.execute(db);
}
