import { type Kysely, sql } from "kysely";

/**
 * The padrón (issue 9 §1): the particulars the Institute knows, imported from CSV files.
 * Operational records, not evidence: a re-import updates a row that changed. Each row names
 * the import that last changed it, and each import keeps its report, so every change is
 * traceable to a file, its SHA-256 and who loaded it. A registro patronal belongs to one RFC
 * (its primary key says so), and its RFC's entry lists it too, so one read answers an entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table padron_imports (
      id uuid primary key,
      file_name text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      actor text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      rows_read integer not null default 0,
      inserted integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      refused integer not null default 0,
      refusals jsonb not null default '[]' check (jsonb_typeof(refusals) = 'array')
    )
  `.execute(db);
  await sql`
    create table padron_entries (
      rfc text primary key check (rfc ~ '^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$'),
      name text not null check (length(name) between 1 and 300),
      persona text not null check (persona in ('fisica', 'moral')),
      registros_patronales text[] not null default '{}',
      email_on_file text check (email_on_file = lower(email_on_file)),
      habilitacion_2020_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      import_id uuid not null references padron_imports (id),
      check ((persona = 'fisica') = (length(rfc) = 13))
    )
  `.execute(db);
  await sql`
    create table padron_registros (
      registro_patronal text primary key check (registro_patronal ~ '^[A-Z][0-9]{10}$'),
      rfc text not null references padron_entries (rfc)
    )
  `.execute(db);
  await sql`create index padron_registros_rfc on padron_registros (rfc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table padron_registros`.execute(db);
  await sql`drop table padron_entries`.execute(db);
  await sql`drop table padron_imports`.execute(db);
}
