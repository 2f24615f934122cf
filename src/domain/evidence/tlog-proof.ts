import { CodedError, type CodedErrorOptions } from "../errors.ts";
import {
  type Checkpoint,
  CheckpointError,
  decodeBase64Strict,
  encodeBase64,
  type OpenCheckpointOptions,
  openCheckpoint,
  parseCheckpointBody,
  parseDecimalStrict,
  parseSignedNote,
  type VerifierKey,
} from "./checkpoint.ts";
import { MerkleError } from "./errors.ts";
import {
  HASH_SIZE,
  inclusionProof,
  leafHash,
  rootOf,
  type TreeSource,
  verifyInclusion,
} from "./merkle.ts";

/**
 * Offline-verifiable proof that one acuse is in the public log, in the c2sp.org/tlog-proof@v1
 * text format (C2SP tlog-proof.md, "Format"):
 *
 *     c2sp.org/tlog-proof@v1\n
 *     [extra <base64 opaque data>\n]          optional, NOT authenticated
 *     index <decimal, no leading zeroes>\n
 *     <base64 SHA-256>\n ...                  inclusion proof, leaf's sibling up to the root's child
 *     \n
 *     <signed checkpoint, verbatim>           c2sp.org/tlog-checkpoint + signed-note
 *
 * Proofs "SHOULD be stored with file extension `.tlog-proof`". The verifier needs only the proof,
 * the leaf's bytes and the log's verifier key: no network, no code of ours beyond RFC 9162.
 */

export const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";

export interface TlogProof {
  readonly index: number;
  /** Inclusion proof hashes, from the leaf's sibling up to the root's child. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  readonly checkpoint: string;
  /** Opaque, unauthenticated extra data (tlog-proof: applications MUST NOT implicitly trust it). */
  readonly extra?: Uint8Array;
}

export class TlogProofError extends CodedError<"malformed_proof"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("malformed_proof", detail, options);
  }
}

function malformed(why: string): TlogProofError {
  return new TlogProofError(`La prueba de registro está mal formada: ${why}.`);
}

/** Formats a proof. The checkpoint must be a well-formed signed note (it is not verified here). */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) {
    throw malformed(`el índice ${String(proof.index)} no es un entero no negativo`);
  }
  for (const hash of proof.proof) {
    if (hash.length !== HASH_SIZE) throw malformed("un hash de la prueba no mide 32 bytes");
  }
  parseSignedNote(proof.checkpoint);
  const lines = [TLOG_PROOF_HEADER];
  if (proof.extra !== undefined) lines.push(`extra ${encodeBase64(proof.extra)}`);
  lines.push(`index ${proof.index}`, ...proof.proof.map(encodeBase64));
  return `${lines.map((l) => `${l}\n`).join("")}\n${proof.checkpoint}`;
}

/** Parses a proof strictly (canonical decimal and base64, LF only); verifies nothing. */
export function parseTlogProof(text: string): TlogProof {
  // The proof section has no empty lines, so the first empty line ends it.
  const split = text.indexOf("\n\n");
  if (split < 0) throw malformed("falta la línea en blanco antes del punto de control");
  const lines = text.slice(0, split).split("\n");
  const checkpoint = text.slice(split + 2);
  let at = 0;
  if (lines[at++] !== TLOG_PROOF_HEADER) {
    throw malformed(`la primera línea debe ser «${TLOG_PROOF_HEADER}»`);
  }
  let extra: Uint8Array | undefined;
  if (lines[at]?.startsWith("extra ")) {
    extra = decodeBase64Strict((lines[at++] as string).slice("extra ".length));
    if (extra === undefined) throw malformed("los datos «extra» no son base64 canónico");
  }
  const indexLine = lines[at++];
  if (indexLine === undefined || !indexLine.startsWith("index ")) {
    throw malformed("falta la línea «index N»");
  }
  const index = parseDecimalStrict(indexLine.slice("index ".length));
  if (index === undefined) {
    throw malformed("el índice no es un decimal canónico (sin ceros a la izquierda)");
  }
  const proof = lines.slice(at).map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash === undefined || hash.length !== HASH_SIZE) {
      throw malformed(`el hash ${i + 1} de la prueba no es el base64 canónico de 32 bytes`);
    }
    return hash;
  });
  try {
    parseSignedNote(checkpoint);
  } catch (cause) {
    throw new TlogProofError(
      `El punto de control incluido en la prueba está mal formado: ${(cause as Error).message}`,
      { cause },
    );
  }
  return extra === undefined ? { index, proof, checkpoint } : { index, proof, checkpoint, extra };
}

/**
 * Exports the proof of leaf `index` against a signed checkpoint of this log. The checkpoint's
 * size is read from its text and its root must be the tree's at that size (a checkpoint of
 * another log, or one that does not cover the index, is refused).
 */
export function exportTlogProof(
  tree: TreeSource,
  index: number,
  checkpointNote: string,
  extra?: Uint8Array,
): string {
  const { size, root } = parseCheckpointBody(parseSignedNote(checkpointNote).text);
  if (index >= size) {
    throw new MerkleError(
      "index_out_of_range",
      `El punto de control de ${size} hojas no cubre la hoja ${index}.`,
    );
  }
  const treeRoot = rootOf(tree, size);
  if (encodeBase64(treeRoot) !== encodeBase64(root)) {
    throw new CheckpointError(
      "bad_root",
      `La raíz del punto de control no es la del árbol con ${size} hojas.`,
    );
  }
  const proof = inclusionProof(tree, index, size);
  return formatTlogProof(
    extra === undefined
      ? { index, proof, checkpoint: checkpointNote }
      : { index, proof, checkpoint: checkpointNote, extra },
  );
}

export interface VerifiedTlogProof {
  readonly index: number;
  readonly checkpoint: Checkpoint;
  /** Unauthenticated; returned only for the application to interpret with care. */
  readonly extra?: Uint8Array;
}

/**
 * Verifies offline that `leafData` (the leaf's canonical bytes) is at the proof's index in the
 * tree of the checkpoint signed by `verifierKey`. Throws {@link TlogProofError},
 * {@link CheckpointError} or {@link MerkleError} (index not covered, proof invalid).
 */
export function verifyTlogProof(
  proofText: string,
  leafData: Uint8Array,
  verifierKey: string | VerifierKey,
  options: OpenCheckpointOptions = {},
): VerifiedTlogProof {
  const parsed = parseTlogProof(proofText);
  const checkpoint = openCheckpoint(parsed.checkpoint, verifierKey, options);
  verifyInclusion(leafHash(leafData), parsed.index, checkpoint.size, parsed.proof, checkpoint.root);
  const result = { index: parsed.index, checkpoint };
  return parsed.extra === undefined ? result : { ...result, extra: parsed.extra };
}
