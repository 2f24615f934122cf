import { existsSync } from "node:fs";
import { join } from "node:path";
import closeWithGrace from "close-with-grace";
import { type BusinessCalendar, createCalendar } from "../domain/calendar/calendar.ts";
import { EfirmaError } from "../domain/efirma/errors.ts";
import { AppError, DomainError } from "../domain/errors.ts";
import { verificationUrlOf } from "../domain/evidence/acuse-export.ts";
import {
  computeEmision,
  computeEstrados,
  computeHabilitacion,
  computeNotificacion,
  computePromocion,
  computeValidacion,
} from "../domain/plazos/index.ts";
import { parseInstant, parsePlainDate, spanishInstant } from "../domain/time/zona-centro.ts";
import { createCalendarService } from "../features/calendario/service.ts";
import { createCalendarStore } from "../features/calendario/store.ts";
import { startDevSinks } from "../features/delivery/dev-sinks.ts";
import { systemClock } from "../platform/clock.ts";
import { ConfigError, loadConfig, PACKAGE_ROOT } from "../platform/config.ts";
import { DataDirInUseError } from "../platform/db/data-dir-lock.ts";
import {
  databaseTargetOf,
  MigrationError,
  migrateAsOwner,
  openDatabase,
  ServingRoleError,
} from "../platform/db/database.ts";
import { createDemoClock } from "../platform/demo-clock.ts";
import { buildSystem, CalendarFileError, readCalendarFile, trustAnchorsOf } from "../system.ts";
import { ensureDemoAcuses } from "./demo-acuses.ts";
import { demoBanner } from "./demo-banner.ts";
import {
  DEMO_ADMIN_RFC,
  type DemoEfirma,
  demoIssuerNote,
  ensureDemoEfirmas,
} from "./demo-efirmas.ts";
import { ensureDemoExpedientes } from "./demo-expedientes.ts";
import { ensureDemoNotificaciones } from "./demo-notificaciones.ts";
import { ensureDemoPadron } from "./demo-padron.ts";
import { documentsCommand } from "./documents-command.ts";
import { devCaCommand, efirmaCommand } from "./efirma-commands.ts";
import { evidenciaCommand } from "./evidencia-command.ts";
import { notificarCommand } from "./notificar-command.ts";
import { padronCommand } from "./padron-command.ts";
import { personalCommand } from "./personal-command.ts";
import { termsCommand } from "./terms-command.ts";
import { noPositionals, parse, required, UsageError } from "./usage.ts";
import { verifyCommand } from "./verify-command.ts";
import { workerCommand } from "./worker-command.ts";

export { UsageError };

const HELP = `buzon — Buzón IMSS

Uso:
  buzon serve [--host H] [--port P] [--demo] [--no-worker]
                                               inicia el servidor (API, web y, sin --no-worker,
                                               las tareas periódicas)
  buzon worker                                 solo las tareas periódicas (puntos de control del
                                               registro, sellos de tiempo), sin servidor HTTP
  buzon migrate [--reconstruir-proyecciones]   aplica las migraciones de la base de datos (con
                                               MIGRATION_DATABASE_URL, el único que la usa); con
                                               la opción, reescribe desde sus eventos el estado
                                               de las promociones que lee la bandeja
  buzon plazos notificacion --aviso <instante> [--abierto <instante>] [--calendario <archivo>]
                            [--calendario-tfja <archivo>] [--sin-medios-de-defensa]
                            [--conocimiento <fecha>]
  buzon plazos estrados --publicada <instante> [--calendario <archivo>]
                        [--calendario-tfja <archivo>] [--sin-medios-de-defensa]
  buzon plazos promocion --enviada <instante> [--calendario <archivo>]
  buzon plazos emision --at <instante> [--calendario <archivo>]
  buzon plazos validacion --registrado <instante>
  buzon plazos habilitacion [--calendario <archivo>]
                            en vez de un archivo, --calendario-version V (y
                            --calendario-tfja-version V) toma esa
                            versión guardada en la base de datos del servidor: la que nombra
                            un acuse o una notificación, con sus días declarados
  buzon efirma inspect --cer <archivo> [--key <archivo> --password <p> | --password-file <archivo>]
  buzon dev-ca init [--dir D]                  crea la AC de desarrollo (nunca en producción)
  buzon dev-ca issue --rfc R --nombre N [--curp C] [--representante-rfc R --representante-curp C]
                     [--csd] [--vencido | --futuro] [--revocado] [--password P] [--out D]
  buzon personal agregar --rfc R --rol <notificador|operador|administrador|auditor> [--nombre N]
  buzon personal quitar --rfc R
  buzon personal listar
  buzon padron importar <archivo.csv>          carga el padrón (ver docs/padron.md)
  buzon padron estrados                        particulares sin buzón habilitado
  buzon padron recordatorio [--campana N]      encola el recordatorio de habilitación
  buzon terminos publicar <archivo> --nota N   publica una versión nueva de los Términos y
                                               Condiciones (UTF-8); cada buzón deberá firmarla
  buzon terminos listar
  buzon documentos verificar [--json]          relee cada documento registrado del almacén y
                                               comprueba su SHA-256 (1 si alguno falta o cambió)
  buzon documentos publicar --lote <carpeta|lote.csv> --publicador RFC [--informe F.csv|F.json]
                            [--concurrencia N]  publica «Mis documentos» (ver docs/documentos.md)
  buzon notificar --lote <carpeta|lote.csv> --depositante RFC [--informe F.csv|F.json]
                  [--concurrencia N]           deposita muchos actos firmados (ver
                                               docs/notificaciones.md); informe por fila
  buzon evidencia <folio|id> [--salida F.zip]  paquete de evidencia de un acto (ZIP verificable)
  buzon verify <acuse.pdf|acuse.json> [--sello-cer F] [--verificador K|F] [--tsa-cer F]
               [--punto-de-control F] [--json]   verifica un acuse sin conexión

Los instantes son ISO 8601 con zona, p. ej. 2025-04-11T17:00:00-06:00 (Zona Centro).
La configuración se lee del entorno: ver docs/operacion.md.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serve(rest);
    case "migrate":
      return migrate(rest);
    case "plazos":
      return plazos(rest);
    case "efirma":
      return efirmaCommand(rest, parse);
    case "dev-ca":
      return devCaCommand(rest, parse);
    case "personal":
      return personalCommand(rest, parse);
    case "padron":
      return padronCommand(rest, parse);
    case "terminos":
      return termsCommand(rest, parse);
    case "verify":
      return verifyCommand(rest, parse);
    case "documentos":
      return documentsCommand(rest, parse);
    case "notificar":
      return notificarCommand(rest, parse);
    case "evidencia":
      return evidenciaCommand(rest, parse);
    case "worker":
      return workerCommand(rest, parse);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Comando desconocido: «${command}». Ejecute «buzon help».`);
  }
}

async function plazos(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  const { values, positionals } = parse(rest, {
    aviso: { type: "string" },
    abierto: { type: "string" },
    enviada: { type: "string" },
    publicada: { type: "string" },
    at: { type: "string" },
    registrado: { type: "string" },
    calendario: { type: "string" },
    "calendario-tfja": { type: "string" },
    "calendario-version": { type: "string" },
    "calendario-tfja-version": { type: "string" },
    "sin-medios-de-defensa": { type: "boolean" },
    conocimiento: { type: "string" },
  });
  noPositionals(positionals);
  const allowed: Record<string, string[]> = {
    notificacion: [
      "aviso",
      "abierto",
      "calendario",
      "calendario-tfja",
      "calendario-version",
      "calendario-tfja-version",
      "sin-medios-de-defensa",
      "conocimiento",
    ],
    estrados: [
      "publicada",
      "calendario",
      "calendario-tfja",
      "calendario-version",
      "calendario-tfja-version",
      "sin-medios-de-defensa",
    ],
    promocion: ["enviada", "calendario", "calendario-version"],
    emision: ["at", "calendario", "calendario-version"],
    validacion: ["registrado"],
    habilitacion: ["calendario", "calendario-version"],
  };
  const permitted = kind ? allowed[kind] : undefined;
  if (!permitted) {
    throw new UsageError(
      `Cálculo desconocido: «${kind ?? ""}». Use notificacion, estrados, promocion, emision, validacion o habilitacion.`,
    );
  }
  for (const given of Object.keys(values)) {
    if (!permitted.includes(given))
      throw new UsageError(`La opción --${given} no aplica a «plazos ${kind}».`);
  }
  // A version named by an acuse or a notification is read from the database the server uses
  // (DATABASE_URL, or DATA_DIR's embedded one), so the CLI answers exactly what the server
  // computed with it, declared days included; opened once, only if asked.
  let stored:
    | { calendars: ReturnType<typeof createCalendarService>; close(): Promise<void> }
    | undefined;
  const storedCalendars = () => {
    if (!stored) {
      const target = databaseTargetOf(loadConfig());
      // Never create an empty embedded database just to find no calendar in it.
      if ("dataDir" in target && !existsSync(join(target.dataDir, "PG_VERSION"))) {
        throw new UsageError(
          `No hay base de datos del servidor en DATA_DIR=${target.dataDir}: configure DATABASE_URL o DATA_DIR, o use --calendario con un archivo.`,
        );
      }
      const database = openDatabase(target);
      stored = {
        calendars: createCalendarService(createCalendarStore(database.db), systemClock),
        close: () => database.close(),
      };
    }
    return stored.calendars;
  };
  // A file given to one option must be that authority's calendar: counting the juicio de
  // nulidad on the IMSS calendar (or the reverse) is the error this option exists to prevent.
  const calendarOf = async (
    authority: "IMSS" | "TFJA",
    option: string,
    given: string | undefined,
    version: string | undefined,
  ) => {
    if (version !== undefined) {
      if (given !== undefined) {
        throw new UsageError(
          `Use --${option} (un archivo) o --${option}-version (una versión guardada), no ambas.`,
        );
      }
      return storedCalendars().calendar(version, authority);
    }
    const file = given ?? join(PACKAGE_ROOT, `calendarios/${authority.toLowerCase()}.json`);
    const data = await readCalendarFile(file);
    if (data.authority !== authority) {
      throw new UsageError(
        `El calendario de --${option} debe ser de la autoridad ${authority}; ${file} es de «${data.authority}».`,
      );
    }
    return createCalendar(data);
  };
  try {
    return await computePlazos(kind, values, calendarOf);
  } finally {
    await stored?.close();
  }
}

/** The `buzon plazos <kind>` computation itself, its calendars given by `calendarOf`. */
async function computePlazos(
  kind: string | undefined,
  values: Record<string, string | boolean | undefined>,
  calendarOf: (
    authority: "IMSS" | "TFJA",
    option: string,
    given: string | undefined,
    version: string | undefined,
  ) => Promise<BusinessCalendar>,
): Promise<number> {
  const text = (name: string) => values[name] as string | undefined;
  const tfja = () =>
    calendarOf("TFJA", "calendario-tfja", text("calendario-tfja"), text("calendario-tfja-version"));
  const calendar = () =>
    calendarOf("IMSS", "calendario", text("calendario"), text("calendario-version"));
  let result: unknown;
  switch (kind) {
    case "notificacion": {
      const avisoAt = parseInstant(required(text("aviso"), "aviso"), "--aviso");
      const openedAt =
        text("abierto") !== undefined
          ? parseInstant(required(text("abierto"), "abierto"), "--abierto")
          : undefined;
      const conocimiento =
        text("conocimiento") !== undefined
          ? parsePlainDate(required(text("conocimiento"), "conocimiento"), "--conocimiento")
          : undefined;
      result = computeNotificacion(await calendar(), {
        avisoAt,
        openedAt,
        tfja: await tfja(),
        sinMediosDeDefensa: values["sin-medios-de-defensa"] === true,
        conocimiento,
      });
      break;
    }
    case "estrados":
      result = computeEstrados(
        await calendar(),
        parseInstant(required(text("publicada"), "publicada"), "--publicada"),
        {
          tfja: await tfja(),
          sinMediosDeDefensa: values["sin-medios-de-defensa"] === true,
        },
      );
      break;
    case "promocion":
      result = computePromocion(
        await calendar(),
        parseInstant(required(text("enviada"), "enviada"), "--enviada"),
      );
      break;
    case "emision":
      result = computeEmision(await calendar(), parseInstant(required(text("at"), "at"), "--at"));
      break;
    case "validacion":
      result = computeValidacion(
        parseInstant(required(text("registrado"), "registrado"), "--registrado"),
      );
      break;
    default:
      result = computeHabilitacion(await calendar());
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

async function migrate(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    "reconstruir-proyecciones": { type: "boolean" },
  });
  noPositionals(positionals);
  const rebuild = values["reconstruir-proyecciones"] === true;
  const { applied } = await migrateAsOwner(loadConfig(), { rebuildProjections: rebuild });
  process.stdout.write(
    applied.length > 0
      ? `Migraciones aplicadas: ${applied.join(", ")}\n`
      : "La base de datos ya está al día.\n",
  );
  if (rebuild) {
    process.stdout.write(
      "Proyecciones reconstruidas desde sus eventos (estado de las promociones).\n",
    );
  }
  return 0;
}

/**
 * The environment of `serve --demo`: demo data live in their own embedded database
 * (data/demo), never in the one real data go to, and an administration token is made up for
 * the session when none is configured.
 */
export function demoEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (base.DATABASE_URL?.trim()) {
    throw new UsageError(
      "--demo usa su propia base embebida; quite DATABASE_URL para la demostración.",
    );
  }
  if (base.BUZON_ENV === "production") {
    throw new UsageError("--demo no se permite con BUZON_ENV=production.");
  }
  const dataDir = base.DATA_DIR?.trim() || join(PACKAGE_ROOT, "data/demo");
  return {
    ...base,
    DATA_DIR: dataDir,
    // The terminal shows the demo's banner, not a JSON line per request: warnings and errors
    // only, unless LOG_LEVEL asks for more.
    LOG_LEVEL: base.LOG_LEVEL?.trim() || "warn",
    // The demo signs in with e.firmas of its own development CA, kept beside its data.
    TRUST_DEV_CA: "true",
    DEV_CA_DIR: base.DEV_CA_DIR?.trim() || join(dataDir, "dev-ca"),
  };
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    host: { type: "string" },
    port: { type: "string" },
    demo: { type: "boolean" },
    "no-worker": { type: "boolean" },
  });
  noPositionals(positionals);
  const env = values.demo ? demoEnvironment(process.env) : { ...process.env };
  if (values.host) env.HOST = values.host;
  if (values.port) env.PORT = values.port;
  // The demo's own SMTP server and SMS sink on loopback: the pipeline's production path ends
  // there, and «Bandeja de desarrollo» shows what they received.
  const sinks = values.demo ? await startDevSinks() : undefined;
  if (sinks) {
    env.SMTP_URL = sinks.smtpUrl;
    env.SMS_GATEWAY_URL = sinks.smsUrl;
    env.SMS_GATEWAY_PAYLOAD = "";
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    await sinks?.close();
    throw error;
  }
  // Before the database opens: a refused trust store says so at once.
  let trustAnchors: Awaited<ReturnType<typeof trustAnchorsOf>>;
  try {
    trustAnchors = await trustAnchorsOf(config);
  } catch (error) {
    await sinks?.close();
    throw error;
  }
  const database = openDatabase(databaseTargetOf(config));
  const demoClock = sinks ? createDemoClock(join(config.dataDir, "reloj-demo.json")) : undefined;
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem({
      config,
      database,
      trustAnchors,
      ...(sinks && demoClock ? { demo: { sinks, clock: demoClock } } : {}),
      ...(values.demo ? { unknownIssuerNote: demoIssuerNote(config.devCaDir) } : {}),
      worker: values["no-worker"] !== true,
    });
  } catch (error) {
    await database.close();
    await sinks?.close();
    throw error;
  }
  const { app, calendars, staff } = system;
  let demoEfirmas: DemoEfirma[] = [];
  let demoAcuse: { folio: string; seal: string } | undefined;
  let demoToken: string | undefined;
  let demoActsAt: Temporal.Instant | undefined;
  if (values.demo) {
    demoEfirmas = await ensureDemoEfirmas(config.devCaDir, staff);
    // The demo's administrator gets a real staff API token for the day, printed in the banner.
    demoToken = (
      await system.tokens.create(
        { rfc: DEMO_ADMIN_RFC, name: "demostración", roles: ["administrador"], days: 1 },
        "demo",
      )
    ).token;
    const demo = await readCalendarFile(join(PACKAGE_ROOT, "calendarios/demo-imss.json"));
    const versions = await calendars.listVersions();
    if (!versions.some((v) => v.version === demo.version)) {
      await calendars.importVersion(demo, {
        id: "demo",
        note: "Datos de demostración (no son un acuerdo publicado).",
      });
    }
    demoAcuse = await ensureDemoAcuses(system);
    await ensureDemoPadron(database.db, demoClock?.clock ?? systemClock);
    // Acts for «Mis notificaciones», the aviso in the «Bandeja de desarrollo» and the estrados,
    // signed by the demo's administrator (the second demo e.firma); the mailbox act is the third's.
    const admin = demoEfirmas.find((e) => e.cerPath.includes(DEMO_ADMIN_RFC));
    if (admin) demoActsAt = await ensureDemoNotificaciones(system, admin, DEMO_ADMIN_RFC);
    // «Mis documentos» and «Mis comunicados» of the demo company.
    await ensureDemoExpedientes(system);
  }
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await sinks?.close();
    throw error;
  }
  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, "cierre por error");
    else app.log.info({ signal }, "cerrando: se terminan las solicitudes en curso");
    await app.close();
    await sinks?.close();
  });
  const url = address.replace("[::1]", "localhost");
  if (values.demo) {
    // The address printed on acuses is PUBLIC_URL's; without it, where this server listens.
    const site = env.PUBLIC_URL?.trim() ? config.publicUrl : url;
    process.stdout.write(
      demoBanner({
        url,
        efirmas: demoEfirmas,
        acuseUrl: demoAcuse && verificationUrlOf(site, demoAcuse.folio, demoAcuse.seal),
        token: demoToken,
        requestLogs: ["info", "debug", "trace"].includes(config.logLevel),
        actsAvailableAt: demoActsAt && spanishInstant(demoActsAt, "minute"),
      }),
    );
  } else {
    process.stdout.write(`\nBuzón IMSS en ${url}  (API: ${url}/api/docs)\n`);
  }
  return -1; // keep running
}

export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof DomainError ||
      error instanceof ConfigError ||
      error instanceof DataDirInUseError ||
      error instanceof MigrationError ||
      error instanceof ServingRoleError ||
      error instanceof CalendarFileError ||
      error instanceof EfirmaError
    ) {
      process.stderr.write(`Error: ${error.detail}\n`);
      process.exitCode = 2;
    } else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(
        "Error: el puerto ya está ocupado por otro programa; elija otro con PORT o --port.\n",
      );
      process.exitCode = 2;
    } else if (error instanceof AppError) {
      process.stderr.write(`Error: ${error.detail}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `Error inesperado: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}
