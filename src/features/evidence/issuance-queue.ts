import { Buffer } from "node:buffer";
import { internalError } from "../../domain/errors.ts";
import { type Acuse, cadenaOriginal } from "../../domain/evidence/acuse.ts";
import {
  DEFAULT_FOLIO_PREFIX,
  formatFolio,
  nextFolio,
  parseFolio,
} from "../../domain/evidence/folio.ts";
import { frontierOf, leafHash, nodesCompletedBy } from "../../domain/evidence/merkle.ts";
import type { Clock } from "../../platform/clock.ts";
import { type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import { type AcuseInput, type IssuedAcuse, toIssued } from "./issued.ts";
import type { SealRegistry } from "./seal-registry.ts";
import type { AcuseRow, EvidenceStore, StoredAcuseRow } from "./store.ts";

interface Pending {
  input: AcuseInput;
  resolve(issued: IssuedAcuse): void;
  reject(error: unknown): void;
}

const DEFAULT_MAX_BATCH = 256;

/**
 * Issuance in batches: callers queue acuses; one drain at a time seals and writes up to
 * `maxBatch` of them per transaction, and `onIssued` hears of each committed batch.
 */
export function createIssuanceQueue(options: {
  store: EvidenceStore;
  seal: InstituteSeal;
  sealRegistry: SealRegistry;
  clock: Clock;
  maxBatch?: number | undefined;
  onIssued(rows: readonly StoredAcuseRow[]): void;
}) {
  const { store, seal, clock } = options;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const queue: Pending[] = [];
  let draining: Promise<void> | undefined;

  /**
   * Seals and writes a batch in one transaction under the log lock: folios are the clock's
   * millisecond or one after the last issued by any process (unique, strictly increasing), the
   * seals are computed in parallel on libuv's threads, and acuses, leaves and completed nodes go
   * in three statements. An acuse that fails validation is refused alone.
   */
  async function issueBatch(batch: Pending[]): Promise<void> {
    type Prepared = { item: Pending; acuse: Acuse; cadena: string };
    let prepared: Prepared[] = [];
    let rows: StoredAcuseRow[];
    try {
      await options.sealRegistry.registerCurrent();
      rows = await store.withLogLock(async (tx) => {
        const head = await store.head(tx);
        const frontier = frontierOf(head.size);
        const frontierNodes = await store.nodes(frontier, tx);
        const frontierHashes = frontier.map((c) => {
          const found = frontierNodes.find((n) => n.level === c.level && n.index === c.index);
          if (!found) throw internalError(`Falta el nodo ${c.level}/${c.index} del registro.`);
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
    options.onIssued(rows);
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

  return {
    /**
     * Queues an acuse for the next batch; the promise settles when its batch is committed, with
     * the sealed acuse, or with the error that refused it (nothing of it is written then).
     */
    issue(input: AcuseInput): Promise<IssuedAcuse> {
      return new Promise<IssuedAcuse>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        draining ??= drain();
      });
    },

    /** Whether a drain is running. */
    busy(): boolean {
      return draining !== undefined;
    },

    /** Waits for the drain in progress. */
    async settle(): Promise<void> {
      await draining;
    },
  };
}
