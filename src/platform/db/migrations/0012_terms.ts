import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * Términos y Condiciones (Lineamientos 5.3): the published versions (append-only: a version's
 * text never changes, a new text is a new version), the single-use challenges a signed-in person
 * signs, and the signatures themselves (append-only evidence: certificate, signature and the
 * exact signed text, so anyone can verify again that the person signed that text).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table terms_versions (
      version integer primary key check (version >= 1),
      text text not null,
      sha256 text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
      bytes integer not null check (bytes > 0),
      note text not null,
      published_by text not null,
      published_at timestamptz not null
    )
  `.execute(db);
  await makeAppendOnly(db, "terms_versions");
  await sql`
    create table terms_challenges (
      id uuid primary key,
      session_id uuid not null,
      rfc text not null,
      version integer not null references terms_versions (version),
      nonce text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      used_at timestamptz
    )
  `.execute(db);
  await sql`create index terms_challenges_expires_at on terms_challenges (expires_at)`.execute(db);
  // The acuse is written after its record() step, in the same transaction: checked at commit.
  await sql`
    create table terms_signatures (
      id bigint generated always as identity primary key,
      acuse_folio text not null unique references acuses (folio) deferrable initially deferred,
      rfc text not null,
      signer_rfc text not null,
      version integer not null references terms_versions (version),
      terms_sha256 text not null check (terms_sha256 ~ '^[0-9a-f]{64}$'),
      signed_text text not null,
      certificate bytea not null,
      certificate_number text not null,
      signature bytea not null,
      session_id uuid not null,
      signed_at timestamptz not null
    )
  `.execute(db);
  await sql`create index terms_signatures_rfc on terms_signatures (rfc, signed_at)`.execute(db);
  await makeAppendOnly(db, "terms_signatures");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table terms_signatures`.execute(db);
  await sql`drop table terms_challenges`.execute(db);
  await sql`drop table terms_versions`.execute(db);
}
