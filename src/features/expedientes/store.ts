import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../platform/db/schema.ts";
import { reaches } from "../comunicados/store.ts";
import { type ActsWithEvents, notificacionesWithEvents } from "../notificaciones/store.ts";
import type { ExpedienteClase } from "./schemas.ts";
import { prefixQuery, rfcKey } from "./search.ts";

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
  /** Whether its rows' words are written after the RFC's key (migration 0034). */
  keyed: boolean;
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
      keyed: true,
    },
    {
      clase: "promocion",
      from: sql`from promociones p`,
      own: sql`p.rfc = ${q.rfc}`,
      alias: "p",
      at: "sent_at",
      type: "type",
      registro: null,
      keyed: true,
    },
    {
      clase: "documento",
      from: sql`from documentos d`,
      own: sql`d.rfc = ${q.rfc} and d.published_at <= ${q.now}`,
      alias: "d",
      at: "published_at",
      type: "kind",
      registro: "registro_patronal",
      keyed: true,
    },
    {
      clase: "comunicado",
      from: sql`from comunicados c`,
      own: sql`c.audience = 'rfc' and c.audience_rfc = ${q.rfc} and c.published_at <= ${q.now}`,
      alias: "c",
      at: "published_at",
      type: null,
      registro: null,
      keyed: true,
    },
    {
      clase: "comunicado",
      from: sql`from comunicados c`,
      own: sql`c.audience <> 'rfc' and c.published_at <= ${q.now} and ${reaches(q.rfc)}`,
      alias: "c",
      at: "published_at",
      type: null,
      registro: null,
      keyed: false,
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
      const term = prefixQuery(b.keyed ? `${rfcKey(q.rfc)}${word}` : word);
      const ts = sql`${col("busqueda")} @@ to_tsquery('simple', ${term})`;
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

/** The one statement of a page's keys; undefined when no class can have any (nothing to read). */
export function pageStatement(
  q: PageQuery,
): RawBuilder<{ clase: ExpedienteClase; id: string; at: Date }> | undefined {
  const parts = branches(q)
    .map((b) => branchSql(b, q))
    .filter((p): p is RawBuilder<unknown> => p !== undefined);
  if (parts.length === 0) return undefined;
  return sql<{ clase: ExpedienteClase; id: string; at: Date }>`
    select clase, id, at from (${sql.join(parts, sql` union all `)}) as u
     order by at desc, clase desc, id desc
    limit ${q.limit}
  `;
}

/** The keys of one page, newest first: `limit` at most. */
export async function pageKeys(db: Db, q: PageQuery): Promise<ExpedienteKey[]> {
  const statement = pageStatement(q);
  if (!statement) return [];
  const result = await statement.execute(db);
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

export interface PromocionDetail {
  id: string;
  type: string;
  subject: string;
  acuse_folio: string;
  sent_at: Date;
  events: { type: string; acuse_folio: string | null }[];
}

export interface DocumentoDetail {
  id: string;
  kind: string;
  period: string;
  registro_patronal: string | null;
  file_name: string;
  published_at: Date;
}

export interface ComunicadoDetail {
  id: string;
  title: string;
  published_at: Date;
  read_at: Date | null;
}

export interface PageDetails {
  promociones: PromocionDetail[];
  documentos: DocumentoDetail[];
  comunicados: ComunicadoDetail[];
  seals: { folio: string; seal: string }[];
}

export function createExpedienteStore(db: Db) {
  return {
    pageKeys: (q: PageQuery) => pageKeys(db, q),
    actsWithFolio: (rfc: string, folio: string) => actsWithFolio(db, rfc, folio),

    /** The acts' rows as the notifications' projection reads them (not `busqueda`). */
    /** These acts with their timelines, in one statement. */
    notificaciones(ids: readonly string[]): Promise<ActsWithEvents> {
      return notificacionesWithEvents(db, ids);
    },

    /**
     * Everything else a page shows, in one statement (each round trip costs the server and this
     * process more than these small reads do): the promociones with their timelines' types and
     * folios, the documents, the comunicados with the RFC's read mark, and the seals of the
     * acuses the acts' and promociones' timelines name whose party is `rfc` (others are not
     * listed; never an internal note's).
     */
    async details(
      rfc: string,
      ids: {
        notificaciones: readonly string[];
        promociones: readonly string[];
        documentos: readonly string[];
        comunicados: readonly string[];
      },
    ): Promise<PageDetails> {
      if (Object.values(ids).every((list) => list.length === 0)) {
        return { promociones: [], documentos: [], comunicados: [], seals: [] };
      }
      const acts = sql`${[...ids.notificaciones]}::uuid[]`;
      const promos = sql`${[...ids.promociones]}::uuid[]`;
      const result = await sql<{
        promociones: (Omit<PromocionDetail, "sent_at"> & { sent_at: string })[];
        documentos: (Omit<DocumentoDetail, "published_at"> & { published_at: string })[];
        comunicados: (Omit<ComunicadoDetail, "published_at" | "read_at"> & {
          published_at: string;
          read_at: string | null;
        })[];
        seals: { folio: string; seal: string }[];
      }>`
        select
          (select coalesce(json_agg(json_build_object(
                    'id', p.id, 'type', p.type, 'subject', p.subject,
                    'acuse_folio', p.acuse_folio, 'sent_at', p.sent_at,
                    'events', coalesce((
                      select json_agg(json_build_object('type', e.type, 'acuse_folio', e.acuse_folio)
                                      order by e.id)
                        from promocion_events e where e.promocion_id = p.id), '[]'::json))), '[]'::json)
             from promociones p where p.id = any(${promos})) as promociones,
          (select coalesce(json_agg(json_build_object(
                    'id', d.id, 'kind', d.kind, 'period', d.period,
                    'registro_patronal', d.registro_patronal, 'file_name', d.file_name,
                    'published_at', d.published_at)), '[]'::json)
             from documentos d where d.id = any(${[...ids.documentos]}::uuid[])) as documentos,
          (select coalesce(json_agg(json_build_object(
                    'id', c.id, 'title', c.title, 'published_at', c.published_at,
                    'read_at', l.read_at)), '[]'::json)
             from comunicados c
             left join comunicado_lecturas l on l.comunicado_id = c.id and l.rfc = ${rfc}
            where c.id = any(${[...ids.comunicados]}::uuid[])) as comunicados,
          (select coalesce(json_agg(json_build_object('folio', a.folio, 'seal', a.seal)), '[]'::json)
             from acuses a
            where a.rfc = ${rfc} and a.folio in (
              select e.acuse_folio from notificacion_events e
               where e.notificacion_id = any(${acts}) and e.acuse_folio is not null
              union all
              select p.acuse_folio from promociones p where p.id = any(${promos})
              union all
              select e.acuse_folio from promocion_events e
               where e.promocion_id = any(${promos})
                 and e.acuse_folio is not null and e.type <> 'nota_interna')) as seals
      `.execute(db);
      const row = result.rows[0];
      const date = (text: string) => new Date(text);
      return {
        promociones: (row?.promociones ?? []).map((p) => ({ ...p, sent_at: date(p.sent_at) })),
        documentos: (row?.documentos ?? []).map((d) => ({
          ...d,
          published_at: date(d.published_at),
        })),
        comunicados: (row?.comunicados ?? []).map((c) => ({
          ...c,
          published_at: date(c.published_at),
          read_at: c.read_at === null ? null : date(c.read_at),
        })),
        seals: row?.seals ?? [],
      };
    },
  };
}

export type ExpedienteStore = ReturnType<typeof createExpedienteStore>;
