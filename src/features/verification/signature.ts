import { Buffer } from "node:buffer";
import { createHash, type X509Certificate } from "node:crypto";
import { type EfirmaCertificate, readCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { checkCertificate } from "../../domain/efirma/verify.ts";
import { AppError } from "../../domain/errors.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import {
  CmsSignatureError,
  type DetachedCmsVerification,
  MAX_CMS_BYTES,
  verifyDetachedCmsSignature,
} from "../../platform/crypto/cms-signature.ts";
import type { RevocationChecker, RevocationStatus } from "../../platform/crypto/revocation.ts";
import type { SealingAcuse, SignatureVerification, VerificationCheck } from "./types.ts";

/**
 * Verification of a document signed by a public servant with their e.firma: a detached CMS
 * (.p7s) over the document, of which the browser sends only the SHA-256. The certificate policy
 * is the sign-in's (src/features/auth/service.ts): a FIEL, not a CSD; issued by a trusted
 * anchor; valid at the instant; not revoked, with the configured revocation source and policy.
 * The instant is the earliest acuse that seals the signature file (.p7s, by its SHA-256), when
 * there is one, or now: the signingTime is only what the signer declares.
 */

export interface SignatureVerificationInput {
  /** SHA-256 of the document, 64 hexadecimal digits (computed in the browser). */
  sha256: string;
  /** The .p7s: its bytes in Base64 (DER, or a PEM file), or its PEM text. */
  firma: string;
}

export interface SignatureVerifierOptions {
  anchors: readonly X509Certificate[];
  revocation: RevocationChecker;
  clock: Clock;
  /** The signer's role in the Institute, when the RFC is registered staff. */
  staffRoleOf: (rfc: string) => Promise<string | undefined>;
  /** Acuses that seal the document (its notification…), by its SHA-256 in lower-case hex. */
  acusesSealing: (sha256Hex: string) => Promise<SealingAcuse[]>;
}

/** A signingTime this far ahead of our clock is not believed (clocks drift a little). */
const FUTURE_SKEW_MS = 5 * 60_000;
/** Base64 of MAX_CMS_BYTES plus PEM line breaks, with room. */
const MAX_FIRMA_CHARS = 2 * MAX_CMS_BYTES;

const TITLES = {
  firma: "Firma electrónica del documento",
  certificado_firmante: "Certificado de e.firma de quien firmó",
  revocacion: "Revocación del certificado",
} as const;

export function createSignatureVerifier(options: SignatureVerifierOptions) {
  return {
    /**
     * Checks the signature, the signer's certificate and its revocation. Input that cannot be
     * evaluated (not a SHA-256, not Base64/PEM, not a CMS, several signers…) is refused with
     * AppError("validation"); a signature that is evaluated and fails is an «alterado» answer.
     */
    async verify(input: SignatureVerificationInput): Promise<SignatureVerification> {
      const sha256 = readSha256(input.sha256);
      const cms = readFirma(input.firma);
      let signature: DetachedCmsVerification;
      try {
        signature = await verifyDetachedCmsSignature(cms, Buffer.from(sha256, "hex"));
      } catch (error) {
        if (!(error instanceof CmsSignatureError)) throw error;
        // Its own code goes through PROBLEMS; here it only learns which field it speaks of.
        throw new CmsSignatureError(error.code, error.detail, { pointer: "/firma", cause: error });
      }

      const now = options.clock();
      const declared =
        signature.signedAt === undefined
          ? undefined
          : Temporal.Instant.fromEpochMilliseconds(signature.signedAt.getTime());
      // The signingTime is the signer's word: an expired key could backdate it. The trusted
      // time is the earliest acuse that seals the SIGNATURE itself (the .p7s among its
      // documents, sealed and logged by the Institute): an acuse of the document alone proves
      // the document existed, not that this signature did. Without one, the certificate must
      // be valid now.
      const acuses = await options.acusesSealing(sha256);
      const signatureHash = createHash("sha256").update(signature.der).digest("hex");
      const proven = (await options.acusesSealing(signatureHash))
        .map((a) => Temporal.Instant.from(a.eventAt))
        .sort(Temporal.Instant.compare)[0];
      const firma = signatureCheck(signature);
      const certificate = await certificateChecks(
        signature,
        declared,
        proven,
        now,
        options,
        firma.outcome === "failed",
      );
      // Named only when an anchor vouches for the certificate and its key made the signature
      // (over this document or, if the digest differs, over another version of it).
      const signer =
        certificate.trusted && signature.signatureValid
          ? await signerOf(certificate.trusted, options.staffRoleOf)
          : undefined;
      const checks = [firma, certificate.check, certificate.revocation];
      const authentic = checks.every((c) => c.outcome !== "failed");
      // A certificate whose revocation could not be checked may have been revoked before the
      // signature: nothing is wrong that we know of, but it is not confirmed either.
      const confirmed = certificate.revocation.outcome === "ok";
      return {
        verdict: !authentic ? "alterado" : confirmed ? "autentico" : "no_confirmado",
        summary: summaryOf(checks, signature, signer, declared, certificate.refusal),
        checks,
        signer,
        signedAt: signature.signedAt?.toISOString(),
        sha256,
        acuses,
      };
    },
  };
}

export type SignatureVerifier = ReturnType<typeof createSignatureVerifier>;

function readSha256(value: unknown): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!/^[0-9A-Fa-f]{64}$/.test(text)) {
    const detail =
      "La huella del documento debe ser su SHA-256 en hexadecimal (64 caracteres 0-9 y a-f).";
    throw new AppError("validation", detail, { errors: [{ pointer: "/sha256", detail }] });
  }
  return text.toLowerCase();
}

/** The .p7s bytes from its Base64 (of DER or of a PEM file) or its PEM text. */
function readFirma(value: unknown): Buffer {
  if (typeof value === "string" && value.length > MAX_FIRMA_CHARS) {
    const detail =
      "El archivo de la firma es demasiado grande: una firma desprendida ocupa unos pocos KiB (máximo 1 MiB).";
    throw new CmsSignatureError("cms_too_large", detail, { pointer: "/firma" });
  }
  const text = typeof value === "string" ? value.trim() : "";
  if (text.includes("-----BEGIN")) return Buffer.from(text, "utf8");
  const base64 = text.replace(/\s+/g, "");
  if (base64.length === 0 || base64.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    const detail =
      "La firma debe ser el archivo .p7s codificado en Base64 (DER) o su texto PEM («-----BEGIN PKCS7-----»).";
    throw new AppError("validation", detail, { errors: [{ pointer: "/firma", detail }] });
  }
  return Buffer.from(base64, "base64");
}

function signatureCheck(signature: DetachedCmsVerification): VerificationCheck {
  const check = (outcome: VerificationCheck["outcome"], detail: string): VerificationCheck => ({
    id: "firma",
    outcome,
    title: TITLES.firma,
    detail,
  });
  if (!signature.signatureValid) {
    return check(
      "failed",
      "La firma no es válida: sus datos fueron alterados o no la produjo la llave del certificado que contiene.",
    );
  }
  if (!signature.digestMatches) {
    return check(
      "failed",
      "La firma es válida, pero ampara otro documento: este archivo fue modificado después de firmarse o no es el que se firmó.",
    );
  }
  return check(
    "ok",
    signature.signedAttributes
      ? "La firma es válida y ampara exactamente este documento: su huella SHA-256 es la que se firmó."
      : "La firma es válida y ampara exactamente este documento: se hizo directamente sobre su huella SHA-256.",
  );
}

interface CertificateOutcome {
  check: VerificationCheck;
  revocation: VerificationCheck;
  /** The certificate, when an anchor issued it: only then is what it says about its holder believed. */
  trusted: EfirmaCertificate | undefined;
  /** The summary sentence when the certificate is refused. */
  refusal?: string;
}

async function certificateChecks(
  signature: DetachedCmsVerification,
  declared: Temporal.Instant | undefined,
  proven: Temporal.Instant | undefined,
  now: Temporal.Instant,
  options: SignatureVerifierOptions,
  signatureFailed: boolean,
): Promise<CertificateOutcome> {
  const check = (outcome: VerificationCheck["outcome"], detail: string): VerificationCheck => ({
    id: "certificado_firmante",
    outcome,
    title: TITLES.certificado_firmante,
    detail,
  });
  const notChecked = (why: string): VerificationCheck => ({
    id: "revocacion",
    outcome: "warning",
    title: TITLES.revocacion,
    detail: `No se consultó la revocación porque ${why}.`,
  });

  let certificate: EfirmaCertificate;
  try {
    certificate = readCertificate(signature.certificate.raw);
  } catch (error) {
    if (!(error instanceof EfirmaError)) throw error;
    return {
      check: check("failed", "El certificado de quien firmó no es una e.firma emitida por el SAT."),
      revocation: notChecked("el certificado de quien firmó no es una e.firma"),
      trusted: undefined,
      refusal: "La firma no es aceptable: no se hizo con una e.firma del SAT.",
    };
  }
  // Anyone can make a certificate that names someone else: believe it only from a trusted issuer.
  const trusted = options.anchors.some(
    (anchor) => certificate.x509.checkIssued(anchor) && certificate.x509.verify(anchor.publicKey),
  )
    ? certificate
    : undefined;

  if (declared && declared.epochMilliseconds > now.epochMilliseconds + FUTURE_SKEW_MS) {
    return {
      check: check(
        "failed",
        `La fecha de firma que declara el firmante (${spanishInstant(declared)}) es posterior a la fecha actual, por lo que no es creíble.`,
      ),
      revocation: notChecked("la fecha de firma declarada no es creíble"),
      trusted,
      refusal: "La firma no es aceptable: declara una fecha de firma posterior a la actual.",
    };
  }
  const at = proven ?? now;
  const when = proven
    ? `el ${spanishInstant(proven)}, cuando un acuse del Instituto hizo constar esta firma`
    : `a la fecha de esta verificación (${spanishInstant(now, "second")}), pues ningún acuse del Instituto hace constar esta firma antes (la fecha que declara el firmante no basta)`;

  let issuer: X509Certificate;
  try {
    issuer = checkCertificate(certificate, { at, anchors: options.anchors });
  } catch (error) {
    if (!(error instanceof EfirmaError)) throw error;
    const refused = certificateRefusal(error, certificate, when);
    return {
      check: check("failed", refused.detail),
      revocation: notChecked("el certificado de quien firmó no pasó la verificación"),
      trusted,
      refusal: refused.summary,
    };
  }
  const accepted = check(
    "ok",
    `El certificado ${certificate.certificateNumber} es una e.firma (FIEL) de ${certificate.name} (RFC ${certificate.rfc}), emitida por ${commonName(issuer)} y vigente ${when}.`,
  );
  return {
    check: accepted,
    revocation: await revocationCheck(certificate, issuer, options.revocation, signatureFailed),
    trusted: certificate,
  };
}

/**
 * The sentences for a certificate the sign-in policy refuses, written for whoever checks the
 * document (the EfirmaError messages speak to the holder signing in).
 */
function certificateRefusal(
  error: EfirmaError,
  certificate: EfirmaCertificate,
  when: string,
): { detail: string; summary: string } {
  switch (error.code) {
    case "csd_not_fiel":
      return {
        detail:
          "El certificado de quien firmó es un sello digital (CSD), no una e.firma (FIEL): no sirve para firmar documentos.",
        summary:
          "La firma no es aceptable: se hizo con un sello digital (CSD), no con una e.firma.",
      };
    case "certificate_expired":
      return {
        detail: `El certificado de quien firmó no estaba vigente ${when}: venció el ${spanishInstant(certificate.validTo)}.`,
        summary: "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
      };
    case "certificate_not_yet_valid":
      return {
        detail: `El certificado de quien firmó no estaba vigente ${when}: lo es a partir del ${spanishInstant(certificate.validFrom)}.`,
        summary: "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
      };
    default:
      // unknown_issuer: not issued by an anchor, or the anchor was not valid at that instant.
      return {
        detail:
          "El certificado de quien firmó no fue emitido por una autoridad certificadora reconocida por el Instituto, o esa autoridad no estaba vigente en la fecha de firma.",
        summary:
          "La firma no es aceptable: el certificado de quien firmó no lo emitió una autoridad reconocida por el Instituto.",
      };
  }
}

/** Revocation now (OCSP/CRL answer the present), with the configured source and policy. */
async function revocationCheck(
  certificate: EfirmaCertificate,
  issuer: X509Certificate,
  revocation: RevocationChecker,
  signatureFailed: boolean,
): Promise<VerificationCheck> {
  const check = (outcome: VerificationCheck["outcome"], detail: string): VerificationCheck => ({
    id: "revocacion",
    outcome,
    title: TITLES.revocacion,
    detail,
  });
  let status: RevocationStatus;
  try {
    status = await revocation.check(certificate, issuer);
  } catch (error) {
    if (!(error instanceof EfirmaError)) throw error;
    if (error.code === "certificate_revoked") {
      return check(
        "failed",
        "El certificado de quien firmó está revocado: el SAT lo dio de baja y sus firmas no deben aceptarse.",
      );
    }
    if (error.code === "revocation_unavailable") {
      if (signatureFailed) {
        // The answer is «alterado» whatever the revocation status: no need to give up on it.
        return check(
          "warning",
          "No fue posible consultar con el SAT si el certificado de quien firmó está revocado.",
        );
      }
      // The document is not «alterado», and not confirmed either: «no_confirmado».
      return check(
        "warning",
        "No fue posible consultar con el SAT si el certificado de quien firmó está revocado (su servicio no respondió): la firma no se puede confirmar hasta que responda. Intenta más tarde.",
      );
    }
    throw error;
  }
  const checkedAt = spanishInstant(Temporal.Instant.from(status.checkedAt));
  switch (status.source) {
    case "ocsp":
      return check(
        "ok",
        `El servicio OCSP del emisor confirmó el ${checkedAt} que el certificado no está revocado.`,
      );
    case "crl":
      return check(
        "ok",
        `La lista de revocación vigente del emisor, consultada el ${checkedAt}, no incluye el certificado.`,
      );
    default:
      return check(
        "warning",
        "No fue posible confirmar que el certificado no esté revocado: no hay un servicio de revocación disponible.",
      );
  }
}

async function signerOf(
  certificate: EfirmaCertificate,
  staffRoleOf: SignatureVerifierOptions["staffRoleOf"],
): Promise<NonNullable<SignatureVerification["signer"]>> {
  return {
    name: certificate.name,
    rfc: certificate.rfc,
    curp: certificate.curp ?? undefined,
    certificateNumber: certificate.certificateNumber,
    issuer: certificate.issuer,
    validFrom: certificate.validFrom.toString(),
    validTo: certificate.validTo.toString(),
    // Staff are personas físicas; a company's RFC is never a servant's.
    staffRole: certificate.persona === "fisica" ? await staffRoleOf(certificate.rfc) : undefined,
  };
}

function summaryOf(
  checks: VerificationCheck[],
  signature: DetachedCmsVerification,
  signer: SignatureVerification["signer"],
  declared: Temporal.Instant | undefined,
  certificateRefusal: string | undefined,
): string {
  const failed = checks.find((c) => c.outcome === "failed");
  const revocation = checks.find((c) => c.id === "revocacion");
  if (!failed && signer && revocation?.outcome !== "ok") {
    return `La firma es de ${signer.name} (RFC ${signer.rfc}) y el documento no cambió, pero no se pudo confirmar que su certificado no estuviera revocado: no la tomes como auténtica hasta confirmarlo.`;
  }
  if (!failed && signer) {
    const role = signer.staffRole ? `, ${signer.staffRole} del Instituto,` : "";
    const when = declared ? ` el ${spanishInstant(declared)} (fecha que declaró al firmar)` : "";
    return `El documento es auténtico e íntegro: lo firmó ${signer.name} (RFC ${signer.rfc})${role} con su e.firma${when}.`;
  }
  switch (failed?.id) {
    case "firma":
      return signature.signatureValid
        ? "El documento no es el que se firmó: fue modificado después de firmarse o la firma es de otro documento."
        : "La firma no es válida: fue alterada o no corresponde al certificado que contiene.";
    case "revocacion":
      return "La firma no es aceptable: el certificado de quien firmó está revocado.";
    default:
      return certificateRefusal ?? "La firma no es aceptable.";
  }
}

/** «AC UAT» from the issuer's subject, or the whole subject. */
function commonName(certificate: X509Certificate): string {
  const cn = /^CN=(.+)$/m.exec(certificate.subject)?.[1];
  return cn ?? certificate.subject.replaceAll("\n", ", ");
}
