import { createHash, type X509Certificate } from "node:crypto";
import { certificateNumberOf } from "../../domain/efirma/certificate.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import { readTimestampToken, verifyTimestampToken } from "../../platform/crypto/tsa.ts";
import { readPdfSignature } from "../../platform/pdf/pades.ts";
import type { VerificationCheck } from "./types.ts";

const TITLE = "Firma electrónica del PDF";

const UNSIGNED =
  "El PDF no lleva la firma electrónica con la que el Instituto sella cada acuse (fue generado o guardado de nuevo por otro programa).";

export interface PdfSignatureOptions {
  /**
   * The verifier is the Institute (web and API verification): it embeds a time-stamp token only
   * from the TSA it trusts, so a token when it trusts none was put there by someone else.
   * Offline, without the TSA's certificate, such a token is only a warning.
   */
  onlyTrustedStamps?: boolean;
}

/**
 * Whether the PDF is, byte for byte, a file the Institute signed: its PAdES signature covers the
 * whole file, verifies, and is made with one of the Institute's seal certificates. Without
 * trusted certificates (offline, no --sello-cer) a valid signature is a warning: anyone can sign
 * a PDF with a certificate of their own.
 *
 * A PDF whose signature fails is not the document the Institute issued, whatever its attached
 * data say: its visible text may say anything.
 */
export async function pdfSignatureCheck(
  pdf: Uint8Array,
  trusted: readonly X509Certificate[],
  tsaCertificates: readonly X509Certificate[] = [],
  options: PdfSignatureOptions = {},
): Promise<VerificationCheck> {
  const failed = (detail: string): VerificationCheck => ({
    id: "firma_pdf",
    outcome: "failed",
    title: TITLE,
    detail,
  });
  const signature = await readPdfSignature(pdf);
  if (signature.status === "missing") {
    return failed(UNSIGNED);
  }
  if (signature.status === "unreadable") {
    return failed(`La firma electrónica del PDF no es válida: ${signature.reason}.`);
  }
  if (!signature.coversWholeFile) {
    return failed(
      "El PDF fue modificado después de que el Instituto lo firmó: se le añadió contenido que la firma no cubre.",
    );
  }
  if (!signature.digestMatches || !signature.signatureValid) {
    return failed(
      "El PDF fue modificado después de que el Instituto lo firmó: su contenido ya no es el que se firmó.",
    );
  }
  if (!signature.pades || !signature.signingCertificateMatches) {
    return failed(
      "La firma del PDF no tiene la forma con la que firma el Instituto (PAdES con el certificado del sello).",
    );
  }
  // The signature time-stamp sits in /Contents, outside what the signature covers: it must be
  // checked on its own, or a token from another time could be put in its place.
  let stamped = "";
  let stampUnconfirmed = false;
  if (signature.timestampToken && tsaCertificates.length === 0 && options.onlyTrustedStamps) {
    return failed(
      "La firma del PDF trae un sello de tiempo que el Instituto no puso: el Instituto no tiene configurada una autoridad de sellado de tiempo, así que alguien lo añadió a la firma después de que se emitió el PDF.",
    );
  }
  if (signature.timestampToken) {
    const token = signature.timestampToken;
    const anchors =
      tsaCertificates.length > 0
        ? [...tsaCertificates]
        : (readTimestampToken(token)?.certificates ?? []);
    try {
      const stamp = await verifyTimestampToken(
        token,
        createHash("sha256").update(signature.signatureValue).digest(),
        anchors,
      );
      const when = spanishInstant(Temporal.Instant.fromEpochMilliseconds(stamp.genTime.getTime()));
      // A token anchored only in itself proves nothing about time: anyone can mint one with any
      // date and put it in /Contents. Its date is not shown as a fact, and the check warns.
      stamped =
        tsaCertificates.length > 0
          ? ` Un sello de tiempo de una autoridad de confianza dice que la firma existía el ${when}.`
          : " Trae un sello de tiempo cuya autoridad no se comparó con una de confianza: no se toma su fecha.";
      stampUnconfirmed = tsaCertificates.length === 0;
    } catch {
      return failed(
        "El sello de tiempo de la firma del PDF no es válido o no corresponde a esta firma: el archivo se modificó.",
      );
    }
  }
  const fingerprint = signature.certificate.fingerprint256;
  const number = certificateNumberOf(signature.certificate.serialNumber);
  if (trusted.length === 0) {
    return {
      id: "firma_pdf",
      outcome: "warning",
      title: TITLE,
      detail: `El PDF no se modificó desde que se firmó, pero el certificado con que se firmó (número ${number}) venía dentro del archivo y no se comparó con uno de confianza: compara su huella SHA-256 ${fingerprint} con la que publica el Instituto.${stamped}`,
    };
  }
  if (!trusted.some((c) => c.fingerprint256 === fingerprint)) {
    return failed(
      `El PDF lo firmó un certificado que no es del Instituto (número ${number}, huella SHA-256 ${fingerprint}).`,
    );
  }
  return {
    id: "firma_pdf",
    outcome: stampUnconfirmed ? "warning" : "ok",
    title: TITLE,
    detail: `El Instituto firmó este PDF con su sello (certificado ${number}) y no ha cambiado ni un byte desde entonces.${stamped}`,
  };
}

/**
 * The `firma_pdf` check of a PDF with no signature at all whose sealed attachments are exactly
 * the Institute's record: the Institute issued PDFs without a PAdES signature before it sealed
 * them (issue 8), so the person may hold an older copy, and the current sealed PDF is one
 * download away. Still failed: without the signature, nothing protects what the PDF shows.
 * Undefined for any other `firma_pdf` check.
 */
export function olderCopyCheck(check: VerificationCheck): VerificationCheck | undefined {
  if (check.id !== "firma_pdf" || check.outcome !== "failed" || check.detail !== UNSIGNED) {
    return undefined;
  }
  return {
    ...check,
    detail:
      "El PDF no lleva la firma electrónica con la que el Instituto sella cada acuse, aunque los datos sellados que trae adjuntos sí coinciden con su registro. Puede ser una copia anterior, de antes de que el Instituto firmara sus PDF, o una que otro programa guardó de nuevo. Descarga el PDF vigente, sellado por el Instituto, en la verificación por folio y código.",
  };
}
