import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual, type X509Certificate } from "node:crypto";
import {
  type Acuse,
  type AcuseDocument,
  type AcuseKind,
  type AcuseRule,
  type Capacity,
  cadenaInstant,
  cadenaOriginal,
} from "../../domain/evidence/acuse.ts";
import {
  ACUSE_EXPORT_FORMAT,
  type AcuseExport,
  exportedAcuseData,
  verificationCodeOf,
  verificationUrlOf,
} from "../../domain/evidence/acuse-export.ts";
import {
  encodeBase64,
  formatVerifierKey,
  type NoteSigner,
  parseCheckpointBody,
  parseSignedNote,
  signCheckpoint,
  verifierKeyOf,
} from "../../domain/evidence/checkpoint.ts";
import {
  DEFAULT_FOLIO_PREFIX,
  formatFolio,
  nextFolio,
  parseFolio,
} from "../../domain/evidence/folio.ts";
import {
  consistencyProof,
  frontierOf,
  inclusionProof,
  leafHash,
  nodesCompletedBy,
  nodesNeeded,
  readerFromNodes,
  rootOf,
  type TreeReader,
} from "../../domain/evidence/merkle.ts";
import { formatTlogProof } from "../../domain/evidence/tlog-proof.ts";
import type { Clock } from "../../platform/clock.ts";
import { type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import { requestTimestamp } from "../../platform/crypto/tsa.ts";
import type { Db } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import { renderAcusePdf } from "../../platform/pdf/acuse-pdf.ts";
import type { AcuseRow, EvidenceStore, StoredAcuseRow, StoredCheckpoint } from "./store.ts";

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

/** A configured RFC 3161 time-stamping authority. */
export interface TsaSettings {
  url: string;
  /** The TSA's certificate or the CA that issued it. */
  trusted: X509Certificate[];
  timeoutMs?: number;
}

export interface EvidenceLog {
  warn(data: object, message: string): void;
}

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
  /** Most acuses sealed and written in one transaction. */
  maxBatch?: number;
  log?: EvidenceLog;
}

interface Pending {
  input: AcuseInput;
  resolve(issued: IssuedAcuse): void;
  reject(error: unknown): void;
}

const DEFAULT_MAX_BATCH = 256;
/** On-demand checkpoints (a verifier asking) at most once a second per process. */
const ON_DEMAND_INTERVAL_MS = 1000;

/** SHA-256 of the raw seal bytes: what the RFC 3161 token covers (as CAdES-T stamps a signature). */
export function sealDigest(sealB64: string): Buffer {
  return createHash("sha256").update(Buffer.from(sealB64, "base64")).digest();
}

export function createEvidenceService(options: EvidenceServiceOptions) {
  const { store, seal, clock, logSigner } = options;
  const publicUrl = options.publicUrl ?? "http://127.0.0.1:8080";
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const verifierKey = formatVerifierKey(verifierKeyOf(logSigner.name, logSigner.privateKey));
  const currentSize = async () => (await store.head()).size;

  // Which certificate made each seal: the database records every one (the current one before
  // it first seals), so an acuse is exported with its own. What is TRUSTED is only the
  // configuration — the current seal and the earlier certificates the operator lists — never a
  // row: anyone able to insert rows must not be able to add a certificate the server believes.
  const trustedSeals = [
    seal.certificate,
    ...(options.previousSealCertificates ?? []).filter(
      (c) => c.fingerprint256 !== seal.certificate.fingerprint256,
    ),
  ];
  let registered: Promise<void> | undefined;
  const registerSeal = () => {
    registered ??= store
      .saveSealCertificate(seal.certificateNumber, seal.certificateDer)
      .catch((error: unknown) => {
        registered = undefined; // a transient failure is retried on the next issuance
        throw error;
      });
    return registered;
  };
  const recorded = new Map<string, Buffer>([[seal.certificateNumber, seal.certificateDer]]);
  async function certificateOf(number: string): Promise<Buffer> {
    if (!recorded.has(number)) {
      for (const c of await store.sealCertificates()) {
        if (!recorded.has(c.number)) recorded.set(c.number, Buffer.from(c.der));
      }
    }
    const der = recorded.get(number);
    if (!der) throw new Error(`No se conoce el certificado de sello ${number}.`);
    return der;
  }

  /**
   * Runs `compute` over the tree of `size` leaves, reading only the nodes it needs. `compute`
   * runs twice, first over placeholder hashes: it must not branch on hash values.
   */
  async function overTree<T>(
    size: number,
    compute: (reader: TreeReader) => T,
    executor?: Db,
  ): Promise<T> {
    const nodes = await store.nodes(nodesNeeded(size, compute), executor);
    return compute(readerFromNodes(size, nodes));
  }

  let lastPublished = Number.NEGATIVE_INFINITY;

  /**
   * Signs and stores a checkpoint of the whole log if it grew, under the log lock (so sizes only
   * grow and issuance cannot slip in between reading the size and the root). With
   * `minIntervalMs`, a request less than that after this process's last checkpoint gets the
   * latest one instead: on-demand publishing cannot flood the append-only table.
   */
  async function publishCheckpoint(
    options: { minIntervalMs?: number } = {},
  ): Promise<StoredCheckpoint> {
    const latest = await store.latestCheckpoint();
    if (latest && latest.size >= (await currentSize())) return latest;
    if (latest && performance.now() - lastPublished < (options.minIntervalMs ?? 0)) return latest;
    return store.withLogLock(async (tx) => {
      const size = (await store.head(tx)).size;
      const current = await store.latestCheckpoint(tx);
      if (current && current.size >= size) return current;
      const root = await overTree(size, (tree) => rootOf(tree, size), tx);
      const note = signCheckpoint({ origin: logSigner.name, size, root }, logSigner);
      lastPublished = performance.now();
      return store.saveCheckpoint({ size, root, note }, tx);
    });
  }

  /** The latest checkpoint if it covers the leaf, else a new one (which then does). */
  async function checkpointCovering(leafIndex: number): Promise<StoredCheckpoint> {
    const latest = await publishCheckpoint({ minIntervalMs: ON_DEMAND_INTERVAL_MS });
    return latest.size > leafIndex ? latest : publishCheckpoint();
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

  async function byFolioAndCode(folio: string, code: string): Promise<StoredAcuseRow | undefined> {
    const row = await store.byFolio(folio);
    if (!row) return undefined;
    const expected = Buffer.from(verificationCodeOf(row.seal));
    const given = Buffer.from(code);
    return expected.length === given.length && timingSafeEqual(expected, given) ? row : undefined;
  }

  /** The tlog-proof of a leaf against a stored checkpoint. */
  async function tlogProofAgainst(
    leafIndex: number,
    checkpoint: StoredCheckpoint,
  ): Promise<string> {
    const { size, root } = parseCheckpointBody(parseSignedNote(checkpoint.note).text);
    // Root and proof in one read; the comparison comes after (the first pass of overTree runs
    // over placeholder hashes).
    const { treeRoot, proof } = await overTree(size, (tree) => ({
      treeRoot: rootOf(tree, size),
      proof: inclusionProof(tree, leafIndex, size),
    }));
    if (encodeBase64(treeRoot) !== encodeBase64(root)) {
      throw new Error(`El punto de control de ${size} hojas no tiene la raíz del registro.`);
    }
    return formatTlogProof({ index: leafIndex, proof, checkpoint: checkpoint.note });
  }

  /** The first checkpoint covering the leaf, published now if none does yet. */
  async function firstCheckpointCovering(leafIndex: number): Promise<StoredCheckpoint> {
    return (
      (await store.firstCheckpointCovering(leafIndex)) ?? (await checkpointCovering(leafIndex))
    );
  }

  // ---- Time-stamps ---------------------------------------------------------------------------

  const stamping = new Set<Promise<unknown>>();

  async function stamp(folio: string, sealB64: string): Promise<boolean> {
    const tsa = options.tsa;
    if (!tsa) return false;
    try {
      const token = await requestTimestamp({
        url: tsa.url,
        digest: sealDigest(sealB64),
        trusted: tsa.trusted,
        at: new Date(clock().epochMilliseconds),
        ...(tsa.timeoutMs === undefined ? {} : { timeoutMs: tsa.timeoutMs }),
      });
      await store.saveTimestamp({
        folio,
        token: token.token,
        genTime: token.genTime,
        tsaSerial: token.serialNumber,
      });
      return true;
    } catch (error) {
      // The acuse stands without it; the sweep retries.
      options.log?.warn(
        { folio, err: error instanceof Error ? error.message : String(error) },
        "no se obtuvo el sello de tiempo del acuse",
      );
      return false;
    }
  }

  function stampInBackground(issued: readonly { folio: string; seal: string }[]): void {
    if (!options.tsa || issued.length === 0) return;
    const work = Promise.all(issued.map((a) => stamp(a.folio, a.seal)));
    stamping.add(work);
    void work.finally(() => stamping.delete(work));
  }

  // ---- Issuance, in batches ------------------------------------------------------------------

  const queue: Pending[] = [];
  let draining: Promise<void> | undefined;

  /**
   * Seals and writes up to `maxBatch` acuses in one transaction under the log lock: folios are
   * the clock's millisecond or one after the last issued by any process (unique, strictly
   * increasing), the seals are computed in parallel on libuv's threads, and acuses, leaves and
   * completed nodes go in three statements. An acuse that fails validation is refused alone.
   */
  async function issueBatch(batch: Pending[]): Promise<void> {
    type Prepared = { item: Pending; acuse: Acuse; cadena: string };
    let prepared: Prepared[] = [];
    let rows: StoredAcuseRow[];
    try {
      await registerSeal();
      rows = await store.withLogLock(async (tx) => {
        const head = await store.head(tx);
        const frontier = frontierOf(head.size);
        const frontierNodes = await store.nodes(frontier, tx);
        const frontierHashes = frontier.map((c) => {
          const found = frontierNodes.find((n) => n.level === c.level && n.index === c.index);
          if (!found) throw new Error(`Falta el nodo ${c.level}/${c.index} del registro.`);
          return found.hash;
        });
        let last: { instant: Temporal.Instant; sequence: number } | undefined =
          head.lastFolio === undefined ? undefined : parseFolio(head.lastFolio);
        const now = clock();
        prepared = [];
        for (const item of batch) {
          const next = nextFolio(last, now);
          const acuse: Acuse = {
            ...item.input,
            folio: formatFolio(next.instant, DEFAULT_FOLIO_PREFIX, next.sequence),
          };
          try {
            prepared.push({ item, acuse, cadena: cadenaOriginal(acuse) });
            last = next;
          } catch (error) {
            item.reject(error);
          }
        }
        if (prepared.length === 0) return [];
        const seals = await Promise.all(prepared.map((p) => sealText(seal, p.cadena)));
        const leaves = prepared.map((p) => leafHash(Buffer.from(p.cadena, "utf8")));
        const acuses: AcuseRow[] = prepared.map(({ acuse, cadena }, i) => ({
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
          seal: seals[i]!,
          sealCertificateNumber: seal.certificateNumber,
          leafIndex: head.size + i,
        }));
        const nodes = nodesCompletedBy(head.size, frontierHashes, leaves);
        return store.appendBatch(acuses, leaves, nodes, tx);
      });
    } catch (error) {
      for (const p of prepared) p.item.reject(error);
      // Items refused before the transaction failed were already answered; the rest were not
      // prepared (the failure came first) and get the same error.
      for (const item of batch) if (!prepared.some((p) => p.item === item)) item.reject(error);
      return;
    }
    prepared.forEach((p, i) => {
      p.item.resolve(toIssued(rows[i]!));
    });
    stampInBackground(rows);
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await issueBatch(batch);
        } catch (error) {
          // issueBatch answers its callers itself; this only keeps the queue alive.
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      draining = undefined;
    }
  }

  /** The acuse's export: data, seal, certificate, time-stamp and proof against its first checkpoint. */
  async function exportOf(row: StoredAcuseRow): Promise<AcuseExport> {
    // The TSA is the worker's business, never a reader's: a read does not wait on it.
    const timestamp = await store.timestampOf(row.folio);
    const checkpoint = await firstCheckpointCovering(row.leafIndex);
    const acuse = toIssued(row);
    const exported: AcuseExport = {
      format: ACUSE_EXPORT_FORMAT,
      acuse: exportedAcuseData(acuse, cadenaInstant),
      cadenaOriginal: row.cadenaOriginal,
      seal: row.seal,
      sealCertificateNumber: row.sealCertificateNumber,
      sealCertificate: (await certificateOf(row.sealCertificateNumber)).toString("base64"),
      verificationCode: verificationCodeOf(row.seal),
      verificationUrl: verificationUrlOf(publicUrl, row.folio, row.seal),
      log: { verifierKey, proof: await tlogProofAgainst(row.leafIndex, checkpoint) },
    };
    if (timestamp) {
      exported.timestamp = {
        token: Buffer.from(timestamp.token).toString("base64"),
        genTime: timestamp.genTime.toISOString(),
      };
    }
    return exported;
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
      return trustedSeals;
    },

    /** The site's public address, where every acuse's QR code points. */
    publicUrl(): string {
      return publicUrl;
    },

    /** TSA certificates trusted for the acuses' time-stamps, if a TSA is configured. */
    tsaCertificates(): X509Certificate[] {
      return options.tsa?.trusted ?? [];
    },

    publishCheckpoint,

    /** For GET /log/checkpoint: publishes at most once a second per process. */
    checkpointOnDemand(): Promise<StoredCheckpoint> {
      return publishCheckpoint({ minIntervalMs: ON_DEMAND_INTERVAL_MS });
    },

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
      const row = await heldAcuse(folio, code);
      const treeSize = size ?? (await checkpointCovering(row.leafIndex)).size;
      const current = await currentSize();
      if (!Number.isSafeInteger(treeSize) || treeSize <= row.leafIndex || treeSize > current) {
        throw new AppError(
          "validation",
          `El tamaño ${treeSize} no es válido: el acuse ${folio} es la hoja ${row.leafIndex} y el registro tiene ${current} hojas; usa un tamaño entre ${row.leafIndex + 1} y ${current}.`,
        );
      }
      const leaf = leafHash(Buffer.from(row.cadenaOriginal, "utf8"));
      const proof = await overTree(treeSize, (tree) =>
        inclusionProof(tree, row.leafIndex, treeSize),
      );
      return {
        folio,
        leafIndex: row.leafIndex,
        treeSize,
        leafHash: encodeBase64(leaf),
        proof: proof.map(encodeBase64),
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
      const proof = await overTree(size2, (tree) => consistencyProof(tree, size1, size2));
      return { size1, size2, proof: proof.map(encodeBase64) };
    },

    /**
     * The acuse's proof in the c2sp.org/tlog-proof@v1 format: against the published checkpoint
     * of `size` leaves when given (one the verifier kept), else against the first checkpoint
     * that covers the acuse (published now if none does yet). The leaf's bytes are the UTF-8
     * cadena original.
     */
    async tlogProofFor(folio: string, code: string, size?: number): Promise<string> {
      const row = await heldAcuse(folio, code);
      if (size === undefined) {
        return tlogProofAgainst(row.leafIndex, await firstCheckpointCovering(row.leafIndex));
      }
      const checkpoint = await store.checkpointOfSize(size);
      if (!checkpoint || size <= row.leafIndex) {
        throw new AppError(
          "validation",
          checkpoint
            ? `El punto de control de ${size} hojas no cubre el acuse ${folio} (hoja ${row.leafIndex}).`
            : `No se publicó un punto de control de ${size} hojas; consulta el último en /api/v1/log/checkpoint.`,
        );
      }
      return tlogProofAgainst(row.leafIndex, checkpoint);
    },

    /**
     * Issues an acuse: it joins the next batch (see {@link issueBatch}); the promise settles
     * when its batch is committed, with the sealed acuse, or with the AcuseError that refused
     * it (nothing of it is written then).
     */
    issueAcuse(input: AcuseInput): Promise<IssuedAcuse> {
      return new Promise<IssuedAcuse>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        draining ??= drain();
      });
    },

    async acuseByFolio(folio: string): Promise<IssuedAcuse | undefined> {
      const row = await store.byFolio(folio);
      return row ? toIssued(row) : undefined;
    },

    /** The stored acuse with this folio, if its verification code matches (constant time). */
    acuseByFolioAndCode: byFolioAndCode,

    heldAcuse,

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
      return renderAcusePdf({ export: await exportOf(row) });
    },

    /** Acuses that seal a document with this SHA-256, oldest first, at most `limit`. */
    async acusesSealing(sha256: string, limit: number): Promise<StoredAcuseRow[]> {
      return store.bySealedDocument(sha256, limit);
    },

    /** Time-stamps recent acuses left without one (TSA down, restart). Returns how many. */
    async stampPending(limit = 100): Promise<number> {
      if (!options.tsa) return 0;
      const pending = await store.withoutTimestamp(limit);
      const done = await Promise.all(pending.map((a) => stamp(a.folio, a.seal)));
      return done.filter(Boolean).length;
    },

    /** Waits for issuance and background time-stamping in flight (before closing the database). */
    async settle(): Promise<void> {
      while (draining || stamping.size > 0) {
        await draining;
        await Promise.all([...stamping]);
      }
    },
  };
}

export function toIssued(row: StoredAcuseRow): IssuedAcuse {
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
