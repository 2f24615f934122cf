import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * «Mis documentos» (issue 12 §2): the documents the Institute publishes for a particular. The
 * bytes live in the blob store under their SHA-256 (ADR 0013); here, what each one is: its RFC,
 * kind (catalogos/documentos.json), period, registro patronal, hash and who published it. Append
 * only: a document published is evidence of what was put at the person's disposal; a correction
 * is another document. One hash is one document (`sha256` unique), so the public verification
 * by hash names exactly one kind and period, and publishing the same bytes again is recognised.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table documentos (
      id uuid primary key,
      rfc text not null,
      kind text not null,
      period text not null,
      registro_patronal text check (registro_patronal ~ '^[A-Z][0-9]{10}$'),
      sha256 text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
      bytes bigint not null check (bytes > 0),
      file_name text not null,
      published_at timestamptz not null,
      published_by text not null,
      via text not null check (via in ('api', 'linea_de_comandos', 'demo'))
    )
  `.execute(db);
  // «Mis documentos»: the particular's, newest first, keyset by (published_at, id); the
  // filters (kind, period, registro patronal) narrow the same range.
  await sql`create index documentos_rfc on documentos (rfc, published_at desc, id desc)`.execute(
    db,
  );
  await makeAppendOnly(db, "documentos");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table documentos`.execute(db);
}
