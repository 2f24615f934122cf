import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../crypto/digest.ts";
import {
  type BlobStore,
  blobCorrupt,
  blobMissing,
  isSha256Hex,
  type StoredBlob,
} from "./blob-store.ts";

/**
 * putStream writes what arrives in batches of about this size: a few system calls per MiB,
 * whatever size the network's pieces.
 */
const STREAM_BATCH_BYTES = 1024 * 1024;
/** How much of a stream may wait for the disk at once (see writeHashed). */
const STREAM_IN_FLIGHT_BYTES = 4 * STREAM_BATCH_BYTES;
/** How often, in bytes written, writeHashed asks the disk to catch up in the background. */
const STREAM_FLUSH_BYTES = 8 * STREAM_BATCH_BYTES;

/**
 * Blobs as files under `dir` (DATA_DIR/blobs by default): `ab/cd/<sha256>`, two levels of 256
 * directories so no directory grows past a few thousand entries at millions of documents.
 *
 * A file appears whole or not at all: the bytes go to a temporary file in the same directory,
 * are fsynced, and are then hard-linked to their name. link(2), unlike rename(2), fails when
 * the name exists, so an existing blob is never replaced, and two puts of the same bytes at once
 * both succeed with one file. Files are created read-only (0444): a later write by mistake
 * (an editor, a script) needs a chmod first. A crash leaves at most a `.tmp` file beside the
 * blob, never a partial blob; such leftovers can be deleted at any time.
 *
 * `putStream` cannot know the name before the last byte: it writes to `.tmp/` at the top of
 * `dir` (the same file system, so the link works) while hashing, and links once the caller
 * accepted the hash; a crash leaves at most a file in `.tmp/`, deletable at any time too.
 */
export function createFsBlobStore(dir: string): BlobStore & { pathOf(sha256: string): string } {
  const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  async function verified(sha256: string): Promise<Buffer> {
    // Not a hash, not a blob: and never a path of anything else (`../`).
    if (!isSha256Hex(sha256)) throw blobMissing(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw blobMissing(sha256, error);
      throw error;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw blobCorrupt(sha256, actual);
    return bytes;
  }

  return {
    kind: "fs",
    pathOf,

    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      const result = { sha256, bytes: bytes.byteLength };
      // The common repeat (the same document deposited again) costs one stat and one read.
      if (await exists(target)) {
        await verified(sha256);
        return result;
      }
      const directory = join(dir, sha256.slice(0, 2), sha256.slice(2, 4));
      await mkdir(directory, { recursive: true });
      const temporary = join(directory, `.${sha256}.${randomBytes(8).toString("hex")}.tmp`);
      // 0444 at creation: the descriptor that creates the file may still write it.
      const handle = await open(temporary, "wx", 0o444);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temporary, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        // Another put of the same bytes won: its file is complete (linked only after fsync).
        // Only its integrity is left to check.
        await verified(sha256);
      } finally {
        await unlink(temporary).catch(() => {});
      }
      await syncDirectory(directory);
      return result;
    },

    async putStream(source, accept) {
      const staging = join(dir, ".tmp");
      await mkdir(staging, { recursive: true });
      const temporary = join(staging, `${randomBytes(12).toString("hex")}.tmp`);
      const handle = await open(temporary, "wx", 0o444);
      let linked = false;
      try {
        const result = await writeHashed(handle, source);
        await accept?.(result);
        await handle.sync();
        await handle.close();
        const target = pathOf(result.sha256);
        if (await exists(target)) {
          await verifiedByStream(result.sha256);
          return result;
        }
        const directory = join(dir, result.sha256.slice(0, 2), result.sha256.slice(2, 4));
        await mkdir(directory, { recursive: true });
        try {
          await link(temporary, target);
          linked = true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          await verifiedByStream(result.sha256);
        }
        if (linked) await syncDirectory(directory);
        return result;
      } finally {
        await handle.close().catch(() => {});
        await unlink(temporary).catch(() => {});
      }
    },

    get: verified,

    async has(sha256) {
      return isSha256Hex(sha256) && (await exists(pathOf(sha256)));
    },
  };

  /** An existing blob's integrity, read in pieces (a large document is never held whole). */
  async function verifiedByStream(sha256: string): Promise<void> {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(pathOf(sha256))) hash.update(chunk as Buffer);
    const actual = hash.digest("hex");
    if (actual !== sha256) throw blobCorrupt(sha256, actual);
  }

  async function exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }
}

/** The new name must survive a power cut too, not only the bytes. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes the stream to `handle` while hashing it. Each batch (about STREAM_BATCH_BYTES) goes to
 * its own offset, so several writes may be in flight while the next batch is gathered: a write
 * that stalls (the kernel throttling dirty pages) no longer stops the reading. At most
 * STREAM_IN_FLIGHT_BYTES wait for the disk, so memory stays flat whatever the size.
 *
 * Every STREAM_FLUSH_BYTES written, an fdatasync starts in the background (one at a time): the
 * disk writes while the network still delivers, and the fsync the caller does before the link
 * finds little left to flush instead of the whole file. It adds no guarantee, only overlap.
 */
async function writeHashed(
  handle: FileHandle,
  source: AsyncIterable<Uint8Array>,
): Promise<StoredBlob> {
  const hash = createHash("sha256");
  let bytes = 0;
  let batch: Uint8Array[] = [];
  let batched = 0;
  let inFlight = 0;
  let unflushed = 0;
  const writes = new Set<Promise<void>>();
  let flushing: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
  };
  const write = async () => {
    const pieces = batch;
    const length = batched;
    const position = bytes - batched;
    batch = [];
    batched = 0;
    while (inFlight + length > STREAM_IN_FLIGHT_BYTES && writes.size > 0) {
      await Promise.race(writes);
    }
    if (failure) throw failure.error;
    inFlight += length;
    const done: Promise<void> = handle.writev(pieces, position).then(() => {
      unflushed += length;
      if (unflushed >= STREAM_FLUSH_BYTES && !flushing) {
        unflushed = 0;
        flushing = handle
          .datasync()
          .catch(fail)
          .finally(() => {
            flushing = undefined;
          });
      }
    }, fail);
    const settled = done.finally(() => {
      inFlight -= length;
      writes.delete(settled);
    });
    writes.add(settled);
  };
  try {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      batch.push(chunk);
      batched += chunk.byteLength;
      if (batched >= STREAM_BATCH_BYTES) await write();
    }
    if (batched > 0) await write();
  } finally {
    // Never leave a write or a flush running past this function, whatever stopped the source:
    // the caller closes the handle and deletes the file next.
    await Promise.all(writes);
    await flushing;
  }
  if (failure) throw failure.error;
  return { sha256: hash.digest("hex"), bytes };
}
