import { readFile, stat } from "node:fs/promises";
import { sql } from "kysely";
import { type CalendarData, parseCalendarData } from "./domain/calendar/calendar.ts";
import { DomainError } from "./domain/errors.ts";
import { calendarioRoutes } from "./features/calendario/routes.ts";
import { createCalendarService } from "./features/calendario/service.ts";
import { createCalendarStore } from "./features/calendario/store.ts";
import { plazosRoutes } from "./features/plazos/routes.ts";
import { createPlazosService } from "./features/plazos/service.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import type { Config } from "./platform/config.ts";
import { type DatabaseHandle, migrateToLatest } from "./platform/db/database.ts";
import { createHttpApp } from "./platform/http/app.ts";
import { loggerOptions } from "./platform/log.ts";
import { PACKAGE_VERSION } from "./version.ts";

export interface SystemOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Calendar to load when the database has none; defaults to config.calendarFile. */
  initialCalendar?: CalendarData;
  logger?: Parameters<typeof createHttpApp>[0]["logger"];
}

/** No calendar needs more; a bigger file is a mistake (or /dev/zero). */
const MAX_CALENDAR_FILE_BYTES = 1024 * 1024;

/** Reads and validates a calendar file, naming the file in the error. */
export async function readCalendarFile(path: string): Promise<CalendarData> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new CalendarFileError(`No existe el archivo de calendario ${path}.`);
  }
  if (!info.isFile()) throw new CalendarFileError(`${path} no es un archivo de calendario.`);
  if (info.size > MAX_CALENDAR_FILE_BYTES) {
    throw new CalendarFileError(`El archivo de calendario ${path} excede 1 MiB.`);
  }
  // A byte-order mark, as some editors save, is not part of the JSON.
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CalendarFileError(`El archivo de calendario ${path} no es JSON válido.`);
  }
  try {
    return parseCalendarData(json);
  } catch (error) {
    if (error instanceof DomainError) throw new CalendarFileError(`${path}: ${error.message}`);
    throw error;
  }
}

export class CalendarFileError extends Error {
  override name = "CalendarFileError";
}

/**
 * The composition root: migrates the database, loads the first calendar if needed, and wires
 * every feature into one HTTP app. Closing the app closes the database.
 */
export async function buildSystem(options: SystemOptions) {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  await migrateToLatest(database.db);

  const calendarStore = createCalendarStore(database.db);
  const calendars = createCalendarService(calendarStore, clock);
  const initial = options.initialCalendar ?? (await readCalendarFile(config.calendarFile));
  await calendars.ensureInitial(initial, {
    id: "sistema",
    note: "Calendario inicial cargado al arrancar.",
  });
  const plazos = createPlazosService(calendars);

  const app = await createHttpApp({
    logger: options.logger ?? loggerOptions(config),
    webDir: config.webDir,
    version: PACKAGE_VERSION,
    ready: async () => {
      await sql`select 1`.execute(database.db);
    },
  });
  await app.register(calendarioRoutes, { calendar: calendars, adminToken: config.adminToken });
  await app.register(plazosRoutes, { plazos });
  app.addHook("onClose", async () => {
    await database.close();
  });
  await app.ready();
  return { app, calendars, plazos };
}

export type BuzonSystem = Awaited<ReturnType<typeof buildSystem>>;
