import { type NoteSigner, signCheckpoint } from "../../domain/evidence/checkpoint.ts";
import {
  nodesNeeded,
  readerFromNodes,
  rootOf,
  type TreeReader,
} from "../../domain/evidence/merkle.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { EvidenceStore, StoredCheckpoint } from "./store.ts";

/** On-demand checkpoints (a verifier asking) at most once a second per process. */
export const ON_DEMAND_INTERVAL_MS = 1000;

/**
 * Runs `compute` over the tree of `size` leaves, reading only the nodes it needs. `compute`
 * runs twice, first over placeholder hashes: it must not branch on hash values.
 */
export async function overTree<T>(
  store: EvidenceStore,
  size: number,
  compute: (reader: TreeReader) => T,
  executor?: Db,
): Promise<T> {
  const nodes = await store.nodes(nodesNeeded(size, compute), executor);
  return compute(readerFromNodes(size, nodes));
}

/** The log's signed checkpoints: publishing them (periodic or on demand) and finding them. */
export function createCheckpoints(store: EvidenceStore, logSigner: NoteSigner) {
  let lastPublished = Number.NEGATIVE_INFINITY;

  /**
   * Signs and stores a checkpoint of the whole log if it grew, under the log lock (so sizes only
   * grow, issuance cannot slip in between reading the size and the root, and any number of
   * processes can publish without two checkpoints of one size). With `minIntervalMs`, a request
   * less than that after this process's last checkpoint gets the latest one instead: on-demand
   * publishing cannot flood the append-only table.
   */
  async function publish(options: { minIntervalMs?: number } = {}): Promise<StoredCheckpoint> {
    const latest = await store.latestCheckpoint();
    if (latest && latest.size >= (await store.head()).size) return latest;
    if (latest && performance.now() - lastPublished < (options.minIntervalMs ?? 0)) return latest;
    let published = false;
    const checkpoint = await store.withLogLock(async (tx) => {
      const size = (await store.head(tx)).size;
      const current = await store.latestCheckpoint(tx);
      if (current && current.size >= size) return current;
      const root = await overTree(store, size, (tree) => rootOf(tree, size), tx);
      const note = signCheckpoint({ origin: logSigner.name, size, root }, logSigner);
      published = true;
      return store.saveCheckpoint({ size, root, note }, tx);
    });
    // Only once committed: set earlier, a request arriving meanwhile was answered the previous
    // checkpoint (not yet covering the log) instead of waiting on the lock for this one.
    if (published) lastPublished = performance.now();
    return checkpoint;
  }

  /** The latest checkpoint if it covers the leaf, else a new one (which then does). */
  async function covering(leafIndex: number): Promise<StoredCheckpoint> {
    const latest = await publish({ minIntervalMs: ON_DEMAND_INTERVAL_MS });
    return latest.size > leafIndex ? latest : publish();
  }

  return {
    publish,
    /** For GET /log/checkpoint: publishes at most once a second per process. */
    onDemand(): Promise<StoredCheckpoint> {
      return publish({ minIntervalMs: ON_DEMAND_INTERVAL_MS });
    },
    covering,
    /** The first checkpoint covering the leaf, published now if none does yet. */
    async firstCovering(leafIndex: number): Promise<StoredCheckpoint> {
      return (await store.firstCheckpointCovering(leafIndex)) ?? (await covering(leafIndex));
    },
  };
}

export type Checkpoints = ReturnType<typeof createCheckpoints>;
