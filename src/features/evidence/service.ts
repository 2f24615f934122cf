import { Buffer } from "node:buffer";
import {
  type Acuse,
  type AcuseDocument,
  type AcuseKind,
  type AcuseRule,
  type Capacity,
  cadenaOriginal,
} from "../../domain/evidence/acuse.ts";
import {
  encodeBase64,
  formatVerifierKey,
  type NoteSigner,
  signCheckpoint,
  verifierKeyOf,
} from "../../domain/evidence/checkpoint.ts";
import { formatFolio, nextFolioInstant, parseFolio } from "../../domain/evidence/folio.ts";
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryTree,
  rootOf,
  type TreeReader,
} from "../../domain/evidence/merkle.ts";
import { exportTlogProof } from "../../domain/evidence/tlog-proof.ts";
import type { Clock } from "../../platform/clock.ts";
import { type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { EvidenceStore, StoredAcuseRow, StoredCheckpoint } from "./store.ts";

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

/** An inclusion proof (RFC 9162 §2.1.3), hashes in base64. */
export interface InclusionProofAnswer {
  folio: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
}

/** A consistency proof (RFC 9162 §2.1.4) between two tree sizes, hashes in base64. */
export interface ConsistencyProofAnswer {
  size1: number;
  size2: number;
  proof: string[];
}

export interface EvidenceServiceOptions {
  store: EvidenceStore;
  seal: InstituteSeal;
  clock: Clock;
  /** Signs the log's checkpoints; its name is the log's origin. */
  logSigner: NoteSigner;
}

export function createEvidenceService({ store, seal, clock, logSigner }: EvidenceServiceOptions) {
  const verifierKey = formatVerifierKey(verifierKeyOf(logSigner.name, logSigner.privateKey));
  const loadTree = async (size?: number) => new MemoryTree(await store.leafHashes(size));
  const currentSize = async () => (await store.head()).size;

  async function publishCheckpoint(): Promise<StoredCheckpoint> {
    const tree = await loadTree();
    const latest = await store.latestCheckpoint();
    if (latest && latest.size === tree.size) return latest;
    const root = rootOf(tree);
    const note = signCheckpoint({ origin: logSigner.name, size: tree.size, root }, logSigner);
    return store.saveCheckpoint({ size: tree.size, root, note });
  }

  async function acuseOrNotFound(folio: string): Promise<StoredAcuseRow> {
    const row = await store.byFolio(folio);
    if (!row) throw new AppError("not_found", `No existe el acuse con folio ${folio}.`);
    return row;
  }

  return {
    /** The log's note verifier key, `<origin>+<key id>+<base64 key>`. */
    verifierKey(): string {
      return verifierKey;
    },

    /**
     * Signs and stores a checkpoint of the whole log, unless the latest one already covers it
     * (idempotent: one checkpoint per size).
     */
    publishCheckpoint,

    async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
      return store.latestCheckpoint();
    },

    /**
     * Inclusion proof of the acuse's leaf in the tree of `size` leaves; by default the tree of
     * the latest checkpoint (published first if the log grew).
     */
    async inclusionProofFor(folio: string, size?: number): Promise<InclusionProofAnswer> {
      const row = await acuseOrNotFound(folio);
      const treeSize = size ?? (await publishCheckpoint()).size;
      const current = await currentSize();
      if (!Number.isSafeInteger(treeSize) || treeSize <= row.leafIndex || treeSize > current) {
        throw new AppError(
          "validation",
          `El tamaño ${treeSize} no es válido: el acuse ${folio} es la hoja ${row.leafIndex} y el registro tiene ${current} hojas; use un tamaño entre ${row.leafIndex + 1} y ${current}.`,
        );
      }
      const tree = await loadTree(treeSize);
      const leaf = leafHash(Buffer.from(row.cadenaOriginal, "utf8"));
      return {
        folio,
        leafIndex: row.leafIndex,
        treeSize,
        leafHash: encodeBase64(leaf),
        proof: inclusionProof(tree, row.leafIndex, treeSize).map(encodeBase64),
      };
    },

    /** Consistency proof between the trees of `size1` and `size2` leaves (1 ≤ size1 ≤ size2). */
    async consistencyProof(size1: number, size2: number): Promise<ConsistencyProofAnswer> {
      const current = await currentSize();
      const valid = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= current;
      if (!valid(size1) || !valid(size2) || size1 > size2) {
        throw new AppError(
          "validation",
          `Los tamaños ${size1} y ${size2} no son válidos: deben cumplir 1 ≤ desde ≤ hasta ≤ ${current} (hojas del registro).`,
        );
      }
      const tree = await loadTree(size2);
      return { size1, size2, proof: consistencyProof(tree, size1, size2).map(encodeBase64) };
    },

    /**
     * The acuse with its proof in the c2sp.org/tlog-proof@v1 format against the latest
     * checkpoint (published first if the log grew). The leaf's bytes are the UTF-8 cadena
     * original.
     */
    async tlogProofFor(folio: string): Promise<string> {
      const row = await acuseOrNotFound(folio);
      const checkpoint = await publishCheckpoint();
      return exportTlogProof(await loadTree(checkpoint.size), row.leafIndex, checkpoint.note);
    },

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
