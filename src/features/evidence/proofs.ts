import { Buffer } from "node:buffer";
import { AppError, internalError } from "../../domain/errors.ts";
import {
  encodeBase64,
  parseCheckpointBody,
  parseSignedNote,
} from "../../domain/evidence/checkpoint.ts";
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
} from "../../domain/evidence/merkle.ts";
import { formatTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { type Checkpoints, overTree } from "./checkpoints.ts";
import type { EvidenceStore, StoredAcuseRow, StoredCheckpoint } from "./store.ts";

/** An inclusion proof (RFC 9162 §2.1.3), hashes in base64. */
export interface InclusionProofAnswer {
  folio: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
}

/** A consistency proof (RFC 9162 §2.1.4) between two tree sizes, hashes in base64. */
export interface ConsistencyProofAnswer {
  size1: number;
  size2: number;
  proof: string[];
}

/** The log's proofs: inclusion (plain and tlog-proof) and consistency, read from stored nodes. */
export function createProofs(store: EvidenceStore, checkpoints: Checkpoints) {
  const currentSize = async () => (await store.head()).size;

  /** The tlog-proof of a leaf against a stored checkpoint. */
  async function tlogProofAgainst(
    leafIndex: number,
    checkpoint: StoredCheckpoint,
  ): Promise<string> {
    const { size, root } = parseCheckpointBody(parseSignedNote(checkpoint.note).text);
    // Root and proof in one read; the comparison comes after (the first pass of overTree runs
    // over placeholder hashes).
    const { treeRoot, proof } = await overTree(store, size, (tree) => ({
      treeRoot: rootOf(tree, size),
      proof: inclusionProof(tree, leafIndex, size),
    }));
    if (encodeBase64(treeRoot) !== encodeBase64(root)) {
      throw internalError(`El punto de control de ${size} hojas no tiene la raíz del registro.`);
    }
    return formatTlogProof({ index: leafIndex, proof, checkpoint: checkpoint.note });
  }

  return {
    tlogProofAgainst,

    /**
     * Inclusion proof of the acuse's leaf in the tree of `size` leaves; by default the tree of
     * the latest checkpoint (published first if the log grew).
     */
    async inclusion(row: StoredAcuseRow, size?: number): Promise<InclusionProofAnswer> {
      const treeSize = size ?? (await checkpoints.covering(row.leafIndex)).size;
      const current = await currentSize();
      if (!Number.isSafeInteger(treeSize) || treeSize <= row.leafIndex || treeSize > current) {
        throw new AppError(
          "validation",
          `El tamaño ${treeSize} no es válido: el acuse ${row.folio} es la hoja ${row.leafIndex} y el registro tiene ${current} hojas; usa un tamaño entre ${row.leafIndex + 1} y ${current}.`,
        );
      }
      const leaf = leafHash(Buffer.from(row.cadenaOriginal, "utf8"));
      const proof = await overTree(store, treeSize, (tree) =>
        inclusionProof(tree, row.leafIndex, treeSize),
      );
      return {
        folio: row.folio,
        leafIndex: row.leafIndex,
        treeSize,
        leafHash: encodeBase64(leaf),
        proof: proof.map(encodeBase64),
      };
    },

    /** Consistency proof between the trees of `size1` and `size2` leaves (1 ≤ size1 ≤ size2). */
    async consistency(size1: number, size2: number): Promise<ConsistencyProofAnswer> {
      const current = await currentSize();
      const valid = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= current;
      if (!valid(size1) || !valid(size2) || size1 > size2) {
        throw new AppError(
          "validation",
          `Los tamaños ${size1} y ${size2} no son válidos: deben cumplir 1 ≤ desde ≤ hasta ≤ ${current} (hojas del registro).`,
        );
      }
      const proof = await overTree(store, size2, (tree) => consistencyProof(tree, size1, size2));
      return { size1, size2, proof: proof.map(encodeBase64) };
    },

    /**
     * The acuse's proof in the c2sp.org/tlog-proof@v1 format: against the published checkpoint
     * of `size` leaves when given (one the verifier kept), else against the first checkpoint
     * that covers the acuse (published now if none does yet). The leaf's bytes are the UTF-8
     * cadena original.
     */
    async tlog(row: StoredAcuseRow, size?: number): Promise<string> {
      if (size === undefined) {
        return tlogProofAgainst(row.leafIndex, await checkpoints.firstCovering(row.leafIndex));
      }
      const checkpoint = await store.checkpointOfSize(size);
      if (!checkpoint || size <= row.leafIndex) {
        throw new AppError(
          "validation",
          checkpoint
            ? `El punto de control de ${size} hojas no cubre el acuse ${row.folio} (hoja ${row.leafIndex}).`
            : `No se publicó un punto de control de ${size} hojas; consulta el último en /api/v1/log/checkpoint.`,
        );
      }
      return tlogProofAgainst(row.leafIndex, checkpoint);
    },
  };
}

export type Proofs = ReturnType<typeof createProofs>;
