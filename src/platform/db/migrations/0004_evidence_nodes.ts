import { Buffer } from "node:buffer";
import { type Kysely, sql } from "kysely";
import { nodesCompletedBy } from "../../../domain/evidence/merkle.ts";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Evidence at scale (issue 4 §2, §5):
 * - `log_nodes`: the hash of every complete aligned block of 2^level leaves (level ≥ 1; level 0
 *   is `log_leaves`), written in the same transaction as the leaves, so roots and proofs read
 *   O(log n) rows instead of the whole log. Derivable from the leaves, and append-only like them.
 * - `acuse_timestamps`: the RFC 3161 token over each acuse's seal, kept apart because it arrives
 *   after the acuse is sealed and the acuse row is never updated. Append-only, one per acuse.
 * - A GIN index over the sealed documents, to find the acuses that seal a document's SHA-256.
 * - `seal_certificates`: every seal certificate used, by number (append-only).
 * - Folios may carry a sequence (`-0001`) for further acuses of the same millisecond (folio.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table acuses drop constraint acuses_folio_check`.execute(db);
  await sql`
    alter table acuses add constraint acuses_folio_check
      check (folio ~ '^[A-Z]{1,8}-[0-9]{8}-[0-9]{9}(-[0-9]{4})?$')
  `.execute(db);
  await sql`
    create table log_nodes (
      level smallint not null check (level between 1 and 62),
      idx bigint not null check (idx >= 0),
      hash bytea not null check (octet_length(hash) = 32),
      primary key (level, idx)
    )
  `.execute(db);
  await sql`
    create table acuse_timestamps (
      folio text primary key references acuses (folio),
      token bytea not null,
      gen_time timestamptz not null,
      tsa_serial text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index acuses_documents on acuses using gin (documents jsonb_path_ops)`.execute(
    db,
  );
  // Every certificate the Institute has sealed with, by number: an acuse is verified with the
  // certificate that made its seal, years after the seal was renewed (Lineamientos 7.7).
  await sql`
    create table seal_certificates (
      number text primary key,
      der bytea not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  for (const table of ["log_nodes", "acuse_timestamps", "seal_certificates"]) {
    await makeAppendOnly(db, table);
  }
  await backfillNodes(db);
}

/** Nodes for a log that already had leaves before this migration. */
async function backfillNodes(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ leaf_hash: Uint8Array }>`
    select leaf_hash from log_leaves order by leaf_index
  `.execute(db);
  if (rows.length === 0) return;
  const nodes = nodesCompletedBy(
    0,
    [],
    rows.map((r) => new Uint8Array(r.leaf_hash)),
  );
  for (let i = 0; i < nodes.length; i += 1000) {
    const chunk = nodes.slice(i, i + 1000);
    await sql`
      insert into log_nodes (level, idx, hash)
      values ${sql.join(chunk.map((n) => sql`(${n.level}, ${n.index}, ${Buffer.from(n.hash)})`))}
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table acuses drop constraint acuses_folio_check`.execute(db);
  await sql`
    alter table acuses add constraint acuses_folio_check
      check (folio ~ '^[A-Z]{1,8}-[0-9]{8}-[0-9]{9}$')
  `.execute(db);
  await sql`drop index acuses_documents`.execute(db);
  await sql`drop table seal_certificates`.execute(db);
  await sql`drop table acuse_timestamps`.execute(db);
  await sql`drop table log_nodes`.execute(db);
}
