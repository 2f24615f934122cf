import closeWithGrace from "close-with-grace";
import { startEvidenceWorker } from "../features/evidence/worker.ts";
import { systemClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import { databaseTargetOf, ensureSchemaReady, openDatabase } from "../platform/db/database.ts";
import { createJobLeases } from "../platform/jobs/leases.ts";
import { createProcessLog } from "../platform/log.ts";
import { buildEvidence } from "../system.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

/**
 * `buzon worker`: the background jobs without the HTTP server — checkpoints of the public log
 * and the acuses' time-stamps, every CHECKPOINT_INTERVAL_SECONDS — so that API servers
 * (`buzon serve --no-worker`) and workers scale apart on one PostgreSQL. Any number of workers
 * may run: each job is safe to run from several processes (see features/evidence/worker.ts).
 */
export async function workerCommand(args: string[], parse: ArgsParser): Promise<number> {
  const { positionals } = parse(args, {});
  noPositionals(positionals);
  const config = loadConfig();
  if (config.checkpointIntervalSeconds === 0) {
    throw new UsageError(
      "CHECKPOINT_INTERVAL_SECONDS=0 apaga las tareas periódicas: el trabajador no tendría nada que hacer.",
    );
  }
  const log = createProcessLog(config);
  const database = openDatabase(databaseTargetOf(config));
  let evidence: Awaited<ReturnType<typeof buildEvidence>>;
  try {
    await ensureSchemaReady(database, config.databaseServingRole);
    evidence = await buildEvidence(config, database, systemClock, {
      warn: log.warn,
      stampOnIssue: true,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const worker = startEvidenceWorker(
    evidence,
    config.checkpointIntervalSeconds,
    log,
    createJobLeases(database.db),
    { keepAlive: true },
  );
  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) log.error({ err: err.message }, "cierre por error");
    else log.info({ signal }, "cerrando: se termina la tarea en curso");
    await worker.stop();
    await evidence.settle();
    await database.close();
  });
  log.info(
    { intervalSeconds: config.checkpointIntervalSeconds, tsa: config.tsaUrl !== undefined },
    "trabajador en marcha",
  );
  // The first run now, not one interval after starting.
  void worker.runOnce();
  return -1; // keep running
}
