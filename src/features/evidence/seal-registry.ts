import { Buffer } from "node:buffer";
import type { X509Certificate } from "node:crypto";
import { internalError } from "../../domain/errors.ts";
import type { InstituteSeal } from "../../platform/crypto/seal.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { EvidenceStore } from "./store.ts";

/**
 * Which certificate made each seal. The database records every one (the current one before it
 * first seals), so an acuse is exported with its own. What is TRUSTED is only the configuration
 * — the current seal and the earlier certificates the operator lists — never a row: anyone able
 * to insert rows must not be able to add a certificate the server believes.
 */
export function createSealRegistry(
  store: EvidenceStore,
  seal: InstituteSeal,
  previousSealCertificates: readonly X509Certificate[] = [],
) {
  const trusted = [
    seal.certificate,
    ...previousSealCertificates.filter((c) => c.fingerprint256 !== seal.certificate.fingerprint256),
  ];
  let registered = false;
  const recorded = new Map<string, Buffer>([[seal.certificateNumber, seal.certificateDer]]);

  return {
    /**
     * Records the current seal certificate in the transaction of a batch sealed with it, so no
     * committed acuse ever names a certificate the database lacks. Once a batch has committed
     * (`committed()`), later batches of this process skip the statement.
     */
    async registerCurrent(tx: Db): Promise<void> {
      if (!registered)
        await store.saveSealCertificate(seal.certificateNumber, seal.certificateDer, tx);
    },

    /** A batch that registered the certificate committed. */
    committed(): void {
      registered = true;
    },

    /** The DER of the recorded certificate with this number. */
    async certificateOf(number: string): Promise<Buffer> {
      if (!recorded.has(number)) {
        for (const c of await store.sealCertificates()) {
          if (!recorded.has(c.number)) recorded.set(c.number, Buffer.from(c.der));
        }
      }
      const der = recorded.get(number);
      if (!der) throw internalError(`No se conoce el certificado de sello ${number}.`);
      return der;
    },

    /** The current seal and the configured earlier ones, never what the database says. */
    trusted(): X509Certificate[] {
      return trusted;
    },
  };
}

export type SealRegistry = ReturnType<typeof createSealRegistry>;
