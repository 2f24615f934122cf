// The filesystem blob store against raw node:fs on the same bytes, in the same run: documents
// per second put (temporary file, fsync, link, directory fsync) against a plain writeFile and
// against writeFile + fsync (what durability alone costs), and read (readFile + SHA-256)
// against a plain readFile. The ratios are the store's cost; the disk sets the absolute rates.
//
// Run with `npm run bench:blobs`; BENCH_DOCS (default 300) documents of each size.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createFsBlobStore } from "../src/platform/blobs/fs-blob-store.ts";
import { formatRate } from "./measure.ts";

const count = Number(process.env.BENCH_DOCS ?? 300);
const root = await mkdtemp(join(tmpdir(), "buzon-bench-blobs-"));

async function timed(work: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await work();
  return count / ((performance.now() - t0) / 1000);
}

function line(label: string, value: number, against?: number): string {
  const ratio = against === undefined ? "" : `  ratio ${(value / against).toFixed(2)}`;
  return `  ${label.padEnd(34)} ${formatRate(value).padStart(12)}${ratio}`;
}

try {
  for (const size of [64 * 1024, 1024 * 1024]) {
    const documents = Array.from({ length: count }, () => randomBytes(size));
    const run = join(root, String(size));
    const raw = join(run, "raw");
    const rawSynced = join(run, "raw-fsync");
    await mkdir(raw, { recursive: true });
    await mkdir(rawSynced, { recursive: true });
    const store = createFsBlobStore(join(run, "blobs"));

    const rawPut = await timed(async () => {
      for (const [i, bytes] of documents.entries()) await writeFile(join(raw, String(i)), bytes);
    });
    const rawSyncedPut = await timed(async () => {
      for (const [i, bytes] of documents.entries()) {
        const handle = await open(join(rawSynced, String(i)), "wx");
        await handle.writeFile(bytes);
        await handle.sync();
        await handle.close();
      }
    });
    const hashes: string[] = [];
    const storePut = await timed(async () => {
      for (const bytes of documents) hashes.push((await store.put(bytes)).sha256);
    });
    const repeatPut = await timed(async () => {
      for (const bytes of documents) await store.put(bytes);
    });
    const rawGet = await timed(async () => {
      for (let i = 0; i < count; i++) await readFile(join(raw, String(i)));
    });
    const storeGet = await timed(async () => {
      for (const sha256 of hashes) await store.get(sha256);
    });

    console.log(`${count} documents of ${size / 1024} KiB`);
    console.log(line("raw writeFile", rawPut));
    console.log(line("raw writeFile + fsync", rawSyncedPut, rawPut));
    console.log(line("store.put (new)", storePut, rawPut));
    console.log(line("  against writeFile + fsync", storePut, rawSyncedPut));
    console.log(line("store.put (existing: verify only)", repeatPut, rawPut));
    console.log(line("raw readFile", rawGet));
    console.log(line("store.get (read + SHA-256)", storeGet, rawGet));
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
