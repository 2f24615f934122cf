import { Buffer } from "node:buffer";
import { verify, type X509Certificate } from "node:crypto";
import type { EfirmaCertificate } from "./certificate.ts";
import { EfirmaError } from "./errors.ts";

/**
 * The checks on a certificate presented to sign in or to sign an act (Lineamientos 5.3, 6.1;
 * domain-mx §1.4–1.5), in the order that spends least on a forgery: kind, validity at the
 * instant of use, issuer in the trust store and its signature, RFC typed. Revocation is
 * checked afterwards by the caller (it needs the network). Returns the issuer.
 */
export function checkCertificate(
  certificate: EfirmaCertificate,
  options: {
    at: Temporal.Instant;
    anchors: readonly X509Certificate[];
    typedRfc?: string | undefined;
  },
): X509Certificate {
  if (certificate.kind === "CSD") {
    throw new EfirmaError(
      "csd_not_fiel",
      "El certificado es un sello digital (CSD), no una e.firma. Usa el certificado de tu e.firma (FIEL).",
    );
  }
  if (Temporal.Instant.compare(options.at, certificate.validFrom) < 0) {
    throw new EfirmaError(
      "certificate_not_yet_valid",
      `El certificado aún no es vigente: lo será a partir del ${certificate.validFrom.toString()}.`,
    );
  }
  if (Temporal.Instant.compare(options.at, certificate.validTo) > 0) {
    throw new EfirmaError(
      "certificate_expired",
      `El certificado venció el ${certificate.validTo.toString()}. Renueva tu e.firma ante el SAT.`,
    );
  }
  const issuer = options.anchors.find(
    (anchor) => certificate.x509.checkIssued(anchor) && certificate.x509.verify(anchor.publicKey),
  );
  if (!issuer) {
    throw new EfirmaError(
      "unknown_issuer",
      "El certificado no fue emitido por una autoridad certificadora reconocida por el Instituto.",
    );
  }
  const at = options.at.epochMilliseconds;
  if (at < issuer.validFromDate.getTime() || at > issuer.validToDate.getTime()) {
    throw new EfirmaError(
      "unknown_issuer",
      "El certificado de la autoridad que emitió tu e.firma no está vigente.",
    );
  }
  if (options.typedRfc !== undefined) checkTypedRfc(certificate, options.typedRfc);
  return issuer;
}

/**
 * The RFC the person typed (or the challenge was made for) is the certificate's. Apart from
 * {@link checkCertificate} so a caller can first learn the issuer is trusted — and only then log
 * what the certificate says — without verifying the issuer's signature a second time.
 */
export function checkTypedRfc(certificate: EfirmaCertificate, typedRfc: string): void {
  const typed = typedRfc.trim().toUpperCase();
  if (typed !== certificate.rfc) {
    throw new EfirmaError(
      "rfc_mismatch",
      `El RFC capturado (${typed}) no coincide con el RFC del certificado (${certificate.rfc}).`,
    );
  }
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 text, as the browser signs it. */
export function checkSignature(
  certificate: EfirmaCertificate,
  text: string,
  signatureBase64: string,
): void {
  const signature = Buffer.from(signatureBase64, "base64");
  const ok =
    signature.length > 0 &&
    signature.length <= 1024 &&
    verify("sha256", Buffer.from(text, "utf8"), certificate.x509.publicKey, signature);
  if (!ok) {
    throw new EfirmaError(
      "signature_invalid",
      "La firma no corresponde al certificado: verifica que la llave privada sea la de ese certificado.",
    );
  }
}
