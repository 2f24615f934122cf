import { isAbsolute, resolve } from "node:path";

/** Where the package lives, so defaults do not depend on the working directory. */
export const PACKAGE_ROOT = resolve(import.meta.dirname, "../..");

export type Environment = "development" | "production" | "test";

export interface Config {
  env: Environment;
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent the embedded PGlite engine is used. */
  databaseUrl: string | undefined;
  /** Directory of the embedded database and other local state. */
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Built web app served at `/`. */
  webDir: string;
  /** The calendar loaded on first start when the database has none. */
  calendarFile: string;
  /**
   * Bearer token for administrative endpoints until staff sign in with e.firma (issue 3).
   * Absent: administrative endpoints answer 503.
   */
  adminToken: string | undefined;
  /** How long in-flight requests may take to finish on shutdown. */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads configuration from the environment; every variable is documented in
 * docs/operacion.md. A bad value stops the process at start rather than later.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const environment = oneOf(
    env.BUZON_ENV ?? env.NODE_ENV,
    ["development", "production", "test"],
    "development",
    "BUZON_ENV",
    problems,
  );
  const port = integer(env.PORT, 8080, 0, 65535, "PORT", problems);
  const shutdownTimeoutMs = integer(
    env.SHUTDOWN_TIMEOUT_MS,
    10_000,
    0,
    600_000,
    "SHUTDOWN_TIMEOUT_MS",
    problems,
  );
  const logLevel = oneOf(
    env.LOG_LEVEL,
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
    "info",
    "LOG_LEVEL",
    problems,
  );
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL debe comenzar con postgres:// o postgresql://");
  }
  const adminToken = env.BUZON_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken && adminToken.length < 24) {
    problems.push("BUZON_ADMIN_TOKEN debe tener al menos 24 caracteres");
  }
  if (problems.length > 0) {
    throw new ConfigError(`Configuración inválida:\n- ${problems.join("\n- ")}`);
  }
  return {
    env: environment,
    host: env.HOST?.trim() || "127.0.0.1",
    port,
    databaseUrl,
    dataDir: path(env.DATA_DIR, "data/pglite"),
    logLevel,
    webDir: path(env.WEB_DIR, "dist/web"),
    calendarFile: path(env.CALENDAR_FILE, "calendarios/imss.json"),
    adminToken,
    shutdownTimeoutMs,
  };
}

function path(value: string | undefined, fallback: string): string {
  const chosen = value?.trim() || fallback;
  return isAbsolute(chosen)
    ? chosen
    : resolve(value?.trim() ? process.cwd() : PACKAGE_ROOT, chosen);
}

function integer(
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
  problems: string[],
): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} debe ser un entero entre ${min} y ${max} (recibido «${value}»)`);
    return fallback;
  }
  return n;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  name: string,
  problems: string[],
): T {
  if (value === undefined || value.trim() === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} debe ser uno de: ${allowed.join(", ")} (recibido «${value}»)`);
  return fallback;
}
