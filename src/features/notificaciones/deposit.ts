import { Buffer } from "node:buffer";
import { createHash, randomUUID, type X509Certificate } from "node:crypto";
import { sql } from "kysely";
import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { type EfirmaCertificate, readCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { checkCertificate } from "../../domain/efirma/verify.ts";
import { AppError } from "../../domain/errors.ts";
import { parseRegistroPatronal } from "../../domain/identifiers/registro-patronal.ts";
import { parseRfc } from "../../domain/identifiers/rfc.ts";
import { RFC_SCOPE } from "../../domain/mailbox/projection.ts";
import type { ActCatalogue } from "../../domain/notificaciones/catalogo.ts";
import { ActError } from "../../domain/notificaciones/errors.ts";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { spanishDate, spanishInstant } from "../../domain/time/zona-centro.ts";
import { recordBlob } from "../../platform/blobs/blob-records.ts";
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
import { lockMailbox } from "../mailbox/store.ts";
import { createPadronStore } from "../padron/store.ts";
import {
  type AvisoMeans,
  appendNotificacionEvent,
  insertNotificacion,
  type NotificacionRow,
  notificacionById,
  notificacionByKey,
  validatedMeansOf,
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

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "23505";
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

  async function verifySigner(
    cms: Buffer,
    documentSha256: string,
    at: Temporal.Instant,
  ): Promise<{ certificate: EfirmaCertificate; verification: DetachedCmsVerification }> {
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
    let certificate: EfirmaCertificate;
    let issuer: X509Certificate;
    try {
      certificate = readCertificate(verification.certificate.raw);
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
    return { certificate, verification };
  }

  /** The existing act of this key: the same content answers it again; other content is a 409. */
  async function replay(key: string, hash: string): Promise<Deposited | undefined> {
    const existing = await notificacionByKey(db, key);
    if (!existing) return undefined;
    if (existing.request_sha256 !== hash) throw idempotencyConflict(key);
    return { row: existing, created: false };
  }

  /**
   * The signature covers only the PDF: the same signed document must not become a second act
   * (with another key, to the same or another RFC) while the first is live. A cancelled act's
   * document may be deposited again. Serialized per document by a transaction-scoped lock.
   */
  async function refuseLiveDuplicate(tx: Db, documentSha256: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`notificacion-documento:${documentSha256}`}))`.execute(
      tx,
    );
    const live = await tx
      .selectFrom("notificaciones as n")
      .select("n.id")
      .where("n.document_sha256", "=", documentSha256)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("notificacion_events as e")
              .select("e.id")
              .whereRef("e.notificacion_id", "=", "n.id")
              .where("e.type", "=", "cancelada"),
          ),
        ),
      )
      .orderBy("n.deposited_at")
      .executeTakeFirst();
    if (live) {
      throw new ActError(
        "document_already_deposited",
        `Este documento firmado ya está depositado como el acto ${live.id}: un documento se notifica una sola vez. Si hay que corregirlo, cancela ese acto y deposita el documento corregido indicando el acto que sustituye.`,
        { pointer: "/document", internal: `documento ya depositado en ${live.id}` },
      );
    }
  }

  return async function deposit(
    input: DepositInput,
    depositor: Depositor,
    hooks: DepositHooks = {},
  ): Promise<Deposited> {
    const key = input.idempotencyKey.trim();
    const actType = catalogue.require(input.actType.trim());
    // The padrón decides who exists: it holds RFCs the SAT issued that fail their own check
    // character (AAA010101AAA, LME060822IH5), so a mismatch alone refuses nothing here.
    const rfc = parseRfc(input.rfc, { context: "certificate", pointer: "/rfc" }).value;
    const registroPatronal =
      input.registroPatronal === undefined || input.registroPatronal.trim() === ""
        ? null
        : parseRegistroPatronal(input.registroPatronal, { pointer: "/registroPatronal" }).value;
    // minLength counts blanks, and they are trimmed away below: an act needs real text here.
    const blank = (
      [
        ["oficio", input.oficio, "El número de oficio"],
        ["issuingUnit", input.issuingUnit, "La unidad emisora"],
        ["documentName", input.documentName, "El nombre del documento"],
      ] as const
    ).filter(([, value]) => value.trim() === "");
    if (blank.length > 0) {
      const errors = blank.map(([field, , label]) => ({
        pointer: `/${field}`,
        detail: `${label} no puede estar vacío ni ser solo espacios.`,
      }));
      throw new AppError("validation", errors.map((e) => e.detail).join(" "), { errors });
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
    const hash = requestHash({
      rfc,
      registroPatronal,
      actType: actType.id,
      oficio: input.oficio.trim(),
      issuingUnit: input.issuingUnit.trim(),
      documentName: input.documentName.trim(),
      documentSha256,
      signatureSha256: sha256Hex(cms),
      replaces,
    });
    const earlier = await replay(key, hash);
    if (earlier) return earlier;

    // The signer's certificate is judged at the instant the request arrived; the deposit's own
    // legal instant is read later, once everything slow (OCSP, padrón, blob store) is behind.
    const receivedAt = now();
    const { certificate } = await verifySigner(cms, documentSha256, receivedAt);

    const padron = createPadronStore(db);
    const entry = await padron.byRfc(rfc);
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
    if (replaces !== null) {
      const replaced = await notificacionById(db, replaces);
      if (!replaced || replaced.rfc !== rfc) {
        const detail = `No hay un acto ${replaces} dirigido al RFC ${rfc} que este sustituya.`;
        throw new AppError("validation", detail, { errors: [{ pointer: "/replaces", detail }] });
      }
    }

    const calendar = await options.calendar();
    // Written once, never overwritten: a retry after a failed transaction stores nothing new.
    const stored = await options.blobs.put(pdf);

    // The legal instant of the deposit, right before its transaction: a revocation check of up
    // to 5 s or a slow store must not date an act at 17:59:59 that was deposited after 18:00.
    const depositedAt = now();
    // Rule a (Lineamientos 7.2): the act is available, and its aviso counts, at this instant.
    const avisoAt = notificationInstant(calendar, depositedAt).instant;
    const clock = computeNotificacion(calendar, { avisoAt });
    const id = randomUUID();
    const avisoDate = new Date(avisoAt.epochMilliseconds);
    try {
      const row = await db.transaction().execute(async (tx) => {
        // A 2020 mailbox (5.4) is enabled whether or not its job projected it yet.
        if (entry.habilitacion2020) {
          await recordHabilitacion2020(
            tx,
            rfc,
            { enabledAt: entry.habilitacion2020.at, emailOnFile: entry.emailOnFile },
            depositedAt,
            () => options.currentTermsVersion(tx),
          );
        }
        await refuseLiveDuplicate(tx, stored.sha256);
        // Under the mailbox's lock: its state and means cannot change until this commits.
        const mailbox = await lockMailbox(tx, rfc);
        const scopes = registroPatronal ? [RFC_SCOPE, registroPatronal] : [RFC_SCOPE];
        const means =
          mailbox.state === "habilitado" ? dedupe(await validatedMeansOf(tx, rfc, scopes)) : [];
        // Lineamientos 7.8: not enabled, or no means to send the aviso to → estrados.
        const estradosReason =
          mailbox.state !== "habilitado"
            ? "buzon_no_habilitado"
            : means.length === 0
              ? "sin_medios_validados"
              : null;
        const row: NotificacionRow = {
          id,
          idempotency_key: key,
          request_sha256: hash,
          rfc,
          registro_patronal: registroPatronal,
          act_type: actType.id,
          oficio: input.oficio.trim(),
          issuing_unit: input.issuingUnit.trim(),
          document_name: input.documentName.trim(),
          document_sha256: stored.sha256,
          document_bytes: stored.bytes,
          signature: cms,
          signer_rfc: certificate.rfc,
          signer_certificate_number: certificate.certificateNumber,
          deposited_by: depositor.rfc,
          deposited_at: new Date(depositedAt.epochMilliseconds),
          aviso_at: avisoDate,
          estrados: estradosReason !== null,
          calendar_version: calendar.version,
          rules_version: RULES_VERSION,
          replaces_id: replaces,
        };
        await insertNotificacion(tx, row);
        await recordBlob(tx, {
          sha256: stored.sha256,
          bytes: stored.bytes,
          mediaType: "application/pdf",
          at: depositedAt,
        });
        await appendNotificacionEvent(tx, {
          notificacionId: id,
          type: "depositada",
          at: depositedAt,
          recordedAt: depositedAt,
          actorRfc: depositor.rfc,
          data: {
            avisoAt: avisoAt.toString(),
            estrados: estradosReason !== null,
            ...(estradosReason ? { estradosReason } : {}),
            calendarVersion: calendar.version,
            via: depositor.via,
          },
        });
        if (means.length > 0) {
          const destinatario = registroPatronal
            ? `el registro patronal ${registroPatronal} del RFC ${rfc}`
            : `el RFC ${rfc}`;
          const openBy = Temporal.PlainDate.from(clock.openBy);
          const data = {
            destinatario,
            acto: actType.name,
            oficio: row.oficio,
            unidad: row.issuing_unit,
            disponible: spanishInstant(avisoAt),
            abrirHasta: spanishDate(openBy),
            abrirHastaCorto: shortDate(openBy),
            notificadaEl: spanishInstant(Temporal.Instant.from(clock.deemedNotifiedAt)),
            enlace: `${options.publicUrl.replace(/\/$/, "")}${notificacionPath(id)}`,
          };
          const messages: OutboxMessage[] = means.map((m) => ({
            key: `notificacion:${id}:aviso:${m.id}`,
            channel: m.kind === "correo" ? "correo" : "sms",
            to: m.value,
            template: AVISO_TEMPLATE,
            data,
            rfc,
            notBefore: avisoDate,
          }));
          await enqueueMany(tx, messages);
        }
        await hooks.record?.(tx, row);
        return row;
      });
      return { row, created: true };
    } catch (error) {
      // The same key deposited at the same time by another request: its answer, or a 409.
      if (isUniqueViolation(error)) {
        const raced = await replay(key, hash);
        if (raced) return raced;
      }
      throw error;
    }
  };
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
