import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Acuse } from "../../domain/evidence/acuse.ts";
import type { AcuseExport } from "../../domain/evidence/acuse-export.ts";
import type { NoteSigner } from "../../domain/evidence/checkpoint.ts";
import type { InstituteSeal } from "../../platform/crypto/seal.ts";
import { requestTimestamp } from "../../platform/crypto/tsa.ts";
import {
  createTestLog,
  createTestSeal,
  sampleAcuse,
  sampleExport,
} from "../../testing/acuse-export.ts";
import { startTestTsa, type TestTsa } from "../../testing/tsa-server.ts";

export {
  LOG_ORIGIN,
  otherAcuse,
  PUBLIC_URL,
  resealed,
  sampleAcuse,
} from "../../testing/acuse-export.ts";

import { sealDigest } from "../../domain/evidence/seal-digest.ts";

export interface ExportOptions {
  /** Ask the test TSA for a token over the seal bytes (default true). */
  timestamp?: boolean;
  /** Put the acuse as leaf 2 of a three-leaf log and attach its proof (default true). */
  log?: boolean;
  /** The leaves before the acuse's in that log (default `["a", "b"]`). */
  logBefore?: readonly string[];
}

export interface AcuseFixtures {
  dir: string;
  seal: InstituteSeal;
  /** Another development seal: not the Institute's. */
  otherSeal: InstituteSeal;
  tsa: TestTsa;
  tsaCa: X509Certificate;
  tsaCertificate: X509Certificate;
  logSigner: NoteSigner;
  /** `buzon.test/log+<id>+<key>` of logSigner. */
  verifierKey: string;
  /** A verifier key of the same name but another key pair. */
  otherVerifierKey: string;
  /** The export of an acuse (sampleAcuse by default), sealed with `seal`. */
  exportOf(acuse?: Acuse, options?: ExportOptions): Promise<AcuseExport>;
  /** The signed checkpoint of a log with these leaves (UTF-8 strings). */
  checkpointOf(leaves: readonly string[]): string;
  close(): Promise<void>;
}

export async function startAcuseFixtures(): Promise<AcuseFixtures> {
  const dir = await mkdtemp(join(tmpdir(), "buzon-verificacion-"));
  const seal = await createTestSeal(join(dir, "sello"));
  const otherSeal = await createTestSeal(join(dir, "otro-sello"));
  const tsa = await startTestTsa();
  const tsaCa = new X509Certificate(tsa.caPem);
  const log = createTestLog();
  const otherVerifierKey = createTestLog().verifierKey;

  const timestampOf = async (sello: string) => {
    const stamp = await requestTimestamp({
      url: tsa.url,
      digest: sealDigest(sello),
      trusted: [tsaCa],
    });
    return { token: stamp.token.toString("base64"), genTime: stamp.genTime.toISOString() };
  };
  const exportOf = (acuse = sampleAcuse(), options: ExportOptions = {}) =>
    sampleExport(acuse, seal, {
      timestamp: options.timestamp !== false ? timestampOf : undefined,
      log: options.log !== false ? log : undefined,
      logBefore: options.logBefore,
    });

  return {
    dir,
    seal,
    otherSeal,
    tsa,
    tsaCa,
    tsaCertificate: new X509Certificate(tsa.certificatePem),
    logSigner: log.signer,
    verifierKey: log.verifierKey,
    otherVerifierKey,
    exportOf,
    checkpointOf: log.checkpointOf,
    close: async () => {
      await tsa.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
