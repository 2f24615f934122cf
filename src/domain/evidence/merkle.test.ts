import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MerkleError, type MerkleErrorCode } from "./errors.ts";
import {
  consistencyProof,
  emptyRoot,
  frontierOf,
  inclusionProof,
  isValidSubtree,
  leafHash,
  MemoryTree,
  nodeHash,
  nodesCompletedBy,
  nodesNeeded,
  readerFromNodes,
  rootOf,
  type StoredNode,
  subtreeConsistencyProof,
  subtreeHashFromNodes,
  subtreeInclusionProof,
  type TreeReader,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from "./merkle.ts";

// ---------------------------------------------------------------------------------------------
// A naive reference, written straight from RFC 9162 §2.1 with its own hashing, to compare with.

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

const refLeaf = (data: Uint8Array) => sha256(Uint8Array.of(0), data);
const refNode = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** The largest power of two strictly smaller than n ≥ 2, by counting. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]). */
function refRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return refNode(refRoot(leaves.slice(0, k)), refRoot(leaves.slice(k)));
}

/** PATH(m, D[n]). */
function refPath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...refPath(m, leaves.slice(0, k)), refRoot(leaves.slice(k))]
    : [...refPath(m - k, leaves.slice(k)), refRoot(leaves.slice(0, k))];
}

/** SUBPROOF(m, D[n], b); PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
function refSubproof(m: number, leaves: readonly Uint8Array[], known: boolean): Uint8Array[] {
  if (m === leaves.length) return known ? [] : [refRoot(leaves)];
  const k = split(leaves.length);
  return m <= k
    ? [...refSubproof(m, leaves.slice(0, k), known), refRoot(leaves.slice(k))]
    : [...refSubproof(m - k, leaves.slice(k), false), refRoot(leaves.slice(0, k))];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const hexes = (list: readonly Uint8Array[]) => list.map(hex);

function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  const i = Math.floor(bit / 8) % copy.length;
  copy[i]! ^= 1 << (bit % 8);
  return copy;
}

/** Every proof that changes one bit of one byte, for each byte of each element. */
function* everyByteFlipped(proof: readonly Uint8Array[], bit: number): Generator<Uint8Array[]> {
  for (let e = 0; e < proof.length; e++) {
    for (let b = 0; b < proof[e]!.length; b++) {
      yield proof.map((p, i) => (i === e ? flip(p, b * 8 + (bit % 8)) : p));
    }
  }
}

function codeOf(run: () => void): MerkleErrorCode | "ok" {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof MerkleError) return error.code;
    throw error;
  }
}

/** 300 distinct leaves, the tree they make, and its prefixes' roots. */
const POOL = Array.from({ length: 300 }, (_, i) => refLeaf(Buffer.from(`acuse ${i}`)));
const POOL_TREE = new MemoryTree(POOL);
const POOL_ROOTS = Array.from({ length: 301 }, (_, n) => refRoot(POOL.slice(0, n)));

// ---------------------------------------------------------------------------------------------

describe("hashing (RFC 9162 §2.1.1)", () => {
  it("prefixes leaves with 0x00 and nodes with 0x01, and hashes the empty tree to SHA-256('')", () => {
    expect(hex(leafHash(new Uint8Array(0)))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    expect(hex(emptyRoot())).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    const a = leafHash(Buffer.from("a"));
    const b = leafHash(Buffer.from("b"));
    expect(hex(a)).toBe(hex(refLeaf(Buffer.from("a"))));
    expect(hex(nodeHash(a, b))).toBe(hex(refNode(a, b)));
    expect(hex(nodeHash(a, b))).not.toBe(hex(nodeHash(b, a)));
  });

  it("gives the RFC 6962 test tree of 8 leaves its published root", () => {
    expect(hex(rootOf(RFC_LEAVES))).toBe(
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    );
  });

  it("agrees with the naive MTH for every size 0..300, from an array, a tree and a prefix", () => {
    for (let n = 0; n <= 300; n++) {
      const want = hex(POOL_ROOTS[n]!);
      expect(hex(rootOf(POOL.slice(0, n)))).toBe(want);
      expect(hex(rootOf(POOL, n))).toBe(want);
      expect(hex(rootOf(POOL_TREE, n))).toBe(want);
      expect(hex(new MemoryTree(POOL.slice(0, n)).subtreeHash(0, n))).toBe(want);
    }
  });

  it("agrees with the naive MTH for random leaves", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }), (data) => {
        const leaves = data.map(leafHash);
        const want = hex(refRoot(data.map(refLeaf)));
        expect(hex(rootOf(leaves))).toBe(want);
        expect(hex(rootOf(new MemoryTree(leaves)))).toBe(want);
      }),
      { numRuns: 200 },
    );
  });

  it("answers any range of leaves, aligned or not", () => {
    fc.assert(
      fc.property(fc.nat({ max: 300 }), fc.nat({ max: 300 }), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        expect(hex(POOL_TREE.subtreeHash(start, end))).toBe(hex(refRoot(POOL.slice(start, end))));
      }),
      { numRuns: 200 },
    );
  });

  it("does not hand out its cache: a returned hash can be changed without harm", () => {
    const tree = new MemoryTree(POOL.slice(0, 8));
    const node = tree.subtreeHash(0, 4);
    node.fill(0);
    expect(hex(tree.subtreeHash(0, 4))).toBe(hex(refRoot(POOL.slice(0, 4))));
    expect(hex(tree.node(2, 0))).toBe(hex(refRoot(POOL.slice(0, 4))));
  });

  it("grows by appending, and keeps answering for every earlier size", () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 70; i++) {
      expect(tree.append(POOL[i]!)).toBe(i);
      expect(hex(rootOf(tree))).toBe(hex(POOL_ROOTS[i + 1]!));
    }
    for (let n = 0; n <= 70; n++) expect(hex(rootOf(tree, n))).toBe(hex(POOL_ROOTS[n]!));
  });
});

// ---------------------------------------------------------------------------------------------
// transparency-dev/merkle testdata (Apache-2.0, ../shared/fixtures/merkle): every file is read
// and asserted: wantErr=false must verify, wantErr=true must be rejected with a MerkleError.

const TESTDATA = fileURLToPath(
  new URL("../../../../shared/fixtures/merkle/testdata/", import.meta.url),
);

type Vector = { file: string; wantErr: boolean; data: Record<string, unknown> };

function vectors(kind: string): Vector[] {
  const dir = join(TESTDATA, kind);
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
      expect(typeof data.wantErr).toBe("boolean");
      return { file: `${kind}/${file}`, wantErr: data.wantErr as boolean, data };
    });
}

const b64 = (value: unknown) => new Uint8Array(Buffer.from(value as string, "base64"));
const b64s = (value: unknown) => ((value ?? []) as string[]).map(b64);
/** Numbers as JSON.parse gives them: beyond 2^53 they are inexact, and must be refused. */
const num = (value: unknown) => value as number;

const INCLUSION = vectors("inclusion");
const CONSISTENCY = vectors("consistency");
const SUBTREE_INCLUSION = vectors("subtreeinclusion");
const SUBTREE_CONSISTENCY = vectors("subtreeconsistency");

function expectVerdict(vector: Vector, run: () => void): void {
  const code = codeOf(run);
  if (vector.wantErr) expect(code, vector.file).not.toBe("ok");
  else expect(code, vector.file).toBe("ok");
}

describe("transparency-dev/merkle vectors", () => {
  it("reads all 518 files", () => {
    expect(INCLUSION).toHaveLength(98);
    expect(CONSISTENCY).toHaveLength(98);
    expect(SUBTREE_INCLUSION).toHaveLength(204);
    expect(SUBTREE_CONSISTENCY).toHaveLength(118);
    const all = [...INCLUSION, ...CONSISTENCY, ...SUBTREE_INCLUSION, ...SUBTREE_CONSISTENCY];
    // Most of them are attacks; a verifier that accepted everything would fail here too.
    expect(all.filter((v) => v.wantErr)).toHaveLength(482);
  });

  it.each(INCLUSION)("inclusion: $file", (vector) => {
    const { leafIdx, treeSize, leafHash: leaf, proof, root } = vector.data;
    expectVerdict(vector, () =>
      verifyInclusion(b64(leaf), num(leafIdx), num(treeSize), b64s(proof), b64(root)),
    );
  });

  it.each(CONSISTENCY)("consistency: $file", (vector) => {
    const { size1, size2, proof, root1, root2 } = vector.data;
    expectVerdict(vector, () =>
      verifyConsistency(num(size1), num(size2), b64s(proof), b64(root1), b64(root2)),
    );
  });

  it.each(SUBTREE_INCLUSION)("subtree inclusion: $file", (vector) => {
    const { leafIdx, start, end, leafHash: leaf, proof, root } = vector.data;
    expectVerdict(vector, () =>
      verifySubtreeInclusion(b64(leaf), num(leafIdx), num(start), num(end), b64s(proof), b64(root)),
    );
  });

  it.each(SUBTREE_CONSISTENCY)("subtree consistency: $file", (vector) => {
    const { start, end, size, proof, root1, root2 } = vector.data;
    expectVerdict(vector, () =>
      verifySubtreeConsistency(
        num(start),
        num(end),
        num(size),
        b64s(proof),
        b64(root1),
        b64(root2),
      ),
    );
  });

  it("refuses with the code that names the fault", () => {
    const code = (vector: Vector | undefined) => {
      const { leafIdx, treeSize, leafHash: leaf, proof, root } = vector!.data;
      return codeOf(() =>
        verifyInclusion(b64(leaf), num(leafIdx), num(treeSize), b64s(proof), b64(root)),
      );
    };
    const find = (file: string) => INCLUSION.find((v) => v.file === file);
    expect(code(find("inclusion/3/happy-path.json"))).toBe("ok");
    expect(code(find("inclusion/3/trailing-garbage.json"))).toBe("bad_hash_length");
    expect(code(find("inclusion/1/inserted-component.json"))).toBe("bad_proof_length");
    expect(code(find("inclusion/3/wrong-leaf.json"))).toBe("bad_hash_length");
    expect(code(find("inclusion/3/random-root.json"))).toBe("inclusion_invalid");
    expect(code(find("inclusion/2/modified-proof[1]-bit-@3.json"))).toBe("inclusion_invalid");
    expect(code(find("inclusion/2/leafIdx-XOR-@2.json"))).toBe("inclusion_invalid");
    expect(code(find("inclusion/1/removed-component.json"))).toBe("bad_proof_length");
    expect(code(find("inclusion/single-entry/empty-leaf.json"))).toBe("bad_hash_length");
    expect(code(find("inclusion/0/happy-path.json"))).toBe("ok");
    const large = SUBTREE_INCLUSION.find((v) => v.file.endsWith("invalid-large-subtree.json"))!;
    expect(Number.isSafeInteger(large.data.end)).toBe(false);
    const { leafIdx, start, end, leafHash: leaf, root } = large.data;
    expect(
      codeOf(() =>
        verifySubtreeInclusion(b64(leaf), num(leafIdx), num(start), num(end), [], b64(root)),
      ),
    ).toBe("invalid_argument");
  });
});

/** The leaves of the RFC 6962 test tree, from which transparency-dev built its vectors. */
const RFC_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((data) => leafHash(Buffer.from(data, "hex")));

describe("our proofs are the published ones", () => {
  const tree = new MemoryTree(RFC_LEAVES);
  const happy = (list: Vector[]) => list.filter((v) => !v.wantErr && v.file.includes("happy-path"));

  it("inclusion", () => {
    for (const { data, file } of happy(INCLUSION)) {
      const size = num(data.treeSize);
      expect(hexes(inclusionProof(tree, num(data.leafIdx), size)), file).toEqual(
        hexes(b64s(data.proof)),
      );
      expect(hex(rootOf(tree, size)), file).toBe(hex(b64(data.root)));
    }
  });

  it("consistency", () => {
    for (const { data, file } of happy(CONSISTENCY)) {
      const proof = consistencyProof(tree, num(data.size1), num(data.size2));
      expect(hexes(proof), file).toEqual(hexes(b64s(data.proof)));
      expect(hex(rootOf(tree, num(data.size2))), file).toBe(hex(b64(data.root2)));
    }
  });

  it("subtree inclusion", () => {
    const list = happy(SUBTREE_INCLUSION);
    expect(list.length).toBeGreaterThanOrEqual(10);
    for (const { data, file } of list) {
      const [start, end] = [num(data.start), num(data.end)];
      // The "-subtree" variants place the same leaves at [start, end) of a larger tree.
      const shifted = new MemoryTree([
        ...POOL.slice(0, start),
        ...RFC_LEAVES.slice(0, end - start),
      ]);
      const proof = subtreeInclusionProof(shifted, num(data.leafIdx), start, end);
      expect(hexes(proof), file).toEqual(hexes(b64s(data.proof)));
      expect(hex(shifted.subtreeHash(start, end)), file).toBe(hex(b64(data.root)));
    }
  });

  it("subtree consistency", () => {
    for (const { data, file } of happy(SUBTREE_CONSISTENCY)) {
      const proof = subtreeConsistencyProof(tree, num(data.start), num(data.end), num(data.size));
      expect(hexes(proof), file).toEqual(hexes(b64s(data.proof)));
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("inclusion proofs against the naive tree", () => {
  const cases = fc.integer({ min: 1, max: 300 }).chain((size) =>
    fc.record({
      size: fc.constant(size),
      index: fc.nat({ max: size - 1 }),
      other: fc.nat({ max: size + 3 }),
      bit: fc.nat({ max: 255 }),
      fromArray: fc.boolean(),
    }),
  );

  it("generates the RFC audit path, which verifies, and nothing altered verifies", () => {
    fc.assert(
      fc.property(cases, ({ size, index, other, bit, fromArray }) => {
        const leaves = POOL.slice(0, size);
        const leaf = POOL[index]!;
        const root = POOL_ROOTS[size]!;
        const proof = inclusionProof(fromArray ? leaves : POOL_TREE, index, size);
        expect(hexes(proof)).toEqual(hexes(refPath(index, leaves)));
        verifyInclusion(leaf, index, size, proof, root);
        verifySubtreeInclusion(leaf, index, 0, size, proof, root);

        for (const tampered of everyByteFlipped(proof, bit)) {
          expect(codeOf(() => verifyInclusion(leaf, index, size, tampered, root))).toBe(
            "inclusion_invalid",
          );
        }
        expect(codeOf(() => verifyInclusion(flip(leaf, bit), index, size, proof, root))).toBe(
          "inclusion_invalid",
        );
        expect(codeOf(() => verifyInclusion(leaf, index, size, proof, flip(root, bit)))).toBe(
          "inclusion_invalid",
        );
        if (other !== index) {
          expect(codeOf(() => verifyInclusion(leaf, other, size, proof, root))).not.toBe("ok");
        }
        expect(codeOf(() => verifyInclusion(leaf, index, size, [...proof, leaf], root))).toBe(
          "bad_proof_length",
        );
        if (proof.length > 0) {
          expect(codeOf(() => verifyInclusion(leaf, index, size, proof.slice(1), root))).toBe(
            "bad_proof_length",
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("consistency proofs against the naive tree", () => {
  const cases = fc.integer({ min: 1, max: 300 }).chain((size2) =>
    fc.record({
      size1: fc.integer({ min: 1, max: size2 }),
      size2: fc.constant(size2),
      bit: fc.nat({ max: 255 }),
      fromArray: fc.boolean(),
    }),
  );

  it("generates the RFC proof, which verifies, and nothing altered verifies", () => {
    fc.assert(
      fc.property(cases, ({ size1, size2, bit, fromArray }) => {
        const leaves = POOL.slice(0, size2);
        const [root1, root2] = [POOL_ROOTS[size1]!, POOL_ROOTS[size2]!];
        const proof = consistencyProof(fromArray ? leaves : POOL_TREE, size1, size2);
        expect(hexes(proof)).toEqual(hexes(refSubproof(size1, leaves, true)));
        expect(hexes(subtreeConsistencyProof(POOL_TREE, 0, size1, size2))).toEqual(hexes(proof));
        verifyConsistency(size1, size2, proof, root1, root2);
        verifySubtreeConsistency(0, size1, size2, proof, root1, root2);

        for (const tampered of everyByteFlipped(proof, bit)) {
          expect(codeOf(() => verifyConsistency(size1, size2, tampered, root1, root2))).toBe(
            "consistency_invalid",
          );
          expect(
            codeOf(() => verifySubtreeConsistency(0, size1, size2, tampered, root1, root2)),
          ).toBe("consistency_invalid");
        }
        for (const [r1, r2] of [
          [flip(root1, bit), root2],
          [root1, flip(root2, bit)],
          [root2, root1],
        ] as const) {
          if (hex(r1) === hex(root1) && hex(r2) === hex(root2)) continue;
          expect(codeOf(() => verifyConsistency(size1, size2, proof, r1, r2))).toBe(
            "consistency_invalid",
          );
          expect(codeOf(() => verifySubtreeConsistency(0, size1, size2, proof, r1, r2))).toBe(
            "consistency_invalid",
          );
        }
        expect(codeOf(() => verifyConsistency(size1, size2, [...proof, root1], root1, root2))).toBe(
          "bad_proof_length",
        );
        if (size1 < size2) {
          expect(codeOf(() => verifyConsistency(size2, size1, proof, root2, root1))).toBe(
            "invalid_sizes",
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it("cannot start from the empty tree, nor go backwards", () => {
    expect(codeOf(() => consistencyProof(POOL_TREE, 0, 10))).toBe("invalid_sizes");
    expect(codeOf(() => consistencyProof(POOL_TREE, 11, 10))).toBe("invalid_sizes");
    expect(codeOf(() => verifyConsistency(0, 0, [], emptyRoot(), emptyRoot()))).toBe(
      "invalid_sizes",
    );
    expect(consistencyProof(POOL_TREE, 10, 10)).toEqual([]);
  });
});

describe("subtree proofs (draft-ietf-plants-merkle-tree-certs) against the naive tree", () => {
  /** Every valid subtree [start, end) of a tree of `size` leaves. */
  const subtrees = fc.integer({ min: 1, max: 300 }).chain((size) =>
    fc.integer({ min: 1, max: size }).chain((end) => {
      const starts = Array.from({ length: end }, (_, s) => s).filter((s) => isValidSubtree(s, end));
      return fc.record({
        size: fc.constant(size),
        end: fc.constant(end),
        start: fc.constantFrom(...starts),
        pick: fc.nat(),
        bit: fc.nat({ max: 255 }),
      });
    }),
  );

  it("proves a subtree inside a larger tree, and every leaf inside the subtree", () => {
    fc.assert(
      fc.property(subtrees, ({ size, start, end, pick, bit }) => {
        const subRoot = refRoot(POOL.slice(start, end));
        const root = POOL_ROOTS[size]!;
        expect(hex(POOL_TREE.subtreeHash(start, end))).toBe(hex(subRoot));

        const proof = subtreeConsistencyProof(POOL_TREE, start, end, size);
        verifySubtreeConsistency(start, end, size, proof, subRoot, root);
        for (const tampered of everyByteFlipped(proof, bit)) {
          expect(
            codeOf(() => verifySubtreeConsistency(start, end, size, tampered, subRoot, root)),
          ).toBe("consistency_invalid");
        }
        expect(
          codeOf(() => verifySubtreeConsistency(start, end, size, proof, flip(subRoot, bit), root)),
        ).toBe("consistency_invalid");
        expect(
          codeOf(() => verifySubtreeConsistency(start, end, size, proof, subRoot, flip(root, bit))),
        ).toBe("consistency_invalid");

        const index = start + (pick % (end - start));
        const inclusion = subtreeInclusionProof(POOL_TREE, index, start, end);
        expect(hexes(inclusion)).toEqual(hexes(refPath(index - start, POOL.slice(start, end))));
        verifySubtreeInclusion(POOL[index]!, index, start, end, inclusion, subRoot);
        expect(
          codeOf(() =>
            verifySubtreeInclusion(POOL[index]!, index, start, end, inclusion, flip(subRoot, bit)),
          ),
        ).toBe("inclusion_invalid");
      }),
      { numRuns: 200 },
    );
  });

  it("refuses ranges that are not subtrees", () => {
    expect(isValidSubtree(4, 8)).toBe(true);
    expect(isValidSubtree(4, 7)).toBe(true);
    expect(isValidSubtree(2, 5)).toBe(false);
    expect(isValidSubtree(1, 3)).toBe(false);
    expect(isValidSubtree(3, 2)).toBe(false);
    expect(codeOf(() => subtreeConsistencyProof(POOL_TREE, 2, 6, 8))).toBe("invalid_subtree");
    expect(codeOf(() => subtreeConsistencyProof(POOL_TREE, 0, 9, 8))).toBe("invalid_subtree");
    expect(codeOf(() => subtreeInclusionProof(POOL_TREE, 1, 2, 4))).toBe("index_out_of_range");
    expect(subtreeConsistencyProof(POOL_TREE, 4, 4, 8)).toEqual([]);
    verifySubtreeConsistency(4, 4, 8, [], emptyRoot(), POOL_ROOTS[8]!);
  });
});

// ---------------------------------------------------------------------------------------------

describe("sizes beyond 32 bits", () => {
  /**
   * A tree of up to 2^53 − 1 identical leaves: the hash of any range depends only on its length,
   * so it can be computed (memoised) without the leaves. It exercises the bit arithmetic past
   * 32 bits, which JavaScript's bitwise operators would silently truncate.
   */
  const LEAF = leafHash(Buffer.from("la misma hoja"));
  const memo = new Map<number, Uint8Array>([
    [0, sha256()],
    [1, LEAF],
  ]);
  function mthOf(n: number): Uint8Array {
    let value = memo.get(n);
    if (value === undefined) {
      const k = split(n);
      value = refNode(mthOf(k), mthOf(n - k));
      memo.set(n, value);
    }
    return value;
  }
  const virtualTree = (size: number): TreeReader => ({
    size,
    subtreeHash: (start, end) => mthOf(end - start),
  });
  /** PATH and PROOF over lengths only, with BigInt splits: independent of the module's bits. */
  function bigSplit(n: bigint): bigint {
    let k = 1n;
    while (k * 2n < n) k *= 2n;
    return k;
  }
  function pathOf(m: bigint, n: bigint): Uint8Array[] {
    if (n <= 1n) return [];
    const k = bigSplit(n);
    return m < k
      ? [...pathOf(m, k), mthOf(Number(n - k))]
      : [...pathOf(m - k, n - k), mthOf(Number(k))];
  }
  function subproofOf(m: bigint, n: bigint, known: boolean): Uint8Array[] {
    if (m === n) return known ? [] : [mthOf(Number(n))];
    const k = bigSplit(n);
    return m <= k
      ? [...subproofOf(m, k, known), mthOf(Number(n - k))]
      : [...subproofOf(m - k, n - k, false), mthOf(Number(k))];
  }

  const sizes = [2 ** 32 + 1, 2 ** 33 - 1, 2 ** 40 + 12_345, 2 ** 52 + 2 ** 33 + 7, 2 ** 53 - 1];

  it.each(sizes)("inclusion and consistency in a tree of %d leaves", (size) => {
    const tree = virtualTree(size);
    const root = mthOf(size);
    expect(hex(rootOf(tree))).toBe(hex(root));
    for (const index of [0, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5, size - 2, size - 1]) {
      if (index >= size) continue;
      const proof = inclusionProof(tree, index);
      expect(hexes(proof)).toEqual(hexes(pathOf(BigInt(index), BigInt(size))));
      verifyInclusion(LEAF, index, size, proof, root);
      expect(codeOf(() => verifyInclusion(LEAF, index, size, proof, flip(root, 3)))).toBe(
        "inclusion_invalid",
      );
    }
    for (const size1 of [1, 2 ** 31 + 1, 2 ** 32, 2 ** 32 + 3, size - 1]) {
      if (size1 >= size) continue;
      const proof = consistencyProof(tree, size1);
      expect(hexes(proof)).toEqual(hexes(subproofOf(BigInt(size1), BigInt(size), true)));
      verifyConsistency(size1, size, proof, mthOf(size1), root);
      verifySubtreeConsistency(0, size1, size, proof, mthOf(size1), root);
      expect(codeOf(() => verifyConsistency(size1, size, proof, mthOf(size1), flip(root, 9)))).toBe(
        "consistency_invalid",
      );
    }
    const [start, end] = [2 ** 32, 2 ** 32 + 2 ** 31 + 5];
    if (end <= size) {
      const proof = subtreeConsistencyProof(tree, start, end);
      verifySubtreeConsistency(start, end, size, proof, mthOf(end - start), root);
    }
  });

  it("refuses numbers past 2^53 − 1, fractions and negatives", () => {
    const leaf = POOL[0]!;
    for (const bad of [2 ** 53, Number.MAX_VALUE, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => verifyInclusion(leaf, 0, bad, [], leaf))).toBe("invalid_argument");
      expect(codeOf(() => verifyConsistency(1, bad, [], leaf, leaf))).toBe("invalid_argument");
      expect(codeOf(() => inclusionProof(POOL_TREE, bad))).toBe("invalid_argument");
    }
  });
});

describe("errors", () => {
  it("are typed, with a stable code and a Spanish message", () => {
    let caught: unknown;
    try {
      verifyInclusion(POOL[3]!, 3, 3, [], POOL_ROOTS[3]!);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MerkleError);
    expect(caught).toMatchObject({ name: "MerkleError", code: "index_out_of_range" });
    expect((caught as Error).message).toBe("La hoja 3 no puede estar en un árbol de 3 hojas.");
    expect(codeOf(() => inclusionProof(POOL_TREE, 0, 301))).toBe("size_out_of_range");
    expect(
      codeOf(() => verifyInclusion(POOL[0]!, 0, 2, [new Uint8Array(31)], POOL_ROOTS[2]!)),
    ).toBe("bad_hash_length");
    expect(codeOf(() => new MemoryTree([new Uint8Array(20)]))).toBe("bad_hash_length");
    const broken: TreeReader = { size: 4, subtreeHash: () => new Uint8Array(8) };
    expect(codeOf(() => inclusionProof(broken, 1))).toBe("bad_hash_length");
  });
});

// ---------------------------------------------------------------------------------------------

describe("a log of one million leaves", () => {
  const SIZE = 1_000_000;
  let leaves: Uint8Array[];
  let tree: MemoryTree;

  beforeAll(() => {
    const data = new Uint8Array(8);
    const view = new DataView(data.buffer);
    leaves = Array.from({ length: SIZE }, (_, i) => {
      view.setFloat64(0, i);
      return leafHash(data);
    });
    tree = new MemoryTree(leaves);
  }, 120_000);

  // How long this takes is measured in bench/inputs.ts; the next test bounds the work itself.
  it("proves and verifies one inclusion and one consistency", () => {
    const index = 765_432;
    const size1 = 654_321;
    const root = rootOf(tree);
    const proof = inclusionProof(tree, index);
    verifyInclusion(leaves[index]!, index, SIZE, proof, root);
    const root1 = rootOf(tree, size1);
    const consistency = consistencyProof(tree, size1);
    verifyConsistency(size1, SIZE, consistency, root1, root);
    expect(proof).toHaveLength(20);
  });

  it("asks the reader only for subtrees of the log, O(log n) of them", () => {
    const asked: Array<[number, number]> = [];
    const counting: TreeReader = {
      size: tree.size,
      subtreeHash: (start, end) => {
        asked.push([start, end]);
        return tree.subtreeHash(start, end);
      },
    };
    inclusionProof(counting, 999_999);
    consistencyProof(counting, 333_333);
    subtreeConsistencyProof(counting, 524_288, 524_288 + 65_536 + 3);
    expect(asked.length).toBeLessThanOrEqual(3 * 2 * 20);
    for (const [start, end] of asked) expect(isValidSubtree(start, end)).toBe(true);
  });

  it("serves a store that keeps only complete aligned nodes", () => {
    const fromNodes: TreeReader = {
      size: tree.size,
      subtreeHash: (start, end) => subtreeHashFromNodes(start, end, (l, i) => tree.node(l, i)),
    };
    const [index, size] = [123_456, 876_543];
    expect(hexes(inclusionProof(fromNodes, index, size))).toEqual(
      hexes(inclusionProof(tree, index, size)),
    );
    expect(hex(rootOf(fromNodes, size))).toBe(hex(rootOf(tree, size)));
  });
});

describe("persisted nodes (frontier, completed nodes, reading only what a proof needs)", () => {
  /** Every node a store would hold after appending POOL[0:n) in batches at the given cuts. */
  function storeAfter(n: number, cuts: number[]): StoredNode[] {
    const stored: StoredNode[] = POOL.slice(0, n).map((hash, index) => ({ level: 0, index, hash }));
    const byKey = new Map(stored.map((s) => [`${s.level}/${s.index}`, s.hash]));
    let size = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < n).sort((a, b) => a - b), n]) {
      if (cut <= size) continue;
      const frontier = frontierOf(size).map((c) => byKey.get(`${c.level}/${c.index}`)!);
      for (const node of nodesCompletedBy(size, frontier, POOL.slice(size, cut))) {
        stored.push(node);
        byKey.set(`${node.level}/${node.index}`, node.hash);
      }
      size = cut;
    }
    return stored;
  }

  it("the frontier has one node per set bit and covers [0, size)", () => {
    expect(frontierOf(0)).toEqual([]);
    expect(frontierOf(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(frontierOf(2 ** 40 + 1)).toEqual([
      { level: 40, index: 0 },
      { level: 0, index: 2 ** 40 },
    ]);
  });

  it("appending in any batches stores exactly MemoryTree's complete nodes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
        (n, cuts) => {
          const stored = storeAfter(n, cuts);
          const tree = new MemoryTree(POOL.slice(0, n));
          // Every complete block of the tree, and nothing else, is stored with its hash.
          let expected = 0;
          for (let level = 0; 2 ** level <= n; level++) {
            for (let index = 0; (index + 1) * 2 ** level <= n; index++) {
              expected++;
              const node = stored.find((s) => s.level === level && s.index === index);
              expect(node && hex(node.hash)).toBe(hex(tree.node(level, index)));
            }
          }
          expect(stored).toHaveLength(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("roots and proofs computed from only the needed nodes equal the reference", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (size, a, b) => {
        const stored = storeAfter(size, [Math.floor(size / 3), Math.floor(size / 2)]);
        const index = a % size;
        const size1 = 1 + (b % size);
        const compute = (reader: TreeReader) => ({
          root: rootOf(reader, size),
          inclusion: inclusionProof(reader, index, size),
          consistency: consistencyProof(reader, size1, size),
        });
        const needed = nodesNeeded(size, compute);
        // O(log² n) at worst, never the whole log.
        expect(needed.length).toBeLessThanOrEqual(3 * (Math.log2(size) + 1) ** 2);
        const fetched = stored.filter((s) =>
          needed.some((c) => c.level === s.level && c.index === s.index),
        );
        expect(fetched).toHaveLength(needed.length);
        const got = compute(readerFromNodes(size, fetched));
        expect(hex(got.root)).toBe(hex(POOL_ROOTS[size]!));
        expect(hexes(got.inclusion)).toEqual(hexes(inclusionProof(POOL_TREE, index, size)));
        expect(hexes(got.consistency)).toEqual(hexes(consistencyProof(POOL_TREE, size1, size)));
      }),
      { numRuns: 80 },
    );
  });

  it("a reader missing a node says so instead of computing a wrong root", () => {
    const stored = storeAfter(13, []).filter((s) => !(s.level === 3 && s.index === 0));
    expect(codeOf(() => rootOf(readerFromNodes(13, stored), 13))).toBe("size_out_of_range");
  });

  it("refuses a frontier of the wrong length", () => {
    expect(codeOf(() => nodesCompletedBy(3, [POOL[0]!], [POOL[3]!]))).toBe("invalid_argument");
  });
});
