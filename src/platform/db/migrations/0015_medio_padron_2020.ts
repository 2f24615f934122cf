import { type Kysely, sql } from "kysely";

/**
 * The e-mail on file of a mailbox enabled under the 2020 rules (Lineamientos 5.4) is carried
 * over as a validated means of the RFC: it was never registered here, so it has no acuse of
 * registration, and its row says where it came from. Every other means keeps its acuse.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailbox_means
      add column origin text check (origin in ('padron_2020')),
      alter column acuse_folio drop not null,
      add constraint mailbox_means_acuse_or_origin check (
        acuse_folio is not null or (origin is not null and status <> 'pendiente')
      )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from mailbox_means where acuse_folio is null`.execute(db);
  await sql`
    alter table mailbox_means
      drop constraint mailbox_means_acuse_or_origin,
      alter column acuse_folio set not null,
      drop column origin
  `.execute(db);
}
