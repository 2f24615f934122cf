import { X509Certificate } from "node:crypto";
import { constants, existsSync } from "node:fs";
import { access, mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { type CalendarData, parseCalendarData } from "./domain/calendar/calendar.ts";
import { CodedError, type CodedErrorOptions, DomainError } from "./domain/errors.ts";
import type { PromocionCatalogue } from "./domain/promociones/catalogo.ts";
import { createApiTokenService } from "./features/auth/api-tokens.ts";
import { type BearerAuth, cookieNames, sessionGuards } from "./features/auth/guard.ts";
import { authRoutes } from "./features/auth/routes.ts";
import { createAuthService } from "./features/auth/service.ts";
import { createStaffService } from "./features/auth/staff-service.ts";
import { createAuthStore } from "./features/auth/store.ts";
import { tokenRoutes } from "./features/auth/token-routes.ts";
import { calendarioRoutes } from "./features/calendario/routes.ts";
import { createCalendarService } from "./features/calendario/service.ts";
import { createCalendarStore } from "./features/calendario/store.ts";
import { comunicadosRoutes } from "./features/comunicados/routes.ts";
import {
  comunicadoTemplates,
  createComunicadoService,
  loadSubdelegaciones,
} from "./features/comunicados/service.ts";
import type { DevSinks } from "./features/delivery/dev-sinks.ts";
import type { Templates } from "./features/delivery/outbox.ts";
import { deliveryRoutes, devRoutes } from "./features/delivery/routes.ts";
import { installSecretKey, loadSecretKeyFile } from "./features/delivery/secret-box.ts";
import { createDelivery } from "./features/delivery/service.ts";
import { smsGatewayTransport, smtpTransport } from "./features/delivery/transports.ts";
import { documentosRoutes } from "./features/documentos/routes.ts";
import { createDocumentoService, loadDocumentoCatalogue } from "./features/documentos/service.ts";
import { estradosRoutes } from "./features/estrados/routes.ts";
import { createEstradosService } from "./features/estrados/service.ts";
import { ownAcusesRoutes } from "./features/evidence/own-acuses-routes.ts";
import { evidenceRoutes } from "./features/evidence/routes.ts";
import { createEvidenceService } from "./features/evidence/service.ts";
import { createEvidenceStore } from "./features/evidence/store.ts";
import { testIssuanceRoutes } from "./features/evidence/test-issuance-routes.ts";
import { createEvidenceJob } from "./features/evidence/worker.ts";
import { expedientesRoutes } from "./features/expedientes/routes.ts";
import { createExpedienteService } from "./features/expedientes/service.ts";
import { mailboxRoutes } from "./features/mailbox/routes.ts";
import { createMailboxService } from "./features/mailbox/service.ts";
import { mailboxTemplates } from "./features/mailbox/templates.ts";
import { createApertura } from "./features/notificaciones/apertura.ts";
import { segundoAvisoTemplates } from "./features/notificaciones/aviso.ts";
import { avisoRoutes } from "./features/notificaciones/aviso-routes.ts";
import { avisoHoldPolicy } from "./features/notificaciones/aviso-window.ts";
import { createCancelacion } from "./features/notificaciones/cancelacion.ts";
import { SIGNING_ROLES } from "./features/notificaciones/deposit.ts";
import { createEvidencePackager } from "./features/notificaciones/evidence-zip.ts";
import { notificacionesRoutes } from "./features/notificaciones/routes.ts";
import { EVIDENCE_READERS } from "./features/notificaciones/schemas.ts";
import { createNotificacionService, loadActCatalogue } from "./features/notificaciones/service.ts";
import { createNotificacionSweeps } from "./features/notificaciones/sweeps.ts";
import { notificacionTemplates } from "./features/notificaciones/templates.ts";
import { createReminderCampaign } from "./features/padron/campaign.ts";
import { createPadronImporter } from "./features/padron/import.ts";
import { padronRoutes } from "./features/padron/routes.ts";
import { createPadronStore } from "./features/padron/store.ts";
import { padronTemplates } from "./features/padron/templates.ts";
import { plazosRoutes } from "./features/plazos/routes.ts";
import { createPlazosService } from "./features/plazos/service.ts";
import { ATENCION_ROLES, createAtencionService } from "./features/promociones/atencion.ts";
import { reopenAnsweredBy } from "./features/promociones/respuesta-cancelada.ts";
import { promocionesRoutes } from "./features/promociones/routes.ts";
import { createPromocionService, loadPromocionCatalogue } from "./features/promociones/service.ts";
import { staffPromocionesRoutes } from "./features/promociones/staff-routes.ts";
import { terminosRoutes } from "./features/terminos/routes.ts";
import { createTermsService, INITIAL_TERMS_FILE } from "./features/terminos/service.ts";
import { currentTermsVersion } from "./features/terminos/store.ts";
import { verificationRoutes } from "./features/verification/routes.ts";
import { createVerificationService } from "./features/verification/service.ts";
import { createSignatureVerifier } from "./features/verification/signature.ts";
import type { BlobStore } from "./platform/blobs/blob-store.ts";
import { createFsBlobStore } from "./platform/blobs/fs-blob-store.ts";
import { createS3BlobStore } from "./platform/blobs/s3-blob-store.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import { type Config, ConfigError, PACKAGE_ROOT } from "./platform/config.ts";
import { DEV_CA_FILES, initDevCa, isDevelopmentCertificate } from "./platform/crypto/dev-ca.ts";
import { refuseKeyFileOpenToOthers } from "./platform/crypto/key-file.ts";
import { createDevelopmentLogSigner, loadLogSigner } from "./platform/crypto/log-key.ts";
import { crlChecker, noRevocationCheck, ocspChecker } from "./platform/crypto/revocation.ts";
import { createDevelopmentSeal, loadSeal } from "./platform/crypto/seal.ts";
import { loadTrustStore } from "./platform/crypto/trust-store.ts";
import { type DatabaseHandle, ensureSchemaReady } from "./platform/db/database.ts";
import type { DemoClock } from "./platform/demo-clock.ts";
import { createHttpApp } from "./platform/http/app.ts";
import { memoryCounters, tableCounters } from "./platform/http/rate-limit-store.ts";
import { createJobLeases } from "./platform/jobs/leases.ts";
import { createScheduler } from "./platform/jobs/scheduler.ts";
import { loggerOptions } from "./platform/log.ts";
import { PACKAGE_VERSION } from "./version.ts";

/**
 * Issuers trusted for e.firma: the configured store, plus the development CA when enabled. In
 * production a development certificate in the store stops the start: copied there by mistake,
 * it would let anyone with the development CA's key sign in as anyone.
 */
export async function trustAnchorsOf(config: Config): Promise<X509Certificate[]> {
  const anchors = config.trustStoreDir ? await loadTrustStore(config.trustStoreDir) : [];
  if (config.env === "production") {
    const devCaFile = join(config.devCaDir, DEV_CA_FILES.certificate);
    const localDevCa = existsSync(devCaFile)
      ? new X509Certificate(await readFile(devCaFile))
      : undefined;
    const development = anchors.filter((a) => isDevelopmentCertificate(a, localDevCa));
    if (development.length > 0) {
      throw new ConfigError(
        `TRUST_STORE_DIR (${config.trustStoreDir}) contiene certificados de la AC de desarrollo, que no se permiten en producción: ${development
          .map((a) => `«${a.subject.replaceAll("\n", ", ")}» (SHA-256 ${a.fingerprint256})`)
          .join("; ")}. Quítelos; en producción solo se confía en las AC del SAT.`,
      );
    }
  }
  if (config.trustDevCa) anchors.push((await initDevCa(config.devCaDir)).certificate);
  return anchors;
}

/** What the start log says of each trust anchor: enough to tell which file is which. */
export function describeAnchor(anchor: X509Certificate) {
  return {
    subject: anchor.subject.replaceAll("\n", ", "),
    serial: anchor.serialNumber,
    sha256: anchor.fingerprint256,
    notAfter: new Date(anchor.validTo).toISOString(),
  };
}

export interface SystemOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Calendar to load when the database has none; defaults to config.calendarFile. */
  initialCalendar?: CalendarData;
  /** TFJA calendar to load when the database has none; defaults to config.tfjaCalendarFile. */
  initialTfjaCalendar?: CalendarData;
  logger?: Parameters<typeof createHttpApp>[0]["logger"];
  /** Issuers to trust instead of those of the configuration (tests). */
  trustAnchors?: X509Certificate[];
  /** Said when a sign-in certificate's issuer is not trusted (the demo: which ones it takes). */
  unknownIssuerNote?: string;
  /** The promociones catalogue instead of catalogos/promociones.json (a benchmark's limits). */
  promocionCatalogue?: PromocionCatalogue;
  /**
   * Run the background jobs in this process (default). False for `buzon serve --no-worker`,
   * when `buzon worker` processes run them: then this process does not time-stamp either.
   */
  worker?: boolean;
  /** Keep the process alive for the jobs' timers (`buzon worker`, which serves nothing). */
  keepAlive?: boolean;
  /**
   * `serve --demo`: the demo clock (all services read it) and the loopback SMTP and SMS servers
   * the pipeline points at; registers the /api/v1/dev routes. Refused in production.
   */
  demo?: { clock: DemoClock; sinks: DevSinks };
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

/** Certificates from a configured PEM file (one or more blocks), naming the variable on error. */
async function loadPemCertificates(file: string, variable: string): Promise<X509Certificate[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ConfigError(`No se pudo leer ${variable}: ${file}.`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(`${variable} (${file}) no contiene certificados PEM.`);
  }
  try {
    return blocks.map((pem) => new X509Certificate(pem));
  } catch {
    throw new ConfigError(`${variable} (${file}) contiene un certificado dañado.`);
  }
}

/**
 * The evidence service as configured: the Institute's seal (the development one when none is
 * configured), the log's signing key, the TSA and the earlier seal certificates. Shared by
 * `buzon serve` and `buzon worker`.
 */
export async function buildEvidence(
  config: Config,
  database: DatabaseHandle,
  clock: Clock,
  options: { warn(data: object, message: string): void; stampOnIssue: boolean },
) {
  // The Institute's seal: the configured one, or (outside production) a development one.
  if (config.sealFiles) await refuseKeyFileOpenToOthers(config.sealFiles.keyFile, "SEAL_KEY_FILE");
  if (config.logKeyFile) await refuseKeyFileOpenToOthers(config.logKeyFile, "LOG_KEY_FILE");
  const seal = config.sealFiles
    ? await loadSeal(config.sealFiles)
    : await createDevelopmentSeal(join(config.dataDir, "sello"));
  const logSigner = config.logKeyFile
    ? await loadLogSigner(config.logKeyFile, config.logOrigin)
    : await createDevelopmentLogSigner(join(config.dataDir, "log-key.pem"), config.logOrigin);
  const tsa = config.tsaUrl
    ? {
        url: config.tsaUrl,
        trusted: await loadPemCertificates(config.tsaCaFile ?? "", "TSA_CA_FILE"),
      }
    : undefined;
  const previousSealCertificates = config.sealPreviousCertsFile
    ? await loadPemCertificates(config.sealPreviousCertsFile, "SEAL_PREVIOUS_CERTS_FILE")
    : [];
  return createEvidenceService({
    store: createEvidenceStore(database.db),
    seal,
    clock,
    logSigner,
    publicUrl: config.publicUrl,
    previousSealCertificates,
    tsa,
    stampOnIssue: options.stampOnIssue,
    log: { warn: options.warn },
  });
}

/**
 * The documents' blob store as configured (BLOB_STORE): files under DATA_DIR/blobs, or an S3
 * bucket. The secret key may come from a file (S3_SECRET_ACCESS_KEY_FILE), kept from other
 * users like the other key files. Shared by `buzon serve` and `buzon worker`.
 */
export async function buildBlobStore(config: Config): Promise<BlobStore> {
  const settings = config.blobStore;
  if (settings.kind === "fs") {
    // A DATA_DIR the process cannot write stops the start, not the first deposit.
    try {
      await mkdir(settings.dir, { recursive: true });
      await access(settings.dir, constants.W_OK);
    } catch (error) {
      throw new ConfigError(
        `No se puede escribir en ${settings.dir} (almacén de documentos, DATA_DIR/blobs): revise DATA_DIR y sus permisos.`,
        { cause: error },
      );
    }
    return createFsBlobStore(settings.dir);
  }
  let secretAccessKey = settings.secretAccessKey;
  if (settings.secretAccessKeyFile) {
    const file = settings.secretAccessKeyFile;
    await refuseKeyFileOpenToOthers(file, "S3_SECRET_ACCESS_KEY_FILE");
    secretAccessKey = (await readFile(file, "utf8")).trim();
    if (!secretAccessKey) throw new ConfigError(`S3_SECRET_ACCESS_KEY_FILE (${file}) está vacío.`);
  }
  return createS3BlobStore({
    endpoint: settings.endpoint,
    region: settings.region,
    bucket: settings.bucket,
    prefix: settings.prefix,
    credentials:
      settings.accessKeyId && secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey }
        : undefined,
    forcePathStyle: settings.forcePathStyle,
  });
}

/** The calendar file given at start cannot be read or is not a valid calendar. */
export class CalendarFileError extends CodedError<"calendar_file_invalid"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("calendar_file_invalid", detail, options);
  }
}

/**
 * The composition root: migrates the database, loads the first calendar if needed, and wires
 * every feature into one HTTP app. Closing the app closes the database.
 */
export async function buildSystem(options: SystemOptions) {
  const { config, database } = options;
  if (options.demo && config.env === "production") {
    throw new ConfigError(
      "La demostración (reloj y bandeja de desarrollo) no se permite en producción.",
    );
  }
  // Two clocks, one time outside the demo. `clock` is the legal and business clock: deadlines,
  // the 72 hours, jobs, acuse instants; the demo moves it. `realClock` measures the security
  // lifetimes (sessions, API tokens, sign-in challenges, revocation answers; rate-limit windows
  // already count real time): moving the demo clock 72 hours must not sign the administrator
  // out or expire the token that moves it.
  const clock = options.demo?.clock.clock ?? options.clock ?? systemClock;
  const realClock = options.demo?.clock.real ?? options.clock ?? systemClock;
  // First: a refused trust store stops the start before anything is written.
  const anchors = options.trustAnchors ?? (await trustAnchorsOf(config));
  // Migrates, or with the roles apart refuses a schema not migrated or a role that owns it.
  await ensureSchemaReady(database, config.databaseServingRole);
  // The app is created below; the revocation checker logs through it.
  let app!: Awaited<ReturnType<typeof createHttpApp>>;

  const calendarStore = createCalendarStore(database.db);
  const calendars = createCalendarService(calendarStore, clock);
  const initial = options.initialCalendar ?? (await readCalendarFile(config.calendarFile));
  await calendars.ensureInitial(initial, {
    id: "sistema",
    note: "Calendario inicial cargado al arrancar.",
  });
  const initialTfja =
    options.initialTfjaCalendar ?? (await readCalendarFile(config.tfjaCalendarFile));
  await calendars.ensureInitial(initialTfja, {
    id: "sistema",
    note: "Calendario inicial del TFJA cargado al arrancar.",
  });
  const plazos = createPlazosService(calendars);
  // Documents' bytes (notifications, promociones, «Mis documentos»); their metadata is `blobs`.
  const blobs = await buildBlobStore(config);

  const evidence = await buildEvidence(config, database, clock, {
    warn: (data, message) => app.log.warn(data, message),
    stampOnIssue: options.worker !== false,
  });

  const revocationLog = { warn: (data: object, message: string) => app.log.warn(data, message) };
  const revocation = config.ocspUrl
    ? ocspChecker({
        url: config.ocspUrl,
        clock: realClock,
        policy: config.revocationUnavailable,
        log: revocationLog,
        cacheSeconds: config.ocspCacheSeconds,
      })
    : config.crlDir
      ? await crlChecker({
          dir: config.crlDir,
          anchors,
          clock: realClock,
          policy: config.revocationUnavailable,
          log: revocationLog,
          maxAgeHours: config.crlMaxAgeHours,
        })
      : noRevocationCheck;
  const auth = createAuthService({
    store: createAuthStore(database.db),
    clock: realClock,
    anchors,
    revocation,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    ...(options.unknownIssuerNote ? { unknownIssuerNote: options.unknownIssuerNote } : {}),
  });

  app = await createHttpApp({
    logger: options.logger ?? loggerOptions(config),
    webDir: config.webDir,
    trustProxy: config.trustProxy,
    https: config.publicUrl.startsWith("https://"),
    requestTimeoutSeconds: config.requestTimeoutSeconds,
    rateLimitCounters:
      database.engine === "postgres" ? tableCounters(database.db) : memoryCounters(),
    version: PACKAGE_VERSION,
    ready: async () => {
      await sql`select 1`.execute(database.db);
    },
    // Said, not probed: a bucket that does not answer fails the deposits and downloads that
    // need it (blob_missing, unavailable), not every page and route of every instance.
    readyDetails: { blobs: blobs.kind },
  });
  app.log.info(
    config.blobStore.kind === "s3"
      ? {
          blobs: "s3",
          endpoint: config.blobStore.endpoint ?? "AWS",
          bucket: config.blobStore.bucket,
          prefix: config.blobStore.prefix,
        }
      : { blobs: "fs", dir: config.blobStore.dir },
    "almacén de documentos",
  );
  // Asked once at start, so a wrong bucket, endpoint or credential shows in the start log
  // rather than at the first deposit; not a refusal: a store down for a moment must not keep
  // the service from starting.
  await blobs.has("0".repeat(64)).catch((error: unknown) => {
    app.log.warn(
      { err: error },
      "el almacén de documentos no responde: los depósitos y descargas fallarán hasta que responda",
    );
  });
  for (const anchor of anchors) {
    app.log.info({ anchor: describeAnchor(anchor) }, "ancla de confianza de e.firma");
  }
  if (anchors.length === 0)
    app.log.warn("sin anclas de confianza: nadie puede ingresar con e.firma");
  const staff = createStaffService({ store: createAuthStore(database.db), clock: realClock });
  const tokens = createApiTokenService({ db: database.db, clock: realClock });
  // The token a request is counted against, for the use limit's key (known after the lookup).
  const tokenOfRequest = new WeakMap<object, string>();
  const tokenUses = app.createRateLimit({
    max: config.apiTokenRateLimit,
    timeWindow: "1 minute",
    keyGenerator: (request) => `token-uso|${tokenOfRequest.get(request) ?? "?"}`,
  });
  const bearer: BearerAuth = {
    tokens,
    // Each valid token: API_TOKEN_RATE_LIMIT requests a minute, counted in the shared counters.
    uses: async (request, tokenId) => {
      tokenOfRequest.set(request, tokenId);
      const limit = await tokenUses(request);
      // `isAllowed` is true only for allow-listed keys; past the limit is `isExceeded`.
      return !limit.isAllowed && limit.isExceeded ? limit.ttlInSeconds : undefined;
    },
    // Guessing tokens: after API_TOKEN_FAILURE_LIMIT refusals in 15 minutes, an address waits.
    failures: app.createRateLimit({
      max: config.apiTokenFailureLimit,
      timeWindow: "15 minutes",
      keyGenerator: (request) => `token-fallido|${request.ip}`,
    }),
  };
  const guards = sessionGuards(auth, cookieNames(config.secureCookies).session, bearer);
  await app.register(authRoutes, {
    auth,
    staff,
    secureCookies: config.secureCookies,
    sessionMaxHours: config.sessionMaxHours,
    signInRateLimit: config.signInRateLimit,
    bearer,
  });
  await app.register(tokenRoutes, { tokens, guards });
  await app.register(calendarioRoutes, {
    calendar: calendars,
    // An administrator signed in with e.firma, or with their API token (automation).
    requireAdmin: guards.requireRole("administrador"),
    publicRateLimit: config.publicRateLimit,
  });
  await app.register(plazosRoutes, { plazos, rateLimit: config.publicRateLimit });
  await app.register(evidenceRoutes, {
    evidence,
    rateLimit: config.verificationRateLimit,
    publicRateLimit: config.publicRateLimit,
  });
  // «Mis documentos» (issue 12 §2): also what the public verification says of a hash.
  const documentos = createDocumentoService({
    db: database.db,
    clock,
    blobs,
    catalogue: await loadDocumentoCatalogue(),
  });
  const verification = createVerificationService({
    evidence,
    publishedDocument: (sha256) => documentos.publicFacts(sha256),
    signatures: (acusesSealing) =>
      createSignatureVerifier({
        anchors,
        revocation,
        clock,
        staffRoleOf: (rfc) => staff.roleOf(rfc),
        acusesSealing,
      }),
  });
  await app.register(verificationRoutes, {
    verification,
    rateLimit: config.verificationRateLimit,
  });
  const mailbox = createMailboxService({
    db: database.db,
    evidence,
    clock,
    codeKey: await loadSecretKeyFile(
      config.contactCodeKeyFile ?? join(config.dataDir, "medios-codigos.key"),
      "CONTACT_CODE_KEY_FILE",
    ),
    padron: (executor) => createPadronStore(executor),
    currentTermsVersion: async (executor) => (await currentTermsVersion(executor)) ?? null,
    calendarVersion: async () => (await calendars.calendar()).version,
    promocionReceipt: (sentAt) => plazos.promocion({ enviada: sentAt.toString() }),
    publicUrl: config.publicUrl,
    audit: (executor, event) => createAuthStore(executor).recordEvent(event),
  });
  await app.register(mailboxRoutes, {
    mailbox,
    requireSession: guards.requireSession,
    requireStaff: guards.requireRole("operador", "administrador"),
    rateLimit: config.mailboxRateLimit,
  });
  await app.register(ownAcusesRoutes, { evidence, requireSession: guards.requireSession });
  const terms = createTermsService({
    db: database.db,
    clock,
    anchors,
    revocation,
    evidence,
    calendarVersion: async () => (await calendars.calendar()).version,
  });
  await terms.ensureInitial(await readFile(join(PACKAGE_ROOT, INITIAL_TERMS_FILE), "utf8"), {
    by: "sistema",
    note: "Versión inicial, del archivo del repositorio.",
  });
  await app.register(terminosRoutes, {
    terms,
    requireSession: guards.requireSession,
    requireAdmin: guards.requireRole("administrador"),
    rateLimit: config.verificationRateLimit,
    mailboxRateLimit: config.mailboxRateLimit,
  });
  // Electronic notifications (issue 11): deposit, «Mis notificaciones», staff follow-up.
  const notificaciones = createNotificacionService({
    db: database.db,
    clock,
    catalogue: await loadActCatalogue(),
    calendars,
    anchors,
    revocation,
    staffRoleOf: (rfc) => staff.roleOf(rfc),
    blobs,
    currentTermsVersion: async (executor) => (await currentTermsVersion(executor)) ?? null,
    maxDocumentBytes: config.notificacionMaxBytes,
    publicUrl: config.publicUrl,
  });
  // The law's moves in time leave their evidence (issue 11 §2–3): the aviso's acuse, the
  // second aviso on the last day to open, the constancia of the fourth business day.
  const notificacionSweeps = createNotificacionSweeps({
    db: database.db,
    clock,
    calendar: () => calendars.calendar(),
    evidence,
    catalogue: notificaciones.catalogue(),
    publicUrl: config.publicUrl,
    batchSize: config.notificacionSweepBatch,
    log: app.log,
  });
  const evidencePackages = createEvidencePackager({
    db: database.db,
    clock,
    evidence,
    notificaciones,
    calendars,
    blobs,
    avisoEvidence: (id) => notificacionSweeps.avisoEvidence(id, { full: true }),
    audit: (executor, event) => createAuthStore(executor).recordEvent(event),
  });
  // After requireStaff: the role of the token, else of the session.
  const seesAcuseCodes = (request: FastifyRequest) => {
    const role = request.apiToken?.role ?? request.session?.staffRole;
    return role !== undefined && role !== null && EVIDENCE_READERS.includes(role);
  };
  await app.register(notificacionesRoutes, {
    notificaciones,
    requireSession: guards.requireSession,
    requireDepositor: guards.requireRole("notificador", "administrador"),
    recheckDepositor: guards.recheckRole("notificador", "administrador"),
    holdDepositor: guards.recheckRoleWithin("notificador", "administrador"),
    requireStaff: guards.requireRole("notificador", "operador", "administrador", "auditor"),
    maxDocumentBytes: config.notificacionMaxBytes,
    evidencePackages,
    requireEvidenceReader: guards.requireRole(...EVIDENCE_READERS),
    seesAcuseCodes,
    apertura: createApertura({
      db: database.db,
      clock,
      realClock,
      anchors,
      revocation,
      evidence,
      blobs,
      context: () => notificaciones.context(),
    }),
    cancel: createCancelacion({
      db: database.db,
      clock,
      evidence,
      context: () => notificaciones.context(),
      // A promoción answered by the act goes back to atención, in the cancellation's transaction.
      hooks: { record: reopenAnsweredBy },
    }),
    openingRateLimit: config.mailboxRateLimit,
  });
  await app.register(avisoRoutes, {
    sweeps: notificacionSweeps,
    requireStaff: guards.requireRole("notificador", "operador", "administrador", "auditor"),
    seesAcuseCodes,
  });
  // The estrados electrónicos (CFF 139): the acts of addressees without an enabled mailbox.
  const estrados = createEstradosService({
    db: database.db,
    clock,
    evidence,
    calendars,
    catalogue: notificaciones.catalogue(),
    blobs,
  });
  await app.register(estradosRoutes, { estrados, rateLimit: config.publicRateLimit });
  // Promociones electrónicas (issue 12 §1): the particular files signed promociones.
  const promociones = createPromocionService({
    db: database.db,
    clock,
    catalogue: options.promocionCatalogue ?? (await loadPromocionCatalogue()),
    blobs,
    anchors,
    revocation,
    evidence,
    promocionReceipt: (sentAt) => plazos.promocion({ enviada: sentAt.toString() }),
    calendar: () => calendars.calendar(),
    act: async (id) => {
      try {
        const { view } = await notificaciones.actView(id);
        const { state } = view.projection;
        const stage = state === "pendiente" || state === "notificada" ? state : ("otro" as const);
        return {
          rfc: view.row.rfc,
          visible: state !== "depositada",
          plazoRespuestaDiasHabiles: view.actType.plazoRespuestaDiasHabiles,
          stage,
          // Notified: when it took effect; pending: when it would, notified by law on the
          // fourth business day (the engine's clock of the unopened act).
          effectiveOn: stage === "otro" ? null : (view.computed?.effectiveOn ?? null),
        };
      } catch (error) {
        if ((error as { code?: unknown }).code === "not_found") return undefined;
        throw error;
      }
    },
    estradosOf: (id) => estrados.placeOf(id),
  });
  await app.register(promocionesRoutes, {
    promociones,
    requireSession: guards.requireSession,
    mailboxRateLimit: config.mailboxRateLimit,
  });
  await app.register(documentosRoutes, {
    documentos,
    requireSession: guards.requireSession,
    requirePublisher: guards.requireRole("notificador", "administrador"),
    recheckPublisher: guards.recheckRole("notificador", "administrador"),
    holdPublisher: guards.recheckRoleWithin("notificador", "administrador"),
  });
  // «Mis comunicados» (issue 12 §3): one row per comunicado, audience resolved at read time.
  const comunicados = createComunicadoService({
    db: database.db,
    clock,
    subdelegaciones: await loadSubdelegaciones(),
    publicUrl: config.publicUrl,
  });
  await app.register(comunicadosRoutes, {
    comunicados,
    requireSession: guards.requireSession,
    requireComposer: guards.requireRole("operador", "administrador"),
  });
  // The staff's side of promociones (issue 12 §1): queue, taking, notes, conclusion, answer.
  await app.register(staffPromocionesRoutes, {
    atencion: createAtencionService({
      db: database.db,
      clock,
      catalogue: promociones.catalogue(),
      blobs,
      promociones,
      notificaciones,
      comunicados,
      staffRoleOf: (rfc) => staff.roleOf(rfc),
    }),
    requireReader: guards.requireRole("operador", "notificador", "administrador"),
    requireAttendant: guards.requireRole(...ATENCION_ROLES),
    requireDepositor: guards.requireRole(...SIGNING_ROLES),
    holdDepositor: guards.recheckRoleWithin(...SIGNING_ROLES),
    requireComposer: guards.requireRole("operador", "administrador"),
    maxDocumentBytes: config.notificacionMaxBytes,
  });
  // «Mis expedientes» (issue 12 §4): one searchable list over the four, with their acuses.
  const expedientes = createExpedienteService({
    db: database.db,
    clock,
    notificaciones,
    actCatalogue: notificaciones.catalogue(),
    promocionCatalogue: promociones.catalogue(),
    documentoCatalogue: documentos.catalogue(),
  });
  await app.register(expedientesRoutes, {
    expedientes,
    requireSession: guards.requireSession,
    publicUrl: config.publicUrl,
  });
  const campaign = createReminderCampaign({
    db: database.db,
    clock,
    publicUrl: config.publicUrl,
  });
  await app.register(padronRoutes, {
    db: database.db,
    importPadron: createPadronImporter({ db: database.db, clock }),
    campaign,
    requireAdmin: guards.requireRole("administrador"),
  });
  if (config.acuseTestRoute) {
    await app.register(testIssuanceRoutes, {
      evidence,
      clock,
      calendarVersion: async () => (await calendars.calendar()).version,
      rateLimit: config.acuseTestRateLimit,
    });
  }
  // The periodic jobs. Features add theirs here; the worker (serve without --no-worker, and
  // `buzon worker`) starts them, and the demo clock runs them all after moving time.
  const scheduler = createScheduler({ leases: createJobLeases(database.db), log: app.log });
  // The evidence jobs keep their own lease (time-stamps) and lock (checkpoints): shared.
  scheduler.add({
    name: "registro_publico",
    everySeconds: config.checkpointIntervalSeconds,
    exclusive: false,
    run: createEvidenceJob(evidence, app.log, createJobLeases(database.db)),
  });
  // 5.2: means not validated within 72 hours are cancelled; 5.4: 2020 mailboxes are enabled.
  scheduler.add({
    name: "medios_vencidos",
    everySeconds: 60,
    run: async () => {
      await mailbox.cancelExpired();
    },
  });
  // CFF 139: each act on estrados is published at its aviso instant, and its publication
  // ends on the eleventh business day; both sealed as acuses, once each.
  scheduler.add({
    name: "estrados",
    everySeconds: 60,
    run: async () => {
      await estrados.runJobs();
    },
  });
  scheduler.add({
    name: "habilitaciones_2020",
    everySeconds: 300,
    run: async () => {
      await mailbox.projectHabilitaciones2020();
    },
  });
  // Before delivery, so a second aviso due now goes out in the same pass of the demo clock.
  scheduler.add({
    name: "notificaciones_plazos",
    everySeconds: config.notificacionSweepIntervalSeconds,
    // A sweep over a large backlog seals thousands of acuses: longer than the default lease.
    leaseSeconds: 3600,
    run: async () => {
      await notificacionSweeps.runAll();
    },
  });
  // A comunicado that asks for e-mail gets them enqueued once it is published.
  scheduler.add({
    name: "comunicados_correo",
    everySeconds: 60,
    run: async () => {
      await comunicados.enqueueDueEmails();
    },
  });
  // Delivery (issue 9 §4): each feature's templates, by name, as its messages name them.
  const templates: Templates = {
    ...mailboxTemplates,
    ...padronTemplates,
    ...notificacionTemplates,
    ...segundoAvisoTemplates,
    ...comunicadoTemplates,
  };
  installSecretKey(await loadSecretKeyFile(config.deliveryKeyFile, "DELIVERY_KEY_FILE"));
  const messageIdDomain = config.smtpFrom.replace(/^.*@/, "").replace(/>.*$/, "");
  const delivery = createDelivery({
    db: database.db,
    clock,
    templates,
    email: config.smtpUrl
      ? smtpTransport({
          url: config.smtpUrl,
          from: config.smtpFrom,
          timeoutSeconds: config.deliveryTimeoutSeconds,
        })
      : undefined,
    sms: config.smsGatewayUrl
      ? smsGatewayTransport({
          url: config.smsGatewayUrl,
          user: config.smsGatewayUser,
          password: config.smsGatewayPassword,
          token: config.smsGatewayToken,
          payload: config.smsGatewayPayload,
          timeoutSeconds: config.deliveryTimeoutSeconds,
        })
      : undefined,
    maxAttempts: config.deliveryMaxAttempts,
    backoffSeconds: config.deliveryBackoffSeconds,
    messageIdDomain,
    log: app.log,
    holdPolicy: async () => avisoHoldPolicy(await calendars.calendar()),
  });
  if (!config.smtpUrl) app.log.warn("sin SMTP_URL: los correos esperan en la bandeja de salida");
  if (!config.smsGatewayUrl)
    app.log.warn("sin SMS_GATEWAY_URL: los SMS esperan en la bandeja de salida");
  // Safe in several processes at once (SKIP LOCKED): no lease, workers share the outbox.
  scheduler.add({
    name: "entregas",
    everySeconds: config.deliveryIntervalSeconds,
    exclusive: false,
    run: async () => {
      await delivery.deliverDue();
    },
  });
  await app.register(deliveryRoutes, {
    delivery,
    requireAdmin: guards.requireRole("administrador"),
  });
  if (options.demo) {
    await app.register(devRoutes, {
      sinks: options.demo.sinks,
      clock: options.demo.clock,
      db: database.db,
      messageIdDomain,
      runJobs: () => scheduler.runAll(),
      requireAdmin: guards.requireRole("administrador"),
      requireSession: guards.requireSession,
      publicRateLimit: config.publicRateLimit,
    });
  }
  if (options.worker !== false) scheduler.start({ keepAlive: options.keepAlive === true });
  app.addHook("onClose", async () => {
    await scheduler.stop();
    delivery.close();
    await evidence.settle();
    await database.close();
  });
  await app.ready();
  return {
    app,
    calendars,
    plazos,
    auth,
    staff,
    tokens,
    evidence,
    verification,
    scheduler,
    mailbox,
    terms,
    blobs,
    notificaciones,
    notificacionSweeps,
    evidencePackages,
    estrados,
    promociones,
    documentos,
    comunicados,
    expedientes,
    delivery,
  };
}

export type BuzonSystem = Awaited<ReturnType<typeof buildSystem>>;
