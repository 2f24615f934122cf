import { hash } from "node:crypto";
import { equalBytes } from "../bytes.ts";
import { MerkleError } from "./errors.ts";

/**
 * The Merkle tree of the public evidence log, hashed as RFC 9162 §2.1 (Certificate Transparency
 * v2, same as RFC 6962): a leaf is SHA-256(0x00 ‖ data), an interior node SHA-256(0x01 ‖ left ‖
 * right), a tree of n > 1 leaves splits at the largest power of two smaller than n, and the empty
 * tree's root is SHA-256 of the empty string.
 *
 * Proofs are generated from a {@link TreeReader}, which answers the hash of any range of leaves,
 * so a store can serve them from the hashes of complete subtrees it keeps (tiles) without loading
 * the leaves. Verification needs only hashes and sizes: it is what a verifier outside the
 * Institute runs (docs/merkle.md).
 *
 * Sizes and indices are JavaScript numbers, exact up to 2^53 − 1; all the bit arithmetic below is
 * written for that range, not for 32-bit integers.
 */

/** Bytes of a SHA-256 hash: every leaf hash, node hash and proof element. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function sha256(data: Uint8Array): Uint8Array {
  const digest = hash("sha256", data, "buffer");
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

const EMPTY_ROOT = sha256(new Uint8Array(0));

/** The root of the tree with no leaves: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export function emptyRoot(): Uint8Array {
  return EMPTY_ROOT.slice();
}

/** The hash of a leaf: SHA-256(0x00 ‖ data). `data` is the leaf's canonical bytes. */
export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right). Both children are 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    // Only reachable with hashes a caller built by hand; proofs are checked before hashing.
    return sha256(concat([Uint8Array.of(NODE_PREFIX), left, right]));
  }
  nodeInput[0] = NODE_PREFIX;
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bit arithmetic on non-negative safe integers (up to 2^53 − 1): JavaScript's bitwise operators
// work on 32 bits, so the high part is handled by division.

const TWO_32 = 2 ** 32;

/** Number of bits needed to write x (0 for 0). */
function bitLength(x: number): number {
  const high = Math.floor(x / TWO_32);
  return high > 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(x);
}

function xor(a: number, b: number): number {
  const high = (Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) >>> 0;
  const low = ((a >>> 0) ^ (b >>> 0)) >>> 0;
  return high * TWO_32 + low;
}

/** x >> k. */
function shiftRight(x: number, k: number): number {
  return Math.floor(x / 2 ** k);
}

function isOdd(x: number): boolean {
  return x % 2 === 1;
}

function popCount(x: number): number {
  let count = 0;
  for (let rest = x; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Trailing zero bits of x > 0. */
function trailingZeros(x: number): number {
  let count = 0;
  for (let rest = x; rest % 2 === 0; rest /= 2) count++;
  return count;
}

function isPowerOfTwo(x: number): boolean {
  return x > 0 && 2 ** (bitLength(x) - 1) === x;
}

/** The split point of RFC 9162: the largest power of two strictly smaller than n (n ≥ 2). */
function largestPowerOfTwoBelow(n: number): number {
  return 2 ** (bitLength(n - 1) - 1);
}

/** The smallest power of two greater than or equal to n. */
function bitCeil(n: number): number {
  return n <= 1 ? 1 : 2 ** bitLength(n - 1);
}

// ---------------------------------------------------------------------------------------------
// Argument checks.

function requireCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MerkleError(
      "invalid_argument",
      `«${name}» debe ser un entero no negativo de hasta 2^53 − 1; se recibió ${String(value)}.`,
    );
  }
}

function requireHash(value: Uint8Array, what: string): void {
  if (value.length !== HASH_SIZE) {
    throw new MerkleError(
      "bad_hash_length",
      `${what} mide ${value.length} bytes; un hash SHA-256 mide ${HASH_SIZE}.`,
    );
  }
}

function requireProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((element, i) => {
    requireHash(element, `El elemento ${i} de la prueba`);
  });
}

/**
 * Whether [start, end) is a subtree of the log: a node of some RFC 9162 tree, or the left part
 * of one (draft-ietf-plants-merkle-tree-certs §4.1): start is a multiple of the smallest power
 * of two not smaller than end − start. The empty range is a subtree of every tree.
 */
export function isValidSubtree(start: number, end: number): boolean {
  if (start > end) return false;
  if (start === end || start === 0) return true;
  return start % bitCeil(end - start) === 0;
}

function requireSubtree(start: number, end: number): void {
  requireCount(start, "start");
  requireCount(end, "end");
  if (!isValidSubtree(start, end)) {
    throw new MerkleError(
      "invalid_subtree",
      `[${start}, ${end}) no es un subárbol del registro: el inicio no puede pasar del fin y debe ser múltiplo de la menor potencia de 2 que no sea menor que su tamaño.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Readers: where proofs get their hashes.

/**
 * What proof generation needs from a store: the number of leaves, and the Merkle tree hash
 * MTH(D[start:end]) of any range of leaves (end exclusive, 0 ≤ start ≤ end ≤ size; the empty
 * range hashes to {@link emptyRoot}). Proofs and roots only ask for subtrees of the log
 * ({@link isValidSubtree}), O(log n) of them per proof; a store keeping the hashes of complete
 * aligned subtrees answers those with {@link subtreeHashFromNodes}.
 */
export interface TreeReader {
  readonly size: number;
  subtreeHash(start: number, end: number): Uint8Array;
}

/** Leaf hashes in order, or a reader. A plain array is read through a {@link MemoryTree}. */
export type TreeSource = TreeReader | readonly Uint8Array[];

function readerOf(source: TreeSource): TreeReader {
  if (typeof (source as TreeReader).subtreeHash === "function") return source as TreeReader;
  return new MemoryTree(source as readonly Uint8Array[]);
}

function read(reader: TreeReader, start: number, end: number): Uint8Array {
  const value = reader.subtreeHash(start, end);
  requireHash(value, `El hash del rango [${start}, ${end}) que dio el almacén`);
  return value;
}

/**
 * MTH(D[start:end]) from the hashes of complete, aligned subtrees: `node(level, index)` is the
 * hash of the 2^level leaves starting at index · 2^level. A subtree of the log needs one node
 * per set bit of its size and one hash per node combined (O(log n)); any other range is computed
 * by the same recursion, at worst from its leaves.
 */
export function subtreeHashFromNodes(
  start: number,
  end: number,
  node: (level: number, index: number) => Uint8Array,
): Uint8Array {
  const n = end - start;
  if (n <= 0) return emptyRoot();
  if (isPowerOfTwo(n) && start % n === 0) return node(bitLength(n) - 1, start / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(
    subtreeHashFromNodes(start, start + k, node),
    subtreeHashFromNodes(start + k, end, node),
  );
}

/** A growable array of 32-byte hashes in one buffer. */
class HashList {
  #bytes = new Uint8Array(HASH_SIZE * 64);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** A view into the buffer: valid until the next push. */
  at(index: number): Uint8Array {
    const offset = index * HASH_SIZE;
    return this.#bytes.subarray(offset, offset + HASH_SIZE);
  }

  push(value: Uint8Array): void {
    const offset = this.#count * HASH_SIZE;
    if (offset + HASH_SIZE > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(value, offset);
    this.#count++;
  }
}

/**
 * An in-memory tree: keeps the hash of every complete aligned subtree (level k holds the hashes
 * of the blocks of 2^k leaves, about 2n hashes in all, 64 MB for a million leaves), so any
 * subtree of the log is answered with O(log n) hashing and a proof costs O(log² n) at worst.
 * Appending costs one hash per completed block (amortised one per leaf).
 */
export class MemoryTree implements TreeReader {
  readonly #levels: HashList[] = [new HashList()];

  constructor(leafHashes: Iterable<Uint8Array> = []) {
    for (const value of leafHashes) this.append(value);
  }

  get size(): number {
    return this.#levels[0]!.count;
  }

  /** Adds a leaf hash and returns its index. */
  append(leafHashValue: Uint8Array): number {
    requireHash(leafHashValue, "El hash de la hoja");
    const index = this.size;
    this.#levels[0]!.push(leafHashValue);
    let level = 0;
    let position = index;
    while (isOdd(position)) {
      const children = this.#levels[level]!;
      const parent = nodeHash(children.at(position - 1), children.at(position));
      level++;
      position = (position - 1) / 2;
      if (this.#levels.length === level) this.#levels.push(new HashList());
      this.#levels[level]!.push(parent);
    }
    return index;
  }

  /** The hash of the complete block of 2^level leaves starting at index · 2^level. */
  node(level: number, index: number): Uint8Array {
    const list = this.#levels[level];
    if (list === undefined || !Number.isSafeInteger(index) || index < 0 || index >= list.count) {
      throw new MerkleError(
        "size_out_of_range",
        `El árbol no tiene completo el bloque ${index} de 2^${level} hojas.`,
      );
    }
    return list.at(index).slice();
  }

  subtreeHash(start: number, end: number): Uint8Array {
    requireCount(start, "start");
    requireCount(end, "end");
    if (start > end || end > this.size) {
      throw new MerkleError(
        "size_out_of_range",
        `El rango [${start}, ${end}) no está dentro del árbol de ${this.size} hojas.`,
      );
    }
    return subtreeHashFromNodes(start, end, (level, index) =>
      this.#levels[level]!.at(index),
    ).slice();
  }
}

// ---------------------------------------------------------------------------------------------
// Persisted nodes: what a store keeps so roots and proofs read O(log n) hashes, not the log.

/** The complete aligned block of 2^level leaves starting at leaf index · 2^level. */
export interface NodeCoordinate {
  readonly level: number;
  readonly index: number;
}

export interface StoredNode extends NodeCoordinate {
  readonly hash: Uint8Array;
}

/**
 * The right edge of a tree of `size` leaves: the complete aligned nodes, largest first, that
 * together cover leaves [0, size), one per set bit of `size`. Appending needs only these.
 */
export function frontierOf(size: number): NodeCoordinate[] {
  requireCount(size, "size");
  const nodes: NodeCoordinate[] = [];
  let start = 0;
  for (let level = bitLength(size) - 1; level >= 0; level--) {
    const block = 2 ** level;
    if (Math.floor(size / block) % 2 === 1) {
      nodes.push({ level, index: start / block });
      start += block;
    }
  }
  return nodes;
}

/**
 * The nodes of level ≥ 1 that appending `leaves` to a tree of `size` leaves completes, given
 * the hashes of that tree's {@link frontierOf} in the same order. Level 0 (the leaves) is not
 * returned: the caller stores the leaves themselves. About one node per leaf, O(log n) extra.
 */
export function nodesCompletedBy(
  size: number,
  frontierHashes: readonly Uint8Array[],
  leaves: readonly Uint8Array[],
): StoredNode[] {
  const frontier = frontierOf(size);
  if (frontierHashes.length !== frontier.length) {
    throw new MerkleError(
      "invalid_argument",
      `El borde derecho de un árbol de ${size} hojas tiene ${frontier.length} nodos, no ${frontierHashes.length}.`,
    );
  }
  const stack = frontier.map((node, i) => {
    const hash = frontierHashes[i]!;
    requireHash(hash, `El nodo ${node.level}/${node.index} del borde`);
    return { level: node.level, hash };
  });
  const completed: StoredNode[] = [];
  let position = size;
  for (const leaf of leaves) {
    requireHash(leaf, "El hash de la hoja");
    stack.push({ level: 0, hash: leaf });
    // Two equal levels on top are siblings: a block ending at this leaf is complete.
    while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
      const right = stack.pop()!;
      const left = stack.pop()!;
      const level = right.level + 1;
      const hash = nodeHash(left.hash, right.hash);
      stack.push({ level, hash });
      completed.push({ level, index: (position + 1) / 2 ** level - 1, hash });
    }
    position++;
  }
  return completed;
}

const PLACEHOLDER = new Uint8Array(HASH_SIZE);

/**
 * Which nodes `compute` reads when run over a tree of `size` leaves. Root and proof
 * generation ask for the same ranges whatever the hashes are, so a first run over placeholder
 * hashes lists the nodes to fetch; the second run, over {@link readerFromNodes}, has them all.
 */
export function nodesNeeded(
  size: number,
  compute: (reader: TreeReader) => unknown,
): NodeCoordinate[] {
  requireCount(size, "size");
  const wanted = new Map<string, NodeCoordinate>();
  compute({
    size,
    subtreeHash: (start, end) => {
      if (start < 0 || end > size || start > end) {
        throw new MerkleError(
          "size_out_of_range",
          `El rango [${start}, ${end}) no está dentro del árbol de ${size} hojas.`,
        );
      }
      return subtreeHashFromNodes(start, end, (level, index) => {
        wanted.set(`${level}/${index}`, { level, index });
        return PLACEHOLDER;
      });
    },
  });
  return [...wanted.values()];
}

/** A reader over a tree of `size` leaves whose needed nodes were fetched into `nodes`. */
export function readerFromNodes(size: number, nodes: readonly StoredNode[]): TreeReader {
  const byKey = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  return {
    size,
    subtreeHash: (start, end) =>
      subtreeHashFromNodes(start, end, (level, index) => {
        const hash = byKey.get(`${level}/${index}`);
        if (hash === undefined) {
          throw new MerkleError(
            "size_out_of_range",
            `Falta el nodo ${level}/${index} del registro: el almacén no lo tiene.`,
          );
        }
        return hash;
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Roots and proof generation (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1).

/**
 * The root (MTH) of the first `size` leaves (all by default). From an array it is folded in one
 * pass keeping O(log n) hashes; from a reader it is one `subtreeHash(0, size)`.
 */
export function rootOf(source: TreeSource, size?: number): Uint8Array {
  if (typeof (source as TreeReader).subtreeHash === "function") {
    const reader = source as TreeReader;
    const n = size ?? reader.size;
    requireSize(n, reader);
    return read(reader, 0, n);
  }
  const leaves = source as readonly Uint8Array[];
  const n = size ?? leaves.length;
  requireCount(n, "size");
  if (n > leaves.length) {
    throw new MerkleError(
      "size_out_of_range",
      `Se pidió la raíz de ${n} hojas y solo hay ${leaves.length}.`,
    );
  }
  if (n === 0) return emptyRoot();
  // A stack of complete subtrees of decreasing size, merged as each one is completed (a compact
  // range), then folded right to left.
  const stack: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const value = leaves[i]!;
    requireHash(value, `El hash de la hoja ${i}`);
    let merged = value;
    for (let position = i; isOdd(position); position = (position - 1) / 2) {
      merged = nodeHash(stack.pop()!, merged);
    }
    stack.push(merged);
  }
  let root = stack.pop()!;
  while (stack.length > 0) root = nodeHash(stack.pop()!, root);
  return root;
}

function requireSize(size: number, reader: TreeReader): void {
  requireCount(size, "size");
  if (size > reader.size) {
    throw new MerkleError(
      "size_out_of_range",
      `El árbol tiene ${reader.size} hojas; no hay un árbol de ${size} del cual dar una prueba.`,
    );
  }
}

/** PATH(index, D[lo:hi]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf up. */
function auditPath(reader: TreeReader, index: number, lo: number, hi: number): Uint8Array[] {
  const siblings: Uint8Array[] = [];
  while (hi - lo > 1) {
    const mid = lo + largestPowerOfTwoBelow(hi - lo);
    if (index < mid) {
      siblings.push(read(reader, mid, hi));
      hi = mid;
    } else {
      siblings.push(read(reader, lo, mid));
      lo = mid;
    }
  }
  return siblings.reverse();
}

/**
 * SUBPROOF(m, D[lo:hi], known) of RFC 9162 §2.1.4.1, with m an absolute leaf count
 * (lo < m ≤ hi): the hashes that prove D[lo:m] is a prefix of D[lo:hi].
 */
function consistencySubproof(
  reader: TreeReader,
  m: number,
  lo: number,
  hi: number,
  known: boolean,
): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  while (m !== hi) {
    const mid = lo + largestPowerOfTwoBelow(hi - lo);
    if (m <= mid) {
      hashes.push(read(reader, mid, hi));
      hi = mid;
    } else {
      hashes.push(read(reader, lo, mid));
      lo = mid;
      known = false;
    }
  }
  if (!known) hashes.push(read(reader, lo, hi));
  return hashes.reverse();
}

/**
 * The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf `index` in the tree of the first
 * `size` leaves (all by default): the sibling hashes from the leaf up to the root.
 */
export function inclusionProof(source: TreeSource, index: number, size?: number): Uint8Array[] {
  const reader = readerOf(source);
  const n = size ?? reader.size;
  requireCount(index, "index");
  requireSize(n, reader);
  if (index >= n) {
    throw new MerkleError(
      "index_out_of_range",
      `La hoja ${index} no está en un árbol de ${n} hojas (van de la 0 a la ${n - 1}).`,
    );
  }
  return auditPath(reader, index, 0, n);
}

/**
 * The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first `size1` leaves is a
 * prefix of the tree of the first `size2` (all by default). Requires 0 < size1 ≤ size2; equal
 * sizes give the empty proof.
 */
export function consistencyProof(source: TreeSource, size1: number, size2?: number): Uint8Array[] {
  const reader = readerOf(source);
  const n = size2 ?? reader.size;
  requireCount(size1, "size1");
  requireSize(n, reader);
  requireComparableSizes(size1, n);
  if (size1 === n) return [];
  return consistencySubproof(reader, size1, 0, n, true);
}

function requireComparableSizes(size1: number, size2: number): void {
  if (size1 > size2) {
    throw new MerkleError(
      "invalid_sizes",
      `El primer árbol (${size1} hojas) es mayor que el segundo (${size2}): un registro solo crece.`,
    );
  }
  if (size1 === 0) {
    throw new MerkleError(
      "invalid_sizes",
      "Una prueba de consistencia desde el árbol vacío no prueba nada: todo árbol lo extiende.",
    );
  }
}

/**
 * The subtree inclusion proof (draft-ietf-plants-merkle-tree-certs §4.3) of leaf `index` in the
 * subtree [start, end): the audit path of the leaf within MTH(D[start:end]).
 */
export function subtreeInclusionProof(
  source: TreeSource,
  index: number,
  start: number,
  end: number,
): Uint8Array[] {
  const reader = readerOf(source);
  requireCount(index, "index");
  requireSubtree(start, end);
  requireSize(end, reader);
  if (index < start || index >= end) {
    throw new MerkleError(
      "index_out_of_range",
      `La hoja ${index} no está en el subárbol [${start}, ${end}).`,
    );
  }
  return auditPath(reader, index, start, end);
}

/**
 * The subtree consistency proof (draft-ietf-plants-merkle-tree-certs §4.4) that the subtree
 * [start, end) is contained in the tree of the first `size` leaves (all by default). With
 * start = 0 it is the RFC 9162 consistency proof from `end` to `size`.
 */
export function subtreeConsistencyProof(
  source: TreeSource,
  start: number,
  end: number,
  size?: number,
): Uint8Array[] {
  const reader = readerOf(source);
  const n = size ?? reader.size;
  requireSubtree(start, end);
  requireSize(n, reader);
  requireSubtreeInTree(end, n);
  if (start === end) return [];
  // Walk down from the root to the node [lo, hi) where the subtree stops being inside one
  // child, collecting the siblings of the way down (the node's audit path).
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = n;
  let inner: Uint8Array[] = [];
  while (start !== lo || end !== hi) {
    const mid = lo + largestPowerOfTwoBelow(hi - lo);
    if (end <= mid) {
      path.push(read(reader, mid, hi));
      hi = mid;
    } else if (start >= mid) {
      path.push(read(reader, lo, mid));
      lo = mid;
    } else {
      // A subtree of the log that straddles a split starts where the node starts, so what is
      // left is the RFC 9162 proof that D[lo:end] is a prefix of D[lo:hi].
      inner = consistencySubproof(reader, end, lo, hi, true);
      break;
    }
  }
  return [...inner, ...path.reverse()];
}

function requireSubtreeInTree(end: number, size: number): void {
  if (end > size) {
    throw new MerkleError(
      "invalid_subtree",
      `El subárbol termina en la hoja ${end} y el árbol solo tiene ${size}.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2, §2.1.4.2). Each function returns normally when the proof
// holds and throws a MerkleError otherwise. Roots are compared byte for byte: a root of the
// wrong length never matches a computed one.

/** Hashes in an inclusion proof of leaf `index` in a tree of `size` leaves. */
function inclusionProofLength(index: number, size: number): number {
  const inner = bitLength(xor(index, size - 1));
  return inner + popCount(shiftRight(index, inner));
}

/**
 * The root an inclusion proof leads to, by the iterative algorithm of RFC 9162 §2.1.3.2, or
 * undefined when the proof does not end at the root (sn ≠ 0).
 */
function rootFromInclusionProof(
  hashValue: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  let fn = index;
  let sn = size - 1;
  let r = hashValue;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  return sn === 0 ? r : undefined;
}

function requireProofLength(proof: readonly Uint8Array[], expected: number, what: string): void {
  if (proof.length !== expected) {
    throw new MerkleError(
      "bad_proof_length",
      `La prueba ${what} tiene ${proof.length} hashes y debe tener ${expected}.`,
    );
  }
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2).
 */
export function verifyInclusion(
  leafHashValue: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  requireCount(index, "index");
  requireCount(size, "size");
  if (index >= size) {
    throw new MerkleError(
      "index_out_of_range",
      `La hoja ${index} no puede estar en un árbol de ${size} hojas.`,
    );
  }
  requireHash(leafHashValue, "El hash de la hoja");
  requireProofHashes(proof);
  requireProofLength(
    proof,
    inclusionProofLength(index, size),
    `de inclusión de la hoja ${index} en un árbol de ${size} hojas`,
  );
  const computed = rootFromInclusionProof(leafHashValue, index, size, proof);
  if (computed === undefined || !equalBytes(computed, root)) {
    throw new MerkleError(
      "inclusion_invalid",
      `La prueba no lleva a la raíz del árbol de ${size} hojas: la hoja ${index} no es esa, o la prueba o la raíz fueron alteradas.`,
    );
  }
}

/** Hashes in a consistency proof between trees of size1 < size2 leaves (0 < size1). */
function consistencyProofLength(size1: number, size2: number): number {
  const inner = bitLength(xor(size1 - 1, size2 - 1));
  const shift = trailingZeros(size1);
  const border = popCount(shiftRight(size1 - 1, inner));
  return (isPowerOfTwo(size1) ? 0 : 1) + inner - shift + border;
}

function inconsistent(detail: string): MerkleError {
  return new MerkleError(
    "consistency_invalid",
    `La prueba de consistencia no se sostiene: ${detail} El registro pudo haber sido reescrito, o la prueba o las raíces fueron alteradas.`,
  );
}

/**
 * Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
 * leaves with root `root2` (RFC 9162 §2.1.4.2). Requires 0 < size1 ≤ size2; equal sizes need
 * the empty proof and equal roots.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  requireCount(size1, "size1");
  requireCount(size2, "size2");
  requireComparableSizes(size1, size2);
  requireProofHashes(proof);
  if (size1 === size2) {
    requireProofLength(proof, 0, "entre dos árboles del mismo tamaño");
    if (!equalBytes(root1, root2))
      throw inconsistent("dos árboles del mismo tamaño con raíces distintas.");
    return;
  }
  requireProofLength(
    proof,
    consistencyProofLength(size1, size2),
    `entre ${size1} y ${size2} hojas`,
  );
  // RFC 9162 §2.1.4.2, steps 2–7.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw inconsistent("sobran hashes.");
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  if (sn !== 0) throw inconsistent("faltan hashes.");
  if (!equalBytes(fr, root1))
    throw inconsistent(`no reconstruye la raíz del árbol de ${size1} hojas.`);
  if (!equalBytes(sr, root2))
    throw inconsistent(`no reconstruye la raíz del árbol de ${size2} hojas.`);
}

/**
 * Checks that `leafHash` is leaf `index` of the subtree [start, end) whose hash is `subtreeRoot`
 * (draft-ietf-plants-merkle-tree-certs §4.3.2). With start = 0 and end = size it is
 * {@link verifyInclusion}.
 */
export function verifySubtreeInclusion(
  leafHashValue: Uint8Array,
  index: number,
  start: number,
  end: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): void {
  requireCount(index, "index");
  requireSubtree(start, end);
  if (index < start || index >= end) {
    throw new MerkleError(
      "index_out_of_range",
      `La hoja ${index} no puede estar en el subárbol [${start}, ${end}).`,
    );
  }
  verifyInclusion(leafHashValue, index - start, end - start, proof, subtreeRoot);
}

/**
 * Checks that the subtree [start, end) with hash `subtreeRoot` is part of the tree of `size`
 * leaves with root `root` (draft-ietf-plants-merkle-tree-certs §4.4.2). With start = 0 this is
 * RFC 9162 consistency from `end` to `size`, except that the empty subtree (start = end) is part
 * of every tree: it holds with the empty proof when `subtreeRoot` is {@link emptyRoot}.
 */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): void {
  requireSubtree(start, end);
  requireCount(size, "size");
  requireSubtreeInTree(end, size);
  requireProofHashes(proof);
  if (start === end) {
    requireProofLength(proof, 0, "de un subárbol vacío");
    if (!equalBytes(subtreeRoot, EMPTY_ROOT)) {
      throw inconsistent("el hash de un subárbol vacío es el SHA-256 de la cadena vacía.");
    }
    return;
  }
  if (start === 0 && end === size) {
    requireProofLength(proof, 0, "entre dos árboles del mismo tamaño");
    if (!equalBytes(subtreeRoot, root))
      throw inconsistent("dos árboles del mismo tamaño con raíces distintas.");
    return;
  }
  // Height of the node that holds the subtree: where the paths to its first and last leaf meet.
  const height = bitLength(xor(end - 1, start));
  if (end === size) {
    // The subtree ends on the tree's right border: only left siblings lead up to the root.
    requireProofLength(
      proof,
      popCount(shiftRight(start, height)),
      `del subárbol [${start}, ${end}) en ${size} hojas`,
    );
    let r = subtreeRoot;
    for (const p of proof) r = nodeHash(p, r);
    if (!equalBytes(r, root))
      throw inconsistent(`no reconstruye la raíz del árbol de ${size} hojas.`);
    return;
  }
  // Level where the paths to the subtree's last leaf and to the tree's last leaf part.
  const fork = bitLength(xor(end - 1, size - 1));
  // Level of the largest complete block that ends the subtree; the proof starts there.
  const shift = trailingZeros(end - start);
  const complete = end - start === 2 ** shift;
  requireProofLength(
    proof,
    (complete ? 0 : 1) + fork - shift + popCount(shiftRight(end - 1, fork)),
    `del subárbol [${start}, ${end}) en ${size} hojas`,
  );
  let i = 0;
  const seed = complete ? subtreeRoot : proof[i++]!;
  // Climb from that block to the subtree's node twice: with the left siblings only (the subtree
  // as it was) and with the right siblings too (the node as it is in the larger tree).
  let before = seed;
  let after = seed;
  for (let level = shift; level < height; level++) {
    if (isOdd(shiftRight(end - 1, level))) {
      before = nodeHash(proof[i]!, before);
      after = nodeHash(proof[i]!, after);
      i++;
    } else if (level < fork) {
      after = nodeHash(after, proof[i]!);
      i++;
    }
  }
  if (!equalBytes(before, subtreeRoot)) {
    throw inconsistent(`no reconstruye el hash del subárbol [${start}, ${end}).`);
  }
  // The rest is the audit path of that node among the nodes of its level.
  const computed = rootFromInclusionProof(
    after,
    shiftRight(start, height),
    shiftRight(size - 1, height) + 1,
    proof.slice(i),
  );
  if (computed === undefined || !equalBytes(computed, root)) {
    throw inconsistent(`no reconstruye la raíz del árbol de ${size} hojas.`);
  }
}
