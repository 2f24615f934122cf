import { Buffer } from "node:buffer";
import { type Selectable, sql } from "kysely";
import type { Habilitacion } from "../../domain/evidence/acuse.ts";
import type { NodeCoordinate, StoredNode } from "../../domain/evidence/merkle.ts";
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
  /** Stated only by version-2 cadenas; null in version 1. */
  habilitacion: Habilitacion | null;
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

/** An RFC 3161 token kept with an acuse. */
export interface StoredTimestamp {
  folio: string;
  token: Uint8Array;
  genTime: Date;
  tsaSerial: string;
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
  "habilitacion",
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

    /**
     * Inserts acuses, their leaves (in `leafIndex` order, continuing the log) and the nodes they
     * complete, in three statements; call inside {@link withLogLock}.
     */
    async appendBatch(
      acuses: readonly AcuseRow[],
      leafHashes: readonly Uint8Array[],
      nodes: readonly StoredNode[],
      executor: Db,
    ): Promise<StoredAcuseRow[]> {
      if (acuses.length === 0) return [];
      const rows = await executor
        .insertInto("acuses")
        .values(
          acuses.map((acuse) => ({
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
            habilitacion: acuse.habilitacion,
            cadena_original: acuse.cadenaOriginal,
            seal: acuse.seal,
            seal_certificate_number: acuse.sealCertificateNumber,
            leaf_index: acuse.leafIndex,
          })),
        )
        .returning(ACUSE_COLUMNS)
        .execute();
      await executor
        .insertInto("log_leaves")
        .values(
          acuses.map((acuse, i) => ({
            leaf_index: acuse.leafIndex,
            leaf_hash: Buffer.from(leafHashes[i]!),
            folio: acuse.folio,
          })),
        )
        .execute();
      if (nodes.length > 0) {
        await executor
          .insertInto("log_nodes")
          .values(nodes.map((n) => ({ level: n.level, idx: n.index, hash: Buffer.from(n.hash) })))
          .execute();
      }
      return rows.map(toRow).sort((a, b) => a.leafIndex - b.leafIndex);
    },

    /**
     * The stored hashes of the given nodes (level 0 from the leaves). Nodes not stored are
     * simply absent; the Merkle reader refuses to compute without them.
     */
    async nodes(wanted: readonly NodeCoordinate[], executor: Db = db): Promise<StoredNode[]> {
      const leaves = wanted.filter((n) => n.level === 0).map((n) => n.index);
      const inner = wanted.filter((n) => n.level > 0);
      const found: StoredNode[] = [];
      if (leaves.length > 0) {
        const rows = await executor
          .selectFrom("log_leaves")
          .select(["leaf_index", "leaf_hash"])
          .where("leaf_index", "in", leaves)
          .execute();
        for (const r of rows) {
          found.push({ level: 0, index: Number(r.leaf_index), hash: new Uint8Array(r.leaf_hash) });
        }
      }
      if (inner.length > 0) {
        const { rows } = await sql<{ level: number; idx: string | number; hash: Uint8Array }>`
          select n.level, n.idx, n.hash
          from log_nodes n
          join (values ${sql.join(inner.map((c) => sql`(${c.level}::smallint, ${c.index}::bigint)`))})
            as w (level, idx) on n.level = w.level and n.idx = w.idx
        `.execute(executor);
        for (const r of rows) {
          found.push({
            level: Number(r.level),
            index: Number(r.idx),
            hash: new Uint8Array(r.hash),
          });
        }
      }
      return found;
    },

    /** Keeps the statements sealed by acuses just appended; call in their transaction. */
    async appendStatements(
      statements: readonly { folio: string; name: string; text: string }[],
      executor: Db,
    ): Promise<void> {
      if (statements.length === 0) return;
      await executor
        .insertInto("acuse_statements")
        .values([...statements])
        .execute();
    },

    /** The statement an acuse sealed as a document, verbatim, if it has one. */
    async statementOf(folio: string): Promise<{ name: string; text: string } | undefined> {
      return db
        .selectFrom("acuse_statements")
        .select(["name", "text"])
        .where("folio", "=", folio)
        .executeTakeFirst();
    },

    /**
     * A buzón's acuses, newest issued first (folios grow with issuance), after the folio
     * `before` when given: keyset pagination over the index (rfc, folio).
     */
    async pageByRfc(
      rfc: string,
      options: { before?: string | undefined; limit: number },
    ): Promise<StoredAcuseRow[]> {
      let query = db
        .selectFrom("acuses")
        .select(ACUSE_COLUMNS)
        .where("rfc", "=", rfc)
        // An act cancelled before its aviso instant was never made available to the addressee:
        // its cancellation's acuse is not theirs to see (issue 11 review). Only that kind is
        // probed, so the page stays an index read.
        .where(
          sql<boolean>`(kind <> 'cancelacion_notificacion' or not exists (
            select 1 from notificacion_events e join notificaciones n on n.id = e.notificacion_id
            where e.acuse_folio = acuses.folio and e.type = 'cancelada' and e.at < n.aviso_at))`,
        )
        .orderBy("folio", "desc")
        .limit(options.limit);
      if (options.before !== undefined) query = query.where("folio", "<", options.before);
      return (await query.execute()).map(toRow);
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
    async saveCheckpoint(
      checkpoint: {
        size: number;
        root: Uint8Array;
        note: string;
      },
      executor: Db = db,
    ): Promise<StoredCheckpoint> {
      await executor
        .insertInto("log_checkpoints")
        .values({
          size: checkpoint.size,
          root: Buffer.from(checkpoint.root),
          note: checkpoint.note,
        })
        .onConflict((oc) => oc.column("size").doNothing())
        .execute();
      const row = await checkpoints(executor)
        .where("size", "=", checkpoint.size)
        .executeTakeFirstOrThrow();
      return toCheckpoint(row);
    },

    /** The checkpoint of the largest tree published, if any. */
    async latestCheckpoint(executor: Db = db): Promise<StoredCheckpoint | undefined> {
      const row = await checkpoints(executor).orderBy("size", "desc").limit(1).executeTakeFirst();
      return row ? toCheckpoint(row) : undefined;
    },

    /** The last acuse issued for this RFC's buzón, if any. */
    async latestByRfc(rfc: string): Promise<StoredAcuseRow | undefined> {
      const row = await db
        .selectFrom("acuses")
        .select(ACUSE_COLUMNS)
        .where("rfc", "=", rfc)
        .orderBy("event_at", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toRow(row) : undefined;
    },

    /** The checkpoint of exactly `size` leaves, if one was published. */
    async checkpointOfSize(size: number): Promise<StoredCheckpoint | undefined> {
      const row = await checkpoints(db).where("size", "=", size).executeTakeFirst();
      return row ? toCheckpoint(row) : undefined;
    },

    /**
     * The first checkpoint published that covers leaf `leafIndex`. It never changes once it
     * exists, so an export against it (and the PDF that carries it) is the same every time.
     */
    async firstCheckpointCovering(leafIndex: number): Promise<StoredCheckpoint | undefined> {
      const row = await checkpoints(db)
        .where("size", ">", leafIndex)
        .orderBy("size")
        .limit(1)
        .executeTakeFirst();
      return row ? toCheckpoint(row) : undefined;
    },

    /** Acuses that seal a document with this SHA-256 (lowercase hex), oldest first. */
    async bySealedDocument(sha256: string, limit: number): Promise<StoredAcuseRow[]> {
      const lower = sha256.toLowerCase();
      const rows = await db
        .selectFrom("acuses")
        .select(ACUSE_COLUMNS)
        .where((eb) =>
          eb.or([
            sql<boolean>`documents @> ${JSON.stringify([{ sha256: lower }])}::jsonb`,
            sql<boolean>`documents @> ${JSON.stringify([{ sha256: lower.toUpperCase() }])}::jsonb`,
          ]),
        )
        .orderBy("leaf_index")
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },

    /** Records a seal certificate (idempotent); inside the batch that first seals with it. */
    async saveSealCertificate(number: string, der: Uint8Array, executor: Db = db): Promise<void> {
      await executor
        .insertInto("seal_certificates")
        .values({ number, der: Buffer.from(der) })
        .onConflict((oc) => oc.column("number").doNothing())
        .execute();
    },

    /** Every seal certificate recorded, oldest first. */
    async sealCertificates(): Promise<{ number: string; der: Uint8Array }[]> {
      const rows = await db
        .selectFrom("seal_certificates")
        .select(["number", "der"])
        .orderBy("created_at")
        .execute();
      return rows.map((r) => ({ number: r.number, der: new Uint8Array(r.der) }));
    },

    async saveTimestamp(stamp: StoredTimestamp): Promise<void> {
      await db
        .insertInto("acuse_timestamps")
        .values({
          folio: stamp.folio,
          token: Buffer.from(stamp.token),
          gen_time: stamp.genTime,
          tsa_serial: stamp.tsaSerial,
        })
        .onConflict((oc) => oc.column("folio").doNothing())
        .execute();
    },

    /** Keeps the first token for a PDF signature; a later one for the same signature is dropped. */
    async savePdfSignatureTimestamp(signatureSha256: string, token: Uint8Array, genTime: Date) {
      await db
        .insertInto("pdf_signature_timestamps")
        .values({ signature_sha256: signatureSha256, token: Buffer.from(token), gen_time: genTime })
        .onConflict((oc) => oc.column("signature_sha256").doNothing())
        .execute();
    },

    async pdfSignatureTimestamp(signatureSha256: string): Promise<Uint8Array | undefined> {
      const row = await db
        .selectFrom("pdf_signature_timestamps")
        .select("token")
        .where("signature_sha256", "=", signatureSha256)
        .executeTakeFirst();
      return row ? new Uint8Array(row.token) : undefined;
    },

    async timestampOf(folio: string): Promise<StoredTimestamp | undefined> {
      const row = await db
        .selectFrom("acuse_timestamps")
        .select(["folio", "token", "gen_time", "tsa_serial"])
        .where("folio", "=", folio)
        .executeTakeFirst();
      return row
        ? {
            folio: row.folio,
            token: new Uint8Array(row.token),
            genTime: new Date(row.gen_time),
            tsaSerial: row.tsa_serial,
          }
        : undefined;
    },

    /**
     * Recent acuses (among the last `window` leaves) still without a time-stamp, oldest first:
     * what the sweep retries after a TSA outage or a restart.
     */
    async withoutTimestamp(
      limit: number,
      window = 10_000,
    ): Promise<{ folio: string; seal: string }[]> {
      return db
        .selectFrom("acuses as a")
        .leftJoin("acuse_timestamps as t", "t.folio", "a.folio")
        .select(["a.folio", "a.seal"])
        .where("t.folio", "is", null)
        .where(
          "a.leaf_index",
          ">=",
          sql<number>`(select coalesce(max(leaf_index), 0) from log_leaves) - ${window}`,
        )
        .orderBy("a.leaf_index")
        .limit(limit)
        .execute();
    },
  };
}

/** Checkpoints with the columns toCheckpoint reads. */
function checkpoints(executor: Db) {
  return executor.selectFrom("log_checkpoints").select(["size", "root", "note", "created_at"]);
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
    habilitacion: row.habilitacion,
    cadenaOriginal: row.cadena_original,
    seal: row.seal,
    sealCertificateNumber: row.seal_certificate_number,
    leafIndex: Number(row.leaf_index),
    createdAt: new Date(row.created_at),
  };
}

export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
