import { Buffer } from "node:buffer";
import { randomBytes, randomUUID, type X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { AppError } from "../../domain/errors.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { checkHabilitacion, habilitacionOf } from "../../domain/mailbox/projection.ts";
import type { PromocionResult } from "../../domain/plazos/promocion.ts";
import { answerOf } from "../../domain/promociones/atencion.ts";
import {
  type AttachmentKind,
  checkAttachmentKind,
  createKindSniffer,
  mediaTypeOf,
  type PromocionCatalogue,
  type PromocionType,
  parsePromocionCatalogue,
} from "../../domain/promociones/catalogo.ts";
import { type AttachmentInput, checkPromocionContent } from "../../domain/promociones/content.ts";
import { PromocionError } from "../../domain/promociones/errors.ts";
import { type PromocionEventType, projectPromocion } from "../../domain/promociones/lifecycle.ts";
import { type ManifestAttachment, manifestText } from "../../domain/promociones/manifest.ts";
import { type AnsweredTerm, respuestaTermOf } from "../../domain/promociones/respuesta.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import { recordBlob } from "../../platform/blobs/blob-records.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { Db } from "../../platform/db/schema.ts";
import { estradosActoPath, notificacionPath, PAGE_PATHS } from "../../platform/http/page-paths.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { checkSignIn } from "../auth/sign-in-check.ts";
import type { EstradosPlace } from "../estrados/schemas.ts";
import type { EvidenceService } from "../evidence/service.ts";
import { loadMailbox, lockMailbox } from "../mailbox/store.ts";
import { MANIFEST_NAME, MANIFEST_SIGNATURE_NAME } from "./schemas.ts";
import {
  type BorradorRow,
  createPromocionStore,
  type Keyset,
  type PromocionEventRow,
  type PromocionRow,
} from "./store.ts";

export type { AttachmentInput };

/** The catalogue shipped with the code. */
export const PROMOCION_CATALOGUE_FILE = "catalogos/promociones.json";

/** Reads and validates the catalogue (a start-up refusal when it is not valid). */
export async function loadPromocionCatalogue(
  path = join(PACKAGE_ROOT, PROMOCION_CATALOGUE_FILE),
): Promise<PromocionCatalogue> {
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  return parsePromocionCatalogue(JSON.parse(text));
}

/** How long a signing challenge lasts: long enough to upload the anexos. */
export const PROMOCION_CHALLENGE_SECONDS = 15 * 60;
/** The escrito's name in the acuse (the manifest's and its signature's: schemas.ts). */
export const ESCRITO_NAME = "escrito.txt";
/** Drafts one RFC may keep at once. */
export const MAX_BORRADORES = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type SigningSession = Pick<
  AuthenticatedSession,
  "id" | "rfc" | "representativeRfc" | "certificateNumber"
>;

/** What the notification a respuesta a requerimiento names says of its term (AnsweredTerm). */
export interface AnsweredAct extends AnsweredTerm {
  rfc: string;
  /** Visible to its addressee (its aviso counts): otherwise it is treated as not existing. */
  visible: boolean;
}

export interface PromocionServiceOptions {
  db: Db;
  clock: Clock;
  catalogue: PromocionCatalogue;
  blobs: BlobStore;
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  evidence: Pick<EvidenceService, "issueAcuse" | "acuseByFolio">;
  /** `buzon plazos promocion --enviada <sentAt>`: the receipt instant (rule f). */
  promocionReceipt: (sentAt: Temporal.Instant) => Promise<PromocionResult>;
  /** The IMSS calendar in force: the answer's term is counted on it. */
  calendar: () => Promise<BusinessCalendar>;
  /** The act with this id, whoever it is addressed to; undefined when none. */
  act: (id: string) => Promise<AnsweredAct | undefined>;
  /** Where the act `id` stands on the estrados; undefined when it did not go there. */
  estradosOf: (id: string) => Promise<EstradosPlace | undefined>;
}

export interface ChallengeInput {
  type: string;
  subject: string;
  text: string;
  notificacionId?: string | undefined;
  attachments: AttachmentInput[];
}

/** One part of the multipart request, as the route hands it over (in order). */
export type UploadPart =
  | { kind: "field"; name: string; value: string }
  | { kind: "file"; name: string; filename: string; stream: AsyncIterable<Buffer> };

export interface Filed {
  id: string;
  receivedAt: string;
  acuse: { folio: string; codigo: string };
  respuesta: Respuesta | null;
}

export interface Respuesta {
  notificacionId: string;
  plazoDiasHabiles: number | null;
  venceEl: string | null;
  enTiempo: boolean | null;
}

const toDate = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);
const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

function invalid(detail: string, pointer: string): PromocionError {
  return new PromocionError("promocion_invalid", detail, { pointer });
}

function notFoundAct(pointer = "/notificacionId"): AppError {
  const detail = "No encontramos esa notificación en tu Buzón IMSS.";
  return new AppError("not_found", detail, { errors: [{ pointer, detail }] });
}

function notFound(): AppError {
  return new AppError("not_found", "No encontramos esa promoción en tu Buzón IMSS.");
}

/** Opaque keyset cursor: the last row's instant and id. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined, pointer: string): Keyset | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = at ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id || !UUID.test(id)) {
    throw new AppError(
      "invalid_cursor",
      "El cursor de paginación no es válido: usa el que devolvió la página anterior.",
      { errors: [{ pointer, detail: "Cursor inválido." }] },
    );
  }
  return { at: date, id };
}

function decodeBase64(text: string, pointer: string, what: string): Buffer {
  const clean = text.replace(/\s+/g, "");
  if (clean.length === 0 || clean.length % 4 === 1 || !BASE64.test(clean)) {
    const detail = `${what} debe ir codificado en base64.`;
    throw new AppError("validation", detail, { errors: [{ pointer, detail }] });
  }
  return Buffer.from(clean, "base64");
}

/**
 * `firma-promocion.p7s`: the e.firma's signature over the manifest as a detached CMS. The acuse
 * seals these bytes' SHA-256 and the detail serves the same bytes, so both come from here.
 */
function signatureFileOf(certificate: Uint8Array, signature: Uint8Array): Buffer {
  return Buffer.from(detachedCmsOf(certificate, signature));
}

/**
 * Raised inside the filing's transaction when another submission spent the challenge first
 * (its promoción is committed by the time the refusal arrives: issuance-queue.ts).
 */
class AlreadyFiled extends Error {}

/**
 * Promociones electrónicas, the particular's side (issue 12 §1; Lineamientos 6.1–6.5): the
 * signing challenge over a canonical manifest (src/domain/promociones/manifest.ts), the filing
 * (the e.firma's signature, the anexos streamed and checked against the hashes signed, the
 * acuse `promocion` with the receipt instant of rule f, the promoción and its `recibida` event
 * in one transaction), «Mis promociones» and the drafts.
 */
export function createPromocionService(options: PromocionServiceOptions) {
  const { db, catalogue, blobs } = options;
  const store = createPromocionStore(db);
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });

  /** The act a respuesta names, if it is this RFC's and visible; the same 404 otherwise. */
  async function ownAct(rfc: string, id: string): Promise<AnsweredAct> {
    if (!UUID.test(id)) throw notFoundAct();
    const act = await options.act(id.toLowerCase());
    if (!act || act.rfc !== rfc || !act.visible) throw notFoundAct();
    return act;
  }

  /** The act's answer term on the IMSS calendar, and whether `receivedAt` is within it. */
  async function respuestaOf(
    act: AnsweredAct,
    notificacionId: string,
    receivedAt: Temporal.Instant,
  ): Promise<Respuesta> {
    return { notificacionId, ...respuestaTermOf(await options.calendar(), act, receivedAt) };
  }

  /** The 201 of a filing, from its row (also the answer to the same challenge sent again). */
  async function filedOf(row: PromocionRow): Promise<Filed> {
    const acuse = await options.evidence.acuseByFolio(row.acuse_folio);
    if (!acuse) throw new AppError("internal", "El acuse de la promoción no está disponible.");
    return {
      id: row.id,
      receivedAt: formatInstant(instantOf(row.received_at)),
      acuse: { folio: acuse.folio, codigo: verificationCodeOf(acuse.seal) },
      respuesta: respuestaRow(row),
    };
  }

  function respuestaRow(row: PromocionRow): Respuesta | null {
    if (!row.notificacion_id) return null;
    return {
      notificacionId: row.notificacion_id,
      plazoDiasHabiles: row.answer_term_days,
      venceEl: row.answer_due_on,
      enTiempo: row.answered_in_time,
    };
  }

  const refused = (error: unknown): unknown => {
    if (!(error instanceof EfirmaError) || error.code === "revocation_unavailable") return error;
    if (error.code === "rfc_mismatch") return signerMismatch(error);
    return new PromocionError("promocion_signature_refused", error.detail, {
      pointer: error.code === "signature_invalid" ? "/signature" : "/certificate",
      internal: `firma de promoción rechazada: ${error.code}`,
      cause: error,
    });
  };

  const signerMismatch = (cause?: unknown) =>
    new PromocionError(
      "promocion_signer_mismatch",
      "Firma con la misma e.firma con la que iniciaste sesión: el certificado que usaste es otro.",
      { pointer: "/certificate", cause },
    );

  const challengeInvalid = () =>
    new PromocionError(
      "promocion_challenge_invalid",
      "El desafío de firma no es válido o venció. Vuelve a preparar la promoción y fírmala de nuevo.",
      { pointer: "/challengeId" },
    );

  function stateOf(events: readonly PromocionEventRow[]) {
    return projectPromocion(events.map((e) => ({ type: e.type as PromocionEventType })));
  }

  /**
   * Stores one anexo as it streams, never holding it whole: size counted and refused as soon as
   * it passes the size signed (the type's limit was checked against it at the challenge), the
   * SHA-256 computed once by the blob store while it writes, the kind read from the first and
   * last KiB; the hash signed and the kind are checked before the blob gets its name, so a
   * refused anexo leaves nothing in the store.
   */
  async function storeAttachment(
    type: PromocionType,
    expected: ManifestAttachment,
    index: number,
    stream: AsyncIterable<Buffer>,
  ): Promise<{ kind: AttachmentKind; mediaType: string }> {
    const pointer = `/files/${index}`;
    const sniffer = createKindSniffer();
    async function* bounded(): AsyncGenerator<Buffer> {
      let size = 0;
      for await (const chunk of stream) {
        size += chunk.byteLength;
        if (size > expected.size) {
          throw new PromocionError(
            "attachment_mismatch",
            `«${expected.name}» mide más de los ${expected.size.toLocaleString("es-MX")} bytes que firmaste: no es el archivo firmado.`,
            { pointer },
          );
        }
        sniffer.update(chunk);
        yield chunk;
      }
    }
    let kind: AttachmentKind | undefined;
    // Bytes first, outside the transaction (blob-records.ts): an orphan is harmless.
    await blobs.putStream(bounded(), ({ sha256, bytes }) => {
      if (bytes !== expected.size || sha256 !== expected.sha256) {
        throw new PromocionError(
          "attachment_mismatch",
          `«${expected.name}» no es el archivo que firmaste: su huella SHA-256 o su tamaño es otro. Vuelve a adjuntarlo y firma de nuevo.`,
          { pointer },
        );
      }
      kind = checkAttachmentKind(type, expected.name, sniffer, pointer);
    });
    if (!kind) throw new AppError("internal", "El anexo se guardó sin revisar su tipo.");
    return { kind, mediaType: mediaTypeOf(kind, sniffer.head) };
  }

  return {
    catalogue: () => catalogue,

    /**
     * The manifest to sign and its single-use challenge, bound to this session: checks the type,
     * the content and, for a respuesta, that the notification is this RFC's.
     */
    async challenge(session: SigningSession, input: ChallengeInput) {
      const type = catalogue.require(input.type);
      const notificacionId = input.notificacionId?.toLowerCase() ?? null;
      const content = checkPromocionContent(type, { ...input, notificacionId }, input.attachments);
      if (notificacionId !== null) await ownAct(session.rfc, notificacionId);
      const createdAt = now();
      const id = randomUUID();
      const nonce = randomBytes(24).toString("base64url");
      const textBytes = Buffer.from(content.text, "utf8");
      const toSign = manifestText({
        rfc: session.rfc,
        type: { id: type.id, name: type.name },
        subject: content.subject,
        textSha256: sha256Hex(textBytes),
        textBytes: textBytes.byteLength,
        notificacionId,
        attachments: content.attachments,
        at: createdAt,
        challengeId: id,
        nonce,
      });
      const expiresAt = createdAt.add({ seconds: PROMOCION_CHALLENGE_SECONDS });
      await store.insertChallenge({
        id,
        session_id: session.id,
        rfc: session.rfc,
        type: type.id,
        subject: content.subject,
        text: content.text,
        notificacion_id: notificacionId,
        attachments: JSON.stringify(content.attachments),
        nonce,
        to_sign: toSign,
        created_at: toDate(createdAt),
        expires_at: toDate(expiresAt),
        used_at: null,
      });
      // Challenges are worthless a day after they expire: a filed one's repeat is answered from
      // its promoción (byChallenge), which never goes.
      await store.deleteExpiredChallenges(toDate(createdAt.subtract({ hours: 24 })));
      return { challengeId: id, toSign, expiresAt: formatInstant(expiresAt) };
    },

    /**
     * Files the promoción from the multipart parts, in order: the fields (challengeId,
     * certificate, signature) first, then one `files` part per anexo in the signed order. The
     * same challenge sent again answers the first filing (nothing is filed twice).
     */
    async file(session: SigningSession, parts: AsyncIterable<UploadPart>): Promise<Filed> {
      const sentAt = now();
      const iterator = parts[Symbol.asyncIterator]();
      const fields = new Map<string, string>();
      let first: IteratorResult<UploadPart> = await iterator.next();
      for (; !first.done && first.value.kind === "field"; first = await iterator.next()) {
        const { name, value } = first.value;
        if (!["challengeId", "certificate", "signature"].includes(name) || fields.has(name)) {
          throw new AppError("validation", `El campo «${name.slice(0, 40)}» no se esperaba.`, {
            errors: [{ pointer: `/${name.slice(0, 40)}`, detail: "Campo inesperado o repetido." }],
          });
        }
        fields.set(name, value);
      }
      for (const name of ["challengeId", "certificate", "signature"]) {
        if (!fields.has(name)) {
          const detail = `Falta el campo «${name}» (los campos van antes de los archivos).`;
          throw new AppError("validation", detail, { errors: [{ pointer: `/${name}`, detail }] });
        }
      }
      const challengeId = (fields.get("challengeId") ?? "").toLowerCase();
      if (!UUID.test(challengeId)) throw challengeInvalid();
      // A challenge already filed answers its promoción for good, to any session of its RFC:
      // the challenge may have been purged and the session ended since (a browser retrying a
      // filing whose answer it lost, days later).
      const filed = await store.byChallenge(challengeId);
      if (filed && filed.rfc === session.rfc) {
        await drain(first, iterator);
        return filedOf(filed);
      }
      const challenge = filed ? undefined : await store.challenge(challengeId, session.id);
      if (!challenge) throw challengeInvalid();
      if (challenge.used_at !== null) {
        // Spent by a filing that committed after the look-up above.
        const earlier = await store.byChallenge(challenge.id);
        if (!earlier) throw challengeInvalid();
        await drain(first, iterator);
        return filedOf(earlier);
      }
      if (challenge.expires_at.getTime() < sentAt.epochMilliseconds) throw challengeInvalid();

      const certificateDer = decodeBase64(
        fields.get("certificate") ?? "",
        "/certificate",
        "El certificado",
      );
      const signature = fields.get("signature") ?? "";
      decodeBase64(signature, "/signature", "La firma");
      const checked = checkSignIn({
        certificateDer,
        challengeRfc: session.rfc,
        text: challenge.to_sign,
        signature,
        at: options.clock(),
        anchors: options.anchors,
      });
      if (!checked.ok) throw refused(checked.error);
      if (checked.certificate.certificateNumber !== session.certificateNumber)
        throw signerMismatch();
      try {
        await options.revocation.check(checked.certificate, checked.issuer);
      } catch (error) {
        throw refused(error);
      }

      const type = catalogue.require(challenge.type);
      const expected = challenge.attachments as ManifestAttachment[];
      const received: {
        expected: ManifestAttachment;
        sha256: string;
        kind: AttachmentKind;
        mediaType: string;
      }[] = [];
      for (let part = first; !part.done; part = await iterator.next()) {
        const value = part.value;
        if (value.kind !== "file" || value.name !== "files") {
          const detail = "Después de los campos solo van partes «files», una por anexo.";
          throw new AppError("validation", detail, {
            errors: [{ pointer: `/${value.name.slice(0, 40)}`, detail }],
          });
        }
        const index = received.length;
        const want = expected[index];
        if (!want) {
          throw new PromocionError(
            "attachment_count",
            `Enviaste más archivos que los ${expected.length} anexos que firmaste.`,
            { pointer: `/files/${index}` },
          );
        }
        const { kind, mediaType } = await storeAttachment(type, want, index, value.stream);
        received.push({ expected: want, sha256: want.sha256, kind, mediaType });
      }
      if (received.length !== expected.length) {
        throw new PromocionError(
          "attachment_count",
          `Firmaste ${expected.length} anexos y llegaron ${received.length}: envía cada anexo firmado, en el mismo orden.`,
          { pointer: "/files" },
        );
      }

      const receipt = await options.promocionReceipt(sentAt);
      const receivedAt = Temporal.Instant.from(receipt.receivedAt);
      const act = challenge.notificacion_id
        ? await ownAct(session.rfc, challenge.notificacion_id)
        : undefined;
      const respuesta =
        act && challenge.notificacion_id
          ? await respuestaOf(act, challenge.notificacion_id, receivedAt)
          : null;
      const textBytes = Buffer.from(challenge.text, "utf8");
      const p7s = signatureFileOf(certificateDer, Buffer.from(signature, "base64"));
      const signerRfc = session.representativeRfc ?? session.rfc;
      const mailbox = await loadMailbox(db, session.rfc);
      const id = randomUUID();
      try {
        const issued = await options.evidence.issueAcuse(
          {
            kind: "promocion",
            parties: {
              rfc: session.rfc,
              actorRfc: signerRfc,
              capacity: session.representativeRfc ? "representante_legal" : "titular",
            },
            eventAt: sentAt,
            countsAt: receivedAt,
            rule: "recepcion_promocion",
            calendarVersion: receipt.calendarVersion,
            rulesVersion: receipt.rulesVersion,
            habilitacion: habilitacionOf(mailbox),
            // Escrito first, then the anexos in the signed order; last, what the e.firma
            // signed and the signature, so the acuse proves both existed at that instant.
            documents: [
              { name: ESCRITO_NAME, sha256: sha256Hex(textBytes), bytes: textBytes.byteLength },
              ...expected.map((a) => ({ name: a.name, sha256: a.sha256, bytes: a.size })),
              {
                name: MANIFEST_NAME,
                sha256: sha256Hex(challenge.to_sign),
                bytes: Buffer.byteLength(challenge.to_sign, "utf8"),
              },
              { name: MANIFEST_SIGNATURE_NAME, sha256: sha256Hex(p7s), bytes: p7s.byteLength },
            ],
          },
          {
            record: async (tx, sealed) => {
              const txStore = createPromocionStore(tx);
              if (!(await txStore.consumeChallenge(challenge.id, toDate(sentAt)))) {
                throw new AlreadyFiled();
              }
              checkHabilitacion(await lockMailbox(tx, session.rfc), sealed);
              for (const r of received) {
                await recordBlob(tx, {
                  sha256: r.sha256,
                  bytes: r.expected.size,
                  mediaType: r.mediaType,
                  at: sentAt,
                });
              }
              await txStore.insertPromocion(
                {
                  id,
                  challenge_id: challenge.id,
                  rfc: session.rfc,
                  signer_rfc: signerRfc,
                  type: type.id,
                  subject: challenge.subject,
                  text: challenge.text,
                  text_sha256: sha256Hex(textBytes),
                  text_bytes: textBytes.byteLength,
                  notificacion_id: challenge.notificacion_id,
                  signed_text: challenge.to_sign,
                  certificate: certificateDer,
                  certificate_number: checked.certificate.certificateNumber,
                  signature: Buffer.from(signature, "base64"),
                  sent_at: toDate(sentAt),
                  received_at: toDate(receivedAt),
                  acuse_folio: sealed.folio,
                  calendar_version: receipt.calendarVersion,
                  rules_version: receipt.rulesVersion,
                  answer_term_days: respuesta?.plazoDiasHabiles ?? null,
                  answer_due_on: respuesta?.venceEl ?? null,
                  answered_in_time: respuesta?.enTiempo ?? null,
                },
                received.map((r, i) => ({
                  promocion_id: id,
                  position: i + 1,
                  name: r.expected.name,
                  sha256: r.sha256,
                  bytes: r.expected.size,
                  kind: r.kind,
                  media_type: r.mediaType,
                })),
              );
              await txStore.appendEvent({
                promocionId: id,
                type: "recibida",
                at: toDate(receivedAt),
                recordedAt: toDate(sentAt),
                acuseFolio: sealed.folio,
                actorRfc: signerRfc,
                data: { sentAt: formatInstant(sentAt) },
              });
            },
          },
        );
        return {
          id,
          receivedAt: receipt.receivedAt,
          acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) },
          respuesta,
        };
      } catch (error) {
        if (!(error instanceof AlreadyFiled)) throw error;
        const earlier = await store.byChallenge(challenge.id);
        if (!earlier) throw challengeInvalid();
        return filedOf(earlier);
      }
    },

    /** «Mis promociones»: the RFC's, newest first; `next` is the cursor after the last row. */
    async list(rfc: string, query: { limit: number; cursor?: string | undefined }) {
      const rows = await store.list(
        rfc,
        decodeCursor(query.cursor, "querystring:/antesDe"),
        query.limit,
      );
      const events = await store.eventsOf(rows.map((r) => r.id));
      const items = rows.map((row) => ({
        id: row.id,
        type: row.type,
        subject: row.subject,
        state: stateOf(events.get(row.id) ?? []),
        sentAt: formatInstant(instantOf(row.sent_at)),
        receivedAt: formatInstant(instantOf(row.received_at)),
      }));
      const last = rows.at(-1);
      return {
        items,
        next: rows.length === query.limit && last ? encodeCursor(last.sent_at, last.id) : null,
      };
    },

    /** One of the RFC's promociones with its anexos, timeline and acuse; 404 for any other. */
    async detail(rfc: string, id: string) {
      if (!UUID.test(id)) throw notFound();
      const row = await store.byId(id.toLowerCase());
      if (!row || row.rfc !== rfc) throw notFound();
      const [attachments, events, filed] = await Promise.all([
        store.attachmentsOf(row.id),
        store.eventsOf([row.id]),
        filedOf(row),
      ]);
      // Internal notes never reach the particular, nor who on the staff attends it.
      const own = (events.get(row.id) ?? []).filter((e) => e.type !== "nota_interna");
      // The answer in force: a cancelled act's answer stays in the timeline, not as the answer.
      let answered: PromocionEventRow | undefined;
      for (const e of own) {
        if (e.type === "respondida") answered = e;
        else if (e.type === "respuesta_cancelada") answered = undefined;
      }
      const answer = answered ? answerOf((answered.data ?? {}) as Record<string, unknown>) : null;
      // An act whose addressee's mailbox was not enabled went to estrados (Lineamientos 7.8):
      // it is never in «Mis notificaciones», so the answer points to its publication.
      const estrados =
        answer?.kind === "notificacion"
          ? await options.estradosOf(answer.notificacionId)
          : undefined;
      return {
        id: row.id,
        type: row.type,
        subject: row.subject,
        text: row.text,
        textSha256: row.text_sha256,
        state: stateOf(events.get(row.id) ?? []),
        sentAt: formatInstant(instantOf(row.sent_at)),
        receivedAt: filed.receivedAt,
        signerRfc: row.signer_rfc,
        signedText: row.signed_text,
        // The kept signature, to verify: the same .p7s bytes the acuse lists (signatureFileOf).
        signedTextSha256: sha256Hex(row.signed_text),
        certificateNumber: row.certificate_number,
        certificate: Buffer.from(row.certificate).toString("base64"),
        signature: Buffer.from(row.signature).toString("base64"),
        p7s: signatureFileOf(row.certificate, row.signature).toString("base64"),
        attachments: attachments.map((a) => ({
          name: a.name,
          sha256: a.sha256,
          size: Number(a.bytes),
          kind: a.kind,
        })),
        acuse: filed.acuse,
        respuesta: filed.respuesta,
        answer: answered ? answerView(answered, estrados) : null,
        timeline: own.map((e) => {
          const data = (e.data ?? {}) as Record<string, unknown>;
          return {
            event: e.type,
            at: formatInstant(instantOf(e.at)),
            ...(e.acuse_folio ? { acuse: e.acuse_folio } : {}),
            ...(e.type === "concluida" && typeof data.reason === "string"
              ? { reason: data.reason }
              : {}),
          };
        }),
      };
    },

    borradores: createBorradores(db, catalogue, options.clock),
  };
}

/**
 * How the particular sees the answer: what it is, where to read it, and since when. An act on
 * estrados (`estrados`, its place there) is read on its public publication, not in the mailbox.
 */
function answerView(event: PromocionEventRow, estrados: EstradosPlace | undefined) {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const answer = answerOf(data);
  if (!answer) return null;
  const at = formatInstant(instantOf(event.at));
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  if (answer.kind === "notificacion") {
    return {
      kind: answer.kind,
      id: answer.notificacionId,
      at,
      availableAt: estrados?.publishedAt ?? text("avisoAt") ?? at,
      label: text("oficio"),
      link: estrados
        ? estradosActoPath(answer.notificacionId)
        : notificacionPath(answer.notificacionId),
      via: estrados ? ("estrados" as const) : ("buzon" as const),
      estrados: estrados ?? null,
    };
  }
  return {
    kind: answer.kind,
    id: answer.comunicadoId,
    at,
    availableAt: at,
    label: text("title"),
    // «Mis comunicados» with this one open in place (its `?abierto=`).
    link: `${PAGE_PATHS.comunicados}?abierto=${answer.comunicadoId}#comunicado-${answer.comunicadoId}`,
    via: "buzon" as const,
    estrados: null,
  };
}

/** Reads the rest of a request already answered (a repeat), so its connection stays usable. */
async function drain(
  current: IteratorResult<UploadPart>,
  iterator: AsyncIterator<UploadPart>,
): Promise<void> {
  for (let part = current; !part.done; part = await iterator.next()) {
    if (part.value.kind === "file") for await (const _ of part.value.stream) void _;
  }
}

export interface BorradorInput {
  type: string;
  subject?: string | undefined;
  text?: string | undefined;
  notificacionId?: string | null | undefined;
  attachments?: AttachmentInput[] | undefined;
}

/**
 * Drafts (issue 12 §1): unsigned, the person's own, changed and deleted at will — a draft is
 * not evidence, so it is a plain mutable row, never an acuse. The same limits as the type's,
 * except that the subject, the text and the notification may still be missing.
 */
function createBorradores(db: Db, catalogue: PromocionCatalogue, clock: Clock) {
  const store = createPromocionStore(db);
  const notFoundDraft = () =>
    new AppError("not_found", "No encontramos ese borrador en tu Buzón IMSS.");
  const viewOf = (row: BorradorRow) => ({
    id: row.id,
    type: row.type,
    subject: row.subject,
    text: row.text,
    notificacionId: row.notificacion_id,
    attachments: row.attachments as AttachmentInput[],
    createdAt: formatInstant(instantOf(row.created_at)),
    updatedAt: formatInstant(instantOf(row.updated_at)),
  });
  const clean = (input: BorradorInput) => {
    const type = catalogue.require(input.type);
    const notificacionId = input.notificacionId?.toLowerCase() ?? null;
    if (notificacionId !== null && !UUID.test(notificacionId)) {
      throw invalid("La notificación debe ser un identificador válido.", "/notificacionId");
    }
    const content = checkPromocionContent(
      type,
      { subject: input.subject ?? "", text: input.text ?? "", notificacionId },
      input.attachments ?? [],
      { draft: true },
    );
    return {
      type: type.id,
      subject: content.subject,
      text: content.text,
      notificacion_id: notificacionId,
      attachments: JSON.stringify(content.attachments),
    };
  };
  const id = (value: string) => {
    if (!UUID.test(value)) throw notFoundDraft();
    return value.toLowerCase();
  };
  const at = () => new Date(clock().epochMilliseconds);
  return {
    async create(rfc: string, input: BorradorInput) {
      const values = clean(input);
      if ((await store.countBorradores(rfc)) >= MAX_BORRADORES) {
        throw new AppError(
          "conflict",
          `Tienes ${MAX_BORRADORES} borradores: envía o elimina alguno antes de guardar otro.`,
        );
      }
      const row = { id: randomUUID(), rfc, ...values, created_at: at(), updated_at: at() };
      await store.insertBorrador(row);
      return viewOf((await store.borrador(rfc, row.id)) as BorradorRow);
    },
    async list(rfc: string) {
      return (await store.borradores(rfc)).map(viewOf);
    },
    async get(rfc: string, draftId: string) {
      const row = await store.borrador(rfc, id(draftId));
      if (!row) throw notFoundDraft();
      return viewOf(row);
    },
    async update(rfc: string, draftId: string, input: BorradorInput) {
      const key = id(draftId);
      if (!(await store.updateBorrador(rfc, key, { ...clean(input), updated_at: at() }))) {
        throw notFoundDraft();
      }
      return viewOf((await store.borrador(rfc, key)) as BorradorRow);
    },
    async remove(rfc: string, draftId: string) {
      if (!(await store.deleteBorrador(rfc, id(draftId)))) throw notFoundDraft();
    },
  };
}

export type PromocionService = ReturnType<typeof createPromocionService>;
