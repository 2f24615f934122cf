import { CodedError } from "../../domain/errors.ts";

/**
 * The content-addressed store of documents (issue 11 §1): notifications, promociones and
 * «Mis documentos» keep their bytes here under the SHA-256 of those bytes, and PostgreSQL keeps
 * the metadata and the hash (`blobs`, blob-records.ts). A key is written once and never
 * overwritten, so whatever a sealed acuse cites by hash can always be exhibited as it was.
 */
export interface BlobStore {
  /** Stores bytes under their SHA-256 (lowercase hex). Written once: an existing key is never overwritten (same bytes → no-op). */
  put(bytes: Uint8Array): Promise<{ sha256: string; bytes: number }>;
  /**
   * Stores a stream's bytes under their SHA-256, hashed once as they arrive. `accept` sees the
   * hash and size when the stream ends, before the blob gets its name: when it throws (or the
   * stream does), nothing is stored and the error is the caller's. The same write-once rules
   * as `put`. The filesystem store never holds the whole document in memory.
   */
  putStream(
    source: AsyncIterable<Uint8Array>,
    accept?: (blob: StoredBlob) => void | Promise<void>,
  ): Promise<StoredBlob>;
  /** The bytes, after re-checking their SHA-256 on every read; missing → BlobError "blob_missing", altered → BlobError "blob_corrupt". */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** "fs" | "s3", for the operations docs and health. */
  readonly kind: string;
}

/** What a put stored: the hash it is named by and its size. */
export interface StoredBlob {
  sha256: string;
  bytes: number;
}

export type BlobStoreKind = "fs" | "s3";

/**
 * A stored document that cannot be given back intact. Neither detail names a path, a bucket or
 * a key: the person gets what happened, the log gets the hash.
 */
export type BlobErrorCode = "blob_missing" | "blob_corrupt";

export class BlobError extends CodedError<BlobErrorCode> {}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

export function blobMissing(sha256: string, cause?: unknown): BlobError {
  return new BlobError(
    "blob_missing",
    "El documento no está disponible en este momento. Intenta más tarde; si persiste, repórtalo con el número de solicitud.",
    { internal: `blob ${sha256} no existe en el almacén`, cause },
  );
}

export function blobCorrupt(sha256: string, actual: string): BlobError {
  return new BlobError(
    "blob_corrupt",
    "El documento almacenado no coincide con su huella digital y no se entrega. Repórtalo con el número de solicitud.",
    { internal: `blob ${sha256} alterado: su SHA-256 es ${actual}` },
  );
}
