import { type Kysely, sql } from "kysely";

/**
 * «Mis expedientes» searches the whole escrito of a promoción and the whole body of a comunicado,
 * and the names of a promoción's anexos (docs/expedientes.md, «Cómo se indexa»). Migrations 0032
 * and 0034 indexed only the first 2,000 characters of each, while the catalogue admits escritos
 * of 20,000 characters (50,000 for an answer to a requerimiento) and a comunicado's body may have
 * 20,000: a word further on was never found.
 *
 * The anexos' names are rows of `promocion_attachments`, but the promoción's own row already
 * holds them: the manifest the particular signed (`signed_text`, src/domain/promociones/
 * manifest.ts) has one line `Anexo <i>: <bytes> bytes; SHA-256 <hex>; <name>` per anexo, the
 * name last. `expediente_anexos` reads the names from those lines, so `busqueda` stays a column
 * generated from its own row (no trigger, no copy, nothing else read when a promoción is
 * written; the table is append-only and the column cannot be updated later anyway). The
 * manifest's other lines never start with «Anexo »; a new manifest version whose lines change
 * must change this function too (routes.test.ts searches an anexo by its name).
 *
 * Each text is cut at 100,000 characters (twice the catalogue's largest): `to_tsvector` refuses
 * more than 1 MB of words and positions, which 100,000 characters of distinct short words stay
 * well under (about 0.5 MB with the RFC's key before each), so no insert can fail for its index.
 * Keys per RFC (0034) are kept: the same `expediente_texto(rfc, …)`.
 */
const MAX_CHARS = 100_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function expediente_anexos(manifiesto text) returns text
      language sql immutable parallel safe
      return (select string_agg(m[1], ' ')
                from regexp_matches(manifiesto,
                  '^Anexo [0-9]+: [0-9]+ bytes; SHA-256 [0-9a-f]{64}; (.+)$', 'gn') as m)
  `.execute(db);
  await rebuild(db, {
    promociones: joined(
      "subject",
      "acuse_folio",
      "type",
      `left(text, ${MAX_CHARS})`,
      "expediente_anexos(signed_text)",
    ),
    comunicados: joined("title", `left(body, ${MAX_CHARS})`),
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // 0034's columns again; dropping the columns first frees the function.
  await rebuild(db, {
    promociones: joined("subject", "acuse_folio", "type", "left(text, 2000)"),
    comunicados: joined("title", "left(body, 2000)"),
  });
  await sql`drop function expediente_anexos(text)`.execute(db);
}

// `||` over coalesce, not concat_ws (only stable): a generated column takes immutable parts.
const joined = (...parts: string[]) => parts.map((p) => `coalesce(${p}, '')`).join(` || ' ' || `);

/** The two tables' `busqueda` computed from `text`, keyed by the RFC as 0034 does. */
async function rebuild(
  db: Kysely<unknown>,
  text: { promociones: string; comunicados: string },
): Promise<void> {
  const columns: [string, string, string][] = [
    ["promociones", "rfc", text.promociones],
    ["comunicados", "audience_rfc", text.comunicados],
  ];
  for (const [table, rfc, words] of columns) {
    // Dropping the column drops its GIN index too.
    await sql`alter table ${sql.table(table)} drop column busqueda`.execute(db);
    await sql`
      alter table ${sql.table(table)} add column busqueda tsvector
        generated always as (to_tsvector('simple'::regconfig,
          expediente_texto(${sql.raw(rfc)}, ${sql.raw(words)}))) stored
    `.execute(db);
    await sql`create index ${sql.id(`${table}_busqueda`)} on ${sql.table(table)} using gin (busqueda)`.execute(
      db,
    );
  }
}
