// Benchmark: what hostile or huge inputs cost the readers of uploads and the Merkle log, each
// against a raw node:crypto baseline measured in the same run. These were time bounds inside
// unit tests (fuzz.test.ts, cms-signature.test.ts, private-key.test.ts, merkle.test.ts); the
// tests keep the behaviour, the figures live here. Run with `npm run bench:inputs`.
//
// (a) readCertificate on the SAT's .cer, against new X509Certificate() on the same bytes.
// (b) readCertificate and openPrivateKey on 2,000 corrupted copies of the SAT's .cer and .key
//     (seeded bit flips and truncations): the slowest call and p99, against (a)'s raw call and
//     one raw PBKDF2 of the SAT key's cost.
// (c) openPrivateKey refusing a key of 1,000,001 PBKDF2 iterations, against one raw PBKDF2 of
//     2,048 rounds (deriving 1,000,001 rounds would cost about 500 of them).
// (d) verifyDetachedCmsSignature refusing a megabyte of PEM headers, against SHA-256 of that
//     megabyte.
// (e) an inclusion and a consistency proof, proved and verified, on a 1,000,000-leaf log in
//     memory, against one raw SHA-256 of a leaf.
import { Buffer } from "node:buffer";
import { createHash, pbkdf2Sync, X509Certificate } from "node:crypto";
import { performance } from "node:perf_hooks";
import { readCertificate } from "../src/domain/efirma/certificate.ts";
import { openPrivateKey } from "../src/domain/efirma/private-key.ts";
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryTree,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "../src/domain/evidence/merkle.ts";
import { MAX_CMS_BYTES, verifyDetachedCmsSignature } from "../src/platform/crypto/cms-signature.ts";
import { satFixture } from "../src/testing/efirma.ts";
import { opensslPkcs8 } from "../src/testing/openssl.ts";
import { percentile, seeded } from "./measure.ts";

const CORRUPTED = 2_000;

/** Median milliseconds of `step` over `runs` calls (after a few warm-up calls). */
async function median(runs: number, step: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(5, runs); i++) await step();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(1)} ms`;
}

function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(1)}× raw`;
}

function corrupted(original: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(original);
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++) {
    // Biased towards the first bytes, where the DER headers and algorithm identifiers are.
    const at = Math.floor(
      (random() < 0.5 ? random() * 80 : random() * bytes.length) % bytes.length,
    );
    bytes[at]! ^= 1 << Math.floor(random() * 8);
  }
  return random() < 0.3 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
}

/** Every call of `fn` on `inputs`, refusals included: the slowest and the 99th percentile. */
function worst(inputs: Buffer[], fn: (bytes: Buffer) => unknown): { max: number; p99: number } {
  const times = inputs.map((bytes) => {
    const t0 = performance.now();
    try {
      fn(bytes);
    } catch {
      // A refusal is an outcome like any other here; the tests check which one.
    }
    return performance.now() - t0;
  });
  return { max: Math.max(...times), p99: percentile(times, 99) };
}

const { cer, key, password } = await satFixture("fake-fiel");
console.log(`node ${process.version}`);

// (a)
const rawCertificate = await median(500, () => new X509Certificate(cer));
const ours = await median(500, () => readCertificate(cer));
console.log(
  `(a) raw new X509Certificate(.cer): ${ms(rawCertificate)}; readCertificate: ${ms(ours)} (${ratio(ours, rawCertificate)})`,
);

// (b)
const rawPbkdf2 = await median(50, () => pbkdf2Sync(password, Buffer.alloc(8), 2048, 24, "sha256"));
// Seeded, so every run corrupts the same bytes.
const random = seeded(2026);
const badCertificates = Array.from({ length: CORRUPTED }, () => corrupted(cer, random));
const badKeys = Array.from({ length: CORRUPTED }, () => corrupted(key, random));
const certificateWorst = worst(badCertificates, (bytes) => readCertificate(bytes));
const keyWorst = worst(badKeys, (bytes) => openPrivateKey(bytes, password));
console.log(
  `(b) readCertificate on ${CORRUPTED} corrupted .cer: slowest ${ms(certificateWorst.max)} (${ratio(certificateWorst.max, rawCertificate)}), p99 ${ms(certificateWorst.p99)}`,
);
console.log(
  `(b) raw PBKDF2-SHA256 2,048 rounds: ${ms(rawPbkdf2)}; openPrivateKey on ${CORRUPTED} corrupted .key: slowest ${ms(keyWorst.max)} (${ratio(keyWorst.max, rawPbkdf2)}), p99 ${ms(keyWorst.p99)}`,
);

// (c)
const scheme = ["-v2", "aes-256-cbc", "-iter", "1000001"];
const costly = opensslPkcs8(openPrivateKey(key, password), password, scheme);
const refusal = await median(20, () => {
  try {
    openPrivateKey(costly, password);
  } catch {
    // Refused as unsupported_key: what the unit test checks.
  }
});
console.log(
  `(c) openPrivateKey refusing 1,000,001 iterations: ${ms(refusal)} (${ratio(refusal, rawPbkdf2)} of one 2,048-round PBKDF2)`,
);

// (d)
const headers = Buffer.from("-----BEGIN A-----".repeat(Math.floor(MAX_CMS_BYTES / 17)));
const digest = createHash("sha256").update("documento").digest();
const rawHash = await median(20, () => createHash("sha256").update(headers).digest());
const cmsRefusal = await median(5, () =>
  verifyDetachedCmsSignature(headers, digest).catch(() => undefined),
);
console.log(
  `(d) raw SHA-256 of ${headers.length.toLocaleString("en-US")} bytes: ${ms(rawHash)}; verifyDetachedCmsSignature refusing them as PEM headers: ${ms(cmsRefusal)} (${ratio(cmsRefusal, rawHash)})`,
);

// (e)
const SIZE = 1_000_000;
const data = new Uint8Array(8);
const view = new DataView(data.buffer);
const leaves = Array.from({ length: SIZE }, (_, i) => {
  view.setFloat64(0, i);
  return leafHash(data);
});
const tree = new MemoryTree(leaves);
const rawLeaf = await median(1000, () => leafHash(data));
const proofs = await median(20, () => {
  const index = 765_432;
  const size1 = 654_321;
  const root = rootOf(tree);
  verifyInclusion(leaves[index]!, index, SIZE, inclusionProof(tree, index), root);
  const root1 = rootOf(tree, size1);
  verifyConsistency(size1, SIZE, consistencyProof(tree, size1), root1, root);
});
console.log(
  `(e) raw leaf hash: ${ms(rawLeaf)}; inclusion + consistency proved and verified on ${SIZE.toLocaleString("en-US")} leaves: ${ms(proofs)} (${ratio(proofs, rawLeaf)})`,
);
