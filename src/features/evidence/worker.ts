import type { JobLeases } from "../../platform/jobs/leases.ts";
import type { EvidenceService } from "./service.ts";

interface WorkerLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** Longer than a sweep of time-stamps can take (100 requests in parallel, each with a timeout). */
const TIMESTAMP_LEASE_SECONDS = 300;

/**
 * The evidence jobs of `buzon worker` (and of `buzon serve` unless --no-worker): every
 * `intervalSeconds`, publish a signed checkpoint of the public log if it grew (issue 4 §2:
 * "published at a regular interval and on demand") and time-stamp the acuses left without one.
 * Safe with any number of processes on one database: checkpoints are published under the log
 * lock (one per size), and the time-stamp sweep runs under a lease (one process at a time, so
 * the TSA is not asked twice). One run at a time per process; a failing run is logged and the
 * next one tries again. `intervalSeconds` 0 runs nothing.
 */
export function startEvidenceWorker(
  evidence: EvidenceService,
  intervalSeconds: number,
  log: WorkerLog,
  leases: JobLeases,
  /** Keep the process alive for the timer (a `buzon worker`, which has nothing else to do). */
  options: { keepAlive?: boolean } = {},
): { stop(): Promise<void>; runOnce(): Promise<void> } {
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
  const timer = intervalSeconds > 0 ? setInterval(runOnce, intervalSeconds * 1000) : undefined;
  if (!options.keepAlive) timer?.unref();
  return {
    /** Stops the timer and waits for a run in progress. */
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
    runOnce,
  };
}
