import { type RawBuilder, sql } from "kysely";
import type { ComunicadosTable, Db } from "../../platform/db/schema.ts";

export type ComunicadoRow = ComunicadosTable;

/**
 * Every column of a comunicado's row but the search's `busqueda` (0032, 0039): `select *` would
 * bring, as text, the tsvector of the whole body with every comunicado read.
 */
const COMUNICADO_COLUMNS = [
  "id",
  "title",
  "body",
  "audience",
  "audience_rfc",
  "audience_subdelegacion",
  "audience_claves",
  "send_email",
  "published_at",
  "created_at",
  "created_by",
] as const satisfies readonly (keyof ComunicadoRow)[];

/** The same columns of `comunicados c`, for the statements written in SQL. */
const C_COLUMNS = sql.join(COMUNICADO_COLUMNS.map((column) => sql.ref(`c.${column}`)));

/**
 * Whether comunicado `c` reaches `rfc` — the SQL of audienceIncludes
 * (src/domain/comunicados/comunicado.ts): everyone, that one RFC, or an RFC holding now, in the
 * padrón, a registro patronal whose clave is one of the segment's. Resolved as the reader
 * reads: the audience of a comunicado is never copied out per recipient.
 */
export function reaches(rfc: RawBuilder<unknown> | string): RawBuilder<boolean> {
  return sql<boolean>`(
    c.audience = 'general'
    or (c.audience = 'rfc' and c.audience_rfc = ${rfc})
    or (c.audience = 'subdelegacion' and exists (
      select 1 from padron_registros r
       where r.rfc = ${rfc} and left(r.registro_patronal, 3) = any(c.audience_claves)))
  )`;
}

export interface ReaderRow extends ComunicadoRow {
  read_at: Date | null;
}

/** Every SQL statement of «Mis comunicados». */
export function createComunicadoStore(db: Db) {
  return {
    async insert(row: ComunicadoRow): Promise<void> {
      await db.insertInto("comunicados").values(row).execute();
    },

    /** A comunicado by its author and title (the demo composes each of its own once). */
    async byAuthorAndTitle(by: string, title: string): Promise<ComunicadoRow | undefined> {
      return db
        .selectFrom("comunicados")
        .select(COMUNICADO_COLUMNS)
        .where("created_by", "=", by)
        .where("title", "=", title)
        .executeTakeFirst();
    },

    /** Staff: every comunicado, newest publication first. */
    async all(before: { at: Date; id: string } | undefined, limit: number) {
      const keyset = before
        ? sql`where (c.published_at, c.id) < (${before.at}::timestamptz, ${before.id}::uuid)`
        : sql``;
      const result = await sql<ComunicadoRow & { readers: string }>`
        select ${C_COLUMNS}, (select count(*) from comunicado_lecturas l where l.comunicado_id = c.id) as readers
          from comunicados c ${keyset}
         order by c.published_at desc, c.id desc
         limit ${limit}
      `.execute(db);
      return result.rows;
    },

    /**
     * The comunicados that reach `rfc` published by `now`, newest first, with the reader's mark;
     * `read` filters on it. The general and segment ones are few (their index by instant); those
     * to one RFC are read by that RFC's index.
     */
    async forReader(
      rfc: string,
      now: Date,
      options: {
        before?: { at: Date; id: string } | undefined;
        limit: number;
        read?: boolean | undefined;
        id?: string;
      },
    ): Promise<ReaderRow[]> {
      const keyset = options.before
        ? sql`and (c.published_at, c.id) < (${options.before.at}::timestamptz, ${options.before.id}::uuid)`
        : sql``;
      const readFilter =
        options.read === undefined
          ? sql``
          : options.read
            ? sql`and l.read_at is not null`
            : sql`and l.read_at is null`;
      const one = options.id === undefined ? sql`` : sql`and c.id = ${options.id}::uuid`;
      const result = await sql<ReaderRow>`
        select ${C_COLUMNS}, l.read_at
          from comunicados c
          left join comunicado_lecturas l on l.comunicado_id = c.id and l.rfc = ${rfc}
         where c.published_at <= ${now} and ${reaches(rfc)} ${keyset} ${readFilter} ${one}
         order by c.published_at desc, c.id desc
         limit ${options.limit}
      `.execute(db);
      return result.rows;
    },

    /** How many reach `rfc` unread, counted up to `cap` (the badge says «99+»). */
    async unread(rfc: string, now: Date, cap: number): Promise<number> {
      const result = await sql<{ n: string }>`
        select count(*) as n from (
          select 1 from comunicados c
           where c.published_at <= ${now} and ${reaches(rfc)}
             and not exists (select 1 from comunicado_lecturas l
                              where l.comunicado_id = c.id and l.rfc = ${rfc})
           limit ${cap}) as u
      `.execute(db);
      return Number(result.rows[0]?.n ?? 0);
    },

    /** The read mark, once: a second mark keeps the first instant. */
    async markRead(id: string, rfc: string, at: Date): Promise<void> {
      await db
        .insertInto("comunicado_lecturas")
        .values({ comunicado_id: id, rfc, read_at: at })
        .onConflict((oc) => oc.columns(["rfc", "comunicado_id"]).doNothing())
        .execute();
    },

    /** How many RFCs of the padrón a segment reaches now (the preview's figure). */
    async segmentSize(claves: readonly string[]): Promise<number> {
      const result = await sql<{ n: string }>`
        select count(distinct rfc) as n from padron_registros
         where left(registro_patronal, 3) = any(${[...claves]}::text[])
      `.execute(db);
      return Number(result.rows[0]?.n ?? 0);
    },

    async padronSize(): Promise<number> {
      const result = await sql<{ n: string }>`select count(*) as n from padron_entries`.execute(db);
      return Number(result.rows[0]?.n ?? 0);
    },

    /** Comunicados due for their e-mails: asked for, published, not yet enqueued. */
    async dueForEmail(now: Date): Promise<ComunicadoRow[]> {
      const result = await sql<ComunicadoRow>`
        select ${C_COLUMNS} from comunicados c
         where c.send_email and c.published_at <= ${now}
           and not exists (select 1 from comunicado_envios e where e.comunicado_id = c.id)
         order by c.published_at, c.id
         limit 20
      `.execute(db);
      return result.rows;
    },

    /**
     * One page of the validated e-mails of enabled mailboxes the comunicado reaches, keyset by
     * the means' id.
     */
    async emailPage(c: ComunicadoRow, after: string, limit: number) {
      const result = await sql<{ id: string; rfc: string; value: string }>`
        select m.id, m.rfc, m.value
          from mailbox_means m
          join mailboxes b on b.rfc = m.rfc and b.state = 'habilitado'
          cross join (select ${c.audience}::text as audience, ${c.audience_rfc}::text as audience_rfc,
                             ${c.audience_claves}::text[] as audience_claves) as c
         where m.kind = 'correo' and m.status = 'validado' and m.id > ${after}::uuid
           and ${reaches(sql.ref("m.rfc"))}
         order by m.id
         limit ${limit}
      `.execute(db);
      return result.rows;
    },

    async recordEnvio(executor: Db, id: string, at: Date, messages: number): Promise<void> {
      await executor
        .insertInto("comunicado_envios")
        .values({ comunicado_id: id, enqueued_at: at, messages })
        .onConflict((oc) => oc.column("comunicado_id").doNothing())
        .execute();
    },
  };
}

export type ComunicadoStore = ReturnType<typeof createComunicadoStore>;
