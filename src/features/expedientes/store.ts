import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../platform/db/schema.ts";
import { reaches } from "../comunicados/store.ts";
import type { ExpedienteClase } from "./schemas.ts";
import { prefixQuery } from "./search.ts";

/**
 * Every SQL statement of «Mis expedientes». A page is one statement: a branch per class (two for
 * comunicados: those to the RFC and those to everyone or a segment), each reading its own index
 * newest first up to the page's size, merged by `union all` and cut to the page. The order is
 * (instant desc, class desc, id desc), so ties on the instant are broken the same way on every
 * page, and the keyset after an item is, in each branch, a plain comparison on its own index.
 */

/** A position in the list: an item's instant, class and id. */
export interface ExpedienteKey {
  at: Date;
  clase: ExpedienteClase;
  id: string;
}

/** One search word and the type ids (of each class) whose name it matches. */
export interface SearchWord {
  word: string;
  types: Partial<Record<ExpedienteClase, readonly string[]>>;
}

export interface PageQuery {
  rfc: string;
  now: Date;
  clases: readonly ExpedienteClase[];
  words: readonly SearchWord[];
  /** Notifications whose timeline names the folio searched for. */
  folioActs: readonly string[];
  from?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  registroPatronal?: string | undefined;
  after?: ExpedienteKey | undefined;
  limit: number;
}

interface Branch {
  clase: ExpedienteClase;
  /** `from <table> <alias>` and the conditions of the person's own rows. */
  from: RawBuilder<unknown>;
  own: RawBuilder<unknown>;
  alias: string;
  at: string;
  type: string | null;
  registro: string | null;
}

const and = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` and `);

function branches(q: PageQuery): Branch[] {
  return [
    {
      clase: "notificacion",
      from: sql`from notificaciones n`,
      // Necessary for the addressee to see it (aviso reached, not on estrados); the
      // notifications' own projection decides the rest (service.ts).
      own: sql`n.rfc = ${q.rfc} and not n.estrados and n.aviso_at <= ${q.now}`,
      alias: "n",
      at: "aviso_at",
      type: "act_type",
      registro: "registro_patronal",
    },
    {
      clase: "promocion",
      from: sql`from promociones p`,
      own: sql`p.rfc = ${q.rfc}`,
      alias: "p",
      at: "sent_at",
      type: "type",
      registro: null,
    },
    {
      clase: "documento",
      from: sql`from documentos d`,
      own: sql`d.rfc = ${q.rfc} and d.published_at <= ${q.now}`,
      alias: "d",
      at: "published_at",
      type: "kind",
      registro: "registro_patronal",
    },
    {
      clase: "comunicado",
      from: sql`from comunicados c`,
      own: sql`c.audience = 'rfc' and c.audience_rfc = ${q.rfc} and c.published_at <= ${q.now}`,
      alias: "c",
      at: "published_at",
      type: null,
      registro: null,
    },
    {
      clase: "comunicado",
      from: sql`from comunicados c`,
      own: sql`c.audience <> 'rfc' and c.published_at <= ${q.now} and ${reaches(q.rfc)}`,
      alias: "c",
      at: "published_at",
      type: null,
      registro: null,
    },
  ];
}

function branchSql(b: Branch, q: PageQuery): RawBuilder<unknown> | undefined {
  if (!q.clases.includes(b.clase)) return undefined;
  const col = (name: string) => sql.ref(`${b.alias}.${name}`);
  const where: RawBuilder<unknown>[] = [b.own];
  if (q.registroPatronal !== undefined) {
    if (b.registro === null) return undefined;
    where.push(sql`${col(b.registro)} = ${q.registroPatronal}`);
  }
  if (q.from) where.push(sql`${col(b.at)} >= ${q.from}`);
  if (q.until) where.push(sql`${col(b.at)} < ${q.until}`);
  if (q.words.length > 0) {
    const words = q.words.map(({ word, types }) => {
      const ts = sql`${col("busqueda")} @@ to_tsquery('simple', ${prefixQuery(word)})`;
      const ids = b.type === null ? [] : (types[b.clase] ?? []);
      return ids.length === 0
        ? ts
        : sql`(${ts} or ${col(b.type ?? "")} = any(${[...ids]}::text[]))`;
    });
    const all = and(words);
    where.push(
      b.clase === "notificacion" && q.folioActs.length > 0
        ? sql`((${all}) or n.id = any(${[...q.folioActs]}::uuid[]))`
        : sql`(${all})`,
    );
  }
  const after = q.after;
  if (after) {
    // Within a branch the class is fixed: the keyset is on (instant, id) of its index.
    if (b.clase < after.clase) where.push(sql`${col(b.at)} <= ${after.at}`);
    else if (b.clase > after.clase) where.push(sql`${col(b.at)} < ${after.at}`);
    else
      where.push(sql`(${col(b.at)}, ${col("id")}) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  }
  return sql`(select ${sql.lit(b.clase)}::text as clase, ${col("id")} as id, ${col(b.at)} as at
     ${b.from} where ${and(where)}
     order by ${col(b.at)} desc, ${col("id")} desc limit ${q.limit})`;
}

/** The keys of one page, newest first: `limit` at most. */
export async function pageKeys(db: Db, q: PageQuery): Promise<ExpedienteKey[]> {
  const parts = branches(q)
    .map((b) => branchSql(b, q))
    .filter((p): p is RawBuilder<unknown> => p !== undefined);
  if (parts.length === 0) return [];
  const result = await sql<{ clase: ExpedienteClase; id: string; at: Date }>`
    select clase, id, at from (${sql.join(parts, sql` union all `)}) as u
     order by at desc, clase desc, id desc
    limit ${q.limit}
  `.execute(db);
  return result.rows.map((r) => ({ clase: r.clase, id: r.id, at: new Date(r.at) }));
}

/** The acts of the RFC whose timeline names this acuse folio. */
export async function actsWithFolio(db: Db, rfc: string, folio: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select distinct e.notificacion_id as id from notificacion_events e
      join notificaciones n on n.id = e.notificacion_id
     where e.acuse_folio = ${folio} and n.rfc = ${rfc}
  `.execute(db);
  return result.rows.map((r) => r.id);
}

export function createExpedienteStore(db: Db) {
  return {
    pageKeys: (q: PageQuery) => pageKeys(db, q),
    actsWithFolio: (rfc: string, folio: string) => actsWithFolio(db, rfc, folio),

    async notificaciones(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return db
        .selectFrom("notificaciones")
        .selectAll()
        .where("id", "=", sql<string>`any(${[...ids]}::uuid[])`)
        .execute();
    },

    async promociones(ids: readonly string[]) {
      if (ids.length === 0) return { rows: [], events: [] };
      const [rows, events] = await Promise.all([
        db
          .selectFrom("promociones")
          .select(["id", "type", "subject", "acuse_folio", "sent_at"])
          .where("id", "=", sql<string>`any(${[...ids]}::uuid[])`)
          .execute(),
        db
          .selectFrom("promocion_events")
          .select(["promocion_id", "type", "acuse_folio"])
          .where("promocion_id", "=", sql<string>`any(${[...ids]}::uuid[])`)
          .orderBy("id")
          .execute(),
      ]);
      return { rows, events };
    },

    async documentos(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return db
        .selectFrom("documentos")
        .select(["id", "kind", "period", "registro_patronal", "file_name", "published_at"])
        .where("id", "=", sql<string>`any(${[...ids]}::uuid[])`)
        .execute();
    },

    async comunicados(rfc: string, ids: readonly string[]) {
      if (ids.length === 0) return [];
      const result = await sql<{
        id: string;
        title: string;
        published_at: Date;
        read_at: Date | null;
      }>`
        select c.id, c.title, c.published_at, l.read_at
          from comunicados c
          left join comunicado_lecturas l on l.comunicado_id = c.id and l.rfc = ${rfc}
         where c.id = any(${[...ids]}::uuid[])
      `.execute(db);
      return result.rows;
    },

    /** The seals of these folios, of acuses whose party is `rfc` (others are not listed). */
    async acuseSeals(rfc: string, folios: readonly string[]) {
      if (folios.length === 0) return [];
      return db
        .selectFrom("acuses")
        .select(["folio", "seal"])
        .where("folio", "in", [...folios])
        .where("rfc", "=", rfc)
        .execute();
    },
  };
}

export type ExpedienteStore = ReturnType<typeof createExpedienteStore>;
