import { sql } from "kysely";
import type { Db, DocumentosTable } from "../../platform/db/schema.ts";

export type DocumentoRow = {
  id: string;
  rfc: string;
  kind: string;
  period: string;
  registro_patronal: string | null;
  sha256: string;
  bytes: string | number;
  file_name: string;
  published_at: Date;
  published_by: string;
  via: DocumentosTable["via"];
};

export interface DocumentoFilters {
  kind?: string | undefined;
  period?: string | undefined;
  registroPatronal?: string | undefined;
}

/** Every SQL statement of «Mis documentos». */
export function createDocumentoStore(db: Db) {
  return {
    async bySha256(sha256: string): Promise<DocumentoRow | undefined> {
      return db
        .selectFrom("documentos")
        .selectAll()
        .where("sha256", "=", sha256)
        .executeTakeFirst();
    },

    /** The RFC's document with this id; another RFC's is none (the caller answers 404). */
    async ownById(rfc: string, id: string): Promise<DocumentoRow | undefined> {
      return db
        .selectFrom("documentos")
        .selectAll()
        .where("id", "=", id)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
    },

    /** Whether the RFC is in the padrón, and whether the registro patronal is its. */
    async padronOf(rfc: string, registro: string | undefined) {
      const entry = await db
        .selectFrom("padron_entries")
        .select("rfc")
        .where("rfc", "=", rfc)
        .executeTakeFirst();
      if (!entry) return { inPadron: false, registroOwned: false };
      if (registro === undefined) return { inPadron: true, registroOwned: true };
      const held = await db
        .selectFrom("padron_registros")
        .select("rfc")
        .where("registro_patronal", "=", registro)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
      return { inPadron: true, registroOwned: held !== undefined };
    },

    /** Inserts, unless the hash is already published; answers whether it inserted. */
    async insert(executor: Db, row: DocumentoRow): Promise<boolean> {
      const result = await executor
        .insertInto("documentos")
        .values({ ...row, bytes: Number(row.bytes) })
        .onConflict((oc) => oc.column("sha256").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    /** «Mis documentos»: the RFC's, newest first, after the keyset, with the filters. */
    async list(
      rfc: string,
      filters: DocumentoFilters,
      before: { at: Date; id: string } | undefined,
      limit: number,
    ): Promise<DocumentoRow[]> {
      let query = db.selectFrom("documentos").selectAll().where("rfc", "=", rfc);
      if (filters.kind) query = query.where("kind", "=", filters.kind);
      if (filters.period) query = query.where("period", "=", filters.period);
      if (filters.registroPatronal) {
        query = query.where("registro_patronal", "=", filters.registroPatronal);
      }
      if (before) {
        query = query.where(
          sql<boolean>`(published_at, id) < (${before.at}::timestamptz, ${before.id}::uuid)`,
        );
      }
      return query.orderBy("published_at", "desc").orderBy("id", "desc").limit(limit).execute();
    },
  };
}

export type DocumentoStore = ReturnType<typeof createDocumentoStore>;
