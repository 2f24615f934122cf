import type { EvidenceService } from "./service.ts";

interface WorkerLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/**
 * The evidence jobs of `buzon serve`: every `intervalSeconds`, publish a signed checkpoint of
 * the public log if it grew (issue 4 §2: "published at a regular interval and on demand") and
 * retry the time-stamps the TSA did not give. One run at a time; a failing run is logged and
 * the next one tries again. `intervalSeconds` 0 runs nothing.
 */
export function startEvidenceWorker(
  evidence: EvidenceService,
  intervalSeconds: number,
  log: WorkerLog,
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
        const stamped = await evidence.stampPending();
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
  timer?.unref();
  return {
    /** Stops the timer and waits for a run in progress. */
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
    runOnce,
  };
}
