import { type Kysely, sql } from "kysely";

/**
 * Per-staff API tokens for automation, replacing the single shared BUZON_ADMIN_TOKEN. Only the
 * SHA-256 of a token is stored; its use and every failure go to auth_events (append-only).
 * A token row changes twice at most: its last use, and its revocation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_tokens (
      id uuid primary key,
      token_hash bytea not null unique,
      staff_rfc text not null references staff_members (rfc),
      name text not null,
      roles text[] not null check (
        cardinality(roles) > 0
        and roles <@ array['notificador', 'operador', 'administrador', 'auditor']::text[]
      ),
      created_at timestamptz not null,
      created_by text not null,
      expires_at timestamptz not null check (expires_at > created_at),
      revoked_at timestamptz,
      revoked_by text,
      last_used_at timestamptz
    )
  `.execute(db);
  await sql`create index api_tokens_staff on api_tokens (staff_rfc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table api_tokens`.execute(db);
}
