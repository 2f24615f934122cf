import { sql } from "kysely";
import type { PadronRecord } from "../../domain/padron/entry.ts";
import type { Db } from "../../platform/db/schema.ts";

/** The [padron] interface of issue 9: a padrón record as other features read it. */
export interface PadronEntry {
  rfc: string;
  name: string;
  persona: "fisica" | "moral";
  /** Sorted. */
  registrosPatronales: string[];
  emailOnFile: string | null;
  /** Enabled under the 2020 Lineamientos (5.4): enabled, with this provenance. */
  habilitacion2020: { at: Date } | null;
}

/** The domain's record as the interface shows it. */
export function toPadronEntry(record: PadronRecord): PadronEntry {
  return {
    ...record,
    habilitacion2020: record.habilitacion2020
      ? { at: new Date(record.habilitacion2020.at.epochMilliseconds) }
      : null,
  };
}

/** The interface's entry as the domain reasons about it. */
export function toPadronRecord(entry: PadronEntry): PadronRecord {
  return {
    ...entry,
    habilitacion2020: entry.habilitacion2020
      ? { at: Temporal.Instant.fromEpochMilliseconds(entry.habilitacion2020.at.getTime()) }
      : null,
  };
}

/** A refused row as the import report keeps it. */
export interface StoredRefusal {
  line: number;
  rfc: string | null;
  code: string;
  reason: string;
}

export interface PadronImportRecord {
  id: string;
  fileName: string;
  sha256: string;
  actor: string;
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  refusals: StoredRefusal[];
}

type EntryRow = {
  rfc: string;
  name: string;
  persona: "fisica" | "moral";
  registros_patronales: string[];
  email_on_file: string | null;
  habilitacion_2020_at: Date | null;
};

const ENTRY_COLUMNS = [
  "rfc",
  "name",
  "persona",
  "registros_patronales",
  "email_on_file",
  "habilitacion_2020_at",
] as const;

function toEntry(row: EntryRow): PadronEntry {
  return {
    rfc: row.rfc,
    name: row.name,
    persona: row.persona,
    registrosPatronales: [...row.registros_patronales].sort(),
    emailOnFile: row.email_on_file,
    habilitacion2020: row.habilitacion_2020_at ? { at: new Date(row.habilitacion_2020_at) } : null,
  };
}

/**
 * Every SQL statement about the padrón, on an executor (the database or a transaction). The
 * [padron] interface other features use is `byRfc`; the rest serves the import and queries.
 */
export function createPadronStore(executor: Db) {
  return {
    async byRfc(rfc: string): Promise<PadronEntry | undefined> {
      const row = await executor
        .selectFrom("padron_entries")
        .select(ENTRY_COLUMNS)
        .where("rfc", "=", rfc)
        .executeTakeFirst();
      return row ? toEntry(row) : undefined;
    },

    /** The entries of these RFCs that exist, by RFC. */
    async byRfcs(rfcs: string[]): Promise<Map<string, PadronEntry>> {
      if (rfcs.length === 0) return new Map();
      const rows = await executor
        .selectFrom("padron_entries")
        .select(ENTRY_COLUMNS)
        .where("rfc", "=", sql<string>`any(${rfcs}::text[])`)
        .execute();
      return new Map(rows.map((r) => [r.rfc, toEntry(r)]));
    },

    /** Who holds each of these registros patronales now, by registro. */
    async holdersOf(registros: string[]): Promise<Map<string, string>> {
      if (registros.length === 0) return new Map();
      const rows = await executor
        .selectFrom("padron_registros")
        .select(["registro_patronal", "rfc"])
        .where("registro_patronal", "=", sql<string>`any(${registros}::text[])`)
        .execute();
      return new Map(rows.map((r) => [r.registro_patronal, r.rfc]));
    },

    /**
     * Writes new and changed entries and their registros patronales: a registro no longer
     * listed is released, a new one is taken (the primary key refuses one held by another RFC).
     */
    async write(entries: PadronEntry[], importId: string, at: Date): Promise<void> {
      if (entries.length === 0) return;
      const values = entries.map((e) => ({
        rfc: e.rfc,
        name: e.name,
        persona: e.persona,
        registros_patronales: e.registrosPatronales,
        email_on_file: e.emailOnFile,
        habilitacion_2020_at: e.habilitacion2020?.at ?? null,
        created_at: at,
        updated_at: at,
        import_id: importId,
      }));
      await executor
        .insertInto("padron_entries")
        .values(values)
        .onConflict((oc) =>
          oc.column("rfc").doUpdateSet((eb) => ({
            name: eb.ref("excluded.name"),
            persona: eb.ref("excluded.persona"),
            registros_patronales: eb.ref("excluded.registros_patronales"),
            email_on_file: eb.ref("excluded.email_on_file"),
            habilitacion_2020_at: eb.ref("excluded.habilitacion_2020_at"),
            updated_at: eb.ref("excluded.updated_at"),
            import_id: eb.ref("excluded.import_id"),
          })),
        )
        .execute();
      const rfcs = entries.map((e) => e.rfc);
      const keep = entries.flatMap((e) => e.registrosPatronales);
      await executor
        .deleteFrom("padron_registros")
        .where("rfc", "=", sql<string>`any(${rfcs}::text[])`)
        .where("registro_patronal", "<>", sql<string>`all(${keep}::text[])`)
        .execute();
      const registros = entries.flatMap((e) =>
        e.registrosPatronales.map((r) => ({ registro_patronal: r, rfc: e.rfc })),
      );
      if (registros.length > 0) {
        await executor
          .insertInto("padron_registros")
          .values(registros)
          .onConflict((oc) => oc.column("registro_patronal").doNothing())
          .execute();
      }
    },

    async beginImport(record: {
      id: string;
      fileName: string;
      sha256: string;
      actor: string;
      startedAt: Date;
    }): Promise<void> {
      await executor
        .insertInto("padron_imports")
        .values({
          id: record.id,
          file_name: record.fileName,
          sha256: record.sha256,
          actor: record.actor,
          started_at: record.startedAt,
          finished_at: null,
          rows_read: 0,
          inserted: 0,
          updated: 0,
          unchanged: 0,
          refused: 0,
          refusals: "[]",
        })
        .execute();
    },

    async finishImport(
      id: string,
      result: Omit<PadronImportRecord, "id" | "fileName" | "actor" | "startedAt">,
    ): Promise<void> {
      await executor
        .updateTable("padron_imports")
        .set({
          sha256: result.sha256,
          finished_at: result.finishedAt,
          rows_read: result.rowsRead,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          refused: result.refused,
          refusals: JSON.stringify(result.refusals),
        })
        .where("id", "=", id)
        .execute();
    },

    async importById(id: string): Promise<PadronImportRecord | undefined> {
      const row = await executor
        .selectFrom("padron_imports")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        fileName: row.file_name,
        sha256: row.sha256,
        actor: row.actor,
        startedAt: new Date(row.started_at),
        finishedAt: row.finished_at ? new Date(row.finished_at) : null,
        rowsRead: row.rows_read,
        inserted: row.inserted,
        updated: row.updated,
        unchanged: row.unchanged,
        refused: row.refused,
        refusals: row.refusals as StoredRefusal[],
      };
    },

    async count(): Promise<number> {
      const row = await executor
        .selectFrom("padron_entries")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type PadronStore = ReturnType<typeof createPadronStore>;
