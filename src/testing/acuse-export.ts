/**
 * Sample acuses and their complete exports for the tests: sealed with a development seal, with the
 * verification code and QR link that seal gives, and optionally placed in a small Merkle log whose
 * checkpoints are signed with an Ed25519 key.
 */
import { Buffer } from "node:buffer";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { type Acuse, cadenaInstant, cadenaOriginal } from "../domain/evidence/acuse.ts";
import {
  ACUSE_EXPORT_FORMAT,
  type AcuseExport,
  exportedAcuseData,
  verificationCodeOf,
  verificationUrlOf,
} from "../domain/evidence/acuse-export.ts";
import {
  formatVerifierKey,
  type NoteSigner,
  signCheckpoint,
  verifierKeyOf,
} from "../domain/evidence/checkpoint.ts";
import { leafHash, MemoryTree, rootOf } from "../domain/evidence/merkle.ts";
import { exportTlogProof } from "../domain/evidence/tlog-proof.ts";
import { RULES_VERSION } from "../domain/plazos/rules.ts";
import { createDevelopmentSeal, type InstituteSeal, sealText } from "../platform/crypto/seal.ts";

export const LOG_ORIGIN = "buzon.test/log";
/** The Institute's public address in the fixtures' QR links. */
export const PUBLIC_URL = "https://buzon.imss.gob.mx";

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

/** A development seal written to `dir`, valid from 1 January 2025 (before every sample acuse). */
export function createTestSeal(dir: string): Promise<InstituteSeal> {
  return createDevelopmentSeal(dir, new Date("2025-01-01T00:00:00Z"));
}

/** A log named LOG_ORIGIN whose leaves are UTF-8 strings, its checkpoints signed by `signer`. */
export interface TestLog {
  signer: NoteSigner;
  /** `buzon.test/log+<id>+<key>` of the signer. */
  verifierKey: string;
  /** The signed checkpoint of a log with these leaves. */
  checkpointOf(leaves: readonly string[]): string;
  /** The tlog-proof of the last of these leaves, against the checkpoint of them all. */
  proofOfLast(leaves: readonly string[]): string;
}

export function createTestLog(
  privateKey: KeyObject = generateKeyPairSync("ed25519").privateKey,
): TestLog {
  const signer: NoteSigner = { name: LOG_ORIGIN, privateKey };
  const treeOf = (leaves: readonly string[]) =>
    new MemoryTree(leaves.map((leaf) => leafHash(new Uint8Array(Buffer.from(leaf, "utf8")))));
  const checkpointOf = (leaves: readonly string[]) =>
    signCheckpoint(
      { origin: LOG_ORIGIN, size: leaves.length, root: rootOf(treeOf(leaves)) },
      signer,
    );
  return {
    signer,
    verifierKey: formatVerifierKey(verifierKeyOf(LOG_ORIGIN, privateKey)),
    checkpointOf,
    proofOfLast: (leaves) =>
      exportTlogProof(treeOf(leaves), leaves.length - 1, checkpointOf(leaves)),
  };
}

export interface SampleExportOptions {
  /** The time-stamp to attach, given the seal (Base64); none by default. */
  timestamp?: ((seal: string) => Promise<NonNullable<AcuseExport["timestamp"]>>) | undefined;
  /** The log that holds the acuse's cadena as its last leaf, whose proof to attach; none by default. */
  log?: TestLog | undefined;
  /** The leaves before the acuse's in that log (default `["a", "b"]`). */
  logBefore?: readonly string[] | undefined;
  /** The verifier key the export names for that log (default the log's own). */
  verifierKey?: string | undefined;
}

/** The export of `acuse`, sealed with `seal`, its QR link at PUBLIC_URL. */
export async function sampleExport(
  acuse: Acuse,
  seal: InstituteSeal,
  options: SampleExportOptions = {},
): Promise<AcuseExport> {
  const cadena = cadenaOriginal(acuse);
  const exported: AcuseExport = {
    format: ACUSE_EXPORT_FORMAT,
    acuse: exportedAcuseData(acuse, cadenaInstant),
    cadenaOriginal: cadena,
    ...(await sealFields(seal, cadena, acuse.folio)),
  };
  if (options.timestamp) exported.timestamp = await options.timestamp(exported.seal);
  if (options.log) {
    const leaves = [...(options.logBefore ?? ["a", "b"]), cadena];
    exported.log = {
      verifierKey: options.verifierKey ?? options.log.verifierKey,
      proof: options.log.proofOfLast(leaves),
    };
  }
  return exported;
}

/**
 * The same export sealed with another seal (cadena, seal, certificate and its number), with the
 * code and QR link that seal gives: a coherent forgery, not a clumsy one.
 */
export async function resealed(exported: AcuseExport, seal: InstituteSeal): Promise<AcuseExport> {
  return {
    ...exported,
    ...(await sealFields(seal, exported.cadenaOriginal, exported.acuse.folio)),
  };
}

/** What sealing `cadena` with `seal` puts in an export: the seal, its certificate, code and link. */
async function sealFields(seal: InstituteSeal, cadena: string, folio: string) {
  const sello = await sealText(seal, cadena);
  return {
    seal: sello,
    sealCertificateNumber: seal.certificateNumber,
    sealCertificate: seal.certificateDer.toString("base64"),
    verificationCode: verificationCodeOf(sello),
    verificationUrl: verificationUrlOf(PUBLIC_URL, folio, sello),
  };
}
