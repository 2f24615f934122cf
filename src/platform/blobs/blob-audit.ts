import type { Db } from "../db/schema.ts";
import { BlobError, type BlobStore } from "./blob-store.ts";

/** A recorded document the store cannot give back as recorded. */
export interface BlobProblem {
  sha256: string;
  /** `blob_missing`, `blob_corrupt`, or `size_mismatch` (intact bytes of another length). */
  problem: "blob_missing" | "blob_corrupt" | "size_mismatch";
}

export interface BlobAudit {
  checked: number;
  problems: BlobProblem[];
}

const PAGE = 500;

/**
 * Reads back every document recorded in `blobs` through the store, which re-hashes each one:
 * what the Institute must be able to exhibit for at least 5 years (Lineamientos 7.7) is checked
 * before a court asks for it, not when it does. Pages by hash, so a table of millions is read
 * in constant memory; documents recorded while it runs may or may not be included.
 */
export async function auditBlobs(
  db: Db,
  store: BlobStore,
  options: { pageSize?: number } = {},
): Promise<BlobAudit> {
  const pageSize = options.pageSize ?? PAGE;
  const problems: BlobProblem[] = [];
  let checked = 0;
  let after = "";
  for (;;) {
    const page = await db
      .selectFrom("blobs")
      .select(["sha256", "bytes"])
      .where("sha256", ">", after)
      .orderBy("sha256")
      .limit(pageSize)
      .execute();
    for (const row of page) {
      try {
        const bytes = await store.get(row.sha256);
        if (bytes.byteLength !== Number(row.bytes)) {
          problems.push({ sha256: row.sha256, problem: "size_mismatch" });
        }
      } catch (error) {
        if (!(error instanceof BlobError)) throw error;
        problems.push({ sha256: row.sha256, problem: error.code });
      }
      checked++;
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return { checked, problems };
    after = last.sha256;
  }
}
