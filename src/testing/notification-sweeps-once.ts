import { createInterface } from "node:readline";
import { fixedClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import { databaseTargetOf, openDatabase } from "../platform/db/database.ts";
import { loggerOptions } from "../platform/log.ts";
import { buildSystem } from "../system.ts";

/**
 * One process of src/features/notificaciones/sweeps-processes.test.ts: the system built from
 * the environment as `buzon worker` builds it (without its scheduler), its legal clock fixed at
 * BUZON_TEST_NOW so every process agrees on the instant. It says «listo» once built, waits for
 * a line on stdin (so the processes sweep at the same time, not one after the other's start),
 * runs the notifications' sweeps once, prints their report as one «reporte {json}» line and
 * exits. Tests only: `buzon worker` has no one-shot mode and no clock to set.
 */

const now = process.env.BUZON_TEST_NOW;
if (!now) {
  process.stderr.write("BUZON_TEST_NOW (un instante ISO) es obligatoria.\n");
  process.exit(2);
}
const config = loadConfig();
const system = await buildSystem({
  config,
  database: openDatabase(databaseTargetOf(config)),
  logger: loggerOptions(config),
  clock: fixedClock(now),
  worker: false,
});
try {
  process.stdout.write("listo\n");
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once("line", () => resolve()));
  lines.close();
  const report = await system.notificacionSweeps.runAll();
  process.stdout.write(`reporte ${JSON.stringify(report)}\n`);
} finally {
  // Closes the database too.
  await system.app.close();
}
