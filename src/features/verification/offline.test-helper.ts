/**
 * Complete acuse exports for the verification tests: a development seal, a real RFC 3161 TSA on
 * loopback (OpenSSL) and a small Merkle log whose checkpoints are signed with an Ed25519 key.
 */
import { Buffer } from "node:buffer";
import { createHash, generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Acuse, cadenaInstant, cadenaOriginal } from "../../domain/evidence/acuse.ts";
import {
  ACUSE_EXPORT_FORMAT,
  type AcuseExport,
  exportedAcuseData,
  verificationCodeOf,
  verificationUrlOf,
} from "../../domain/evidence/acuse-export.ts";
import {
  formatVerifierKey,
  type NoteSigner,
  signCheckpoint,
  verifierKeyOf,
} from "../../domain/evidence/checkpoint.ts";
import { leafHash, MemoryTree, rootOf } from "../../domain/evidence/merkle.ts";
import { exportTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { createDevelopmentSeal, type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import { requestTimestamp } from "../../platform/crypto/tsa.ts";
import { startTestTsa, type TestTsa } from "../../testing/tsa-server.ts";

export const LOG_ORIGIN = "buzon.test/log";

/** Opened by the legal representative on Tuesday 11 Feb 2025 at 19:40:05, after hours (7.2). */
export function sampleAcuse(): Acuse {
  return {
    folio: "BI-20250211-194005123",
    kind: "apertura_notificacion",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: Temporal.Instant.from("2025-02-12T01:40:05Z"),
    countsAt: Temporal.Instant.from("2025-02-12T15:30:00Z"),
    rule: "horario_notificacion",
    calendarVersion: "cff-2025.1",
    rulesVersion: RULES_VERSION,
    documents: [
      {
        name: "Resolución de la notificación 2025-17 (año fiscal ñandú).pdf",
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        bytes: 48213,
      },
    ],
  };
}

/** Another acuse (a promoción), to borrow its time-stamp or proof. */
export function otherAcuse(): Acuse {
  return {
    folio: "BI-20250210-090000000",
    kind: "promocion",
    parties: { rfc: "EKU9003173C9", actorRfc: "EKU9003173C9", capacity: "titular" },
    eventAt: Temporal.Instant.from("2025-02-10T15:00:00Z"),
    countsAt: Temporal.Instant.from("2025-02-10T15:00:00Z"),
    rule: "recepcion_promocion",
    calendarVersion: "cff-2025.1",
    rulesVersion: RULES_VERSION,
    documents: [
      {
        name: "escrito.pdf",
        sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        bytes: 0,
      },
    ],
  };
}

export interface ExportOptions {
  /** Ask the test TSA for a token over the seal bytes (default true). */
  timestamp?: boolean;
  /** Put the acuse as leaf 2 of a three-leaf log and attach its proof (default true). */
  log?: boolean;
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
  const seal = await createDevelopmentSeal(join(dir, "sello"), new Date("2025-01-01T00:00:00Z"));
  const otherSeal = await createDevelopmentSeal(
    join(dir, "otro-sello"),
    new Date("2025-01-01T00:00:00Z"),
  );
  const tsa = await startTestTsa();
  const tsaCa = new X509Certificate(tsa.caPem);
  const logSigner: NoteSigner = {
    name: LOG_ORIGIN,
    privateKey: generateKeyPairSync("ed25519").privateKey,
  };
  const verifierKey = formatVerifierKey(verifierKeyOf(LOG_ORIGIN, logSigner.privateKey));
  const otherVerifierKey = formatVerifierKey(
    verifierKeyOf(LOG_ORIGIN, generateKeyPairSync("ed25519").privateKey),
  );
  const treeOf = (leaves: readonly string[]) =>
    new MemoryTree(leaves.map((leaf) => leafHash(new Uint8Array(Buffer.from(leaf, "utf8")))));
  const checkpointOf = (leaves: readonly string[]) => {
    const tree = treeOf(leaves);
    return signCheckpoint(
      { origin: LOG_ORIGIN, size: leaves.length, root: rootOf(tree) },
      logSigner,
    );
  };

  const exportOf = async (acuse = sampleAcuse(), options: ExportOptions = {}) => {
    const cadena = cadenaOriginal(acuse);
    const sello = await sealText(seal, cadena);
    const exported: AcuseExport = {
      format: ACUSE_EXPORT_FORMAT,
      acuse: exportedAcuseData(acuse, cadenaInstant),
      cadenaOriginal: cadena,
      seal: sello,
      sealCertificateNumber: seal.certificateNumber,
      sealCertificate: seal.certificateDer.toString("base64"),
      verificationCode: verificationCodeOf(sello),
      verificationUrl: verificationUrlOf("https://buzon.imss.gob.mx", acuse.folio, sello),
    };
    if (options.timestamp !== false) {
      const digest = createHash("sha256").update(Buffer.from(sello, "base64")).digest();
      const stamp = await requestTimestamp({ url: tsa.url, digest, trusted: [tsaCa] });
      exported.timestamp = {
        token: stamp.token.toString("base64"),
        genTime: stamp.genTime.toISOString(),
      };
    }
    if (options.log !== false) {
      const leaves = ["a", "b", cadena];
      exported.log = {
        verifierKey,
        proof: exportTlogProof(treeOf(leaves), 2, checkpointOf(leaves)),
      };
    }
    return exported;
  };

  return {
    dir,
    seal,
    otherSeal,
    tsa,
    tsaCa,
    tsaCertificate: new X509Certificate(tsa.certificatePem),
    logSigner,
    verifierKey,
    otherVerifierKey,
    exportOf,
    checkpointOf,
    close: async () => {
      await tsa.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The same export sealed with another seal (cadena, seal, certificate and its number). */
export async function resealed(exported: AcuseExport, seal: InstituteSeal): Promise<AcuseExport> {
  const sello = await sealText(seal, exported.cadenaOriginal);
  return {
    ...exported,
    seal: sello,
    sealCertificate: seal.certificateDer.toString("base64"),
    sealCertificateNumber: seal.certificateNumber,
    verificationCode: verificationCodeOf(sello),
  };
}
