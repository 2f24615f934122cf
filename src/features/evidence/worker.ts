import type { JobLeases } from "../../platform/jobs/leases.ts";
import type { EvidenceService } from "./service.ts";

interface WorkerLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** Longer than a sweep of time-stamps can take (100 requests in parallel, each with a timeout). */
const TIMESTAMP_LEASE_SECONDS = 300;

/**
 * The evidence job the scheduler runs (in `buzon worker`, and in `buzon serve` unless
 * --no-worker) every CHECKPOINT_INTERVAL_SECONDS: publish a signed checkpoint of the public log if it grew (issue 4 §2:
 * "published at a regular interval and on demand") and time-stamp the acuses left without one.
 * Safe with any number of processes on one database: checkpoints are published under the log
 * lock (one per size), and the time-stamp sweep runs under a lease (one process at a time, so
 * the TSA is not asked twice). One run at a time per process; a failing run is logged and the
 * next one tries again.
 */
export function createEvidenceJob(
  evidence: EvidenceService,
  log: WorkerLog,
  leases: JobLeases,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const runOnce = async () => {
    if (running) return running;
    running = (async () => {
      try {
        const before = await evidence.latestCheckpoint();
        const checkpoint = await evidence.publishCheckpoint();
        if (checkpoint.size !== before?.size) {
          log.info({ size: checkpoint.size }, "punto de control del registro publicado");
        }
        const stamped =
          (await leases.run("sellos_de_tiempo", TIMESTAMP_LEASE_SECONDS, () =>
            evidence.stampPending(),
          )) ?? 0;
        if (stamped > 0) log.info({ stamped }, "sellos de tiempo pendientes obtenidos");
      } catch (error) {
        log.error(
          { err: error instanceof Error ? error.message : String(error) },
          "falló la tarea periódica del registro",
        );
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  return runOnce;
}
