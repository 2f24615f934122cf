import { systemClock } from "../clock.ts";
import type { Db } from "../db/schema.ts";

/** What PostgreSQL knows of a stored document; its bytes are the blob store's. */
export interface BlobRecord {
  sha256: string;
  bytes: number;
  mediaType: string;
  createdAt: Temporal.Instant;
}

/** A stored document's metadata to record. */
export interface NewBlobRecord {
  sha256: string;
  bytes: number;
  mediaType: string;
  /** The use case's instant (its clock: the demo's, in a demo); default the system's. */
  at?: Temporal.Instant;
}

/**
 * Records a stored document's metadata in the caller's transaction (or on its own when
 * `executor` is none). A second record of the same hash is a no-op: the first one stays,
 * with its instant and type.
 *
 * The order of a use case is: `blobs.put(bytes)` first, outside the transaction, then the
 * transaction that records the blob and whatever cites it (the act, the promoción, the acuse).
 * Bytes are content-addressed, so writing them early is safe both ways: a transaction that
 * rolls back leaves an orphan blob nothing names, harmless (never served: only recorded hashes
 * are reachable), and a retry of the use case puts the same bytes under the same key, a no-op.
 * The other order could commit a row that names bytes never written.
 */
export async function recordBlob(executor: Db, blob: NewBlobRecord): Promise<void> {
  await recordBlobs(executor, [blob]);
}

/** recordBlob for many documents in one statement (a deposit's chunk). */
export async function recordBlobs(executor: Db, blobs: readonly NewBlobRecord[]): Promise<void> {
  if (blobs.length === 0) return;
  await executor
    .insertInto("blobs")
    .values(
      blobs.map((blob) => ({
        sha256: blob.sha256,
        bytes: blob.bytes,
        media_type: blob.mediaType,
        created_at: new Date((blob.at ?? systemClock()).epochMilliseconds),
      })),
    )
    .onConflict((oc) => oc.column("sha256").doNothing())
    .execute();
}

/** The metadata of one stored document, if recorded. */
export async function findBlob(executor: Db, sha256: string): Promise<BlobRecord | undefined> {
  const row = await executor
    .selectFrom("blobs")
    .selectAll()
    .where("sha256", "=", sha256)
    .executeTakeFirst();
  return row
    ? {
        sha256: row.sha256,
        bytes: Number(row.bytes),
        mediaType: row.media_type,
        createdAt: Temporal.Instant.fromEpochMilliseconds(row.created_at.getTime()),
      }
    : undefined;
}
