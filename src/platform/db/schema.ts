import type { Buffer } from "node:buffer";
import type { ColumnType, Generated, Kysely } from "kysely";

/** Tables as Kysely sees them. Every table's SQL lives in ./migrations. */
export interface Database {
  calendar_versions: CalendarVersionsTable;
  auth_challenges: AuthChallengesTable;
  staff_members: StaffMembersTable;
  sessions: SessionsTable;
  auth_events: AuthEventsTable;
  api_tokens: ApiTokensTable;
  rate_limit_counters: RateLimitCountersTable;
  acuses: AcusesTable;
  log_leaves: LogLeavesTable;
  log_checkpoints: LogCheckpointsTable;
  log_nodes: LogNodesTable;
  acuse_timestamps: AcuseTimestampsTable;
  acuse_statements: AcuseStatementsTable;
  pdf_signature_timestamps: PdfSignatureTimestampsTable;
  seal_certificates: SealCertificatesTable;
  job_leases: JobLeasesTable;
  mailbox_events: MailboxEventsTable;
  mailboxes: MailboxesTable;
  mailbox_means: MailboxMeansTable;
  mailbox_aclaraciones: MailboxAclaracionesTable;
  padron_imports: PadronImportsTable;
  padron_entries: PadronEntriesTable;
  padron_registros: PadronRegistrosTable;
  outbox: OutboxTable;
  delivery_attempts: DeliveryAttemptsTable;
  terms_versions: TermsVersionsTable;
  terms_challenges: TermsChallengesTable;
  terms_signatures: TermsSignaturesTable;
  blobs: BlobsTable;
  notificaciones: NotificacionesTable;
  notificacion_events: NotificacionEventsTable;
  notificacion_challenges: NotificacionChallengesTable;
  estrados_publicaciones: EstradosPublicacionesTable;
  promocion_challenges: PromocionChallengesTable;
  promociones: PromocionesTable;
  promocion_attachments: PromocionAttachmentsTable;
  promocion_events: PromocionEventsTable;
  promocion_estado: PromocionEstadoTable;
  promocion_borradores: PromocionBorradoresTable;
  documentos: DocumentosTable;
  comunicados: ComunicadosTable;
  comunicado_lecturas: ComunicadoLecturasTable;
  comunicado_envios: ComunicadoEnviosTable;
}

export interface AuthChallengesTable {
  id: string;
  rfc: string;
  nonce: string;
  attempt_hash: Buffer;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export type StaffRole = "notificador" | "operador" | "administrador" | "auditor";

export interface StaffMembersTable {
  rfc: string;
  name: string;
  role: StaffRole;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
}

export interface SessionsTable {
  id: string;
  token_hash: Buffer;
  csrf_hash: Buffer;
  rfc: string;
  name: string;
  persona: "fisica" | "moral";
  representative_rfc: string | null;
  representative_curp: string | null;
  certificate_number: string;
  staff_role: StaffRole | null;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  ended_reason: string | null;
  user_agent: string | null;
  ip: string | null;
}

export interface AuthEventsTable {
  id: Generated<string>;
  at: Date;
  event: string;
  outcome: "aceptado" | "rechazado";
  reason: string | null;
  rfc: string | null;
  representative_rfc: string | null;
  certificate_number: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
}

export interface ApiTokensTable {
  id: string;
  token_hash: Buffer;
  staff_rfc: string;
  name: string;
  roles: StaffRole[];
  created_at: Date;
  created_by: string;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

export interface RateLimitCountersTable {
  key: string;
  hits: number;
  window_ends_at: Date;
}

export interface CalendarVersionsTable {
  id: Generated<string>;
  authority: string;
  version: string;
  /** The declared days of this version, `[{date, reason, source}]`, sorted by date. */
  days: ColumnType<unknown, string, never>;
  /** Years whose declaration the version holds; null: the years of its days (0012). */
  years: ColumnType<number[] | null, string | null, never>;
  note: string;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
}

/** Sealed acuses (append-only). bigint columns come back as strings from pg. */
export interface AcusesTable {
  id: Generated<string>;
  folio: string;
  kind: string;
  rfc: string;
  actor_rfc: string;
  capacity: string;
  event_at: Date;
  counts_at: Date;
  rule: string;
  calendar_version: string;
  rules_version: string;
  /** `[{name, sha256, bytes}]` in the sealed order. */
  documents: ColumnType<unknown, string, never>;
  cadena_original: string;
  /** Base64 RSA-SHA256 over the UTF-8 cadena original. */
  seal: string;
  seal_certificate_number: string;
  leaf_index: ColumnType<string | number, number, never>;
  created_at: ColumnType<Date, never, never>;
  /** The habilitación a version-2 cadena states (migration 0015); null in version 1. */
  habilitacion: "lineamientos_2020" | "activacion" | null;
}

/** Leaves of the public Merkle log (append-only, no gaps). */
export interface LogLeavesTable {
  leaf_index: ColumnType<string | number, number, never>;
  leaf_hash: Buffer;
  folio: string;
}

/** Signed checkpoints of the log (append-only). */
export interface LogCheckpointsTable {
  size: ColumnType<string | number, number, never>;
  root: Buffer;
  note: string;
  created_at: ColumnType<Date, never, never>;
}

/** Hashes of complete aligned blocks of 2^level leaves, level ≥ 1 (append-only). */
export interface LogNodesTable {
  level: number;
  idx: ColumnType<string | number, number, never>;
  hash: Buffer;
}

/** RFC 3161 tokens over each acuse's seal bytes (append-only, one per acuse). */
export interface AcuseTimestampsTable {
  folio: string;
  token: Buffer;
  gen_time: Date;
  tsa_serial: string;
  created_at: ColumnType<Date, never, never>;
}

/** The exact text of a statement an acuse seals as a document (append-only, ADR 0012). */
export interface AcuseStatementsTable {
  folio: string;
  name: string;
  text: string;
}

/** Time-stamps over the acuse PDFs' PAdES signatures, by SHA-256 of the signature value. */
export interface PdfSignatureTimestampsTable {
  signature_sha256: string;
  token: Buffer;
  gen_time: Date;
  created_at: ColumnType<Date, never, never>;
}

/** Every certificate the Institute's seal has used, by number (append-only). */
export interface SealCertificatesTable {
  number: string;
  der: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export type Db = Kysely<Database>;

export interface JobLeasesTable {
  job: string;
  holder: string;
  expires_at: Date;
}

/** Every change of a mailbox (append-only); `mailboxes` and `mailbox_means` project it. */
export interface MailboxEventsTable {
  id: Generated<string>;
  rfc: string;
  type: string;
  /** The event's payload (see src/domain/mailbox/projection.ts). */
  data: ColumnType<unknown, string, never>;
  at: Date;
  acuse_folio: string | null;
}

/** The materialized state of each mailbox, updated with every event. */
export interface MailboxesTable {
  rfc: string;
  state: "sin_medios" | "medios_pendientes" | "medios_validados" | "habilitado";
  provenance: "activacion" | "lineamientos_2020" | null;
  terms_version: string | null;
  updated_at: Date;
}

/** Contact means: the projection of their events plus the state of their validation codes. */
export interface MailboxMeansTable {
  id: string;
  rfc: string;
  kind: "correo" | "celular";
  value: string;
  scope: string;
  status: "pendiente" | "validado" | "cancelado" | "eliminado";
  registered_at: Date;
  expires_at: Date;
  validated_at: Date | null;
  ended_at: Date | null;
  /** The acuse of its registration; null only for the padrón's e-mail carried over (origin). */
  acuse_folio: string | null;
  /** `padron_2020`: the e-mail on file of a mailbox enabled under the 2020 rules (5.4). */
  origin: ColumnType<"padron_2020" | null, "padron_2020" | null | undefined, "padron_2020" | null>;
  /** The means this one replaces once validated (a change), if any. */
  replaces: ColumnType<string | null, string | null | undefined, string | null>;
  /** Keyed hash of the current code; null once validated, cancelled or removed. */
  code_hash: Buffer | null;
  code_sent_at: Date | null;
  code_sends: ColumnType<number, number | undefined, number>;
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_at: Date | null;
}

/** «No recibí el correo» (5.2): the staff queue of aclaraciones. */
export interface MailboxAclaracionesTable {
  id: string;
  rfc: string;
  means_id: string;
  description: string;
  /** The exact text sealed in the acuse (its SHA-256 is the acuse's document). */
  document: string;
  status: ColumnType<"abierta" | "atendida", "abierta" | "atendida" | undefined>;
  acuse_folio: string;
  created_at: Date;
  attended_at: Date | null;
  attended_by: string | null;
  /** What the staff member tells the person (shown in her mailbox). */
  attended_note: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One CSV import into the padrón and its report (refusals: `[{line, rfc, code, reason}]`). */
export interface PadronImportsTable {
  id: string;
  file_name: string;
  sha256: string;
  actor: string;
  started_at: Date;
  finished_at: Date | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  refusals: ColumnType<unknown, string | undefined, string>;
}

/** The particulars the Institute knows. */
export interface PadronEntriesTable {
  rfc: string;
  name: string;
  persona: "fisica" | "moral";
  registros_patronales: string[];
  email_on_file: string | null;
  habilitacion_2020_at: Date | null;
  created_at: Date;
  updated_at: Date;
  import_id: string;
}

/** Which RFC each registro patronal belongs to (one, by the primary key). */
export interface PadronRegistrosTable {
  registro_patronal: string;
  rfc: string;
}

export type DeliveryChannel = "correo" | "sms";

/** Messages to deliver (operational state; see migration 0009). bigint ids come back as strings. */
export interface OutboxTable {
  id: ColumnType<string, never, never>;
  idempotency_key: string;
  channel: DeliveryChannel;
  recipient: string;
  template: string;
  data: ColumnType<Record<string, string>, string, string>;
  /** AES-256-GCM envelope of the message's secret fields; null once the last outcome is in. */
  secret: Uint8Array | null;
  rfc: string | null;
  status: ColumnType<
    "pendiente" | "enviada" | "fallida",
    "pendiente" | undefined,
    "enviada" | "fallida" | "pendiente"
  >;
  attempts: ColumnType<number, never, number>;
  next_attempt_at: Date | null;
  last_response: string | null;
  created_at: ColumnType<Date, never, never>;
  finished_at: Date | null;
}

/** One row per delivery attempt and address (append-only). */
export interface DeliveryAttemptsTable {
  id: ColumnType<string, never, never>;
  outbox_id: ColumnType<string, string, never>;
  idempotency_key: string;
  message_id: string;
  channel: DeliveryChannel;
  recipient: string;
  rfc: string | null;
  attempt: number;
  outcome: "enviado" | "reintento" | "fallido";
  response: string;
  at: Date;
  created_at: ColumnType<Date, never, never>;
}

/** Published versions of the Términos y Condiciones (append-only). */
export interface TermsVersionsTable {
  version: number;
  /** The exact text; `sha256` is of its UTF-8 bytes. */
  text: string;
  sha256: string;
  bytes: number;
  note: string;
  published_by: string;
  published_at: Date;
}

/** Single-use challenges to sign the Terms, bound to the session that asked. */
export interface TermsChallengesTable {
  id: string;
  session_id: string;
  rfc: string;
  version: number;
  nonce: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Signatures of the Terms (append-only evidence). */
export interface TermsSignaturesTable {
  id: Generated<string>;
  acuse_folio: string;
  rfc: string;
  signer_rfc: string;
  version: number;
  terms_sha256: string;
  signed_text: string;
  /** The signer's certificate, DER. */
  certificate: Buffer;
  certificate_number: string;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 signed text. */
  signature: Buffer;
  session_id: string;
  signed_at: Date;
}

/** Metadata of the stored documents (append-only); the bytes live in the blob store. */
export interface BlobsTable {
  sha256: string;
  /** bigint: a string from pg. */
  bytes: ColumnType<string | number, number, never>;
  media_type: string;
  created_at: Date;
}

/** An act deposited for electronic notification (append-only; migration 0019). */
export interface NotificacionesTable {
  id: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request: the same key with other content is a 409. */
  request_sha256: string;
  rfc: string;
  registro_patronal: string | null;
  /** «7.1» … «7.18» (catalogos/actos-anexo-7.json). */
  act_type: string;
  oficio: string;
  issuing_unit: string;
  document_name: string;
  /** The PDF's SHA-256: its key in the blob store. */
  document_sha256: string;
  document_bytes: number;
  /** DER detached CMS over the PDF, by the signer's e.firma. */
  signature: Buffer;
  signer_rfc: string;
  signer_certificate_number: string;
  /** RFC of the staff member who deposited it. */
  deposited_by: string;
  deposited_at: Date;
  /** The legal instant of the aviso (rule a), computed at deposit. */
  aviso_at: Date;
  /** Sent to estrados: the addressee's mailbox was not enabled at deposit. */
  estrados: boolean;
  calendar_version: string;
  rules_version: string;
  /** The act this one corrects, if any. */
  replaces_id: string | null;
}

/** The timeline of each act (append-only); the once-only types are unique per act. */
export interface NotificacionEventsTable {
  id: ColumnType<string, never, never>;
  notificacion_id: string;
  type: string;
  /** The legal instant of the event. */
  at: Date;
  /** When the system wrote it (a job may run late). */
  recorded_at: Date;
  acuse_folio: string | null;
  actor_rfc: string | null;
  data: ColumnType<unknown, string | undefined, never>;
}

/** Single-use challenges of the signed opening (CFF 134-I), bound to the session that asked. */
export interface NotificacionChallengesTable {
  id: string;
  session_id: string;
  notificacion_id: string;
  rfc: string;
  nonce: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** An act published on the estrados electrónicos (CFF 139; append-only; migration 0020). */
export interface EstradosPublicacionesTable {
  notificacion_id: string;
  /** The act's aviso instant (rule a): the publication's legal instant. */
  published_at: Date;
  first_publication_day: ColumnType<string, string, never>;
  last_publication_day: ColumnType<string, string, never>;
  /** 00:00 Zona Centro after the tenth day: the document leaves the page. */
  publication_ends_at: Date;
  /** The eleventh business day: the notification's date (CFF 139). */
  notified_on: ColumnType<string, string, never>;
  /** 00:00 Zona Centro of notified_on. */
  notified_at: Date;
  effective_on: ColumnType<string, string, never>;
  calendar_version: string;
  tfja_calendar_version: string;
  rules_version: string;
  acuse_folio: string;
  recorded_at: Date;
}

/** Migration 0022: promociones electrónicas (issue 12 §1). */
export interface PromocionChallengesTable {
  id: string;
  session_id: string;
  rfc: string;
  type: string;
  subject: string;
  text: string;
  notificacion_id: string | null;
  /** [{ name, sha256, size }] in the signed order. */
  attachments: ColumnType<unknown, string, string>;
  nonce: string;
  to_sign: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface PromocionesTable {
  id: string;
  challenge_id: string;
  rfc: string;
  signer_rfc: string;
  type: string;
  subject: string;
  text: string;
  text_sha256: string;
  text_bytes: number;
  notificacion_id: string | null;
  signed_text: string;
  certificate: Buffer;
  certificate_number: string;
  signature: Buffer;
  sent_at: Date;
  received_at: Date;
  acuse_folio: string;
  calendar_version: string;
  rules_version: string;
  answer_term_days: number | null;
  /** Zona Centro date, YYYY-MM-DD. */
  answer_due_on: string | null;
  answered_in_time: boolean | null;
}

export interface PromocionAttachmentsTable {
  promocion_id: string;
  position: number;
  name: string;
  sha256: string;
  bytes: ColumnType<string | number, number, number>;
  kind: "pdf" | "xml" | "imagen" | "zip";
  media_type: string;
}

/** Each promoción's state and assignee as its events project them (0037, kept by a trigger). */
export interface PromocionEstadoTable {
  promocion_id: string;
  state: string;
  assignee: string | null;
  received_at: Date;
}

export interface PromocionEventsTable {
  id: ColumnType<string, never, never>;
  promocion_id: string;
  type: string;
  at: Date;
  recorded_at: Date;
  acuse_folio: string | null;
  actor_rfc: string | null;
  data: ColumnType<unknown, string, string>;
}

export interface PromocionBorradoresTable {
  id: string;
  rfc: string;
  type: string;
  subject: string;
  text: string;
  notificacion_id: string | null;
  attachments: ColumnType<unknown, string, string>;
  created_at: Date;
  updated_at: Date;
}

/** «Mis documentos» (migration 0029): append-only. */
export interface DocumentosTable {
  id: string;
  rfc: string;
  kind: string;
  period: string;
  registro_patronal: string | null;
  sha256: string;
  bytes: ColumnType<string | number, number, number>;
  file_name: string;
  published_at: Date;
  published_by: string;
  via: "api" | "linea_de_comandos" | "demo";
}

/** «Mis comunicados» (migration 0030): append-only, one row per comunicado. */
export interface ComunicadosTable {
  id: string;
  title: string;
  body: string;
  audience: "general" | "subdelegacion" | "rfc";
  audience_rfc: string | null;
  audience_subdelegacion: string | null;
  audience_claves: string[];
  send_email: boolean;
  published_at: Date;
  created_at: Date;
  created_by: string;
}

/** One reader's read mark of one comunicado (append-only). */
export interface ComunicadoLecturasTable {
  comunicado_id: string;
  rfc: string;
  read_at: Date;
}

/** A comunicado's e-mails enqueued, once (append-only). */
export interface ComunicadoEnviosTable {
  comunicado_id: string;
  enqueued_at: Date;
  messages: number;
}
