import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * The metadata of the content-addressed blob store (issue 11 §1): one row per stored document,
 * named by the SHA-256 of its bytes, which live in the store (DATA_DIR/blobs or S3). Append-only
 * as the bytes are write-once: a document's hash, size and type never change, and Lineamientos
 * 7.7 asks it be kept at least 5 years; nothing purges it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table blobs (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      bytes bigint not null check (bytes >= 0),
      media_type text not null
        check (media_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'
               and length(media_type) <= 255),
      created_at timestamptz not null
    )
  `.execute(db);
  await makeAppendOnly(db, "blobs");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table blobs`.execute(db);
}
