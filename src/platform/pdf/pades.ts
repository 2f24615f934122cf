/**
 * The PAdES signature that makes an acuse PDF evidence by itself: the Institute's seal signs the
 * whole file (ETSI.CAdES.detached over the ByteRange), so any change to any byte, visible or
 * not, breaks it in every PDF reader (Adobe Reader, Poppler's pdfsig) and in our verification.
 *
 * The placeholder and the ByteRange come from @signpdf (placeholder-pdfkit adds the signature
 * dictionary, field and widget to the pdfkit document; signpdf computes the ByteRange and fills
 * /Contents); the CMS is ours (src/platform/crypto/pades-cms.ts), made with the seal's key.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { pdfkitAddPlaceholder } from "@signpdf/placeholder-pdfkit";
import { SignPdf } from "@signpdf/signpdf";
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { CmsSignatureError, verifyDetachedCmsSignature } from "../crypto/cms-signature.ts";
import { padesCms, padesCmsFacts } from "../crypto/pades-cms.ts";
import type { InstituteSeal } from "../crypto/seal.ts";

/**
 * Bytes reserved for the CMS (hex doubles them in the file): the seal certificate (~1 KiB), the
 * signature and its attributes (~0.5 KiB), and a time-stamp token with its TSA's chain (a few
 * KiB). Fixed, so the file's layout does not depend on what arrives.
 */
export const PADES_SIGNATURE_BYTES = 16_384;

/** Given the signature value, a time-stamp token over its SHA-256, or undefined (no TSA, TSA down). */
export type SignatureTimestamper = (signatureValue: Buffer) => Promise<Uint8Array | undefined>;

export interface PadesPlaceholderInput {
  /** Shown in readers' signature panels. */
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  /** The /M entry: derived from the document (the acuse's folio), never from the clock. */
  signingTime: Date;
}

/**
 * Adds the signature dictionary, its field and an invisible widget to a pdfkit document before
 * `doc.end()`. pdfkit writes /M as a PDF date in UTC.
 */
export function addPadesPlaceholder(doc: PDFKit.PDFDocument, input: PadesPlaceholderInput): void {
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: input.reason,
    contactInfo: input.contactInfo,
    name: input.name,
    location: input.location,
    signingTime: input.signingTime,
    signatureLength: PADES_SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
  });
}

class SealSigner extends Signer {
  readonly #seal: InstituteSeal;
  readonly #timestamper: SignatureTimestamper | undefined;

  constructor(seal: InstituteSeal, timestamper: SignatureTimestamper | undefined) {
    super();
    this.#seal = seal;
    this.#timestamper = timestamper;
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const plain = padesCms(this.#seal, content);
    const token = await this.#timestamper?.(plain.signatureValue);
    return token ? padesCms(this.#seal, content, token).der : plain.der;
  }
}

/** Fills the placeholder of a rendered PDF with the seal's PAdES signature over the whole file. */
export async function signPdf(
  pdf: Buffer,
  seal: InstituteSeal,
  timestamper?: SignatureTimestamper,
): Promise<Buffer> {
  return new SignPdf().sign(pdf, new SealSigner(seal, timestamper));
}

// ---------------------------------------------------------------------------------------------
// Reading the signature back.

/** What a PDF's signature is, read and checked cryptographically; whom to trust is the caller's. */
export type PdfSignature =
  | { status: "missing" }
  /** There is a signature, but it cannot be evaluated (damaged, several, not ours in form). */
  | { status: "unreadable"; reason: string }
  | {
      status: "read";
      /** The ByteRange covers every byte of the file except the /Contents value. */
      coversWholeFile: boolean;
      /** SubFilter is ETSI.CAdES.detached (PAdES). */
      pades: boolean;
      /** The signed message digest is SHA-256 of the ByteRange's bytes. */
      digestMatches: boolean;
      /** The seal's key signed the signed attributes. */
      signatureValid: boolean;
      /** ESS signing-certificate-v2 names the certificate that signed. */
      signingCertificateMatches: boolean;
      certificate: import("node:crypto").X509Certificate;
      /** The signature time-stamp token over the signature value, if any. */
      timestampToken: Buffer | undefined;
      signatureValue: Buffer;
    };

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/**
 * Finds the one signature of a PDF and checks it: the ByteRange must leave out exactly the
 * hex string of /Contents and reach the last byte, the CMS in it must sign SHA-256 of the rest.
 * Zero padding after the CMS is what the placeholder leaves; anything else there is a change, and
 * so is any other spelling of the hex (upper case) than the one the signer writes.
 */
export async function readPdfSignature(bytes: Uint8Array): Promise<PdfSignature> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = pdf.toString("latin1");
  const ranges = [...text.matchAll(BYTE_RANGE)];
  if (ranges.length === 0) {
    return text.includes("/ByteRange")
      ? { status: "unreadable", reason: "la firma del PDF está dañada (su /ByteRange no se lee)" }
      : { status: "missing" };
  }
  if (ranges.length > 1) {
    return {
      status: "unreadable",
      reason: `el PDF tiene ${ranges.length} firmas y el Instituto pone una sola: se le añadió algo después de emitirlo`,
    };
  }
  const [a, b, c, d] = ranges[0]!.slice(1, 5).map(Number) as [number, number, number, number];
  const gapIsContents =
    a === 0 && b > 0 && c > b + 1 && pdf[b] === 0x3c /* < */ && pdf[c - 1] === 0x3e; /* > */
  if (!gapIsContents || c + d > pdf.length) {
    return { status: "unreadable", reason: "la firma del PDF no delimita bien lo que firma" };
  }
  const hex = text.slice(b + 1, c - 1);
  const contents = Buffer.from(hex, "hex");
  // The signature does not cover its own hex, and "AB" and "ab" are the same byte: only the
  // one spelling the signer writes (lower case, zero padded) is accepted, so no other file can
  // carry the same signature.
  if (contents.toString("hex") !== hex) {
    return { status: "unreadable", reason: "el contenido de la firma del PDF está dañado" };
  }
  const length = derLength(contents);
  if (length === undefined || contents.subarray(length).some((byte) => byte !== 0)) {
    return { status: "unreadable", reason: "el contenido de la firma del PDF está dañado" };
  }
  const cms = contents.subarray(0, length);
  const signed = Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, c + d)]);
  const digest = createHash("sha256").update(signed).digest();
  let verified: Awaited<ReturnType<typeof verifyDetachedCmsSignature>>;
  try {
    verified = await verifyDetachedCmsSignature(cms, digest);
  } catch (error) {
    const reason =
      error instanceof CmsSignatureError
        ? `la firma del PDF no se pudo evaluar: ${error.message}`
        : "la firma del PDF no se pudo evaluar";
    return { status: "unreadable", reason };
  }
  let facts: ReturnType<typeof padesCmsFacts>;
  try {
    facts = padesCmsFacts(cms, verified.certificate);
  } catch {
    return { status: "unreadable", reason: "la firma del PDF no se pudo evaluar" };
  }
  return {
    status: "read",
    coversWholeFile: c + d === pdf.length,
    pades: /\/SubFilter\s*\/ETSI\.CAdES\.detached/.test(text.slice(0, b)),
    digestMatches: verified.digestMatches,
    signatureValid: verified.signatureValid && verified.signedAttributes,
    signingCertificateMatches: facts.signingCertificateMatches,
    certificate: verified.certificate,
    timestampToken: facts.timestampToken,
    signatureValue: facts.signatureValue,
  };
}

/** The length of the DER element at the start of `bytes` (definite length only), if it fits. */
function derLength(bytes: Buffer): number | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x30) return undefined;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first <= bytes.length ? 2 + first : undefined;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || bytes.length < 2 + octets) return undefined;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + bytes[2 + i]!;
  const total = 2 + octets + length;
  return total <= bytes.length ? total : undefined;
}
