import { Buffer } from "node:buffer";
import { randomBytes, type X509Certificate } from "node:crypto";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { AppError } from "../../domain/errors.ts";
import { type AcuseRule, AT_EVENT_RULE } from "../../domain/evidence/acuse.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import {
  APERTURA_CHALLENGE_SECONDS,
  APERTURA_TEXT_FORMAT,
  APERTURA_TEXT_FORMATS,
  AperturaError,
  type AperturaTextFormat,
  aperturaSigningText,
  instantOfUuidV7,
  openingAfterTerm,
  uuidV7At,
} from "../../domain/notificaciones/apertura.ts";
import { NotificacionError, openingEventFor } from "../../domain/notificaciones/lifecycle.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { formatInstant, spanishInstant } from "../../domain/time/zona-centro.ts";
import { recordBlob } from "../../platform/blobs/blob-records.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { checkSignIn } from "../auth/sign-in-check.ts";
import { withdrawPending } from "../delivery/outbox.ts";
import type { EvidenceService } from "../evidence/service.ts";
import type { Opened, OpeningChallenge, OpeningRequest } from "./schemas.ts";
import {
  appendNotificacionEvent,
  consumeOpeningChallenge,
  deleteExpiredOpeningChallenges,
  eventsOf,
  insertOpeningChallenge,
  lockNotificacion,
  type NotificacionEventRow,
  type NotificacionRow,
  notificacionById,
} from "./store.ts";
import { type ActView, type ViewContext, viewOf } from "./views.ts";

/** Who opens: the session (its RFC, its representative, the certificate it signed in with). */
export type OpeningSession = Pick<
  AuthenticatedSession,
  "id" | "rfc" | "representativeRfc" | "certificateNumber"
>;

export interface AperturaOptions {
  db: Db;
  /** Legal time: the opening's instant, the engine's dates, the acuse (the demo moves it). */
  clock: Clock;
  /** Security time: the challenge's lifetime (moving the demo clock must not expire it). */
  realClock: Clock;
  /** The e.firma trust anchors and revocation checker of sign-in: one policy for all. */
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  evidence: Pick<EvidenceService, "issueAcuse">;
  blobs: BlobStore;
  /** The calendars in force and the catalogue, at the legal now (the notifications service). */
  context: () => Promise<ViewContext>;
}

/** The name the acuse gives the opening's signature, beside the act's document. */
export const APERTURA_SIGNATURE_FILE = "firma-apertura.p7s";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
const toMillis = (instant: Temporal.Instant) =>
  instant.round({ smallestUnit: "millisecond", roundingMode: "floor" });

/** The same 404 as the rest of the feature: never says whether someone else's act exists. */
function notFound(): AppError {
  return new AppError("not_found", "No encontramos esa notificación en tu Buzón IMSS.");
}

type OpeningKind = "abierta" | "acceso_posterior";

/** 409 `already_opened`, naming the first opening (or access) and its acuse. */
function alreadyOpened(events: readonly NotificacionEventRow[]): AperturaError {
  const first = events.find((e) => e.type === "abierta" || e.type === "acceso_posterior");
  if (!first) {
    return new AperturaError("already_opened", "Este documento ya se abrió con la e.firma.");
  }
  const when = spanishInstant(instantOf(first.at), "second");
  const acuse = first.acuse_folio ? `; su acuse es el folio ${first.acuse_folio}` : "";
  return new AperturaError(
    "already_opened",
    first.type === "abierta"
      ? `Este documento ya se abrió con la e.firma el ${when}${acuse}. Puedes descargarlo, con su acuse, desde el detalle de la notificación.`
      : `Ya se accedió a este documento con la e.firma el ${when}${acuse}. Puedes descargarlo desde el detalle de la notificación.`,
  );
}

/**
 * What a signed opening of the act at the view's instant records — `abierta` while it waits,
 * `acceso_posterior` the first time after it was notified by law — or the refusal: on estrados,
 * not yet available, cancelled, already opened (lifecycle.ts decides; the earliest event wins).
 */
function openingOf(view: ActView, events: readonly NotificacionEventRow[]): OpeningKind {
  const { row, projection } = view;
  if (row.estrados) {
    throw new NotificacionError(
      "illegal_transition",
      "Este acto se notifica por estrados; no puede abrirse en el Buzón IMSS.",
    );
  }
  if (projection.state === "depositada") {
    throw new NotificacionError(
      "illegal_transition",
      `El documento aún no está disponible: se pone a tu disposición el ${spanishInstant(instantOf(row.aviso_at), "second")} (Lineamientos 7.2).`,
    );
  }
  const kind = openingEventFor(projection);
  if (kind === undefined) throw alreadyOpened(events);
  return kind;
}

/**
 * ADR 0002: an opening on the fourth business day before 09:30 is outside the three days to
 * open and does not notify; the law does, at that 09:30, with the constancia the sweep seals.
 * Refused until then (from 09:30 the first access is an `acceso_posterior`, ADR 0014): recorded
 * as an opening it settled the act, and the constancia a court asks for was never issued. The
 * detail says the same beforehand (`openable`, `openingRefusal`: views.ts).
 */
function refuseAfterTerm(
  view: ActView,
  at: Temporal.Instant,
  ctx: Pick<ViewContext, "imss">,
): void {
  const detail = view.computed ? openingAfterTerm(ctx.imss, view.computed, at) : undefined;
  if (detail) throw new NotificacionError("illegal_transition", detail);
}

/**
 * The signed opening of a notification (CFF 134-I; Lineamientos 7.4–7.5; issue 11 §2): a
 * single-use challenge bound to the session and the act, the e.firma signature over its exact
 * text, verified as the Terms' (the session's own certificate, valid, trusted, not revoked),
 * and, under the act's lock inside the acuse's transaction, the decision and its event. An
 * opening while the act waits notifies it (`apertura_notificacion`, counting when the engine
 * says: rule a, ADR 0002 and 0007); the first access after it was notified by law records
 * `acceso_posterior` with its own acuse and changes nothing (ADR 0014).
 */
export function createApertura(options: AperturaOptions) {
  const { db, clock, realClock } = options;

  /** The act `id` if it is addressed to `rfc`; any other case is the same 404. */
  async function ownAct(rfc: string, id: string): Promise<NotificacionRow> {
    if (!UUID.test(id)) throw notFound();
    const row = await notificacionById(db, id);
    if (!row || row.rfc !== rfc) throw notFound();
    return row;
  }

  async function viewAt(
    row: NotificacionRow,
    ctx: ViewContext,
    at: Temporal.Instant,
    executor: Db = db,
  ) {
    const events = (await eventsOf(executor, [row.id])).get(row.id) ?? [];
    return { view: viewOf(row, events, { ...ctx, now: at }), events };
  }

  function signingText(
    row: NotificacionRow,
    view: ActView,
    challenge: { id: string; nonce: string; at: Temporal.Instant },
    alreadyNotified: boolean,
    format: AperturaTextFormat = APERTURA_TEXT_FORMAT,
  ): string {
    return aperturaSigningText(
      {
        rfc: row.rfc,
        notificacionId: row.id,
        oficio: row.oficio,
        actType: row.act_type,
        actTypeName: view.actType.name,
        documentName: row.document_name,
        documentSha256: row.document_sha256,
        at: challenge.at,
        challengeId: challenge.id,
        nonce: challenge.nonce,
        alreadyNotified,
      },
      format,
    );
  }

  const signerMismatch = (cause?: unknown) =>
    new AperturaError(
      "opening_signer_mismatch",
      "Firma con la misma e.firma con la que iniciaste sesión: el certificado que usaste es otro.",
      { pointer: "/certificate", cause },
    );

  /** Certificate and signature refusals, as a signed-in person's 422 (a 401 ends sessions). */
  const refused = (error: unknown): unknown => {
    if (!(error instanceof EfirmaError) || error.code === "revocation_unavailable") return error;
    if (error.code === "rfc_mismatch") return signerMismatch(error);
    const pointer = error.code === "signature_invalid" ? "/signature" : "/certificate";
    return new AperturaError("opening_signature_refused", error.detail, {
      pointer,
      internal: `firma de apertura rechazada: ${error.code}`,
      cause: error,
    });
  };

  const challengeInvalid = (detail?: string) =>
    new AperturaError(
      "opening_challenge_invalid",
      detail ??
        "El desafío de apertura no es válido, ya se usó o venció. Pide uno nuevo y firma otra vez.",
      { pointer: "/challengeId" },
    );

  return {
    /**
     * A single-use challenge to open the act, bound to this session and act, when opening is
     * possible now. Its text names the RFC, the act, its oficio and type, the document and its
     * SHA-256, the legal instant, the challenge and a nonce, and says what signing does.
     */
    async challenge(session: OpeningSession, id: string): Promise<OpeningChallenge> {
      const row = await ownAct(session.rfc, id);
      const ctx = await options.context();
      const at = toMillis(ctx.now);
      const { view, events } = await viewAt(row, ctx, at);
      const kind = openingOf(view, events);
      if (kind === "abierta") refuseAfterTerm(view, at, ctx);
      const created = new Date(realClock().epochMilliseconds);
      const challenge = {
        id: uuidV7At(at, randomBytes(10)),
        nonce: randomBytes(24).toString("base64url"),
        at,
      };
      const expiresAt = new Date(created.getTime() + APERTURA_CHALLENGE_SECONDS * 1000);
      await insertOpeningChallenge(db, {
        id: challenge.id,
        session_id: session.id,
        notificacion_id: row.id,
        rfc: session.rfc,
        nonce: challenge.nonce,
        created_at: created,
        expires_at: expiresAt,
        used_at: null,
      });
      await deleteExpiredOpeningChallenges(db, new Date(created.getTime() - 3600_000));
      return {
        challengeId: challenge.id,
        toSign: signingText(row, view, challenge, kind === "acceso_posterior"),
        expiresAt: formatInstant(instantOf(expiresAt)),
      };
    },

    /**
     * Verifies the signed challenge — single use, this session's and act's, not expired, the
     * session's own certificate, valid, trusted, not revoked, the signature over the exact text
     * — then issues the acuse and, in its transaction and under the act's lock, decides again
     * and appends the event: a second opening racing this one gets `already_opened`.
     */
    async open(session: OpeningSession, id: string, input: OpeningRequest): Promise<Opened> {
      const row = await ownAct(session.rfc, id);
      const usedAt = new Date(realClock().epochMilliseconds);
      const challenge = UUID.test(input.challengeId)
        ? await consumeOpeningChallenge(db, {
            id: input.challengeId,
            sessionId: session.id,
            notificacionId: row.id,
            usedAt,
          })
        : undefined;
      const challengeAt = challenge ? instantOfUuidV7(challenge.id) : undefined;
      if (!challenge || !challengeAt || challenge.expires_at.getTime() < usedAt.getTime()) {
        throw challengeInvalid();
      }

      const ctx = await options.context();
      const before = await viewAt(row, ctx, toMillis(ctx.now));
      openingOf(before.view, before.events);
      const deemed = before.view.computed
        ? Temporal.Instant.from(before.view.computed.deemedNotifiedAt)
        : null;
      const alreadyNotified = deemed !== null && Temporal.Instant.compare(challengeAt, deemed) >= 0;
      const certificateDer = Buffer.from(input.certificate, "base64");
      const check = (format: AperturaTextFormat) => {
        const text = signingText(
          row,
          before.view,
          { id: challenge.id, nonce: challenge.nonce, at: challengeAt },
          alreadyNotified,
          format,
        );
        const result = checkSignIn({
          certificateDer,
          challengeRfc: session.rfc,
          text,
          signature: input.signature,
          at: ctx.now,
          anchors: options.anchors,
        });
        return { text, result };
      };
      // The current text; a signature over the earlier version of the same challenge (issued
      // before the label changed) is still good: it binds the same fields.
      let { text: signedText, result: checked } = check(APERTURA_TEXT_FORMAT);
      if (
        !checked.ok &&
        checked.error instanceof EfirmaError &&
        checked.error.code === "signature_invalid"
      ) {
        for (const format of APERTURA_TEXT_FORMATS) {
          if (format === APERTURA_TEXT_FORMAT) continue;
          const legacy = check(format);
          if (legacy.result.ok) ({ text: signedText, result: checked } = legacy);
        }
      }
      if (!checked.ok) throw refused(checked.error);
      const { certificate } = checked;
      if (certificate.certificateNumber !== session.certificateNumber) throw signerMismatch();
      try {
        await options.revocation.check(certificate, checked.issuer);
      } catch (error) {
        throw refused(error);
      }

      // The opening happens now, on the legal clock; decided at that instant.
      const eventAt = toMillis(clock());
      const { view, events } = await viewAt(row, ctx, eventAt);
      const kind = openingOf(view, events);
      if (kind === "abierta") refuseAfterTerm(view, eventAt, ctx);
      if ((kind === "acceso_posterior") !== alreadyNotified) {
        // The text signed says what the signature does; it stopped being true meanwhile (the
        // fourth day's 09:30 came while the person signed).
        throw challengeInvalid(
          "El acto quedó notificado por ministerio de ley mientras firmabas (09:30 del cuarto día hábil): pide un nuevo desafío y firma otra vez.",
        );
      }
      const computed = view.computed;
      if (!computed) throw notFound();

      const p7s = Buffer.from(
        detachedCmsOf(certificateDer, Buffer.from(input.signature, "base64")),
      );
      // Written once, before the transaction (an orphan on failure is harmless): blob-records.ts.
      const stored = await options.blobs.put(p7s);
      const actorRfc = session.representativeRfc ?? session.rfc;
      const capacity = session.representativeRfc ? "representante_legal" : "titular";
      let notifiedAt: Temporal.Instant;
      let notifiedBy: Opened["notifiedBy"];
      let countsAt: Temporal.Instant;
      let rule: AcuseRule;
      if (kind === "abierta") {
        // Rule a moves an opening outside 09:30–18:00 to 09:30 of the next business day (ADR
        // 0007); one on the fourth day before 09:30 was refused above (ADR 0002).
        const engine = computeNotificacion(ctx.imss, {
          avisoAt: instantOf(row.aviso_at),
          openedAt: eventAt,
          tfja: ctx.tfja,
          sinMediosDeDefensa: !view.actType.senalaMediosDeDefensa,
        });
        notifiedAt = Temporal.Instant.from(engine.notifiedAt);
        notifiedBy = engine.notifiedBy;
        countsAt = notifiedAt;
        rule =
          Temporal.Instant.compare(countsAt, eventAt) === 0 ? "apertura" : "horario_notificacion";
      } else {
        notifiedAt = Temporal.Instant.from(computed.notifiedAt);
        notifiedBy = "ministerio_de_ley";
        countsAt = eventAt;
        rule = AT_EVENT_RULE;
      }

      const issued = await options.evidence.issueAcuse(
        {
          kind: kind === "abierta" ? "apertura_notificacion" : "acceso_posterior_notificacion",
          parties: { rfc: row.rfc, actorRfc, capacity },
          eventAt,
          countsAt,
          rule,
          calendarVersion: ctx.imss.version,
          rulesVersion: RULES_VERSION,
          // The act's document and the signature that opened it, as the .p7s anyone can verify
          // against the signed text (kept in the event).
          documents: [
            { name: row.document_name, sha256: row.document_sha256, bytes: row.document_bytes },
            { name: APERTURA_SIGNATURE_FILE, sha256: stored.sha256, bytes: stored.bytes },
          ],
        },
        {
          record: async (tx, sealed) => {
            // Decided again under the act's lock: a second opening, or a cancellation, racing
            // this one is seen here, and this acuse is then not issued.
            const locked = await lockNotificacion(tx, row.id);
            if (!locked) throw notFound();
            const again = await viewAt(locked, ctx, eventAt, tx);
            const decided = openingOf(again.view, again.events);
            const accessed = again.events.some(
              (e) => e.type === "abierta" || e.type === "acceso_posterior",
            );
            if (decided !== kind && !accessed) {
              // Nobody opened it: 09:30 of the fourth day came while the person signed, and the
              // text signed ("abro y me doy por notificado") is no longer what happens.
              throw challengeInvalid(
                "El acto quedó notificado por ministerio de ley mientras firmabas (09:30 del cuarto día hábil): pide un nuevo desafío y firma otra vez.",
              );
            }
            if (decided !== kind) throw alreadyOpened(again.events);
            await recordBlob(tx, {
              sha256: stored.sha256,
              bytes: stored.bytes,
              mediaType: "application/pkcs7-signature",
              at: eventAt,
            });
            const written = await appendNotificacionEvent(tx, {
              notificacionId: row.id,
              type: kind,
              at: eventAt,
              recordedAt: eventAt,
              acuseFolio: sealed.folio,
              actorRfc,
              data: {
                notifiedAt: formatInstant(notifiedAt),
                notifiedBy,
                capacity,
                certificateNumber: certificate.certificateNumber,
                challengeId: challenge.id,
                signedText,
                signedTextSha256: sha256Hex(signedText),
                signatureSha256: stored.sha256,
              },
            });
            if (!written) throw alreadyOpened(again.events);
            if (kind === "abierta") {
              // «Hoy es el último día para abrir» is no longer true: a second aviso still
              // waiting (held for its 09:30) never goes out.
              await withdrawPending(
                tx,
                { rfc: row.rfc, keyPrefix: `notificacion:${row.id}:segundo-aviso:` },
                "la persona abrió el acto antes de enviarse el segundo aviso",
                new Date(eventAt.epochMilliseconds),
              );
            }
          },
        },
      );
      return {
        acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) },
        notifiedAt: formatInstant(notifiedAt),
        notifiedBy,
      };
    },
  };
}

export type Apertura = ReturnType<typeof createApertura>;
