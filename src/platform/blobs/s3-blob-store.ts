import { createHash } from "node:crypto";
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AppError } from "../../domain/errors.ts";
import { type BlobStore, blobCorrupt, blobMissing, isSha256Hex } from "./blob-store.ts";

export interface S3BlobStoreOptions {
  /** Absent: the provider's own (AWS). MinIO, Ceph, a hosted S3-compatible service: its URL. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  /** Prepended to the hash to make the key (`blobs/` by default in the configuration). */
  prefix: string;
  /** Absent: the AWS SDK's own chain (environment, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `bucket` in the path rather than the host name (MinIO and most self-hosted stores). */
  forcePathStyle: boolean;
  /** Seconds a request may take before the store counts as unavailable. */
  timeoutSeconds?: number;
}

/**
 * Blobs as objects of an S3-compatible bucket under `<prefix><sha256>`.
 *
 * Written once: a put asks first whether the key exists (HeadObject) and, when it does, only
 * checks what is there. Otherwise it writes with `If-None-Match: *`, so of two writers racing
 * on a store that honours conditional writes (AWS since 2024, MinIO, Ceph) the second is told
 * 412 and keeps the first's object; a store that refuses the header (501) is then asked
 * without it, and the HeadObject before is what keeps objects from being replaced there.
 * Either way the bytes would be the same ones: they are named by their hash.
 *
 * Integrity in transit: each put carries Content-MD5 and x-amz-checksum-sha256, which the
 * server checks before storing (BadDigest otherwise); each get re-hashes what came back.
 * Object Lock (WORM) and versioning are the bucket's to enforce (docs/operacion.md).
 */
export function createS3BlobStore(
  options: S3BlobStoreOptions,
): BlobStore & { key(sha256: string): string } {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // The checksums are ours (below), sent as plain headers: no aws-chunked trailers, which
    // older S3-compatible servers store as part of the body.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { requestTimeout: (options.timeoutSeconds ?? 60) * 1000 },
    maxAttempts: 3,
  });
  const key = (sha256: string) => `${options.prefix}${sha256}`;
  let conditionalWrites = true;

  async function get(sha256: string): Promise<Buffer> {
    if (!isSha256Hex(sha256)) throw blobMissing(sha256);
    let bytes: Buffer;
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: options.bucket, Key: key(sha256) }),
      );
      bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    } catch (error) {
      if (isNotFound(error)) throw blobMissing(sha256, error);
      throw unavailable(error);
    }
    const actual = sha256Of(bytes).toString("hex");
    if (actual !== sha256) throw blobCorrupt(sha256, actual);
    return bytes;
  }

  async function has(sha256: string): Promise<boolean> {
    if (!isSha256Hex(sha256)) return false;
    try {
      await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw unavailable(error);
    }
  }

  async function putObject(bytes: Uint8Array, digest: Buffer): Promise<"written" | "exists"> {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key(digest.toString("hex")),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: "application/octet-stream",
          ContentMD5: createHash("md5").update(bytes).digest("base64"),
          ChecksumSHA256: digest.toString("base64"),
          ...(conditionalWrites ? { IfNoneMatch: "*" } : {}),
        }),
      );
      return "written";
    } catch (error) {
      const status = statusOf(error);
      // 409 ConditionalRequestConflict: another conditional write of this key is in flight.
      if (conditionalWrites && (status === 412 || status === 409)) return "exists";
      if (conditionalWrites && status === 501) {
        conditionalWrites = false;
        return putObject(bytes, digest);
      }
      throw unavailable(error);
    }
  }

  return {
    kind: "s3",
    key,
    get,
    has,
    put: (bytes) => store(bytes, sha256Of(bytes)),
    /**
     * Gathered in memory, then one PutObject (Content-MD5 and the checksum need the whole body):
     * the caller bounds the stream (a promoción's anexo, by the size signed).
     */
    async putStream(source, accept) {
      const hash = createHash("sha256");
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of source) {
        hash.update(chunk);
        chunks.push(chunk);
        size += chunk.byteLength;
      }
      const digest = hash.digest();
      await accept?.({ sha256: digest.toString("hex"), bytes: size });
      return store(Buffer.concat(chunks, size), digest);
    },
  };

  async function store(bytes: Uint8Array, digest: Buffer) {
    const sha256 = digest.toString("hex");
    const result = { sha256, bytes: bytes.byteLength };
    if (!(await has(sha256)) && (await putObject(bytes, digest)) === "written") return result;
    // Already there (or written by a racing put): the object must be these bytes.
    await get(sha256);
    return result;
  }
}

function sha256Of(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(bytes).digest();
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || statusOf(error) === 404)
  );
}

/** The store did not answer, or answered an error: worth retrying, never the caller's fault. */
function unavailable(error: unknown): AppError {
  const name = error instanceof Error ? error.name : "desconocido";
  return new AppError("unavailable", "El almacén de documentos no responde. Intenta más tarde.", {
    internal: `almacén S3: ${name} (estado ${statusOf(error) ?? "sin respuesta"})`,
    cause: error,
  });
}
