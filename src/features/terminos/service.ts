import { Buffer } from "node:buffer";
import { randomBytes, randomUUID, type X509Certificate } from "node:crypto";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { AppError } from "../../domain/errors.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import {
  checkHabilitacion,
  habilitacionOf,
  type MailboxProjection,
  needsTermsSignature,
} from "../../domain/mailbox/projection.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { TermsError } from "../../domain/terms/errors.ts";
import {
  checkTermsText,
  TERMS_CHALLENGE_SECONDS,
  termsDocumentName,
  termsSigningText,
} from "../../domain/terms/terms.ts";
import type { Clock } from "../../platform/clock.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { RevocationChecker } from "../../platform/crypto/revocation.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import { checkSignIn } from "../auth/sign-in-check.ts";
import type { EvidenceService } from "../evidence/service.ts";
import { appendMailboxEvent, loadMailbox, lockMailbox } from "../mailbox/store.ts";
import type {
  TermsChallenge,
  TermsSignatureEvidence,
  TermsSignatureRequest,
  TermsSigned,
  TermsVersionSummary,
} from "./schemas.ts";
import { createTermsStore, type TermsVersionRow } from "./store.ts";

/** Version 1, shipped in the repository (relative to the package root); published at start. */
export const INITIAL_TERMS_FILE = "terminos/terminos-v1.txt";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who signs: the session (its RFC, its representative, the certificate it signed in with). */
export type SigningSession = Pick<
  AuthenticatedSession,
  "id" | "rfc" | "representativeRfc" | "certificateNumber"
>;

export interface TermsServiceOptions {
  db: Db;
  clock: Clock;
  /** The e.firma trust anchors and revocation checker of sign-in: one policy for both. */
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  evidence: Pick<EvidenceService, "issueAcuse" | "heldAcuse">;
  calendarVersion(): Promise<string>;
}

/** The name the acuse gives the signature it seals beside the text. */
export const TERMS_SIGNATURE_FILE = "firma-terminos.p7s";

/**
 * Publishes `text` as the next version of the Terms, in force at once: from then on every
 * mailbox must sign it before it is used again. A text already published is refused (it would
 * not be a new version). The API and `buzon terminos publicar` both come here.
 */
export async function publishTerms(
  db: Db,
  clock: Clock,
  text: string,
  actor: { by: string; note: string },
): Promise<TermsVersionSummary> {
  checkTermsText(text);
  const store = createTermsStore(db);
  const sha256 = sha256Hex(text);
  const existing = (await store.list()).find((v) => v.sha256 === sha256);
  if (existing) {
    throw new TermsError(
      "terms_unchanged",
      `Ese texto ya está publicado como la versión ${existing.version} de los Términos y Condiciones.`,
    );
  }
  const row = await store.publish({
    text,
    sha256,
    bytes: Buffer.byteLength(text, "utf8"),
    note: actor.note,
    published_by: actor.by,
    published_at: new Date(clock().epochMilliseconds),
  });
  return summaryOf(row);
}

function summaryOf(row: Omit<TermsVersionRow, "text">): TermsVersionSummary {
  return {
    version: String(row.version),
    sha256: row.sha256,
    bytes: row.bytes,
    note: row.note,
    publishedAt: row.published_at.toISOString(),
  };
}

/**
 * «Activación del Buzón IMSS» (Lineamientos 5.3): the versioned Términos y Condiciones, the
 * challenge a signed-in person signs with the e.firma in the browser, and the signature's
 * verification, acuse and mailbox event, committed together.
 */
export function createTermsService(options: TermsServiceOptions) {
  const { db, clock } = options;
  const store = createTermsStore(db);
  const now = () => new Date(clock().epochMilliseconds);

  const current = async (): Promise<TermsVersionRow> => {
    const row = await store.current();
    if (!row) {
      throw new AppError(
        "unavailable",
        "No hay Términos y Condiciones publicados; el Instituto debe publicar la versión vigente.",
      );
    }
    return row;
  };

  /**
   * Refuses to sign when the mailbox has nothing to enable yet (5.2: an e-mail and a phone of
   * the RFC validated) or already accepted the version in force.
   */
  const checkCanSign = (mailbox: MailboxProjection, version: string): void => {
    if (mailbox.state === "habilitado" && !needsTermsSignature(mailbox, version)) {
      throw new TermsError(
        "terms_already_signed",
        `Tu Buzón IMSS ya está habilitado con la versión ${version} de los Términos y Condiciones firmada.`,
      );
    }
    if (mailbox.state !== "habilitado" && mailbox.state !== "medios_validados") {
      throw new TermsError(
        "terms_means_not_validated",
        "Antes de firmar los Términos y Condiciones valida al menos un correo electrónico y un teléfono celular de tu RFC (Lineamientos 5.2).",
      );
    }
  };

  /** Certificate and signature refusals, as a signed-in person's 422 (a 401 ends sessions). */
  const refused = (error: unknown): unknown => {
    if (!(error instanceof EfirmaError) || error.code === "revocation_unavailable") return error;
    if (error.code === "rfc_mismatch") return signerMismatch(error);
    const pointer = error.code === "signature_invalid" ? "/signature" : "/certificate";
    return new TermsError("terms_signature_refused", error.detail, {
      pointer,
      internal: `firma de términos rechazada: ${error.code}`,
      cause: error,
    });
  };

  const signerMismatch = (cause?: unknown) =>
    new TermsError(
      "terms_signer_mismatch",
      "Firma con la misma e.firma con la que iniciaste sesión: el certificado que usaste es otro.",
      { pointer: "/certificate", cause },
    );

  const publish = (text: string, actor: { by: string; note: string }) =>
    publishTerms(db, clock, text, actor);

  return {
    /** The version in force (its text included). */
    current,

    async list(): Promise<TermsVersionSummary[]> {
      return (await store.list()).map(summaryOf);
    },

    /** A version's exact text, for anyone who verifies a signature or reads an old version. */
    async version(label: string): Promise<TermsVersionRow> {
      const row = await store.byVersion(Number(label));
      if (!row) {
        throw new AppError(
          "not_found",
          `No existe la versión ${label} de los Términos y Condiciones.`,
        );
      }
      return row;
    },

    publish,

    /** Publishes `text` as version 1 when no version exists (the repository's file, at start). */
    async ensureInitial(text: string, actor: { by: string; note: string }): Promise<void> {
      if (await store.current()) return;
      try {
        await publish(text, actor);
      } catch (error) {
        // Another process started at the same moment and published it first.
        if (await store.current()) return;
        throw error;
      }
    },

    /**
     * The version in force and a single-use challenge to sign it, bound to this session: the
     * text to sign names the RFC, the version, the SHA-256 of its exact text and the instant.
     */
    async challenge(session: SigningSession): Promise<TermsChallenge> {
      const terms = await current();
      const createdAt = now();
      const row = {
        id: randomUUID(),
        session_id: session.id,
        rfc: session.rfc,
        version: terms.version,
        nonce: randomBytes(24).toString("base64url"),
        created_at: createdAt,
        expires_at: new Date(createdAt.getTime() + TERMS_CHALLENGE_SECONDS * 1000),
        used_at: null,
      };
      await store.insertChallenge(row);
      // Keep the table small: challenges are worthless once expired.
      await store.deleteExpiredChallenges(new Date(createdAt.getTime() - 3600_000));
      return {
        version: String(terms.version),
        sha256: terms.sha256,
        text: terms.text,
        challengeId: row.id,
        toSign: termsSigningText({
          rfc: row.rfc,
          version: String(row.version),
          sha256: terms.sha256,
          at: Temporal.Instant.fromEpochMilliseconds(createdAt.getTime()),
          challengeId: row.id,
          nonce: row.nonce,
        }),
        expiresAt: row.expires_at.toISOString(),
        publishedAt: terms.published_at.toISOString(),
      };
    },

    /**
     * Verifies the signed challenge — single use, this session's, not expired, the version in
     * force, the session's own certificate (same RFC and same certificate number), valid,
     * trusted, not revoked, and the signature over the exact text — then issues the acuse and,
     * in its transaction, keeps the signature and appends `terminos_firmados` to the mailbox.
     */
    async sign(session: SigningSession, input: TermsSignatureRequest): Promise<TermsSigned> {
      const at = now();
      const challenge = UUID.test(input.challengeId)
        ? await store.consumeChallenge(input.challengeId, session.id, at)
        : undefined;
      if (!challenge || challenge.expires_at.getTime() < at.getTime()) {
        throw new TermsError(
          "terms_challenge_invalid",
          "El desafío de firma no es válido, ya se usó o venció. Vuelve a cargar los Términos y Condiciones y firma de nuevo.",
          { pointer: "/challengeId" },
        );
      }
      const terms = await current();
      const version = String(challenge.version);
      if (challenge.version !== terms.version) {
        throw new TermsError(
          "terms_version_outdated",
          `Firmaste la versión ${version} de los Términos y Condiciones, pero la vigente es la ${terms.version}. Lee la versión vigente y fírmala.`,
        );
      }
      const mailbox = await loadMailbox(db, session.rfc);
      checkCanSign(mailbox, version);

      const signedText = termsSigningText({
        rfc: challenge.rfc,
        version,
        sha256: terms.sha256,
        at: Temporal.Instant.fromEpochMilliseconds(challenge.created_at.getTime()),
        challengeId: challenge.id,
        nonce: challenge.nonce,
      });
      const certificateDer = Buffer.from(input.certificate, "base64");
      const checked = checkSignIn({
        certificateDer,
        challengeRfc: session.rfc,
        text: signedText,
        signature: input.signature,
        at: clock(),
        anchors: options.anchors,
      });
      if (!checked.ok) throw refused(checked.error);
      const { certificate } = checked;
      if (certificate.certificateNumber !== session.certificateNumber) throw signerMismatch();
      try {
        await options.revocation.check(certificate, checked.issuer);
      } catch (error) {
        throw refused(error);
      }

      const p7s = Buffer.from(
        detachedCmsOf(certificateDer, Buffer.from(input.signature, "base64")),
      );
      const eventAt = clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });
      const signerRfc = session.representativeRfc ?? session.rfc;
      let state: TermsSigned["state"] = "habilitado";
      const issued = await options.evidence.issueAcuse(
        {
          kind: "firma_terminos",
          parties: {
            rfc: session.rfc,
            actorRfc: signerRfc,
            capacity: session.representativeRfc ? "representante_legal" : "titular",
          },
          eventAt,
          countsAt: eventAt,
          rule: "momento_del_evento",
          calendarVersion: await options.calendarVersion(),
          rulesVersion: RULES_VERSION,
          // How the mailbox stood enabled when signing (a 2020 mailbox signing new Terms says
          // so; a first activation states nothing, it is not enabled yet): ADR 0011.
          habilitacion: habilitacionOf(mailbox),
          // The signature too, as the .p7s anyone can download and verify: the acuse then
          // proves when it existed, so it verifies even after the certificate expires.
          documents: [
            { name: termsDocumentName(version), sha256: terms.sha256, bytes: terms.bytes },
            { name: TERMS_SIGNATURE_FILE, sha256: sha256Hex(p7s), bytes: p7s.length },
          ],
        },
        {
          record: async (tx, sealed) => {
            // Decided again under the mailbox's lock: a second signature racing this one, or a
            // means removed meanwhile, is refused here and its acuse is not issued.
            const locked = await lockMailbox(tx, session.rfc);
            checkCanSign(locked, version);
            checkHabilitacion(locked, sealed);
            const inForce = await createTermsStore(tx).current();
            if (inForce?.version !== challenge.version) {
              throw new TermsError(
                "terms_version_outdated",
                `Se publicó la versión ${inForce?.version} de los Términos y Condiciones mientras firmabas. Lee la versión vigente y fírmala.`,
              );
            }
            await createTermsStore(tx).insertSignature({
              acuse_folio: sealed.folio,
              rfc: session.rfc,
              signer_rfc: signerRfc,
              version: challenge.version,
              terms_sha256: terms.sha256,
              signed_text: signedText,
              certificate: certificateDer,
              certificate_number: certificate.certificateNumber,
              signature: Buffer.from(input.signature, "base64"),
              session_id: session.id,
              signed_at: new Date(eventAt.epochMilliseconds),
            });
            const after = await appendMailboxEvent(tx, {
              type: "terminos_firmados",
              data: { version, sha256: terms.sha256 },
              rfc: session.rfc,
              at: eventAt,
              acuseFolio: sealed.folio,
            });
            state = after.state;
          },
        },
      );
      return { acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) }, state };
    },

    /** The kept signature of the acuse with this folio, to whoever holds its code. */
    async signatureEvidence(folio: string, code: string): Promise<TermsSignatureEvidence> {
      await options.evidence.heldAcuse(folio, code);
      const row = await store.signatureByFolio(folio);
      if (!row) {
        throw new AppError(
          "not_found",
          `El acuse ${folio} no es de una firma de los Términos y Condiciones.`,
        );
      }
      return {
        folio: row.acuse_folio,
        rfc: row.rfc,
        signerRfc: row.signer_rfc,
        version: String(row.version),
        sha256: row.terms_sha256,
        signedText: row.signed_text,
        signedTextSha256: sha256Hex(row.signed_text),
        signedAt: row.signed_at.toISOString(),
        certificateNumber: row.certificate_number,
        certificate: row.certificate.toString("base64"),
        signature: row.signature.toString("base64"),
        p7s: Buffer.from(detachedCmsOf(row.certificate, row.signature)).toString("base64"),
      };
    },
  };
}

export type TermsService = ReturnType<typeof createTermsService>;
