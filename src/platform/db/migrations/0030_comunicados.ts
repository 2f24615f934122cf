import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./append-only.ts";

/**
 * «Mis comunicados» (issue 12 §3). A comunicado is one row whatever its audience: general, a
 * subdelegación (its registro-patronal claves fixed at composition, matched against the padrón
 * when someone reads) or one RFC. `comunicado_lecturas` holds a mark per reader who read it, so
 * a comunicado to a million RFCs is one row plus the marks of those who opened it.
 * `comunicado_envios` records that its e-mails were enqueued (when it asks for them), once.
 * All three are append-only: what was announced, to whom and when stays as it was; a
 * comunicado scheduled in the future is visible from `published_at` on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table comunicados (
      id uuid primary key,
      title text not null,
      body text not null,
      audience text not null check (audience in ('general', 'subdelegacion', 'rfc')),
      audience_rfc text,
      audience_subdelegacion text,
      audience_claves text[] not null default '{}',
      send_email boolean not null,
      published_at timestamptz not null,
      created_at timestamptz not null,
      created_by text not null,
      check ((audience = 'rfc') = (audience_rfc is not null)),
      check ((audience = 'subdelegacion') = (audience_subdelegacion is not null)),
      check (audience <> 'subdelegacion' or cardinality(audience_claves) > 0)
    )
  `.execute(db);
  // The comunicados of everyone and of segments (few) by instant; those of one RFC by RFC.
  await sql`create index comunicados_publicos on comunicados (published_at desc, id desc)
    where audience <> 'rfc'`.execute(db);
  await sql`create index comunicados_rfc on comunicados (audience_rfc, published_at desc, id desc)
    where audience = 'rfc'`.execute(db);
  await makeAppendOnly(db, "comunicados");

  await sql`
    create table comunicado_lecturas (
      comunicado_id uuid not null references comunicados (id),
      rfc text not null,
      read_at timestamptz not null,
      primary key (rfc, comunicado_id)
    )
  `.execute(db);
  await makeAppendOnly(db, "comunicado_lecturas");

  await sql`
    create table comunicado_envios (
      comunicado_id uuid primary key references comunicados (id),
      enqueued_at timestamptz not null,
      messages integer not null check (messages >= 0)
    )
  `.execute(db);
  await makeAppendOnly(db, "comunicado_envios");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table comunicado_envios`.execute(db);
  await sql`drop table comunicado_lecturas`.execute(db);
  await sql`drop table comunicados`.execute(db);
}
