import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CalendarData } from "../domain/calendar/calendar.ts";
import type { Clock } from "../platform/clock.ts";
import { loadConfig, PACKAGE_ROOT } from "../platform/config.ts";
import type { Engine } from "../platform/db/database.ts";
import { buildSystem } from "../system.ts";
import { createTestDatabase } from "./database.ts";
import { testDevCa } from "./efirma.ts";

export interface TestSystemOptions {
  /** The calendar the system starts with (its only version). */
  calendar?: CalendarData;
  engine?: Engine;
  /** PostgreSQL connections of the serving pool (4; a bench gives the server's 10). */
  poolSize?: number;
  clock?: Clock;
  /** Mint a staff API token for an administrator (returned as `adminToken`). */
  adminToken?: boolean;
  /** Trust the test development CA (src/testing/efirma.ts) for e.firma sign-in. */
  trustDevCa?: boolean;
  /** Extra environment for the configuration (e.g. OCSP_URL, REVOCATION_UNAVAILABLE). */
  env?: Record<string, string>;
  /** Said when a sign-in certificate's issuer is not trusted (as `serve --demo` does). */
  unknownIssuerNote?: string;
  /** The app's logger options instead of the configuration's (silent). */
  logger?: Parameters<typeof buildSystem>[0]["logger"];
  /** As `serve --demo`: the demo clock and loopback mail and SMS servers. */
  demo?: Parameters<typeof buildSystem>[0]["demo"];
  /** The promociones catalogue instead of the shipped one (a benchmark's limits). */
  promocionCatalogue?: Parameters<typeof buildSystem>[0]["promocionCatalogue"];
}

let stateDir: string | undefined;

/**
 * One directory per test process for local state (development seal, log key), so tests never
 * write under the package's data directory; removed when the process exits.
 */
function testStateDir(): string {
  if (stateDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "buzon-test-state-"));
    stateDir = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return stateDir;
}

export const TEST_CALENDAR: CalendarData = { authority: "IMSS", version: "test-1", days: [] };

/** The whole system in-process on a fresh database, for `app.inject()` tests. */
export async function createTestSystem(options: TestSystemOptions = {}) {
  const database = await createTestDatabase(options.engine ?? "pglite", {
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
  const config = loadConfig({
    BUZON_ENV: "test",
    LOG_LEVEL: "silent",
    WEB_DIR: join(PACKAGE_ROOT, "dist/web"),
    // Tests sign in many times from one address; the limit itself has its own test.
    SIGNIN_RATE_LIMIT: "10000",
    PUBLIC_RATE_LIMIT: "10000",
    MAILBOX_RATE_LIMIT: "10000",
    API_TOKEN_RATE_LIMIT: "100000",
    DATA_DIR: testStateDir(),
    // No background checkpoints unless a test asks: each test publishes what it needs.
    CHECKPOINT_INTERVAL_SECONDS: "0",
    // On PostgreSQL the roles apart, as in production: the system serves as the serving role
    // and checks, as it starts, that this role could not disable the append-only triggers.
    ...database.env,
    ...options.env,
  });
  const built = await buildSystem({
    config,
    // Closing the app closes the database; for a test database that also drops it.
    database: { ...database, close: database.dispose },
    initialCalendar: options.calendar ?? TEST_CALENDAR,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.demo ? { demo: options.demo } : {}),
    ...(options.unknownIssuerNote ? { unknownIssuerNote: options.unknownIssuerNote } : {}),
    ...(options.promocionCatalogue ? { promocionCatalogue: options.promocionCatalogue } : {}),
    trustAnchors: options.trustDevCa ? [(await testDevCa()).certificate] : [],
  });
  const adminToken = options.adminToken ? await mintAdminToken(built) : undefined;
  return { ...built, database, adminToken };
}

/** The RFC of the administrator whose token tests use (the demo's administrator). */
export const TEST_ADMIN_RFC = "CACX7605101P8";

/** A real staff API token of an administrator, as `buzon personal token crear` makes one. */
async function mintAdminToken(system: Awaited<ReturnType<typeof buildSystem>>): Promise<string> {
  await system.staff.set(
    { rfc: TEST_ADMIN_RFC, role: "administrador", name: "XOCHILT CASAS CHAVEZ" },
    "pruebas",
  );
  const { token } = await system.tokens.create(
    { rfc: TEST_ADMIN_RFC, name: "pruebas", roles: ["administrador"], days: 30 },
    "pruebas",
  );
  return token;
}

export type TestSystem = Awaited<ReturnType<typeof createTestSystem>>;

let webBuild: Promise<void> | undefined;

/** Builds the web app once if dist/web is missing, so end-to-end tests serve the real pages. */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(PACKAGE_ROOT, "dist/web/index.html"))) return;
  webBuild ??= (async () => {
    const { build } = await import("vite");
    await build({ configFile: join(PACKAGE_ROOT, "vite.config.ts"), logLevel: "warn" });
  })();
  return webBuild;
}

/** The real server listening on a loopback port, for browser tests. */
export async function startTestServer(
  options: TestSystemOptions = {},
): Promise<{ url: string; close(): Promise<void>; system: TestSystem }> {
  await ensureWebBuilt();
  const system = await createTestSystem(options);
  const address = await system.app.listen({ host: "127.0.0.1", port: 0 });
  return { url: address, close: () => system.app.close(), system };
}
