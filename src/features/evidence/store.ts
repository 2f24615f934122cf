import { Buffer } from "node:buffer";
import { type Selectable, sql } from "kysely";
import type { AcusesTable, Db } from "../../platform/db/schema.ts";

/** An acuse as stored: the sealed fields, the cadena original, the seal and its log leaf. */
export interface AcuseRow {
  folio: string;
  kind: string;
  rfc: string;
  actorRfc: string;
  capacity: string;
  eventAt: Date;
  countsAt: Date;
  rule: string;
  calendarVersion: string;
  rulesVersion: string;
  documents: unknown;
  cadenaOriginal: string;
  seal: string;
  sealCertificateNumber: string;
  leafIndex: number;
}

export interface StoredAcuseRow extends AcuseRow {
  createdAt: Date;
}

/** A signed checkpoint of the log as published. */
export interface StoredCheckpoint {
  size: number;
  root: Uint8Array;
  /** The signed note, verbatim. */
  note: string;
  createdAt: Date;
}

/** What issuance needs to know, read under the log lock. */
export interface LogHead {
  /** The folio of the last acuse issued, if any. */
  lastFolio: string | undefined;
  /** Number of leaves in the log: the index the next leaf takes. */
  size: number;
}

const ACUSE_COLUMNS = [
  "folio",
  "kind",
  "rfc",
  "actor_rfc",
  "capacity",
  "event_at",
  "counts_at",
  "rule",
  "calendar_version",
  "rules_version",
  "documents",
  "cadena_original",
  "seal",
  "seal_certificate_number",
  "leaf_index",
  "created_at",
] as const;

/**
 * Every SQL statement about acuses and the log. The tables are append-only (see migration
 * 0003): this store has inserts and reads only, and the database refuses anything else.
 */
export function createEvidenceStore(db: Db) {
  return {
    /**
     * Runs `work` in one transaction holding the log's advisory lock, so issuers in every
     * process sharing the database take folios and leaf indexes one after another.
     */
    async withLogLock<T>(work: (tx: Db) => Promise<T>): Promise<T> {
      return db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext('acuses'))`.execute(tx);
        return work(tx);
      });
    },

    async head(executor: Db = db): Promise<LogHead> {
      const last = await executor
        .selectFrom("log_leaves")
        .select(["folio", "leaf_index"])
        .orderBy("leaf_index", "desc")
        .limit(1)
        .executeTakeFirst();
      return last
        ? { lastFolio: last.folio, size: Number(last.leaf_index) + 1 }
        : { lastFolio: undefined, size: 0 };
    },

    /** Inserts the acuse and its leaf; call inside {@link withLogLock}. */
    async append(acuse: AcuseRow, leafHash: Uint8Array, executor: Db): Promise<StoredAcuseRow> {
      const row = await executor
        .insertInto("acuses")
        .values({
          folio: acuse.folio,
          kind: acuse.kind,
          rfc: acuse.rfc,
          actor_rfc: acuse.actorRfc,
          capacity: acuse.capacity,
          event_at: acuse.eventAt,
          counts_at: acuse.countsAt,
          rule: acuse.rule,
          calendar_version: acuse.calendarVersion,
          rules_version: acuse.rulesVersion,
          documents: JSON.stringify(acuse.documents),
          cadena_original: acuse.cadenaOriginal,
          seal: acuse.seal,
          seal_certificate_number: acuse.sealCertificateNumber,
          leaf_index: acuse.leafIndex,
        })
        .returning(ACUSE_COLUMNS)
        .executeTakeFirstOrThrow();
      await executor
        .insertInto("log_leaves")
        .values({
          leaf_index: acuse.leafIndex,
          leaf_hash: Buffer.from(leafHash),
          folio: acuse.folio,
        })
        .execute();
      return toRow(row);
    },

    async byFolio(folio: string): Promise<StoredAcuseRow | undefined> {
      const row = await db
        .selectFrom("acuses")
        .select(ACUSE_COLUMNS)
        .where("folio", "=", folio)
        .executeTakeFirst();
      return row ? toRow(row) : undefined;
    },

    /**
     * Stores a checkpoint unless one of that size exists, and returns the stored one (the same
     * tree head: with a deterministic Ed25519 signature it is the same note).
     */
    async saveCheckpoint(checkpoint: {
      size: number;
      root: Uint8Array;
      note: string;
    }): Promise<StoredCheckpoint> {
      await db
        .insertInto("log_checkpoints")
        .values({
          size: checkpoint.size,
          root: Buffer.from(checkpoint.root),
          note: checkpoint.note,
        })
        .onConflict((oc) => oc.column("size").doNothing())
        .execute();
      const row = await db
        .selectFrom("log_checkpoints")
        .select(["size", "root", "note", "created_at"])
        .where("size", "=", checkpoint.size)
        .executeTakeFirstOrThrow();
      return toCheckpoint(row);
    },

    /** The checkpoint of the largest tree published, if any. */
    async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
      const row = await db
        .selectFrom("log_checkpoints")
        .select(["size", "root", "note", "created_at"])
        .orderBy("size", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toCheckpoint(row) : undefined;
    },

    /** Leaf hashes [0, size) in order (all when size is omitted). */
    async leafHashes(size?: number): Promise<Uint8Array[]> {
      let query = db
        .selectFrom("log_leaves")
        .select(["leaf_index", "leaf_hash"])
        .orderBy("leaf_index");
      if (size !== undefined) query = query.where("leaf_index", "<", size);
      const rows = await query.execute();
      return rows.map((r, i) => {
        if (Number(r.leaf_index) !== i) {
          throw new Error(`El registro tiene un hueco: falta la hoja ${i}.`);
        }
        return new Uint8Array(r.leaf_hash);
      });
    },
  };
}

function toCheckpoint(row: {
  size: string | number;
  root: Uint8Array;
  note: string;
  created_at: Date;
}): StoredCheckpoint {
  return {
    size: Number(row.size),
    root: new Uint8Array(row.root),
    note: row.note,
    createdAt: new Date(row.created_at),
  };
}

/** A stored acuse row as Kysely returns it (the schema is the one source of its columns). */
type Selected = Omit<Selectable<AcusesTable>, "id">;

function toRow(row: Selected): StoredAcuseRow {
  return {
    folio: row.folio,
    kind: row.kind,
    rfc: row.rfc,
    actorRfc: row.actor_rfc,
    capacity: row.capacity,
    eventAt: new Date(row.event_at),
    countsAt: new Date(row.counts_at),
    rule: row.rule,
    calendarVersion: row.calendar_version,
    rulesVersion: row.rules_version,
    documents: row.documents,
    cadenaOriginal: row.cadena_original,
    seal: row.seal,
    sealCertificateNumber: row.seal_certificate_number,
    leafIndex: Number(row.leaf_index),
    createdAt: new Date(row.created_at),
  };
}

export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
