import { Buffer } from "node:buffer";
import {
  type Acuse,
  type AcuseDocument,
  type AcuseKind,
  type AcuseRule,
  type Capacity,
  cadenaOriginal,
} from "../../domain/evidence/acuse.ts";
import { formatFolio, nextFolioInstant, parseFolio } from "../../domain/evidence/folio.ts";
import { leafHash, MemoryTree, type TreeReader } from "../../domain/evidence/merkle.ts";
import type { Clock } from "../../platform/clock.ts";
import { type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import type { EvidenceStore, StoredAcuseRow } from "./store.ts";

/** What a caller gives to issue an acuse: everything but the folio, which issuance assigns. */
export type AcuseInput = Omit<Acuse, "folio">;

/** An issued acuse: the model, its cadena original, the Institute's seal and its log leaf. */
export interface IssuedAcuse extends Acuse {
  cadenaOriginal: string;
  /** Base64 RSA-SHA256 over the UTF-8 cadena original. */
  seal: string;
  sealCertificateNumber: string;
  leafIndex: number;
  createdAt: Date;
}

export interface EvidenceServiceOptions {
  store: EvidenceStore;
  seal: InstituteSeal;
  clock: Clock;
}

export function createEvidenceService({ store, seal, clock }: EvidenceServiceOptions) {
  return {
    /**
     * Issues an acuse in one transaction under the log lock: the folio is the clock's
     * millisecond, or one after the last folio issued by any process, so folios are unique and
     * strictly increasing; the acuse is sealed and appended as the next leaf of the log.
     * Validation errors ({@link AcuseError}) surface before anything is written.
     */
    async issueAcuse(input: AcuseInput): Promise<IssuedAcuse> {
      return store.withLogLock(async (tx) => {
        const head = await store.head(tx);
        const last = head.lastFolio === undefined ? undefined : parseFolio(head.lastFolio).instant;
        const acuse: Acuse = { ...input, folio: formatFolio(nextFolioInstant(last, clock())) };
        const cadena = cadenaOriginal(acuse);
        const stored = await store.append(
          {
            folio: acuse.folio,
            kind: acuse.kind,
            rfc: acuse.parties.rfc,
            actorRfc: acuse.parties.actorRfc,
            capacity: acuse.parties.capacity,
            eventAt: new Date(acuse.eventAt.epochMilliseconds),
            countsAt: new Date(acuse.countsAt.epochMilliseconds),
            rule: acuse.rule,
            calendarVersion: acuse.calendarVersion,
            rulesVersion: acuse.rulesVersion,
            documents: acuse.documents,
            cadenaOriginal: cadena,
            seal: sealText(seal, cadena),
            sealCertificateNumber: seal.certificateNumber,
            leafIndex: head.size,
          },
          leafHash(Buffer.from(cadena, "utf8")),
          tx,
        );
        return toIssued(stored);
      });
    },

    async acuseByFolio(folio: string): Promise<IssuedAcuse | undefined> {
      const row = await store.byFolio(folio);
      return row ? toIssued(row) : undefined;
    },

    /**
     * A merkle.ts TreeReader over the first `size` leaves of the log (all by default).
     * For now it loads every stored leaf hash and builds the aligned subtree hashes in memory
     * (about 64 bytes per leaf, O(n) to build). The scaling step is to persist the aligned node
     * hashes (or C2SP tlog tiles) as leaves are appended, so a reader fetches only the O(log n)
     * nodes a root or proof needs.
     */
    async treeReader(size?: number): Promise<TreeReader> {
      return new MemoryTree(await store.leafHashes(size));
    },
  };
}

function toIssued(row: StoredAcuseRow): IssuedAcuse {
  return {
    folio: row.folio,
    kind: row.kind as AcuseKind,
    parties: {
      rfc: row.rfc,
      actorRfc: row.actorRfc,
      capacity: row.capacity as Capacity,
    },
    eventAt: Temporal.Instant.fromEpochMilliseconds(row.eventAt.getTime()),
    countsAt: Temporal.Instant.fromEpochMilliseconds(row.countsAt.getTime()),
    rule: row.rule as AcuseRule,
    calendarVersion: row.calendarVersion,
    rulesVersion: row.rulesVersion,
    documents: row.documents as AcuseDocument[],
    cadenaOriginal: row.cadenaOriginal,
    seal: row.seal,
    sealCertificateNumber: row.sealCertificateNumber,
    leafIndex: row.leafIndex,
    createdAt: row.createdAt,
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
