import { type Kysely, sql } from "kysely";

/**
 * «Mis expedientes»: each person's words indexed apart (docs/expedientes.md, «Rendimiento»).
 * Migration 0032's `busqueda` held the plain words, so a search read, in one GIN index, the
 * rows of every RFC holding the word and only then kept the person's: the cost grew with the
 * whole country's rows, and the planner, misjudging how many rows a prefix matches, took that
 * path for common words too (50 ms for «prima riesgo» over 20 RFCs in bench:expedientes). Here
 * every word of a row that belongs to one RFC is written after a 12-letter key of that RFC
 * (`expediente_clave`: the first 12 hex digits of its MD5, spelled with letters so the parser
 * keeps key and word as one token), so a prefix search reads only that person's entries. Rows of
 * no one RFC (general and segment comunicados) keep the plain words. Two RFCs sharing a key
 * would only read each other's candidates: every query also asks for the RFC itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function expediente_clave(rfc text) returns text
      language sql immutable parallel safe
      return translate(left(md5(rfc), 12), '0123456789', 'ghijklmnop')
  `.execute(db);
  await sql`
    create function expediente_texto(rfc text, t text) returns text
      language sql immutable parallel safe
      return case when rfc is null then expediente_texto(t)
             else regexp_replace(expediente_texto(t), '([a-z0-9]+)', expediente_clave(rfc) || '\\1', 'g')
             end
  `.execute(db);
  await rebuild(db, "expediente_texto(%RFC%, %TEXT%)");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, "expediente_texto(%TEXT%)");
  await sql`drop function expediente_texto(text, text)`.execute(db);
  await sql`drop function expediente_clave(text)`.execute(db);
}

/** 0032's columns again, with `busqueda` computed by `expression`. */
async function rebuild(db: Kysely<unknown>, expression: string): Promise<void> {
  const joined = (...parts: string[]) => parts.map((p) => `coalesce(${p}, '')`).join(` || ' ' || `);
  const columns: [string, string, string][] = [
    [
      "notificaciones",
      "rfc",
      joined("oficio", "document_name", "issuing_unit", "registro_patronal", "act_type"),
    ],
    ["promociones", "rfc", joined("subject", "acuse_folio", "type", "left(text, 2000)")],
    ["documentos", "rfc", joined("kind", "period", "registro_patronal", "file_name")],
    ["comunicados", "audience_rfc", joined("title", "left(body, 2000)")],
  ];
  for (const [table, rfc, text] of columns) {
    const computed = expression.replace("%RFC%", rfc).replace("%TEXT%", text);
    // Dropping the column drops its GIN index too.
    await sql`alter table ${sql.table(table)} drop column busqueda`.execute(db);
    await sql`
      alter table ${sql.table(table)} add column busqueda tsvector
        generated always as (to_tsvector('simple'::regconfig, ${sql.raw(computed)})) stored
    `.execute(db);
    await sql`create index ${sql.id(`${table}_busqueda`)} on ${sql.table(table)} using gin (busqueda)`.execute(
      db,
    );
  }
}
