import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestS3Server, type TestS3Server } from "../../testing/s3-server.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { BlobError, type BlobErrorCode, type BlobStore } from "./blob-store.ts";
import { createFsBlobStore } from "./fs-blob-store.ts";
import { createS3BlobStore } from "./s3-blob-store.ts";

/** One implementation under the contract, and the ways a test damages what it holds. */
interface Harness {
  store: BlobStore;
  /** Replaces the stored bytes of a key behind the store's back. */
  tamper(sha256: string, bytes: Uint8Array): Promise<void>;
  /** Deletes a key behind the store's back. */
  remove(sha256: string): Promise<void>;
  dispose(): Promise<void>;
}

interface Implementation {
  name: string;
  open(): Promise<Harness>;
}

async function expectRefusal(promise: Promise<unknown>, code: BlobErrorCode): Promise<BlobError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BlobError);
  expect((error as BlobError).code).toBe(code);
  return error as BlobError;
}

const fsImplementation: Implementation = {
  name: "fs",
  async open() {
    const dir = await mkdtemp(join(tmpdir(), "buzon-blobs-"));
    const store = createFsBlobStore(join(dir, "blobs"));
    return {
      store,
      async tamper(sha256, bytes) {
        const path = store.pathOf(sha256);
        await chmod(path, 0o644);
        await writeFile(path, bytes);
      },
      async remove(sha256) {
        await unlink(store.pathOf(sha256));
      },
      async dispose() {
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/** One s3rver for the file; each test gets its own prefix in its bucket. */
let s3: Promise<TestS3Server> | undefined;
let s3Tests = 0;
afterAll(async () => {
  await (await s3)?.close();
});

const s3Implementation: Implementation = {
  name: "s3",
  async open() {
    s3 ??= startTestS3Server();
    const server = await s3;
    const prefix = `prueba-${++s3Tests}/`;
    const store = createS3BlobStore({
      endpoint: server.endpoint,
      region: server.region,
      bucket: server.bucket,
      prefix,
      credentials: server.credentials,
      forcePathStyle: true,
    });
    // Behind the store's back: the same bucket through a client of its own.
    const client = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
      forcePathStyle: true,
    });
    return {
      store,
      async tamper(sha256, bytes) {
        await client.send(
          new PutObjectCommand({ Bucket: server.bucket, Key: store.key(sha256), Body: bytes }),
        );
      },
      async remove(sha256) {
        await client.send(
          new DeleteObjectCommand({ Bucket: server.bucket, Key: store.key(sha256) }),
        );
      },
      async dispose() {
        client.destroy();
      },
    };
  },
};

const IMPLEMENTATIONS: Implementation[] = [fsImplementation, s3Implementation];

describe.each(IMPLEMENTATIONS)("blob store contract on $name", (implementation) => {
  let harness: Harness;
  let store: BlobStore;
  beforeEach(async () => {
    harness = await implementation.open();
    store = harness.store;
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it("stores bytes under their SHA-256 and gives them back", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.7 oficio de prueba");
    const put = await store.put(bytes);
    expect(put).toEqual({ sha256: sha256Hex(bytes), bytes: bytes.byteLength });
    expect(put.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.kind).toBe(implementation.name);
    expect(await store.has(put.sha256)).toBe(true);
    const back = await store.get(put.sha256);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back.equals(Buffer.from(bytes))).toBe(true);
  });

  it("stores the empty document and a larger one", async () => {
    const empty = await store.put(new Uint8Array());
    expect(empty).toEqual({
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      bytes: 0,
    });
    expect((await store.get(empty.sha256)).byteLength).toBe(0);
    const large = randomBytes(3 * 1024 * 1024 + 7);
    const put = await store.put(large);
    expect((await store.get(put.sha256)).equals(large)).toBe(true);
  });

  it("a repeated put is a no-op with the same answer", async () => {
    const bytes = randomBytes(1000);
    const first = await store.put(bytes);
    const second = await store.put(Buffer.from(bytes));
    expect(second).toEqual(first);
    expect((await store.get(first.sha256)).equals(bytes)).toBe(true);
  });

  it("two puts of the same bytes at once both succeed with one blob", async () => {
    const bytes = randomBytes(256 * 1024);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect((await store.get(sha256Hex(bytes))).equals(bytes)).toBe(true);
  });

  it("putStream stores a stream's bytes under their SHA-256, with the same answer as put", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 11);
    const pieces = async function* () {
      for (let i = 0; i < bytes.byteLength; i += 7919) yield bytes.subarray(i, i + 7919);
    };
    const seen: unknown[] = [];
    const stored = await store.putStream(pieces(), (blob) => {
      seen.push(blob);
    });
    expect(stored).toEqual({ sha256: sha256Hex(bytes), bytes: bytes.byteLength });
    expect(seen).toEqual([stored]);
    expect((await store.get(stored.sha256)).equals(bytes)).toBe(true);
    // Again, now that it exists: the same answer, the same bytes.
    expect(await store.putStream(pieces())).toEqual(stored);
    expect(await store.put(bytes)).toEqual(stored);
  });

  it("putStream stores nothing when the caller refuses the hash or the stream fails", async () => {
    const refused = randomBytes(4096);
    const error = new Error("no es el archivo firmado");
    await expect(
      store.putStream(
        (async function* () {
          yield refused;
        })(),
        () => {
          throw error;
        },
      ),
    ).rejects.toBe(error);
    expect(await store.has(sha256Hex(refused))).toBe(false);
    const broken = new Error("la conexión se cortó");
    await expect(
      store.putStream(
        (async function* () {
          yield randomBytes(10);
          throw broken;
        })(),
      ),
    ).rejects.toBe(broken);
  });

  it("refuses a missing blob as blob_missing, naming no path or key", async () => {
    const absent = sha256Hex(randomBytes(16));
    expect(await store.has(absent)).toBe(false);
    const error = await expectRefusal(store.get(absent), "blob_missing");
    expect(error.detail).not.toContain(absent);
    expect(error.detail).not.toMatch(/\/|blobs|bucket|cubeta/i);
    // Removed behind the store's back: the same refusal.
    const put = await store.put(randomBytes(10));
    await harness.remove(put.sha256);
    await expectRefusal(store.get(put.sha256), "blob_missing");
  });

  it("refuses what is not a hash as missing, and never reads outside the store", async () => {
    for (const key of ["", "../../etc/passwd", "AB".repeat(32), "ab".repeat(31), "g".repeat(64)]) {
      expect(await store.has(key), key).toBe(false);
      await expectRefusal(store.get(key), "blob_missing");
    }
  });

  it("refuses bytes altered in storage as blob_corrupt, on every read", async () => {
    const bytes = new TextEncoder().encode("documento original");
    const { sha256 } = await store.put(bytes);
    await harness.tamper(sha256, new TextEncoder().encode("documento alterado"));
    const error = await expectRefusal(store.get(sha256), "blob_corrupt");
    expect(error.detail).not.toContain(sha256);
    expect(error.detail).not.toMatch(/\/|blobs|bucket|cubeta/i);
    await expectRefusal(store.get(sha256), "blob_corrupt");
    // A put of the true bytes does not paper over the damage: it is reported, not rewritten.
    await expectRefusal(store.put(bytes), "blob_corrupt");
  });
});

describe("filesystem blob store", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "buzon-blobs-fs-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lays blobs out as ab/cd/<sha256>, read-only, with no temporary file left", async () => {
    const store = createFsBlobStore(join(dir, "a"));
    const bytes = randomBytes(100);
    const { sha256 } = await store.put(bytes);
    const path = join(dir, "a", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(store.pathOf(sha256)).toBe(path);
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(await readdir(dirname(path))).toEqual([sha256]);
  });

  it("never overwrites an existing blob: the same file, untouched, after more puts", async () => {
    const store = createFsBlobStore(join(dir, "b"));
    const bytes = randomBytes(100);
    const { sha256 } = await store.put(bytes);
    const before = await stat(store.pathOf(sha256));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([store.put(bytes), store.put(bytes)]);
    const after = await stat(store.pathOf(sha256));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.nlink).toBe(1);
    expect(await readdir(dirname(store.pathOf(sha256)))).toEqual([sha256]);
  });

  it("putStream leaves no temporary file, whether it stores or is refused", async () => {
    const store = createFsBlobStore(join(dir, "d"));
    const bytes = randomBytes(2 * 1024 * 1024 + 3);
    const { sha256 } = await store.putStream(
      (async function* () {
        yield bytes.subarray(0, 1000);
        yield bytes.subarray(1000);
      })(),
    );
    expect((await stat(store.pathOf(sha256))).mode & 0o777).toBe(0o444);
    await expect(
      store.putStream(
        (async function* () {
          yield randomBytes(100);
        })(),
        () => {
          throw new Error("rechazado");
        },
      ),
    ).rejects.toThrow("rechazado");
    expect(await readdir(join(dir, "d", ".tmp"))).toEqual([]);
  });

  it("putStream keeps a large stream's bytes in order with several writes in flight, and a stream cut after many MiB leaves no temporary file", async () => {
    const store = createFsBlobStore(join(dir, "e"));
    // Past the bytes allowed in flight and past a background flush (fs-blob-store.ts), in
    // pieces that never line up with a batch.
    const bytes = randomBytes(19 * 1024 * 1024 + 5);
    const pieces = async function* () {
      for (let i = 0; i < bytes.byteLength; i += 65_521) yield bytes.subarray(i, i + 65_521);
    };
    const stored = await store.putStream(pieces());
    expect(stored).toEqual({ sha256: sha256Hex(bytes), bytes: bytes.byteLength });
    expect((await readFile(store.pathOf(stored.sha256))).equals(bytes)).toBe(true);
    const cut = new Error("la conexión se cortó");
    await expect(
      store.putStream(
        (async function* () {
          for (let i = 0; i < 12; i++) yield randomBytes(1024 * 1024);
          throw cut;
        })(),
      ),
    ).rejects.toBe(cut);
    expect(await readdir(join(dir, "e", ".tmp"))).toEqual([]);
  });

  it("leaves a damaged file as it found it", async () => {
    const store = createFsBlobStore(join(dir, "c"));
    const { sha256 } = await store.put(new TextEncoder().encode("original"));
    const path = store.pathOf(sha256);
    await chmod(path, 0o644);
    await writeFile(path, "dañado");
    await expectRefusal(store.put(new TextEncoder().encode("original")), "blob_corrupt");
    expect(await readFile(path, "utf8")).toBe("dañado");
  });
});
