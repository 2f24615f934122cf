import { Buffer } from "node:buffer";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CheckpointError, formatVerifierKey, signCheckpoint, verifierKeyOf } from "./checkpoint.ts";
import { MerkleError } from "./errors.ts";
import { leafHash, MemoryTree } from "./merkle.ts";
import {
  exportTlogProof,
  formatTlogProof,
  parseTlogProof,
  TLOG_PROOF_HEADER,
  TlogProofError,
  verifyTlogProof,
} from "./tlog-proof.ts";

const NAME = "buzon.imss.gob.mx/log";
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const signer = { name: NAME, privateKey };
const verifier = formatVerifierKey(verifierKeyOf(NAME, publicKey));

const leaves = Array.from({ length: 13 }, (_, i) => Buffer.from(`acuse ${i}`));
const tree = new MemoryTree(leaves.map((leaf) => leafHash(leaf)));

function checkpointAt(size: number): string {
  return signCheckpoint({ origin: NAME, size, root: tree.subtreeHash(0, size) }, signer);
}

describe("c2sp.org/tlog-proof@v1", () => {
  const latest = checkpointAt(13);

  it("exports the spec's layout and verifies offline for every leaf", () => {
    for (let i = 0; i < leaves.length; i++) {
      const text = exportTlogProof(tree, i, latest);
      const lines = text.split("\n");
      expect(lines[0]).toBe(TLOG_PROOF_HEADER);
      expect(lines[1]).toBe(`index ${i}`);
      expect(text.endsWith(`\n\n${latest}`)).toBe(true);
      const ok = verifyTlogProof(text, leaves[i] as Uint8Array, verifier);
      expect(ok.index).toBe(i);
      expect(ok.checkpoint.size).toBe(13);
      expect(ok.extra).toBeUndefined();
    }
  });

  it("carries unauthenticated extra data and round-trips through parse/format", () => {
    const text = exportTlogProof(tree, 5, latest, Buffer.from("folio BI-1"));
    expect(text.split("\n")[1]).toBe(`extra ${Buffer.from("folio BI-1").toString("base64")}`);
    expect(formatTlogProof(parseTlogProof(text))).toBe(text);
    const ok = verifyTlogProof(text, leaves[5] as Uint8Array, verifier);
    expect(Buffer.from(ok.extra ?? []).toString()).toBe("folio BI-1");
  });

  it("fails for another leaf, a tampered hash or a tampered checkpoint", () => {
    const text = exportTlogProof(tree, 5, latest);
    expect(() => verifyTlogProof(text, leaves[6] as Uint8Array, verifier)).toThrow(MerkleError);
    expect(() => verifyTlogProof(text, Buffer.from("otro"), verifier)).toThrow(MerkleError);
    const otherIndex = text.replace("index 5\n", "index 4\n");
    expect(() => verifyTlogProof(otherIndex, leaves[5] as Uint8Array, verifier)).toThrow(
      MerkleError,
    );
    const hashLine = text.split("\n")[2] as string;
    const flipped = Buffer.from(hashLine, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      verifyTlogProof(
        text.replace(hashLine, flipped.toString("base64")),
        leaves[5] as Uint8Array,
        verifier,
      ),
    ).toThrow(MerkleError);
    expect(() =>
      verifyTlogProof(text.replace("\n13\n", "\n14\n"), leaves[5] as Uint8Array, verifier),
    ).toThrow(CheckpointError);
    const stranger = generateKeyPairSync("ed25519").publicKey;
    expect(() =>
      verifyTlogProof(
        text,
        leaves[5] as Uint8Array,
        formatVerifierKey(verifierKeyOf(NAME, stranger)),
      ),
    ).toThrow(CheckpointError);
  });

  it("fails against an older checkpoint, whether or not it covers the index", () => {
    const proof = parseTlogProof(exportTlogProof(tree, 9, latest));
    // Older checkpoint that does not cover leaf 9.
    const notCovering = formatTlogProof({ ...proof, checkpoint: checkpointAt(8) });
    expect(() => verifyTlogProof(notCovering, leaves[9] as Uint8Array, verifier)).toThrow(
      expect.objectContaining({ code: "index_out_of_range" }),
    );
    expect(() => exportTlogProof(tree, 9, checkpointAt(8))).toThrow(MerkleError);
    // Older checkpoint that covers it, with the proof for the newer tree.
    const stale = formatTlogProof({ ...proof, checkpoint: checkpointAt(11) });
    expect(() => verifyTlogProof(stale, leaves[9] as Uint8Array, verifier)).toThrow(MerkleError);
    // The right proof for that older checkpoint verifies.
    const fresh = exportTlogProof(tree, 9, checkpointAt(11));
    expect(verifyTlogProof(fresh, leaves[9] as Uint8Array, verifier).checkpoint.size).toBe(11);
  });

  it("refuses a checkpoint whose root is not this tree's", () => {
    const foreign = signCheckpoint(
      { origin: NAME, size: 13, root: tree.subtreeHash(0, 12) },
      signer,
    );
    expect(() => exportTlogProof(tree, 1, foreign)).toThrow(CheckpointError);
  });

  it("parses strictly", () => {
    const text = exportTlogProof(tree, 5, latest);
    const hashLine = text.split("\n")[2] as string;
    const bad = [
      text.replace(TLOG_PROOF_HEADER, "c2sp.org/tlog-proof@v2"),
      text.replace("index 5", "index 05"),
      text.replace("index 5", "index  5"),
      text.replace("index 5\n", ""),
      text.replace(`${hashLine}\n`, `${hashLine}\n\n`),
      text.replace(hashLine, hashLine.slice(0, -1)),
      text.replace(hashLine, Buffer.from(hashLine, "base64").toString("base64url")),
      text.replace(`\n\n${NAME}`, `\n${NAME}`),
      text.replaceAll("\n", "\r\n"),
      text.slice(0, -1),
      `${text}\n`,
    ];
    for (const variant of bad) {
      expect(() => verifyTlogProof(variant, leaves[5] as Uint8Array, verifier)).toThrow();
    }
    expect(() => parseTlogProof(text.replace("index 5", "index 05"))).toThrow(TlogProofError);
    expect(() => parseTlogProof(text.slice(0, -1))).toThrow(TlogProofError);
  });
});
