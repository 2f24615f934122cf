import { Buffer } from "node:buffer";
import { cadenaInstant } from "../../domain/evidence/acuse.ts";
import {
  ACUSE_EXPORT_FORMAT,
  type AcuseExport,
  exportedAcuseData,
  verificationCodeOf,
  verificationUrlOf,
} from "../../domain/evidence/acuse-export.ts";
import type { Checkpoints } from "./checkpoints.ts";
import { toIssued } from "./issued.ts";
import type { Proofs } from "./proofs.ts";
import type { SealRegistry } from "./seal-registry.ts";
import type { EvidenceStore, StoredAcuseRow } from "./store.ts";

/**
 * The acuse's export: data, seal, certificate, time-stamp and proof against its first
 * checkpoint — everything needed to verify it offline.
 */
export function createExporter(options: {
  store: EvidenceStore;
  sealRegistry: SealRegistry;
  checkpoints: Checkpoints;
  proofs: Proofs;
  verifierKey: string;
  publicUrl: string;
}) {
  const { store, sealRegistry, checkpoints, proofs, verifierKey, publicUrl } = options;
  return async function exportOf(row: StoredAcuseRow): Promise<AcuseExport> {
    // The TSA is the worker's business, never a reader's: a read does not wait on it.
    const timestamp = await store.timestampOf(row.folio);
    const checkpoint = await checkpoints.firstCovering(row.leafIndex);
    const acuse = toIssued(row);
    const exported: AcuseExport = {
      format: ACUSE_EXPORT_FORMAT,
      acuse: exportedAcuseData(acuse, cadenaInstant),
      cadenaOriginal: row.cadenaOriginal,
      seal: row.seal,
      sealCertificateNumber: row.sealCertificateNumber,
      sealCertificate: (await sealRegistry.certificateOf(row.sealCertificateNumber)).toString(
        "base64",
      ),
      verificationCode: verificationCodeOf(row.seal),
      verificationUrl: verificationUrlOf(publicUrl, row.folio, row.seal),
      log: { verifierKey, proof: await proofs.tlogProofAgainst(row.leafIndex, checkpoint) },
    };
    if (timestamp) {
      exported.timestamp = {
        token: Buffer.from(timestamp.token).toString("base64"),
        genTime: timestamp.genTime.toISOString(),
      };
    }
    // Last, and only when there is one: every other export keeps its exact bytes.
    const statement = await store.statementOf(row.folio);
    if (statement) exported.statement = { name: statement.name, text: statement.text };
    return exported;
  };
}
