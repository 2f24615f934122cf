import { Buffer } from "node:buffer";
import { timingSafeEqual, type X509Certificate } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import type { AcuseExport } from "../../domain/evidence/acuse-export.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import {
  formatVerifierKey,
  type NoteSigner,
  verifierKeyOf,
} from "../../domain/evidence/checkpoint.ts";
import type { Clock } from "../../platform/clock.ts";
import type { InstituteSeal } from "../../platform/crypto/seal.ts";
import { renderAcusePdf } from "../../platform/pdf/acuse-pdf.ts";
import { createCheckpoints } from "./checkpoints.ts";
import { createExporter } from "./export.ts";
import {
  createIssuanceQueue,
  type GroupMember,
  type GroupOptions,
  type IssueOptions,
} from "./issuance-queue.ts";
import { type AcuseInput, type IssuedAcuse, toIssued } from "./issued.ts";
import { listOwnAcuses } from "./own-acuses.ts";
import { type ConsistencyProofAnswer, createProofs, type InclusionProofAnswer } from "./proofs.ts";
import { createSealRegistry } from "./seal-registry.ts";
import type { EvidenceStore, StoredAcuseRow, StoredCheckpoint } from "./store.ts";
import { createTimestamper, type EvidenceLog, type TsaSettings } from "./timestamps.ts";

export type {
  AcuseStatement,
  GroupMember,
  GroupOptions,
  IssueOptions,
  NumberedAcuse,
  SealedAcuse,
} from "./issuance-queue.ts";
export type { AcuseInput, IssuedAcuse } from "./issued.ts";
export type { ConsistencyProofAnswer, InclusionProofAnswer } from "./proofs.ts";
export type { EvidenceLog, TsaSettings } from "./timestamps.ts";

export interface EvidenceServiceOptions {
  store: EvidenceStore;
  seal: InstituteSeal;
  clock: Clock;
  /** Signs the log's checkpoints; its name is the log's origin. */
  logSigner: NoteSigner;
  /** Public address of the site, for the verification links and QR codes. */
  publicUrl?: string;
  /** Certificates the Institute sealed with before the current one (still trusted). */
  previousSealCertificates?: X509Certificate[];
  /** Time-stamp every acuse's seal with this TSA (after it is sealed and stored). */
  tsa?: TsaSettings | undefined;
  /**
   * Ask the TSA right after each batch (default). False where a separate `buzon worker` runs
   * the jobs: its sweep stamps what this process issued.
   */
  stampOnIssue?: boolean;
  /** Most acuses sealed and written in one transaction. */
  maxBatch?: number;
  log?: EvidenceLog;
}

/**
 * The evidence use cases, composed from one-job parts: the seal registry, the issuance queue,
 * checkpoints, proofs, the export and time-stamps.
 */
export function createEvidenceService(options: EvidenceServiceOptions) {
  const { store, seal, clock, logSigner } = options;
  const publicUrl = options.publicUrl ?? "http://127.0.0.1:8080";
  const verifierKey = formatVerifierKey(verifierKeyOf(logSigner.name, logSigner.privateKey));
  const sealRegistry = createSealRegistry(store, seal, options.previousSealCertificates);
  const checkpoints = createCheckpoints(store, logSigner);
  const proofs = createProofs(store, checkpoints);
  const timestamps = createTimestamper({
    store,
    clock,
    tsa: options.tsa,
    stampOnIssue: options.stampOnIssue,
    log: options.log,
  });
  const issuance = createIssuanceQueue({
    store,
    seal,
    sealRegistry,
    clock,
    maxBatch: options.maxBatch,
    onIssued: (rows) => timestamps.inBackground(rows),
  });
  const exportOf = createExporter({
    store,
    sealRegistry,
    checkpoints,
    proofs,
    verifierKey,
    publicUrl,
  });

  /** The stored acuse with this folio, if its verification code matches (constant time). */
  async function byFolioAndCode(folio: string, code: string): Promise<StoredAcuseRow | undefined> {
    const row = await store.byFolio(folio);
    if (!row) return undefined;
    const expected = Buffer.from(verificationCodeOf(row.seal));
    const given = Buffer.from(code);
    return expected.length === given.length && timingSafeEqual(expected, given) ? row : undefined;
  }

  /** The acuse, only to whoever holds its folio and code: folios are guessable instants. */
  async function heldAcuse(folio: string, code: string): Promise<StoredAcuseRow> {
    const row = await byFolioAndCode(folio, code);
    if (!row) {
      throw new AppError(
        "not_found",
        `No encontramos un acuse con el folio ${folio} y ese código de verificación.`,
      );
    }
    return row;
  }

  return {
    /** The log's note verifier key, `<origin>+<key id>+<base64 key>`. */
    verifierKey(): string {
      return verifierKey;
    },

    /** The Institute's current seal certificate (what verifiers compare an acuse's with). */
    sealCertificate(): X509Certificate {
      return seal.certificate;
    },

    /**
     * The seal certificates verification trusts: the current one and the earlier ones the
     * configuration lists (SEAL_PREVIOUS_CERTS_FILE), never what the database says.
     */
    sealCertificates(): X509Certificate[] {
      return sealRegistry.trusted();
    },

    /** The site's public address, where every acuse's QR code points. */
    publicUrl(): string {
      return publicUrl;
    },

    /** TSA certificates trusted for the acuses' time-stamps, if a TSA is configured. */
    tsaCertificates(): X509Certificate[] {
      return timestamps.trusted();
    },

    publishCheckpoint: checkpoints.publish,

    /** For GET /log/checkpoint: publishes at most once a second per process. */
    checkpointOnDemand: checkpoints.onDemand,

    async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
      return store.latestCheckpoint();
    },

    /**
     * Inclusion proof of the acuse's leaf in the tree of `size` leaves; by default the tree of
     * the latest checkpoint (published first if the log grew).
     */
    async inclusionProofFor(
      folio: string,
      code: string,
      size?: number,
    ): Promise<InclusionProofAnswer> {
      return proofs.inclusion(await heldAcuse(folio, code), size);
    },

    /** Consistency proof between the trees of `size1` and `size2` leaves (1 ≤ size1 ≤ size2). */
    consistencyProof(size1: number, size2: number): Promise<ConsistencyProofAnswer> {
      return proofs.consistency(size1, size2);
    },

    /**
     * The acuse's proof in the c2sp.org/tlog-proof@v1 format: against the published checkpoint
     * of `size` leaves when given, else against the first checkpoint that covers the acuse.
     */
    async tlogProofFor(folio: string, code: string, size?: number): Promise<string> {
      return proofs.tlog(await heldAcuse(folio, code), size);
    },

    /**
     * Issues an acuse: it joins the next batch (see issuance-queue.ts); the promise settles
     * when its batch is committed, with the sealed acuse, or with the error that refused it
     * (nothing of it is written then). `options.record` writes the use case's decision in the
     * acuse's own transaction (see IssueOptions).
     */
    issueAcuse(input: AcuseInput, options?: IssueOptions): Promise<IssuedAcuse> {
      return issuance.issue(input, options);
    },

    /**
     * Issues many acuses decided together: `group.record` writes the decisions of all of them
     * at once in their batch's transaction, before they are sealed (see GroupOptions). One
     * promise per member, each settling as issueAcuse's does. For jobs over many acts.
     */
    issueGroup<M extends GroupMember>(
      members: readonly M[],
      group: GroupOptions<M>,
    ): Promise<IssuedAcuse>[] {
      return issuance.issueGroup(members, group);
    },

    async acuseByFolio(folio: string): Promise<IssuedAcuse | undefined> {
      const row = await store.byFolio(folio);
      return row ? toIssued(row) : undefined;
    },

    /** The stored acuse with this folio, if its verification code matches (constant time). */
    acuseByFolioAndCode: byFolioAndCode,

    heldAcuse,

    /** «Mis acuses»: a page of this RFC's buzón's acuses, newest first (own-acuses.ts). */
    ownAcuses(rfc: string, options: { despues?: string | undefined; limite?: number | undefined }) {
      return listOwnAcuses(store, rfc, options);
    },

    /** The last acuse issued for this RFC's buzón (newest event), if any. */
    async latestAcuseOf(rfc: string): Promise<StoredAcuseRow | undefined> {
      return store.latestByRfc(rfc);
    },

    async exportByFolio(folio: string): Promise<AcuseExport | undefined> {
      const row = await store.byFolio(folio);
      return row ? exportOf(row) : undefined;
    },

    exportOf,

    /** The PDF of the acuse (same bytes every time for the same stored evidence). */
    async pdfOf(row: StoredAcuseRow): Promise<Buffer> {
      return renderAcusePdf({
        export: await exportOf(row),
        seal,
        timestamper: timestamps.forPdfSignature,
      });
    },

    /** Acuses that seal a document with this SHA-256, oldest first, at most `limit`. */
    async acusesSealing(sha256: string, limit: number): Promise<StoredAcuseRow[]> {
      return store.bySealedDocument(sha256, limit);
    },

    /** Time-stamps recent acuses left without one (TSA down, restart). Returns how many. */
    stampPending: timestamps.stampPending,

    /** Waits for issuance and background time-stamping in flight (before closing the database). */
    async settle(): Promise<void> {
      while (issuance.busy() || timestamps.busy()) {
        await issuance.settle();
        await timestamps.settle();
      }
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
