import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * The exact text of a document an acuse seals when the Institute itself wrote it — the
 * statement of the contact means registered or validated (ADR 0012) — so anyone holding the
 * acuse's folio and code can read it and re-hash it. Append-only, written in the acuse's own
 * transaction; one per acuse at most. The index serves «Mis acuses»: a buzón's acuses, newest
 * first, read by RFC from the acuses themselves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table acuse_statements (
      folio text primary key references acuses (folio),
      name text not null,
      text text not null
    )
  `.execute(db);
  await makeAppendOnly(db, "acuse_statements");
  await sql`create index acuses_rfc_folio on acuses (rfc, folio)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index acuses_rfc_folio`.execute(db);
  await sql`drop table acuse_statements`.execute(db);
}
