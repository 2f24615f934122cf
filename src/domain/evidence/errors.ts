import { CodedError } from "../errors.ts";

/**
 * Refusals about the evidence log's Merkle tree: malformed arguments when a proof is asked for,
 * and proofs that do not verify. Each has a stable code for programs and a Spanish message a
 * person (or an outside verifier) can read.
 */
export type MerkleErrorCode =
  /** A size, index or bound is not a non-negative safe integer. */
  | "invalid_argument"
  /** The leaf index is not inside the tree (or the subtree) it is claimed to be in. */
  | "index_out_of_range"
  /** A proof was asked for a tree larger than the one the reader holds. */
  | "size_out_of_range"
  /** Consistency between sizes that cannot be compared: the first is 0 or larger than the second. */
  | "invalid_sizes"
  /** [start, end) is not a subtree of the log (RFC 9162 trees only have aligned subtrees). */
  | "invalid_subtree"
  /** A leaf hash or a proof element is not 32 bytes (SHA-256). */
  | "bad_hash_length"
  /** The proof has more or fewer hashes than the sizes require. */
  | "bad_proof_length"
  | "inclusion_invalid"
  | "consistency_invalid";

export class MerkleError extends CodedError<MerkleErrorCode> {}
