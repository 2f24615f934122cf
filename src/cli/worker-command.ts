import closeWithGrace from "close-with-grace";
import { loadConfig } from "../platform/config.ts";
import { databaseTargetOf, openDatabase } from "../platform/db/database.ts";
import { loggerOptions } from "../platform/log.ts";
import { buildSystem } from "../system.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

/**
 * `buzon worker`: the background jobs without serving HTTP — checkpoints of the public log and
 * the acuses' time-stamps, delivery of the outbox's messages, the 72-hour expiry of contact
 * means, the 2020 mailboxes — so that API servers (`buzon serve --no-worker`) and workers scale
 * apart on one PostgreSQL. It is the same composition as `serve` (buildSystem), so a worker
 * runs exactly the jobs, templates and settings a server would, and never listens. Any number
 * of workers may run: each job holds a lease or is safe in several processes (scheduler.ts).
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
  const database = openDatabase(databaseTargetOf(config));
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem({
      config,
      database,
      logger: loggerOptions(config),
      worker: true,
      keepAlive: true,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const { app, scheduler } = system;
  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err: err.message }, "cierre por error");
    else app.log.info({ signal }, "cerrando: se termina la tarea en curso");
    // Closing the app stops the scheduler (waiting for the run in progress) and the database.
    await app.close();
  });
  app.log.info(
    {
      jobs: scheduler.names(),
      intervalSeconds: config.checkpointIntervalSeconds,
      tsa: config.tsaUrl !== undefined,
    },
    "trabajador en marcha",
  );
  // The first run now, not one interval after starting.
  void scheduler.runAll();
  return -1; // keep running
}
