import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * RFC 3161 time-stamps over the PAdES signatures of the acuse PDFs (signature time-stamps,
 * PAdES B-T), by the SHA-256 of the signature value. The signature of an acuse's PDF is always
 * the same (deterministic RSA, dates from the folio), so its token is asked for once and kept:
 * every later download embeds the same token and the PDF stays the same file. Evidence:
 * append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pdf_signature_timestamps (
      signature_sha256 text primary key check (signature_sha256 ~ '^[0-9a-f]{64}$'),
      token bytea not null,
      gen_time timestamptz not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await makeAppendOnly(db, "pdf_signature_timestamps");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pdf_signature_timestamps`.execute(db);
}
