import { type Kysely, sql } from "kysely";

/**
 * «Mis expedientes» (issue 12 §4): one searchable list over the particular's notifications,
 * promociones, documents and comunicados. Each of the four tables gets `busqueda`, a compact
 * `tsvector` generated from its short fields (oficio, file names, subject, folio, registro
 * patronal, the first characters of long texts), written once when the row is inserted (the
 * tables are append-only) and indexed with GIN, so a search never re-reads large text.
 * `expediente_texto` folds case and Spanish accents and keeps only letters and digits (the
 * search in src/features/expedientes/search.ts normalises the words asked for the same way);
 * the `simple` configuration keeps every word as written (folios, oficios and registros are not
 * Spanish words to stem). The list is ordered by each item's instant: the notifications' is the
 * aviso's (when the addressee sees them), indexed here per RFC; the others had theirs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function expediente_texto(t text) returns text
      language sql immutable parallel safe
      return regexp_replace(
        lower(translate(coalesce(t, ''),
          'ÁÀÄÂÉÈËÊÍÌÏÎÓÒÖÔÚÙÜÛÑÇáàäâéèëêíìïîóòöôúùüûñç',
          'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')),
        '[^a-z0-9]+', ' ', 'g')
  `.execute(db);
  // `||` over coalesce, not concat_ws (only stable): a generated column takes immutable parts.
  const joined = (...parts: string[]) => parts.map((p) => `coalesce(${p}, '')`).join(` || ' ' || `);
  const columns: [string, string][] = [
    [
      "notificaciones",
      joined("oficio", "document_name", "issuing_unit", "registro_patronal", "act_type"),
    ],
    ["promociones", joined("subject", "acuse_folio", "type", "left(text, 2000)")],
    ["documentos", joined("kind", "period", "registro_patronal", "file_name")],
    ["comunicados", joined("title", "left(body, 2000)")],
  ];
  for (const [table, text] of columns) {
    await sql`
      alter table ${sql.table(table)} add column busqueda tsvector
        generated always as (to_tsvector('simple'::regconfig, expediente_texto(${sql.raw(text)}))) stored
    `.execute(db);
    await sql`create index ${sql.id(`${table}_busqueda`)} on ${sql.table(table)} using gin (busqueda)`.execute(
      db,
    );
  }
  // The notifications the addressee sees, by the aviso's instant (estrados' are not in the buzón).
  await sql`
    create index notificaciones_rfc_aviso on notificaciones (rfc, aviso_at desc, id desc)
      where not estrados
  `.execute(db);
  // A search by an acuse's folio finds the act whose timeline names it.
  await sql`
    create index notificacion_events_acuse on notificacion_events (acuse_folio)
      where acuse_folio is not null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notificacion_events_acuse`.execute(db);
  await sql`drop index notificaciones_rfc_aviso`.execute(db);
  for (const table of ["notificaciones", "promociones", "documentos", "comunicados"]) {
    await sql`alter table ${sql.table(table)} drop column busqueda`.execute(db);
  }
  await sql`drop function expediente_texto(text)`.execute(db);
}
