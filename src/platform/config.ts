import { isAbsolute, join, resolve } from "node:path";
import { CodedError, type CodedErrorOptions } from "../domain/errors.ts";

/** Where the package lives, so defaults do not depend on the working directory. */
export const PACKAGE_ROOT = resolve(import.meta.dirname, "../..");

export type Environment = "development" | "production" | "test";

export interface Config {
  env: Environment;
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent the embedded PGlite engine is used. */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL connection of the role that owns the tables, used only by `buzon migrate`.
   * Given with databaseServingRole or not at all. Absent: `serve` and `worker` migrate at
   * start as DATABASE_URL's role.
   */
  migrationDatabaseUrl: string | undefined;
  /**
   * The role DATABASE_URL connects as, granted its rights by `buzon migrate`. Set (the roles
   * apart): `serve` and `worker` never migrate, and refuse to start with migrations pending or
   * as a role that owns the tables.
   */
  databaseServingRole: string | undefined;
  /** Directory of the embedded database and other local state. */
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Built web app served at `/`. */
  webDir: string;
  /** The calendar loaded on first start when the database has none. */
  calendarFile: string;
  /** The TFJA calendar (juicio de nulidad) loaded on first start when the database has none. */
  tfjaCalendarFile: string;
  /** Refused API tokens allowed per client address in 15 minutes before it must wait. */
  apiTokenFailureLimit: number;
  /** Requests a minute each valid API token may make (API_TOKEN_RATE_LIMIT). */
  apiTokenRateLimit: number;
  /** How long in-flight requests may take to finish on shutdown. */
  shutdownTimeoutMs: number;
  /** Directory of trusted issuer certificates (SAT CAs), DER or PEM. */
  trustStoreDir: string | undefined;
  /** Trust the development CA in devCaDir (never in production). */
  trustDevCa: boolean;
  devCaDir: string;
  /** OCSP responder for e.firma revocation (SAT: configured, not discoverable). */
  ocspUrl: string | undefined;
  /** Alternative to OCSP: directory of CRL files. */
  crlDir: string | undefined;
  /** When revocation cannot be checked: refuse (default in production) or accept (logged). */
  revocationUnavailable: "refuse" | "accept";
  ocspCacheSeconds: number;
  /** A CRL that names no next update is no answer once older than this. */
  crlMaxAgeHours: number;
  /**
   * Seconds a whole request (headers and body) may take to arrive, and a connection may stay
   * silent: a client trickling a body cannot hold a socket longer.
   */
  requestTimeoutSeconds: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /**
   * Cookies carry Secure and the `__Host-` prefix when the site is served over https
   * (PUBLIC_URL), and always in production.
   */
  secureCookies: boolean;
  /** Sign-in requests (challenges and attempts) allowed per client address and minute. */
  signInRateLimit: number;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): false, true, a
   * number of hops, or addresses/CIDRs. Behind a TLS proxy, set it, or every client shares the
   * proxy's address in rate limits and logs.
   */
  trustProxy: boolean | number | string[];
  /**
   * The public log's Ed25519 signing key (PKCS#8 PEM). Absent (not in production): generated
   * on first start as `${dataDir}/log-key.pem`.
   */
  logKeyFile: string | undefined;
  /**
   * HMAC key of the contact means' validation codes (base64 of 32 bytes). Absent:
   * `${dataDir}/medios-codigos.key`, generated (mode 600) on first start. Every process of one
   * database must read the same file.
   */
  contactCodeKeyFile: string | undefined;
  /** The log's origin line in checkpoints, also the name of its key. */
  logOrigin: string;
  /**
   * The Institute's seal (certificate and PKCS#8 key, the key optionally encrypted with
   * SEAL_KEY_PASSWORD). Absent (not in production): a development seal under `${dataDir}/sello`.
   */
  sealFiles: { certFile: string; keyFile: string; password: string | undefined } | undefined;
  /**
   * The site's public address (scheme, host, optional path), for the verification links and
   * QR codes printed on acuses. Default: http://HOST:PORT.
   */
  publicUrl: string;
  /**
   * PEM file with the certificates the seal used before the current one: acuses sealed with
   * them stay verifiable after a renewal. Absent: only the current seal is trusted.
   */
  sealPreviousCertsFile: string | undefined;
  /** RFC 3161 time-stamping authority for the acuses' seals; absent: no time-stamps. */
  tsaUrl: string | undefined;
  /** PEM file with the TSA's certificate or its CA (required with TSA_URL). */
  tsaCaFile: string | undefined;
  /** Seconds between checkpoints of the public log (and time-stamp retries); 0 turns it off. */
  checkpointIntervalSeconds: number;
  /** Verification requests allowed per client address and minute. */
  verificationRateLimit: number;
  /**
   * POST /api/v1/pruebas/acuses: issue demonstration acuses over HTTP (load and crash tests).
   * Never in production, and only with the development seal: what it issues has no legal value.
   */
  acuseTestRoute: boolean;
  /** Demonstration acuses per client address and minute through that route. */
  acuseTestRateLimit: number;
  /** Requests per client address and minute to the public log and plazos routes. */
  publicRateLimit: number;
  /**
   * Requests per client address and minute to the mailbox's changes and the Terms (means of
   * contact, codes, aclaraciones, Terms' challenges and signatures), all together.
   */
  mailboxRateLimit: number;
  /** SMTP server for e-mail (smtp:// or smtps://, credentials in the URL); absent: e-mail waits. */
  smtpUrl: string | undefined;
  /** The From of every e-mail; its domain also names the Message-IDs. */
  smtpFrom: string;
  /** HTTP SMS gateway; absent: SMS wait in the outbox. */
  smsGatewayUrl: string | undefined;
  smsGatewayUser: string | undefined;
  smsGatewayPassword: string | undefined;
  smsGatewayToken: string | undefined;
  /** JSON body posted to the gateway, with {{to}}, {{text}} and {{messageId}}. */
  smsGatewayPayload: string;
  /** Seconds an SMTP or SMS peer may take to answer before the attempt counts as failed. */
  deliveryTimeoutSeconds: number;
  /** Attempts per message before it is failed for good (and shown to administrators). */
  deliveryMaxAttempts: number;
  /** Wait before the first retry; each next one waits twice as long. */
  deliveryBackoffSeconds: number;
  /** Seconds between outbox sweeps of the worker. */
  deliveryIntervalSeconds: number;
  /** AES-256 key of the outbox's secret fields (codes). Default: `${dataDir}/outbox-key`. */
  deliveryKeyFile: string;
  /** Where documents' bytes live (BLOB_STORE): files under DATA_DIR/blobs, or an S3 bucket. */
  blobStore: BlobStoreConfig;
  /** Largest PDF an act may be deposited with (NOTIFICACION_MAX_BYTES; 20 MiB by default). */
  notificacionMaxBytes: number;
  /** Seconds between runs of the notifications' sweeps (aviso acuse, second aviso, 4th day). */
  notificacionSweepIntervalSeconds: number;
  /** Acts each sweep reads and decides per batch (one acuse transaction per batch). */
  notificacionSweepBatch: number;
}

export type BlobStoreConfig =
  | { kind: "fs"; dir: string }
  | {
      kind: "s3";
      /** Absent: AWS's own endpoint for the region. */
      endpoint: string | undefined;
      region: string;
      bucket: string;
      prefix: string;
      /** Absent: the AWS SDK's chain (AWS_* variables, instance or task role). */
      accessKeyId: string | undefined;
      /** Given directly (S3_SECRET_ACCESS_KEY) or read at start from S3_SECRET_ACCESS_KEY_FILE. */
      secretAccessKey: string | undefined;
      secretAccessKeyFile: string | undefined;
      forcePathStyle: boolean;
    };

/** A configuration value is missing or wrong: the process refuses to start. */
export class ConfigError extends CodedError<"config_invalid"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("config_invalid", detail, options);
  }
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
  const migrationDatabaseUrl = env.MIGRATION_DATABASE_URL?.trim() || undefined;
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    problems.push("MIGRATION_DATABASE_URL debe comenzar con postgres:// o postgresql://");
  }
  if (migrationDatabaseUrl && !databaseUrl) {
    problems.push("MIGRATION_DATABASE_URL requiere DATABASE_URL (solo aplica a PostgreSQL)");
  }
  const databaseServingRole = env.DATABASE_SERVING_ROLE?.trim() || undefined;
  if (databaseServingRole && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseServingRole)) {
    problems.push(
      `DATABASE_SERVING_ROLE debe ser un nombre de rol de PostgreSQL en minúsculas (recibido «${databaseServingRole}»)`,
    );
  }
  // Apart, the owner's credentials are only for `buzon migrate`; one without the other would
  // either migrate as the serving role or grant rights to a role nobody serves with.
  if (Boolean(migrationDatabaseUrl) !== Boolean(databaseServingRole)) {
    problems.push(
      "MIGRATION_DATABASE_URL y DATABASE_SERVING_ROLE se configuran juntos (un rol para migrar y otro para servir) o ninguno",
    );
  }
  // The single shared token is gone: staff automation uses per-person tokens.
  if (env.BUZON_ADMIN_TOKEN?.trim()) {
    problems.push(
      "BUZON_ADMIN_TOKEN ya no se usa: cree un token de API por persona con «buzon personal token crear» (docs/efirma.md)",
    );
  }
  const apiTokenFailureLimit = integer(
    env.API_TOKEN_FAILURE_LIMIT,
    10,
    1,
    100_000,
    "API_TOKEN_FAILURE_LIMIT",
    problems,
  );
  const apiTokenRateLimit = integer(
    env.API_TOKEN_RATE_LIMIT,
    600,
    1,
    1_000_000,
    "API_TOKEN_RATE_LIMIT",
    problems,
  );
  const trustDevCa =
    oneOf(env.TRUST_DEV_CA, ["true", "false"], "false", "TRUST_DEV_CA", problems) === "true";
  const ocspUrl = env.OCSP_URL?.trim() || undefined;
  if (ocspUrl && !/^https?:\/\//.test(ocspUrl))
    problems.push("OCSP_URL debe ser una URL http:// o https://");
  const crlDir = env.CRL_DIR?.trim() ? path(env.CRL_DIR, "") : undefined;
  const revocationUnavailable = oneOf(
    env.REVOCATION_UNAVAILABLE,
    ["refuse", "accept"],
    environment === "production" ? "refuse" : "accept",
    "REVOCATION_UNAVAILABLE",
    problems,
  );
  const trustStoreDir = env.TRUST_STORE_DIR?.trim() ? path(env.TRUST_STORE_DIR, "") : undefined;
  const ocspCacheSeconds = integer(
    env.OCSP_CACHE_SECONDS,
    300,
    0,
    86_400,
    "OCSP_CACHE_SECONDS",
    problems,
  );
  const crlMaxAgeHours = integer(env.CRL_MAX_AGE_HOURS, 24, 1, 8760, "CRL_MAX_AGE_HOURS", problems);
  const requestTimeoutSeconds = integer(
    env.REQUEST_TIMEOUT_SECONDS,
    60,
    1,
    3600,
    "REQUEST_TIMEOUT_SECONDS",
    problems,
  );
  const sessionIdleMinutes = integer(
    env.SESSION_IDLE_MINUTES,
    30,
    1,
    1440,
    "SESSION_IDLE_MINUTES",
    problems,
  );
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const signInRateLimit = integer(
    env.SIGNIN_RATE_LIMIT,
    20,
    1,
    100_000,
    "SIGNIN_RATE_LIMIT",
    problems,
  );
  const logKeyFile = env.LOG_KEY_FILE?.trim() ? path(env.LOG_KEY_FILE, "") : undefined;
  const logOrigin = env.LOG_ORIGIN?.trim() || "buzon-imss.invalid/log";
  // The origin is also the signed-note key name: no spaces, no «+», printable ASCII.
  if (!/^[\x21-\x2a\x2c-\x7e]+$/.test(logOrigin)) {
    problems.push(
      `LOG_ORIGIN debe ser ASCII imprimible sin espacios ni «+» (recibido «${logOrigin}»)`,
    );
  }
  const sessionMaxHours = integer(env.SESSION_MAX_HOURS, 12, 1, 168, "SESSION_MAX_HOURS", problems);
  const sealCert = env.SEAL_CERT_FILE?.trim();
  const sealKey = env.SEAL_KEY_FILE?.trim();
  if (Boolean(sealCert) !== Boolean(sealKey)) {
    problems.push("SEAL_CERT_FILE y SEAL_KEY_FILE se configuran juntos");
  }
  const sealFiles =
    sealCert && sealKey
      ? {
          certFile: path(sealCert, ""),
          keyFile: path(sealKey, ""),
          password: env.SEAL_KEY_PASSWORD || undefined,
        }
      : undefined;
  const host = env.HOST?.trim() || "127.0.0.1";
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host}:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl)) {
    problems.push(`PUBLIC_URL debe ser una URL http:// o https:// (recibido «${publicUrl}»)`);
  }
  const sealPreviousCertsFile = env.SEAL_PREVIOUS_CERTS_FILE?.trim()
    ? path(env.SEAL_PREVIOUS_CERTS_FILE, "")
    : undefined;
  const tsaUrl = env.TSA_URL?.trim() || undefined;
  if (tsaUrl && !/^https?:\/\//.test(tsaUrl))
    problems.push("TSA_URL debe ser una URL http:// o https://");
  const tsaCaFile = env.TSA_CA_FILE?.trim() ? path(env.TSA_CA_FILE, "") : undefined;
  if (tsaUrl && !tsaCaFile) {
    problems.push(
      "TSA_URL requiere TSA_CA_FILE (certificado de la autoridad de sellado de tiempo)",
    );
  }
  const checkpointIntervalSeconds = integer(
    env.CHECKPOINT_INTERVAL_SECONDS,
    60,
    0,
    86_400,
    "CHECKPOINT_INTERVAL_SECONDS",
    problems,
  );
  const verificationRateLimit = integer(
    env.VERIFICATION_RATE_LIMIT,
    60,
    1,
    100_000,
    "VERIFICATION_RATE_LIMIT",
    problems,
  );
  const acuseTestRoute =
    oneOf(env.ACUSE_TEST_ROUTE, ["true", "false"], "false", "ACUSE_TEST_ROUTE", problems) ===
    "true";
  if (acuseTestRoute && (environment === "production" || sealFiles)) {
    problems.push(
      "ACUSE_TEST_ROUTE solo se permite fuera de producción y con el sello de desarrollo (sin SEAL_CERT_FILE)",
    );
  }
  const acuseTestRateLimit = integer(
    env.ACUSE_TEST_RATE_LIMIT,
    60,
    1,
    1_000_000,
    "ACUSE_TEST_RATE_LIMIT",
    problems,
  );
  const publicRateLimit = integer(
    env.PUBLIC_RATE_LIMIT,
    120,
    1,
    100_000,
    "PUBLIC_RATE_LIMIT",
    problems,
  );
  const mailboxRateLimit = integer(
    env.MAILBOX_RATE_LIMIT,
    60,
    1,
    100_000,
    "MAILBOX_RATE_LIMIT",
    problems,
  );
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push("SMTP_URL debe ser una URL smtp:// o smtps://");
  const smtpFrom = env.SMTP_FROM?.trim() || "Buzón IMSS <no-responder@buzon-imss.invalid>";
  if (!/@[^\s@>]+\.[^\s@>]+>?$/.test(smtpFrom))
    problems.push(`SMTP_FROM debe terminar en una dirección de correo (recibido «${smtpFrom}»)`);
  const smsGatewayUrl = env.SMS_GATEWAY_URL?.trim() || undefined;
  if (smsGatewayUrl && !/^https?:\/\//.test(smsGatewayUrl))
    problems.push("SMS_GATEWAY_URL debe ser una URL http:// o https://");
  const smsGatewayPayload = env.SMS_GATEWAY_PAYLOAD?.trim() || '{"to":"{{to}}","text":"{{text}}"}';
  try {
    JSON.parse(smsGatewayPayload.replaceAll(/\{\{(to|text|messageId)\}\}/g, "x"));
  } catch {
    problems.push(
      "SMS_GATEWAY_PAYLOAD debe ser JSON (con {{to}}, {{text}} y opcionalmente {{messageId}})",
    );
  }
  if (!smsGatewayPayload.includes("{{to}}") || !smsGatewayPayload.includes("{{text}}"))
    problems.push("SMS_GATEWAY_PAYLOAD debe contener {{to}} y {{text}}");
  const deliveryTimeoutSeconds = integer(
    env.DELIVERY_TIMEOUT_SECONDS,
    30,
    1,
    600,
    "DELIVERY_TIMEOUT_SECONDS",
    problems,
  );
  const deliveryMaxAttempts = integer(
    env.DELIVERY_MAX_ATTEMPTS,
    8,
    1,
    50,
    "DELIVERY_MAX_ATTEMPTS",
    problems,
  );
  const deliveryBackoffSeconds = integer(
    env.DELIVERY_BACKOFF_SECONDS,
    30,
    1,
    86_400,
    "DELIVERY_BACKOFF_SECONDS",
    problems,
  );
  const notificacionMaxBytes = integer(
    env.NOTIFICACION_MAX_BYTES,
    20 * 1024 * 1024,
    1024,
    200 * 1024 * 1024,
    "NOTIFICACION_MAX_BYTES",
    problems,
  );
  const notificacionSweepIntervalSeconds = integer(
    env.NOTIFICACION_SWEEP_INTERVAL_SECONDS,
    30,
    0,
    3600,
    "NOTIFICACION_SWEEP_INTERVAL_SECONDS",
    problems,
  );
  const notificacionSweepBatch = integer(
    env.NOTIFICACION_SWEEP_BATCH,
    256,
    1,
    10_000,
    "NOTIFICACION_SWEEP_BATCH",
    problems,
  );
  const deliveryIntervalSeconds = integer(
    env.DELIVERY_INTERVAL_SECONDS,
    5,
    0,
    3600,
    "DELIVERY_INTERVAL_SECONDS",
    problems,
  );
  const blobStore = parseBlobStore(env, environment, problems);
  if (environment === "production") {
    if (!env.PUBLIC_URL?.trim()) {
      problems.push("en producción se requiere PUBLIC_URL (dirección pública de verificación)");
    }
    if (trustDevCa) problems.push("TRUST_DEV_CA no se permite con BUZON_ENV=production");
    if (!trustStoreDir)
      problems.push("en producción se requiere TRUST_STORE_DIR (certificados del SAT)");
    if (!ocspUrl && !crlDir)
      problems.push("en producción se requiere OCSP_URL o CRL_DIR para verificar revocación");
    // Serving as the tables' owner, a stolen credential could disable the append-only triggers.
    if (databaseUrl && (!migrationDatabaseUrl || !databaseServingRole)) {
      problems.push(
        "en producción con PostgreSQL (DATABASE_URL) se requieren MIGRATION_DATABASE_URL y DATABASE_SERVING_ROLE: un rol para migrar y otro, que no sea dueño de las tablas, para servir (docs/operacion.md, «Un rol para migrar y otro para servir»)",
      );
    }
    if (!logKeyFile)
      problems.push("en producción se requiere LOG_KEY_FILE (clave Ed25519 del registro público)");
    if (!sealFiles)
      problems.push(
        "en producción se requieren SEAL_CERT_FILE y SEAL_KEY_FILE (sello del Instituto)",
      );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Configuración inválida:\n- ${problems.join("\n- ")}`);
  }
  return {
    env: environment,
    host,
    port,
    databaseUrl,
    migrationDatabaseUrl,
    databaseServingRole,
    dataDir: path(env.DATA_DIR, "data/pglite"),
    logLevel,
    webDir: path(env.WEB_DIR, "dist/web"),
    calendarFile: path(env.CALENDAR_FILE, "calendarios/imss.json"),
    tfjaCalendarFile: path(env.TFJA_CALENDAR_FILE, "calendarios/tfja.json"),
    apiTokenFailureLimit,
    apiTokenRateLimit,
    shutdownTimeoutMs,
    trustStoreDir,
    trustDevCa,
    // Beside the data when DATA_DIR is given, as `serve --demo` keeps it: `buzon dev-ca issue`
    // with the demo's DATA_DIR mints e.firmas of the CA that demo trusts.
    devCaDir: env.DEV_CA_DIR?.trim()
      ? path(env.DEV_CA_DIR, "data/dev-ca")
      : env.DATA_DIR?.trim()
        ? join(path(env.DATA_DIR, "data/pglite"), "dev-ca")
        : path(undefined, "data/dev-ca"),
    ocspUrl,
    crlDir,
    revocationUnavailable,
    ocspCacheSeconds,
    crlMaxAgeHours,
    requestTimeoutSeconds,
    sessionIdleMinutes,
    sessionMaxHours,
    secureCookies: environment === "production" || publicUrl.startsWith("https://"),
    signInRateLimit,
    trustProxy,
    logKeyFile,
    contactCodeKeyFile: env.CONTACT_CODE_KEY_FILE?.trim()
      ? path(env.CONTACT_CODE_KEY_FILE, "")
      : undefined,
    sealFiles,
    logOrigin,
    publicUrl,
    sealPreviousCertsFile,
    tsaUrl,
    tsaCaFile,
    checkpointIntervalSeconds,
    verificationRateLimit,
    acuseTestRoute,
    acuseTestRateLimit,
    publicRateLimit,
    mailboxRateLimit,
    smtpUrl,
    smtpFrom,
    smsGatewayUrl,
    smsGatewayUser: env.SMS_GATEWAY_USER?.trim() || undefined,
    smsGatewayPassword: env.SMS_GATEWAY_PASSWORD || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN?.trim() || undefined,
    smsGatewayPayload,
    deliveryTimeoutSeconds,
    deliveryMaxAttempts,
    deliveryBackoffSeconds,
    deliveryIntervalSeconds,
    notificacionMaxBytes,
    notificacionSweepIntervalSeconds,
    notificacionSweepBatch,
    deliveryKeyFile: env.DELIVERY_KEY_FILE?.trim()
      ? path(env.DELIVERY_KEY_FILE, "")
      : resolve(path(env.DATA_DIR, "data/pglite"), "outbox-key"),
    blobStore,
  };
}

const S3_VARIABLES = [
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_BUCKET",
  "S3_PREFIX",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_SECRET_ACCESS_KEY_FILE",
  "S3_FORCE_PATH_STYLE",
] as const;

/**
 * BLOB_STORE and the S3_* variables. An S3 variable without BLOB_STORE=s3 is refused rather
 * than ignored: the operator who set it believes documents go to the bucket.
 */
function parseBlobStore(
  env: NodeJS.ProcessEnv,
  environment: Environment,
  problems: string[],
): BlobStoreConfig {
  const kind = oneOf(env.BLOB_STORE, ["fs", "s3"], "fs", "BLOB_STORE", problems);
  const given = S3_VARIABLES.filter((name) => env[name]?.trim());
  if (kind === "fs") {
    if (given.length > 0) {
      problems.push(
        `${given.join(", ")} solo se usan con BLOB_STORE=s3 (los documentos se guardan en archivos bajo DATA_DIR/blobs)`,
      );
    }
    return { kind, dir: join(path(env.DATA_DIR, "data/pglite"), "blobs") };
  }
  const endpoint = env.S3_ENDPOINT?.trim().replace(/\/+$/, "") || undefined;
  // No user:password@ in it: credentials go in their own variables, and the URL is logged.
  if (endpoint && !/^https?:\/\/[^\s/@]+$/.test(endpoint)) {
    problems.push(
      `S3_ENDPOINT debe ser una URL http:// o https:// sin ruta ni credenciales, por ejemplo https://s3.example.mx (recibido «${endpoint}»)`,
    );
  }
  // Documents and credentials in clear text on the network.
  if (environment === "production" && endpoint?.startsWith("http://")) {
    problems.push("en producción S3_ENDPOINT debe ser https://");
  }
  const region = env.S3_REGION?.trim() || "us-east-1";
  if (!/^[a-z0-9-]+$/.test(region)) {
    problems.push(`S3_REGION debe ser un nombre de región como us-east-1 (recibido «${region}»)`);
  }
  const bucket = env.S3_BUCKET?.trim() ?? "";
  if (!bucket) problems.push("BLOB_STORE=s3 requiere S3_BUCKET (nombre de la cubeta)");
  else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(
      `S3_BUCKET debe ser un nombre de cubeta S3: de 3 a 63 minúsculas, dígitos, puntos o guiones (recibido «${bucket}»)`,
    );
  }
  const prefix = env.S3_PREFIX ?? "blobs/";
  if (!/^([\x21-\x7e]*\/)?$/.test(prefix) || prefix.startsWith("/")) {
    problems.push(
      `S3_PREFIX debe ser vacío o terminar en «/», sin espacios ni «/» inicial (recibido «${prefix}»)`,
    );
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  const secretAccessKeyFile = env.S3_SECRET_ACCESS_KEY_FILE?.trim()
    ? path(env.S3_SECRET_ACCESS_KEY_FILE, "")
    : undefined;
  if (secretAccessKey && secretAccessKeyFile) {
    problems.push(
      "S3_SECRET_ACCESS_KEY y S3_SECRET_ACCESS_KEY_FILE no se configuran juntos: elija uno",
    );
  }
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey || secretAccessKeyFile)) {
    problems.push(
      "S3_ACCESS_KEY_ID y S3_SECRET_ACCESS_KEY (o S3_SECRET_ACCESS_KEY_FILE) se configuran juntos, o ninguno para usar las credenciales del entorno de AWS",
    );
  }
  const forcePathStyle =
    oneOf(env.S3_FORCE_PATH_STYLE, ["true", "false"], "false", "S3_FORCE_PATH_STYLE", problems) ===
    "true";
  return {
    kind,
    endpoint,
    region,
    bucket,
    prefix,
    accessKeyId,
    secretAccessKey,
    secretAccessKeyFile,
    forcePathStyle,
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

function parseTrustProxy(
  value: string | undefined,
  problems: string[],
): boolean | number | string[] {
  const text = value?.trim() ?? "";
  if (text === "" || text === "false") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(",").map((e) => e.trim());
  if (entries.every((e) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e))) return entries;
  problems.push(
    `TRUST_PROXY debe ser false, true, un número de saltos o direcciones/CIDR separadas por comas (recibido «${text}»)`,
  );
  return false;
}
