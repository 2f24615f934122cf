import type { X509Certificate } from "node:crypto";
import { type EfirmaCertificate, readCertificate } from "../../domain/efirma/certificate.ts";
import { checkCertificate, checkSignature, checkTypedRfc } from "../../domain/efirma/verify.ts";

/** What a refused sign-in check says: the error and, once its issuer was verified, the certificate. */
export interface SignInRefusal {
  ok: false;
  error: unknown;
  /** Set only when the issuer is trusted: then what the certificate says may be logged. */
  trusted: EfirmaCertificate | undefined;
}

export interface SignInAccepted {
  ok: true;
  certificate: EfirmaCertificate;
  issuer: X509Certificate;
}

/**
 * The offline checks of a sign-in, in the order that spends least on a forgery: the certificate
 * (kind, validity, a trusted issuer whose signature is verified ONCE), the RFC the challenge was
 * made for, and the signature over the challenge text. Revocation comes after (network). What
 * the service runs and what `bench/signin.ts` measures.
 */
export function checkSignIn(input: {
  certificateDer: Uint8Array;
  challengeRfc: string;
  text: string;
  signature: string;
  at: Temporal.Instant;
  anchors: readonly X509Certificate[];
}): SignInAccepted | SignInRefusal {
  let trusted: EfirmaCertificate | undefined;
  try {
    const certificate = readCertificate(input.certificateDer);
    const issuer = checkCertificate(certificate, { at: input.at, anchors: input.anchors });
    trusted = certificate;
    checkTypedRfc(certificate, input.challengeRfc);
    checkSignature(certificate, input.text, input.signature);
    return { ok: true, certificate, issuer };
  } catch (error) {
    return { ok: false, error, trusted };
  }
}
