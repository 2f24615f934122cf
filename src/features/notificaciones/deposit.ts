import { Buffer } from "node:buffer";
import { createHash, randomUUID, type X509Certificate } from "node:crypto";
import { sql } from "kysely";
import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { type EfirmaCertificate, readCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { checkCertificate } from "../../domain/efirma/verify.ts";
import { AppError, CodedError, internalError } from "../../domain/errors.ts";
import { parseRegistroPatronal } from "../../domain/identifiers/registro-patronal.ts";
import { parseRfc } from "../../domain/identifiers/rfc.ts";
import { RFC_SCOPE } from "../../domain/mailbox/projection.ts";
import type { ActCatalogue, ActType } from "../../domain/notificaciones/catalogo.ts";
import { ActError } from "../../domain/notificaciones/errors.ts";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { formatInstant, spanishDate, spanishInstant } from "../../domain/time/zona-centro.ts";
import { recordBlobs } from "../../platform/blobs/blob-records.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import {
  CmsSignatureError,
  type DetachedCmsVerification,
  MAX_CMS_BYTES,
  verifyDetachedCmsSignature,
} from "../../platform/crypto/cms-signature.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { notificacionPath } from "../../platform/http/page-paths.ts";
import { looksLikePdf, PdfReadError } from "../../platform/pdf/read-attachments.ts";
import { enqueueMany, type OutboxMessage } from "../delivery/outbox.ts";
import { recordHabilitacion2020 } from "../mailbox/service.ts";
import { loadMailboxes, lockMailboxes } from "../mailbox/store.ts";
import { createPadronStore, type PadronEntry } from "../padron/store.ts";
import {
  type AvisoMeans,
  appendNotificacionEvents,
  insertNotificaciones,
  liveActsOf,
  type NotificacionRow,
  notificacionByKey,
  notificacionesByKeys,
  validatedMeansOfMany,
} from "./store.ts";
import { AVISO_TEMPLATE } from "./templates.ts";

/** POST /api/v1/notificaciones as the service takes it (the wire names of issue 11 §6). */
export interface DepositInput {
  idempotencyKey: string;
  rfc: string;
  registroPatronal?: string | undefined;
  actType: string;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  /** The PDF, base64. */
  document: string;
  /** DER detached CMS over the PDF by the signer's e.firma, base64. */
  signature: string;
  /** The act this one corrects (a new act naming the one it replaces). */
  replaces?: string | undefined;
}

/** The staff member who deposits (after the route's role guard). */
export interface Depositor {
  rfc: string;
  /** How it came: a session, an API token, or `buzon notificar --lote` (linea_de_comandos). */
  via: "sesion" | "token_api" | "linea_de_comandos";
}

/** What the deposit answers, and what the same key with the same content answers again. */
export interface Deposited {
  row: NotificacionRow;
  /** False when an earlier request with this key and content had already deposited it. */
  created: boolean;
}

/**
 * What another capability writes in the deposit's own transaction, so its decision and the act
 * commit together or not at all (a promoción answered by this act: src/features/promociones).
 * It may refuse by throwing: then nothing is deposited.
 */
export interface DepositHooks {
  record?: (tx: Db, row: NotificacionRow) => Promise<void>;
  /**
   * The depositor's authority, judged again as the first statement of each transaction that
   * writes acts in their name (guard.ts `recheckRoleWithin`; the CLI's staff role): it reads
   * the session's, token's or staff member's row FOR SHARE, so a logout, revocation or baja
   * committed before refuses the transaction's acts, and one issued while it runs waits for
   * its commit. Its refusal (a coded error) is every act's of that transaction; nothing of
   * them is written.
   */
  authority?: (tx: Db) => Promise<void>;
}

/** Roles whose e.firma may sign the acts the Institute notifies. */
export const SIGNING_ROLES: readonly StaffRole[] = ["notificador", "administrador"];

/** A 20 MiB PDF by default (NOTIFICACION_MAX_BYTES). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export interface DepositOptions {
  db: Db;
  clock: Clock;
  catalogue: ActCatalogue;
  /** The IMSS calendar in force (rule a is counted on it). */
  calendar: () => Promise<BusinessCalendar>;
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  /** The role of an active staff member, or undefined. */
  staffRoleOf: (rfc: string) => Promise<StaffRole | undefined>;
  blobs: BlobStore;
  /** The Terms version in force, for a 2020 mailbox projected at deposit (5.4). */
  currentTermsVersion: (executor: Db) => Promise<string | null>;
  maxDocumentBytes: number;
  /** Public address of the site, for the aviso's link. */
  publicUrl: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A control character, a line/paragraph separator or a bidirectional override (which reorders
 * how the rest of the line reads in the PDF and on screen): never inside a one-line field.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

function decodeBase64(text: string, pointer: string, what: string): Buffer {
  const clean = text.replace(/\s+/g, "");
  if (clean.length === 0 || clean.length % 4 === 1 || !BASE64.test(clean)) {
    const detail = `${what} debe ir codificado en base64.`;
    throw new AppError("validation", detail, { errors: [{ pointer, detail }] });
  }
  return Buffer.from(clean, "base64");
}

const sha256Hex = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/**
 * A PDF as the Institute issues it: within the size limit, starting with «%PDF-» (within the
 * first KiB, as readers allow) and ending with «%%EOF» (within the last KiB). The deposit does
 * not parse it: the signer's e.firma vouches for what it says; what it must not be is another
 * kind of file or a truncated one.
 */
export function checkPdf(bytes: Uint8Array, maxBytes: number): void {
  checkSize(bytes.byteLength, maxBytes);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(
    Math.max(0, bytes.byteLength - 1024),
  );
  if (!looksLikePdf(bytes) || !tail.includes("%%EOF", 0, "latin1")) {
    throw new PdfReadError(
      "not_pdf",
      "El documento no es un PDF completo (debe empezar con «%PDF-» y terminar con «%%EOF»).",
      { pointer: "/document" },
    );
  }
}

/** A document over the limit (NOTIFICACION_MAX_BYTES): 413 `pdf_too_large`. */
function checkSize(size: number, maxBytes: number): void {
  if (size <= maxBytes) return;
  throw new PdfReadError(
    "pdf_too_large",
    `El documento mide ${size.toLocaleString("es-MX")} bytes: el máximo es ${maxBytes.toLocaleString("es-MX")} bytes (${(maxBytes / (1024 * 1024)).toLocaleString("es-MX", { maximumFractionDigits: 1 })} MiB).`,
    { pointer: "/document" },
  );
}

/** The request's canonical form: its SHA-256 tells a replay from another use of the key. */
function requestHash(fields: {
  rfc: string;
  registroPatronal: string | null;
  actType: string;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  documentSha256: string;
  signatureSha256: string;
  replaces: string | null;
}): string {
  // Fixed key order: JSON.stringify follows insertion order.
  return sha256Hex(
    JSON.stringify({
      rfc: fields.rfc,
      registroPatronal: fields.registroPatronal,
      actType: fields.actType,
      oficio: fields.oficio,
      issuingUnit: fields.issuingUnit,
      documentName: fields.documentName,
      documentSha256: fields.documentSha256,
      signatureSha256: fields.signatureSha256,
      replaces: fields.replaces,
    }),
  );
}

function idempotencyConflict(key: string): ActError {
  return new ActError(
    "idempotency_conflict",
    `La clave de idempotencia «${key}» ya se usó para depositar otro acto (con otro contenido). Usa una clave nueva para un acto nuevo; repetir la misma solicitud devuelve el acto ya depositado.`,
    { pointer: "/idempotencyKey" },
  );
}

/** dd/mm/aaaa, as the portal writes dates (and an SMS has room for). */
function shortDate(date: Temporal.PlainDate): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.day)}/${two(date.month)}/${date.year}`;
}

/**
 * The deposit of an act signed by a competent public servant (issue 11 §1; Lineamientos 7.1–7.3,
 * 7.8): checks the act type, the PDF, the signature over exactly these bytes, the signer's
 * certificate, revocation and staff role, and the addressee in the padrón; fixes the aviso's
 * legal instant (rule a) now; stores the PDF; and in one transaction writes the act, its
 * `depositada` event and the avisos to every validated means, held by the outbox until that
 * instant — or sends it to estrados when the mailbox is not enabled or has no means.
 */
export function createDeposit(options: DepositOptions) {
  const { db, catalogue } = options;
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });

  /**
   * The signature over exactly these bytes, then its signer (certificate, revocation, staff
   * role) through `signers`: the acts of a chunk are mostly signed by one servant, whose
   * certificate is judged once per chunk at the same instant.
   */
  async function verifySigner(
    cms: Buffer,
    documentSha256: string,
    signers: (raw: Uint8Array) => Promise<EfirmaCertificate>,
  ): Promise<EfirmaCertificate> {
    let verification: DetachedCmsVerification;
    try {
      verification = await verifyDetachedCmsSignature(cms, Buffer.from(documentSha256, "hex"));
    } catch (error) {
      if (!(error instanceof CmsSignatureError)) throw error;
      throw new CmsSignatureError(error.code, error.detail, {
        pointer: "/signature",
        cause: error,
      });
    }
    if (!verification.signatureValid) {
      throw new ActError(
        "document_signature_invalid",
        "La firma no es válida: sus datos fueron alterados o no la produjo la llave del certificado que contiene.",
        { pointer: "/signature" },
      );
    }
    if (!verification.digestMatches) {
      throw new ActError(
        "document_signature_invalid",
        "La firma no ampara este documento: se hizo sobre otro archivo (su huella SHA-256 no es la del PDF enviado). Firma exactamente el PDF que se deposita.",
        { pointer: "/signature" },
      );
    }
    return signers(verification.certificate.raw);
  }

  /** Whether a certificate may sign acts at `at`: valid, not revoked, of staff with the role. */
  async function acceptSigner(raw: Uint8Array, at: Temporal.Instant): Promise<EfirmaCertificate> {
    let certificate: EfirmaCertificate;
    let issuer: X509Certificate;
    try {
      certificate = readCertificate(raw);
      issuer = checkCertificate(certificate, { at, anchors: options.anchors });
      await options.revocation.check(certificate, issuer);
    } catch (error) {
      if (!(error instanceof EfirmaError)) throw error;
      // Revocation that cannot be confirmed is the SAT's outage, not the request's fault.
      if (error.code === "revocation_unavailable") throw error;
      throw new ActError(
        "document_signature_invalid",
        `El certificado de quien firmó no es aceptable: ${error.detail}`,
        { pointer: "/signature", cause: error },
      );
    }
    const role =
      certificate.persona === "fisica" ? await options.staffRoleOf(certificate.rfc) : undefined;
    if (!role || !SIGNING_ROLES.includes(role)) {
      throw new ActError(
        "signer_not_authorized",
        role
          ? `${certificate.name} (RFC ${certificate.rfc}) forma parte del personal con rol ${role}, que no puede firmar actos para notificar: se requiere el rol notificador o administrador.`
          : `${certificate.name} (RFC ${certificate.rfc}) no forma parte del personal activo del Instituto: solo una persona servidora pública con rol notificador o administrador puede firmar actos para notificar.`,
        { pointer: "/signature" },
      );
    }
    return certificate;
  }

  /**
   * The form of a request, checked without the database: the act type, the RFC and registro,
   * the text fields, the PDF and the signature's size, and the request's canonical hash.
   */
  function prepare(input: DepositInput, index: number): Prepared {
    const key = input.idempotencyKey.trim();
    const actType = catalogue.require(input.actType.trim());
    // The padrón decides who exists: it holds RFCs the SAT issued that fail their own check
    // character (AAA010101AAA, LME060822IH5), so a mismatch alone refuses nothing here.
    const rfc = parseRfc(input.rfc, { context: "certificate", pointer: "/rfc" }).value;
    const registroPatronal =
      input.registroPatronal === undefined || input.registroPatronal.trim() === ""
        ? null
        : parseRegistroPatronal(input.registroPatronal, { pointer: "/registroPatronal" }).value;
    // minLength counts blanks, and they are trimmed away below: an act needs real text here,
    // on one line.
    const refused = (
      [
        ["oficio", input.oficio, "El número de oficio"],
        ["issuingUnit", input.issuingUnit, "La unidad emisora"],
        ["documentName", input.documentName, "El nombre del documento"],
      ] as const
    ).flatMap(([field, value, label]) =>
      value.trim() === ""
        ? [{ pointer: `/${field}`, detail: `${label} no puede estar vacío ni ser solo espacios.` }]
        : // Each is one line of the acuses' statements (aviso, constancia): a line break or a
          // control character would break that line, so it is refused here, at the door.
          CONTROL.test(value.trim())
          ? [
              {
                pointer: `/${field}`,
                detail: `${label} debe ser una sola línea de texto, sin saltos de línea ni caracteres de control.`,
              },
            ]
          : [],
    );
    if (key === "") {
      // The schema's minLength counts blanks; the key is stored trimmed, and the table holds 1
      // to 200 characters: a blank key would end as the database's refusal, a 500.
      refused.unshift({
        pointer: "/idempotencyKey",
        detail: "La clave de idempotencia no puede estar vacía ni ser solo espacios.",
      });
    }
    if (refused.length > 0) {
      throw new AppError("validation", refused.map((e) => e.detail).join(" "), {
        errors: refused,
      });
    }
    const replaces = input.replaces?.trim() || null;
    if (replaces !== null && !UUID.test(replaces)) {
      const detail = "«replaces» debe ser el identificador (UUID) del acto que se sustituye.";
      throw new AppError("validation", detail, { errors: [{ pointer: "/replaces", detail }] });
    }
    // Bounded before decoding: base64 is 4 characters for 3 bytes (padding aside).
    checkSize(Math.floor((input.document.length * 3) / 4) - 2, options.maxDocumentBytes);
    const pdf = decodeBase64(input.document, "/document", "El documento (PDF)");
    checkPdf(pdf, options.maxDocumentBytes);
    if (input.signature.length > 2 * MAX_CMS_BYTES) {
      throw new CmsSignatureError(
        "cms_too_large",
        "La firma es demasiado grande: una firma desprendida ocupa unos pocos KiB (máximo 1 MiB).",
        { pointer: "/signature" },
      );
    }
    const cms = decodeBase64(input.signature, "/signature", "La firma (CMS desprendido, DER)");
    const documentSha256 = sha256Hex(pdf);
    const oficio = input.oficio.trim();
    const issuingUnit = input.issuingUnit.trim();
    const documentName = input.documentName.trim();
    const hash = requestHash({
      rfc,
      registroPatronal,
      actType: actType.id,
      oficio,
      issuingUnit,
      documentName,
      documentSha256,
      signatureSha256: sha256Hex(cms),
      replaces,
    });
    return {
      index,
      key,
      hash,
      actType,
      rfc,
      registroPatronal,
      oficio,
      issuingUnit,
      documentName,
      replaces,
      pdf,
      cms,
      documentSha256,
    };
  }

  /**
   * Deposits a chunk of acts: each with every check and answer of a deposit of its own (a
   * refusal is that act's outcome, the others go on), and the accepted ones written in one
   * transaction. Acts that share an idempotency key or a document are taken one after another,
   * in input order, each seeing the previous one committed: the second of the same key and
   * content answers the first's act, another content a 409; the same document a second time is
   * refused as already deposited — what two requests one after the other would get.
   */
  async function many(
    inputs: readonly (DepositInput | CodedError)[],
    depositor: Depositor,
    hooks: DepositHooks = {},
  ): Promise<DepositResult[]> {
    const results: DepositResult[] = new Array(inputs.length);
    let pending: Prepared[] = [];
    inputs.forEach((input, index) => {
      if (input instanceof CodedError) {
        results[index] = input;
        return;
      }
      const prepared = refusalOr(() => prepare(input, index));
      if (prepared instanceof CodedError) results[index] = prepared;
      else pending.push(prepared);
    });
    while (pending.length > 0) {
      const keys = new Set<string>();
      const documents = new Set<string>();
      const round: Prepared[] = [];
      const later: Prepared[] = [];
      for (const act of pending) {
        const waits = keys.has(act.key) || documents.has(act.documentSha256);
        (waits ? later : round).push(act);
        // A later act of the same key or document waits too, keeping the input order.
        keys.add(act.key);
        documents.add(act.documentSha256);
      }
      await depositRound(round, depositor, hooks, results);
      pending = later;
    }
    return results;
  }

  /** Acts of distinct keys and documents: replays, checks, documents stored, one transaction. */
  async function depositRound(
    acts: Prepared[],
    depositor: Depositor,
    hooks: DepositHooks,
    results: DepositResult[],
  ): Promise<void> {
    const existing = await notificacionesByKeys(
      db,
      acts.map((a) => a.key),
    );
    let live: Prepared[] = [];
    for (const act of acts) {
      const row = existing.get(act.key);
      if (!row) live.push(act);
      else results[act.index] = answerOf(row, act);
    }
    if (live.length === 0) return;

    // The signer's certificate is judged at the instant the request arrived; the deposit's own
    // legal instant is read later, once everything slow (OCSP, padrón, blob store) is behind.
    const receivedAt = now();
    const judged = new Map<string, Promise<EfirmaCertificate>>();
    const signers = (raw: Uint8Array) => {
      const id = Buffer.from(raw).toString("base64");
      let verdict = judged.get(id);
      if (!verdict) {
        verdict = acceptSigner(raw, receivedAt);
        // Awaited by every act it judges; never an unhandled rejection meanwhile.
        verdict.catch(() => {});
        judged.set(id, verdict);
      }
      return verdict;
    };
    const certificates = new Map<number, EfirmaCertificate>();
    await Promise.all(
      live.map(async (act) => {
        const verdict = await refusalOrAsync(() =>
          verifySigner(act.cms, act.documentSha256, signers),
        );
        if (verdict instanceof CodedError) results[act.index] = verdict;
        else certificates.set(act.index, verdict);
      }),
    );
    live = live.filter((a) => certificates.has(a.index));
    if (live.length === 0) return;

    const entries = await createPadronStore(db).byRfcs([...new Set(live.map((a) => a.rfc))]);
    const replacing = [...new Set(live.flatMap((a) => (a.replaces ? [a.replaces] : [])))];
    const replaced = new Map(
      replacing.length === 0
        ? []
        : (
            await db
              .selectFrom("notificaciones")
              .select(["id", "rfc"])
              .where("id", "=", sql<string>`any(${replacing}::uuid[])`)
              .execute()
          ).map((r) => [r.id, r.rfc]),
    );
    live = live.filter((act) => {
      const refusal = refusalOr(() => checkAddressee(act, entries.get(act.rfc), replaced));
      if (refusal instanceof CodedError) results[act.index] = refusal;
      return !(refusal instanceof CodedError);
    });
    if (live.length === 0) return;

    const calendar = await options.calendar();
    // Written once, never overwritten: a retry after a failed transaction stores nothing new.
    const stored = await Promise.all(live.map((act) => options.blobs.put(act.pdf)));
    const accepted: Accepted[] = live.map((act, i) => ({
      ...act,
      stored: stored[i]!,
      certificate: certificates.get(act.index)!,
      entry: entries.get(act.rfc)!,
    }));

    // The legal instant of the deposit, right before its transaction: a revocation check of up
    // to 5 s or a slow store must not date an act at 17:59:59 that was deposited after 18:00.
    const depositedAt = now();
    // Rule a (Lineamientos 7.2): the act is available, and its aviso counts, at this instant.
    const avisoAt = notificationInstant(calendar, depositedAt).instant;
    const clock = computeNotificacion(calendar, { avisoAt });
    const moment: Moment = { depositedAt, avisoAt, clock, calendarVersion: calendar.version };
    await commit(accepted, moment, depositor, hooks, results);
  }

  /**
   * The chunk's transaction, retried when PostgreSQL broke a deadlock with another writer. A
   * refusal only found inside it (a document deposited meanwhile) is its act's; any other
   * refusal of the whole transaction makes each act try alone, so it lands on its own act.
   */
  async function commit(
    acts: Accepted[],
    moment: Moment,
    depositor: Depositor,
    hooks: DepositHooks,
    results: DepositResult[],
  ): Promise<void> {
    let outcome: Map<number, DepositResult>;
    for (let attempt = 1; ; attempt++) {
      try {
        outcome = await db.transaction().execute((tx) => write(tx, acts, moment, depositor, hooks));
        break;
      } catch (error) {
        if (isRetryable(error) && attempt < 5) continue;
        if (!(error instanceof CodedError)) throw error;
        if (acts.length === 1) {
          results[acts[0]!.index] = error;
          return;
        }
        for (const act of acts) await commit([act], moment, depositor, hooks, results);
        return;
      }
    }
    for (const act of acts) {
      const done = outcome.get(act.index);
      if (done) {
        results[act.index] = done;
        continue;
      }
      // The same key deposited at the same time by another request: its answer, or a 409.
      const raced = await notificacionByKey(db, act.key);
      if (!raced) throw internalError(`acto de la clave ${act.key} ni escrito ni hallado`);
      results[act.index] = answerOf(raced, act);
    }
  }

  /**
   * In one transaction: each mailbox locked (a 2020 one enabled first, 5.4), each document
   * locked against a second live act, and the acts, their blobs, `depositada` events and
   * avisos (held by the outbox until the aviso's instant) written by multi-row INSERTs. Answers
   * each act's outcome; an act missing from it lost its key to a concurrent request.
   */
  async function write(
    tx: Db,
    acts: Accepted[],
    moment: Moment,
    depositor: Depositor,
    hooks: DepositHooks,
  ): Promise<Map<number, DepositResult>> {
    const outcome = new Map<number, DepositResult>();
    if (hooks.authority) {
      // First, before any lock of this transaction: who deposits may still deposit.
      const refusal = await refusalOrAsync(() => hooks.authority!(tx));
      if (refusal instanceof CodedError) {
        for (const act of acts) outcome.set(act.index, refusal);
        return outcome;
      }
    }
    const { depositedAt, avisoAt, clock } = moment;
    const rfcs = [...new Set(acts.map((a) => a.rfc))];
    // Under the mailboxes' locks (taken in RFC order): their state and means cannot change
    // until this commits.
    const mailboxes = await lockMailboxes(tx, rfcs);
    const of2020 = rfcs.filter((rfc) => acts.find((a) => a.rfc === rfc)!.entry.habilitacion2020);
    for (const rfc of of2020) {
      // A 2020 mailbox (5.4) is enabled whether or not its job projected it yet.
      const entry = acts.find((a) => a.rfc === rfc)!.entry;
      await recordHabilitacion2020(
        tx,
        rfc,
        { enabledAt: entry.habilitacion2020!.at, emailOnFile: entry.emailOnFile },
        depositedAt,
        () => options.currentTermsVersion(tx),
      );
    }
    for (const [rfc, mailbox] of await loadMailboxes(tx, of2020)) mailboxes.set(rfc, mailbox);

    // The signature covers only the PDF: the same signed document must not become a second act
    // (with another key, to the same or another RFC) while the first is live. A cancelled act's
    // document may be deposited again. Serialized per document by transaction-scoped locks,
    // taken in one order.
    const documents = [...new Set(acts.map((a) => a.stored.sha256))].sort();
    await sql`select pg_advisory_xact_lock(hashtext('notificacion-documento:' || d))
                from unnest(${documents}::text[]) as d`.execute(tx);
    const liveActs = await liveActsOf(tx, documents);
    const writing = acts.filter((act) => {
      const live = liveActs.get(act.stored.sha256);
      if (live === undefined) return true;
      // Its own key, written by a concurrent request meanwhile: answered after the commit.
      if (live.idempotencyKey === act.key) return false;
      outcome.set(
        act.index,
        new ActError(
          "document_already_deposited",
          `Este documento firmado ya está depositado como el acto ${live.id}: un documento se notifica una sola vez. Si hay que corregirlo, cancela ese acto y deposita el documento corregido indicando el acto que sustituye.`,
          { pointer: "/document", internal: `documento ya depositado en ${live.id}` },
        ),
      );
      return false;
    });
    if (writing.length === 0) return outcome;

    const enabled = rfcs.filter((rfc) => mailboxes.get(rfc)!.state === "habilitado");
    const meansOf = await validatedMeansOfMany(tx, enabled);
    const rows: NotificacionRow[] = [];
    const estrados = new Map<number, string | null>();
    const messages = new Map<string, OutboxMessage[]>();
    const avisoDate = new Date(avisoAt.epochMilliseconds);
    for (const act of writing) {
      const mailbox = mailboxes.get(act.rfc)!;
      const scopes = act.registroPatronal ? [RFC_SCOPE, act.registroPatronal] : [RFC_SCOPE];
      const means =
        mailbox.state === "habilitado"
          ? dedupe((meansOf.get(act.rfc) ?? []).filter((m) => scopes.includes(m.scope)))
          : [];
      // Lineamientos 7.8: not enabled, or no means to send the aviso to → estrados.
      const estradosReason =
        mailbox.state !== "habilitado"
          ? "buzon_no_habilitado"
          : means.length === 0
            ? "sin_medios_validados"
            : null;
      const id = randomUUID();
      estrados.set(act.index, estradosReason);
      rows.push({
        id,
        idempotency_key: act.key,
        request_sha256: act.hash,
        rfc: act.rfc,
        registro_patronal: act.registroPatronal,
        act_type: act.actType.id,
        oficio: act.oficio,
        issuing_unit: act.issuingUnit,
        document_name: act.documentName,
        document_sha256: act.stored.sha256,
        document_bytes: act.stored.bytes,
        signature: act.cms,
        signer_rfc: act.certificate.rfc,
        signer_certificate_number: act.certificate.certificateNumber,
        deposited_by: depositor.rfc,
        deposited_at: new Date(depositedAt.epochMilliseconds),
        aviso_at: avisoDate,
        estrados: estradosReason !== null,
        calendar_version: moment.calendarVersion,
        rules_version: RULES_VERSION,
        replaces_id: act.replaces,
      });
      if (means.length > 0) {
        const destinatario = act.registroPatronal
          ? `el registro patronal ${act.registroPatronal} del RFC ${act.rfc}`
          : `el RFC ${act.rfc}`;
        const openBy = Temporal.PlainDate.from(clock.openBy);
        const data = {
          destinatario,
          acto: act.actType.name,
          oficio: act.oficio,
          unidad: act.issuingUnit,
          disponible: spanishInstant(avisoAt),
          abrirHasta: spanishDate(openBy),
          abrirHastaCorto: shortDate(openBy),
          notificadaEl: spanishInstant(Temporal.Instant.from(clock.deemedNotifiedAt)),
          enlace: `${options.publicUrl.replace(/\/$/, "")}${notificacionPath(id)}`,
        };
        messages.set(
          id,
          means.map((m) => ({
            key: `notificacion:${id}:aviso:${m.id}`,
            channel: m.kind === "correo" ? "correo" : "sms",
            to: m.value,
            template: AVISO_TEMPLATE,
            data,
            rfc: act.rfc,
            notBefore: avisoDate,
          })),
        );
      }
    }
    // A key another request wrote meanwhile is skipped here and answered after the commit.
    const inserted = await insertNotificaciones(tx, rows);
    const written = rows.filter((row) => inserted.has(row.id));
    const byKey = new Map(writing.map((a) => [a.key, a]));
    await recordBlobs(
      tx,
      written.map((row) => ({
        sha256: row.document_sha256,
        bytes: row.document_bytes,
        mediaType: "application/pdf",
        at: depositedAt,
      })),
    );
    await appendNotificacionEvents(
      tx,
      written.map((row) => {
        const estradosReason = estrados.get(byKey.get(row.idempotency_key)!.index) ?? null;
        return {
          notificacionId: row.id,
          type: "depositada" as const,
          at: depositedAt,
          recordedAt: depositedAt,
          actorRfc: depositor.rfc,
          data: {
            avisoAt: formatInstant(avisoAt),
            estrados: estradosReason !== null,
            ...(estradosReason ? { estradosReason } : {}),
            calendarVersion: moment.calendarVersion,
            via: depositor.via,
          },
        };
      }),
    );
    await enqueueMany(
      tx,
      written.flatMap((row) => messages.get(row.id) ?? []),
      depositedAt,
    );
    for (const row of written) {
      await hooks.record?.(tx, row);
      outcome.set(byKey.get(row.idempotency_key)!.index, { row, created: true });
    }
    return outcome;
  }

  /** The addressee in the padrón, the registro patronal its own, the replaced act its own. */
  function checkAddressee(
    act: Prepared,
    entry: PadronEntry | undefined,
    replaced: Map<string, string>,
  ): void {
    const { rfc, registroPatronal, replaces } = act;
    if (!entry) {
      throw new ActError(
        "addressee_not_in_padron",
        `El RFC ${rfc} no está en el padrón del Instituto: no se le pueden notificar actos por el Buzón IMSS.`,
        { pointer: "/rfc" },
      );
    }
    if (registroPatronal !== null && !entry.registrosPatronales.includes(registroPatronal)) {
      throw new ActError(
        "registro_patronal_not_of_addressee",
        `El registro patronal ${registroPatronal} no pertenece al RFC ${rfc} según el padrón.`,
        { pointer: "/registroPatronal" },
      );
    }
    if (replaces !== null && replaced.get(replaces) !== rfc) {
      const detail = `No hay un acto ${replaces} dirigido al RFC ${rfc} que este sustituya.`;
      throw new AppError("validation", detail, { errors: [{ pointer: "/replaces", detail }] });
    }
  }

  /** An existing act of the key: the same content answers it again; other content is a 409. */
  function answerOf(row: NotificacionRow, act: Prepared): DepositResult {
    return row.request_sha256 === act.hash ? { row, created: false } : idempotencyConflict(act.key);
  }

  return {
    /** One act: a chunk of one, its refusal thrown. */
    async one(input: DepositInput, depositor: Depositor, hooks?: DepositHooks): Promise<Deposited> {
      const [result] = await many([input], depositor, hooks);
      if (result instanceof CodedError) throw result;
      return result!;
    },
    many,
  };
}

/** What a deposit answers for one act of a chunk: the act, or its refusal. */
export type DepositResult = Deposited | CodedError;

/** A request in its checked form. */
interface Prepared {
  index: number;
  key: string;
  /** SHA-256 of the request's canonical form (requestHash). */
  hash: string;
  actType: ActType;
  rfc: string;
  registroPatronal: string | null;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  replaces: string | null;
  pdf: Buffer;
  cms: Buffer;
  documentSha256: string;
}

/** An act past every check before the transaction. */
interface Accepted extends Prepared {
  stored: { sha256: string; bytes: number };
  certificate: EfirmaCertificate;
  entry: PadronEntry;
}

/** The chunk's legal instants: one deposit instant, hence one aviso instant and one clock. */
interface Moment {
  depositedAt: Temporal.Instant;
  avisoAt: Temporal.Instant;
  clock: ReturnType<typeof computeNotificacion>;
  calendarVersion: string;
}

/** A refusal (a coded error) as a value; anything else is a bug and is thrown. */
function refusalOr<T>(run: () => T): T | CodedError {
  try {
    return run();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
}

async function refusalOrAsync<T>(run: () => Promise<T>): Promise<T | CodedError> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
}

/** A deadlock PostgreSQL broke, or a serialization failure: the transaction may run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

/** One aviso per address, even when it is a means of both the RFC and the registro. */
function dedupe(means: AvisoMeans[]): AvisoMeans[] {
  const seen = new Set<string>();
  return means.filter((m) => {
    const key = `${m.kind}|${m.value.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type Deposit = ReturnType<typeof createDeposit>;
