import { Buffer } from "node:buffer";
import {
  constants,
  createHash,
  type KeyObject,
  publicDecrypt,
  verify,
  X509Certificate,
} from "node:crypto";
import * as asn1js from "asn1js";
import type * as Pkijs from "pkijs";
import { CodedError } from "../../domain/errors.ts";
import { withPkijs } from "./pkijs-engine.ts";

/**
 * Verification of a detached CMS signature (RFC 5652 SignedData, a `.p7s` file) made with an
 * e.firma over a document of which only the SHA-256 is known: the browser hashes the document
 * and sends the digest, never the document. It answers whether the signer's key signed that
 * digest; who the signer is, and whether to trust the certificate, is the caller's concern.
 */

export type CmsSignatureErrorCode =
  /** More than MAX_CMS_BYTES. */
  | "cms_too_large"
  /** Not a DER/BER or PEM CMS SignedData, or a required part of it is missing or damaged. */
  | "malformed_cms"
  /** The CMS carries a document inside, and it is not the one whose digest was given. */
  | "not_detached"
  /** A digest other than SHA-256, a signature other than RSA PKCS #1 v1.5, a non-RSA key. */
  | "unsupported_algorithm"
  /** The signed content is not plain data (id-data). */
  | "unsupported_content_type"
  | "multiple_signers"
  /** The signer's certificate is not among the certificates the CMS carries. */
  | "no_signer_certificate"
  /** The digest given is not a SHA-256 (32 bytes): a caller's error. */
  | "invalid_digest";

/** A CMS that cannot be evaluated at all. A signature that is evaluated and fails is a result. */
export class CmsSignatureError extends CodedError<CmsSignatureErrorCode> {}

export interface DetachedCmsVerification {
  /** The signer's certificate, as the CMS carries it (not yet checked against any issuer). */
  certificate: X509Certificate;
  /** The signingTime signed attribute: the time the signer's own computer declared. */
  signedAt: Date | undefined;
  /** What was signed is the document with the given SHA-256. */
  digestMatches: boolean;
  /** The signature verifies with the certificate's public key. */
  signatureValid: boolean;
  /** The signature covers signed attributes (contentType, messageDigest…), not the digest alone. */
  signedAttributes: boolean;
  /** The CMS also carried the document itself (whose SHA-256 is the one given). */
  attachedContent: boolean;
  /** The CMS in DER (a PEM input decoded): what an acuse seals when it seals the signature. */
  der: Buffer;
}

/** A .p7s with one signer and its certificate is a few KiB; the bound keeps parsing cheap. */
export const MAX_CMS_BYTES = 1024 * 1024;

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  subjectKeyIdentifier: "2.5.29.14",
} as const;

const ALGORITHM_NAMES: Record<string, string> = {
  "1.2.840.113549.2.5": "MD5",
  "1.3.14.3.2.26": "SHA-1",
  "2.16.840.1.101.3.4.2.4": "SHA-224",
  "2.16.840.1.101.3.4.2.1": "SHA-256",
  "2.16.840.1.101.3.4.2.2": "SHA-384",
  "2.16.840.1.101.3.4.2.3": "SHA-512",
  "1.2.840.113549.1.1.4": "MD5 con RSA",
  "1.2.840.113549.1.1.5": "SHA-1 con RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.113549.1.1.12": "SHA-384 con RSA",
  "1.2.840.113549.1.1.13": "SHA-512 con RSA",
  "1.2.840.10045.4.3.2": "ECDSA con SHA-256",
};

/** DigestInfo (RFC 8017 §9.2) of SHA-256, with the NULL parameters and without them. */
const DIGEST_INFO_PREFIXES = [
  Buffer.from("3031300d060960864801650304020105000420", "hex"),
  Buffer.from("302f300b06096086480165030402010420", "hex"),
];

const PEM_BEGIN = "-----BEGIN ";

const MALFORMED =
  "El archivo de la firma no es una firma CMS válida (se espera el archivo .p7s de una firma desprendida, en DER o PEM).";

/**
 * Verifies a detached CMS signature over the document whose SHA-256 is `documentSha256`.
 * Accepts DER (or BER) and PEM («-----BEGIN PKCS7-----», «-----BEGIN CMS-----»), exactly one
 * signer, SHA-256 with RSA PKCS #1 v1.5, with signed attributes (`openssl cms -sign`) or
 * without them (`-noattr`). Throws CmsSignatureError, and nothing else, when the input cannot
 * be evaluated; a signature that can be evaluated and fails comes back with a false flag.
 */
export async function verifyDetachedCmsSignature(
  cms: Uint8Array,
  documentSha256: Uint8Array,
): Promise<DetachedCmsVerification> {
  if (documentSha256.length !== 32) {
    throw new CmsSignatureError(
      "invalid_digest",
      "La huella del documento debe ser un SHA-256 (32 bytes).",
    );
  }
  if (cms.length > MAX_CMS_BYTES) {
    throw new CmsSignatureError(
      "cms_too_large",
      "El archivo de la firma es demasiado grande: una firma desprendida ocupa unos pocos KiB (máximo 1 MiB).",
    );
  }
  try {
    const digest = Buffer.from(documentSha256);
    const der = readCmsBytes(cms);
    return evaluateKnownShape(der, digest) ?? evaluate(der, digest);
  } catch (error) {
    if (error instanceof CmsSignatureError) throw error;
    // asn1js and pkijs throw plain errors (or a RangeError on absurd nesting) on damaged input.
    throw new CmsSignatureError("malformed_cms", MALFORMED, { cause: error });
  }
}

/** The full evaluation by pkijs, whatever the CMS's shape; exported for the tests' comparison. */
export function evaluate(der: Buffer, digest: Buffer): DetachedCmsVerification {
  const pkijs = withPkijs();
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1 || parsed.offset !== der.length) throw malformed();
  const info = new pkijs.ContentInfo({ schema: parsed.result });
  if (info.contentType !== OID.signedData) throw malformed();
  const signedDataBlock = info.content as asn1js.Sequence;
  const signed = new pkijs.SignedData({ schema: signedDataBlock });

  const signerInfo = signed.signerInfos[0];
  if (!signerInfo) throw malformed();
  if (signed.signerInfos.length > 1) {
    throw new CmsSignatureError(
      "multiple_signers",
      `La firma tiene ${signed.signerInfos.length} firmantes; solo se verifican documentos con una sola firma. Pide un archivo .p7s por cada persona que firmó.`,
    );
  }
  const digestAlgorithm = signerInfo.digestAlgorithm.algorithmId;
  if (digestAlgorithm !== OID.sha256) {
    throw new CmsSignatureError(
      "unsupported_algorithm",
      `La firma usa el algoritmo de resumen ${algorithmName(digestAlgorithm)}; solo se admite SHA-256.`,
    );
  }
  const signatureAlgorithm = signerInfo.signatureAlgorithm.algorithmId;
  if (signatureAlgorithm !== OID.rsaEncryption && signatureAlgorithm !== OID.sha256WithRsa) {
    throw new CmsSignatureError(
      "unsupported_algorithm",
      `La firma usa el algoritmo ${algorithmName(signatureAlgorithm)}; solo se admite RSA (PKCS #1 v1.5) con SHA-256, el de la e.firma.`,
    );
  }
  if (signed.encapContentInfo.eContentType !== OID.data) throw unsupportedContentType();

  const certificate = signerCertificate(pkijs, signed, signedDataBlock, signerInfo);
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== "rsa") {
    throw new CmsSignatureError(
      "unsupported_algorithm",
      "El certificado del firmante no tiene una llave RSA, como la de la e.firma.",
    );
  }
  rememberSignerCertificate(certificate);

  // A CMS that carries the document is only accepted for that same document.
  let attachedContent = false;
  const eContent = signed.encapContentInfo.eContent;
  if (eContent) {
    const content = octetStringBytes(eContent, 0);
    if (!createHash("sha256").update(content).digest().equals(digest)) {
      throw new CmsSignatureError(
        "not_detached",
        "La firma trae dentro un documento distinto del que elegiste: no es una firma desprendida de este documento.",
      );
    }
    attachedContent = true;
  }

  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  const signer = { certificate, signature, attachedContent, der };
  const signedAttrs = signerInfo.signedAttrs;
  if (!signedAttrs) return verdict(signer, digest);

  const attributes = signedAttrs.attributes;
  const contentType = singleAttribute(attributes, OID.contentType);
  const messageDigest = singleAttribute(attributes, OID.messageDigest);
  const signingTime = singleAttribute(attributes, OID.signingTime);
  // RFC 5652 §5.3: with signed attributes, contentType and messageDigest are mandatory.
  if (!(contentType instanceof asn1js.ObjectIdentifier)) throw malformed();
  if (contentType.getValue() !== OID.data) throw unsupportedContentType();
  if (!(messageDigest instanceof asn1js.OctetString) || messageDigest.valueBlock.isConstructed) {
    throw malformed();
  }
  const signedAt = signingTime === undefined ? undefined : readTime(signingTime);
  // pkijs keeps the attributes' own encoding with the [0] IMPLICIT tag turned into SET (0x31):
  // the signature is over DER(SignedAttributes), the tag of a SET OF (RFC 5652 §5.4).
  const signedBytes = Buffer.from(signedAttrs.encodedValue);
  if (signedBytes[0] !== 0x31) throw malformed();
  return verdict(signer, digest, {
    signedBytes,
    messageDigest: Buffer.from(messageDigest.valueBlock.valueHexView),
    signedAt,
  });
}

/**
 * Signer certificates pkijs has read whole and found naming the signer of a CMS, with an RSA
 * key: the precondition of evaluateKnownShape. A batch of acts is signed by a few servants, so a
 * few entries serve thousands of signatures; bounded, as any certificate may come in a request.
 */
const SIGNER_CERTIFICATES = new Map<string, X509Certificate>();
const MAX_SIGNER_CERTIFICATES = 256;

function rememberSignerCertificate(certificate: X509Certificate): void {
  const id = certificate.raw.toString("base64");
  if (SIGNER_CERTIFICATES.has(id)) return;
  if (SIGNER_CERTIFICATES.size >= MAX_SIGNER_CERTIFICATES) SIGNER_CERTIFICATES.clear();
  SIGNER_CERTIFICATES.set(id, certificate);
}

/** A DER element: its tag, where it starts, where its content starts and where it ends. */
interface Element {
  tag: number;
  start: number;
  content: number;
  end: number;
}

/**
 * The DER element at `at`, within `limit`; undefined for anything but a low tag number with a
 * definite, minimally encoded length of up to 3 bytes (what a .p7s of a few KiB is in DER).
 */
function elementAt(der: Buffer, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = der[at + 1]!;
  let content = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 3 || content + bytes > limit || der[content] === 0) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[content++]!;
    if (length < 0x80) return undefined;
  }
  if (content + length > limit) return undefined;
  return { tag, start: at, content, end: content + length };
}

/** The elements that fill `parent`'s content exactly, or undefined. */
function childrenOf(der: Buffer, parent: Element): Element[] | undefined {
  const children: Element[] = [];
  let at = parent.content;
  while (at < parent.end) {
    const child = elementAt(der, at, parent.end);
    if (!child) return undefined;
    children.push(child);
    at = child.end;
  }
  return children;
}

const bytesOf = (der: Buffer, e: Element) => der.subarray(e.start, e.end);
const contentOf = (der: Buffer, e: Element) => der.subarray(e.content, e.end);

/** The DER of an OBJECT IDENTIFIER, for byte comparison. */
function oidDer(oid: string): Buffer {
  return Buffer.from(new asn1js.ObjectIdentifier({ value: oid }).toBER());
}

const DER = {
  signedData: oidDer(OID.signedData),
  data: oidDer(OID.data),
  contentType: oidDer(OID.contentType),
  messageDigest: oidDer(OID.messageDigest),
  signingTime: oidDer(OID.signingTime),
  sha256: oidDer(OID.sha256),
  rsaEncryption: oidDer(OID.rsaEncryption),
  sha256WithRsa: oidDer(OID.sha256WithRsa),
  version1: Buffer.from("020101", "hex"),
  null: Buffer.from("0500", "hex"),
};

/** AlgorithmIdentifier of one of `oids`, with NULL parameters or none. */
function isAlgorithm(der: Buffer, e: Element, oids: readonly Buffer[]): boolean {
  if (e.tag !== 0x30) return false;
  const parts = childrenOf(der, e);
  if (!parts || parts.length < 1 || parts.length > 2) return false;
  if (!oids.some((oid) => oid.equals(bytesOf(der, parts[0]!)))) return false;
  return parts.length === 1 || DER.null.equals(bytesOf(der, parts[1]!));
}

/** UTCTime «YYMMDDHHMMSSZ» or GeneralizedTime «YYYYMMDDHHMMSSZ», as asn1js reads them. */
function timeOf(der: Buffer, e: Element): Date | undefined {
  const text = contentOf(der, e).toString("latin1");
  const match =
    e.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : e.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const fullYear = e.tag === 0x18 ? year! : year! >= 50 ? 1900 + year! : 2000 + year!;
  const date = new Date(Date.UTC(fullYear, month! - 1, day, hour, minute, second));
  // Only a real instant (no 31 February, no second 60): anything else is pkijs' to judge.
  if (
    date.getUTCFullYear() !== fullYear ||
    date.getUTCMonth() !== month! - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return date;
}

/**
 * The same answer as `evaluate`, for the shape e.firma signatures have — DER, one signer named
 * by issuer and serial number, SHA-256 with RSA, detached, one certificate, no CRLs, no
 * unsigned attributes, signed attributes (if any) only contentType «data», messageDigest and
 * signingTime — and a certificate pkijs has already read whole as a signer's (a batch of acts
 * is signed by a few servants). Walks the DER instead of building pkijs' objects, which costs
 * milliseconds per signature. Undefined for anything else, and then `evaluate` judges it: this
 * never refuses, it only takes the common case faster (a test compares both on mutated files).
 */
export function evaluateKnownShape(
  der: Buffer,
  digest: Buffer,
): DetachedCmsVerification | undefined {
  const top = elementAt(der, 0, der.length);
  if (top?.tag !== 0x30 || top.end !== der.length) return undefined;
  const info = childrenOf(der, top);
  if (info?.length !== 2 || !DER.signedData.equals(bytesOf(der, info[0]!))) return undefined;
  if (info[1]!.tag !== 0xa0) return undefined;
  const wrapped = childrenOf(der, info[1]!);
  if (wrapped?.length !== 1 || wrapped[0]!.tag !== 0x30) return undefined;
  const signedData = childrenOf(der, wrapped[0]!);
  if (signedData?.length !== 5) return undefined;
  const [version, digestAlgorithms, encapsulated, certificates, signerInfos] = signedData as [
    Element,
    Element,
    Element,
    Element,
    Element,
  ];
  if (!DER.version1.equals(bytesOf(der, version)) || digestAlgorithms.tag !== 0x31) {
    return undefined;
  }
  const algorithms = childrenOf(der, digestAlgorithms);
  if (algorithms?.length !== 1 || !isAlgorithm(der, algorithms[0]!, [DER.sha256])) {
    return undefined;
  }
  if (encapsulated.tag !== 0x30) return undefined;
  const content = childrenOf(der, encapsulated);
  if (content?.length !== 1 || !DER.data.equals(bytesOf(der, content[0]!))) return undefined;
  if (certificates.tag !== 0xa0 || signerInfos.tag !== 0x31) return undefined;
  const carried = childrenOf(der, certificates);
  if (carried?.length !== 1 || carried[0]!.tag !== 0x30) return undefined;
  const certificate = SIGNER_CERTIFICATES.get(bytesOf(der, carried[0]!).toString("base64"));
  if (!certificate) return undefined;
  const signers = childrenOf(der, signerInfos);
  if (signers?.length !== 1 || signers[0]!.tag !== 0x30) return undefined;
  const signer = childrenOf(der, signers[0]!);
  if (!signer || (signer.length !== 5 && signer.length !== 6)) return undefined;
  const withAttributes = signer.length === 6;
  const [signerVersion, sid, digestAlgorithm] = signer as [Element, Element, Element];
  const attributes = withAttributes ? signer[3]! : undefined;
  const signatureAlgorithm = signer[withAttributes ? 4 : 3]!;
  const signatureValue = signer[withAttributes ? 5 : 4]!;
  if (!DER.version1.equals(bytesOf(der, signerVersion)) || sid.tag !== 0x30) return undefined;
  if (!isAlgorithm(der, digestAlgorithm, [DER.sha256])) return undefined;
  if (!isAlgorithm(der, signatureAlgorithm, [DER.rsaEncryption, DER.sha256WithRsa])) {
    return undefined;
  }
  if (signatureValue.tag !== 0x04 || (attributes && attributes.tag !== 0xa0)) return undefined;

  // The signer is named by the certificate's own issuer and serial number, byte for byte.
  const named = childrenOf(der, sid);
  const raw = certificate.raw;
  const certificateTop = elementAt(raw, 0, raw.length);
  const tbs = certificateTop && childrenOf(raw, certificateTop)?.[0];
  const tbsParts = tbs && childrenOf(raw, tbs);
  const offset = tbsParts?.[0]?.tag === 0xa0 ? 1 : 0;
  const serial = tbsParts?.[offset];
  const issuer = tbsParts?.[offset + 2];
  if (named?.length !== 2 || !serial || !issuer) return undefined;
  if (!bytesOf(raw, issuer).equals(bytesOf(der, named[0]!))) return undefined;
  if (!bytesOf(raw, serial).equals(bytesOf(der, named[1]!))) return undefined;

  const signature = Buffer.from(contentOf(der, signatureValue));
  const signed = { certificate, signature, attachedContent: false, der };
  if (!attributes) return verdict(signed, digest);
  let contentType: Element | undefined;
  let messageDigest: Element | undefined;
  let signingTime: Element | undefined;
  for (const attribute of childrenOf(der, attributes) ?? [undefined]) {
    if (attribute?.tag !== 0x30) return undefined;
    const parts = childrenOf(der, attribute);
    if (parts?.length !== 2 || parts[1]!.tag !== 0x31) return undefined;
    const values = childrenOf(der, parts[1]!);
    if (values?.length !== 1) return undefined;
    const type = bytesOf(der, parts[0]!);
    const value = values[0]!;
    if (type.equals(DER.contentType) && !contentType) contentType = value;
    else if (type.equals(DER.messageDigest) && !messageDigest) messageDigest = value;
    else if (type.equals(DER.signingTime) && !signingTime) signingTime = value;
    else return undefined;
  }
  if (!contentType || !DER.data.equals(bytesOf(der, contentType))) return undefined;
  if (messageDigest?.tag !== 0x04) return undefined;
  const signedAt = signingTime ? timeOf(der, signingTime) : undefined;
  if (signingTime && !signedAt) return undefined;
  // The signature is over DER(SignedAttributes): the [0] IMPLICIT tag read as SET (RFC 5652 §5.4).
  const signedBytes = Buffer.from(bytesOf(der, attributes));
  signedBytes[0] = 0x31;
  return verdict(signed, digest, {
    signedBytes,
    messageDigest: Buffer.from(contentOf(der, messageDigest)),
    signedAt,
  });
}

/**
 * The verification of one signer's RSA signature, however its CMS was read (by pkijs or from
 * the DER). RFC 5652 §5.4: without signed attributes the signature is over the content's digest;
 * with them it is over DER(SignedAttributes), whose messageDigest names the document.
 */
function verdict(
  signer: {
    certificate: X509Certificate;
    signature: Buffer;
    attachedContent: boolean;
    der: Buffer;
  },
  digest: Buffer,
  attributes?: { signedBytes: Buffer; messageDigest: Buffer; signedAt: Date | undefined },
): DetachedCmsVerification {
  const { certificate, signature, attachedContent, der } = signer;
  if (!attributes) {
    const signedDigest = recoverSha256(certificate.publicKey, signature);
    return {
      certificate,
      signedAt: undefined,
      digestMatches: signedDigest?.equals(digest) === true,
      signatureValid: signedDigest !== undefined,
      signedAttributes: false,
      attachedContent,
      der,
    };
  }
  return {
    certificate,
    signedAt: attributes.signedAt,
    digestMatches: attributes.messageDigest.equals(digest),
    signatureValid: verifiesWith(certificate.publicKey, attributes.signedBytes, signature),
    signedAttributes: true,
    attachedContent,
    der,
  };
}

/**
 * The DER of a PEM «PKCS7» or «CMS» block, or the bytes themselves when they start like DER.
 * Read here in linear time: a regular expression with a back-reference over a megabyte of
 * «-----BEGIN» repeated would take minutes.
 */
function readCmsBytes(cms: Uint8Array): Buffer {
  if (cms.length === 0) throw malformed();
  if (cms[0] === 0x30) return Buffer.from(cms);
  const text = Buffer.from(cms).toString("latin1");
  const begin = text.indexOf(PEM_BEGIN);
  if (begin < 0) throw malformed();
  const labelStart = begin + PEM_BEGIN.length;
  const labelEnd = text.indexOf("-----", labelStart);
  const label = text.slice(labelStart, labelEnd);
  if (labelEnd < 0 || (label !== "PKCS7" && label !== "CMS")) throw malformed();
  const end = text.indexOf(`-----END ${label}-----`, labelEnd + 5);
  if (end < 0) throw malformed();
  const body = text.slice(labelEnd + 5, end).replace(/\s+/g, "");
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw malformed();
  return Buffer.from(body, "base64");
}

/**
 * The certificate the SignerInfo names (issuerAndSerialNumber or subjectKeyIdentifier), taken
 * byte for byte from the CMS so Node reads exactly what was signed by its issuer.
 */
function signerCertificate(
  pkijs: typeof Pkijs,
  signed: Pkijs.SignedData,
  signedDataBlock: asn1js.Sequence,
  signerInfo: Pkijs.SignerInfo,
): X509Certificate {
  const noCertificate = new CmsSignatureError(
    "no_signer_certificate",
    "La firma no incluye el certificado de quien firmó: vuelve a generarla incluyendo el certificado de la e.firma.",
  );
  const parsed = signed.certificates ?? [];
  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
  //   certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] …, signerInfos }
  const set = signedDataBlock.valueBlock.value.find(
    (block) => block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 0,
  ) as asn1js.Constructed | undefined;
  const raw = set?.valueBlock.value ?? [];
  if (raw.length !== parsed.length) throw malformed();
  const matches = new Set<string>();
  let found: X509Certificate | undefined;
  parsed.forEach((certificate, index) => {
    if (!(certificate instanceof pkijs.Certificate)) return;
    if (!namesSigner(pkijs, signerInfo.sid, certificate)) return;
    const bytes = Buffer.from(raw[index]!.valueBeforeDecodeView);
    matches.add(bytes.toString("base64"));
    found ??= new X509Certificate(bytes);
  });
  if (!found) throw noCertificate;
  // Two different certificates under one name: which one signed is not decidable.
  if (matches.size > 1) throw malformed();
  return found;
}

function namesSigner(
  pkijs: typeof Pkijs,
  sid: Pkijs.SignerInfo["sid"],
  certificate: Pkijs.Certificate,
): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return (
      sid.issuer.isEqual(certificate.issuer) && sid.serialNumber.isEqual(certificate.serialNumber)
    );
  }
  // subjectKeyIdentifier [0] IMPLICIT OCTET STRING (pkijs also admits it wrapped).
  const block = sid as asn1js.BaseBlock;
  if (block.idBlock?.tagClass !== 3 || block.idBlock.tagNumber !== 0) return false;
  const keyId =
    block instanceof asn1js.Constructed
      ? (block.valueBlock.value[0] as asn1js.OctetString | undefined)?.valueBlock.valueHexView
      : (block as asn1js.Primitive).valueBlock.valueHexView;
  if (!keyId || keyId.length === 0) return false;
  return Buffer.from(keyId).equals(subjectKeyIdentifier(certificate));
}

/** The certificate's subjectKeyIdentifier, or SHA-1 of its public key (RFC 5280 §4.2.1.2). */
function subjectKeyIdentifier(certificate: Pkijs.Certificate): Buffer {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (extension?.parsedValue instanceof asn1js.OctetString) {
    return Buffer.from(extension.parsedValue.valueBlock.valueHexView);
  }
  return createHash("sha1")
    .update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
}

/** The single value of a signed attribute, or undefined; repeated ones make the CMS invalid. */
function singleAttribute(attributes: Pkijs.Attribute[], type: string): asn1js.AsnType | undefined {
  const found = attributes.filter((a) => a.type === type);
  if (found.length === 0) return undefined;
  const values = found[0]!.values;
  if (found.length > 1 || values.length !== 1) throw malformed();
  return values[0];
}

function readTime(value: asn1js.AsnType): Date {
  if (!(value instanceof asn1js.UTCTime) && !(value instanceof asn1js.GeneralizedTime)) {
    throw malformed();
  }
  const date = value.toDate();
  if (Number.isNaN(date.getTime())) throw malformed();
  return date;
}

/** The bytes of an OCTET STRING, primitive or constructed (BER streaming). */
function octetStringBytes(block: asn1js.BaseBlock, depth: number): Buffer {
  if (!(block instanceof asn1js.OctetString) || depth > 8) throw malformed();
  if (!block.valueBlock.isConstructed) return Buffer.from(block.valueBlock.valueHexView);
  return Buffer.concat(block.valueBlock.value.map((part) => octetStringBytes(part, depth + 1)));
}

/** The SHA-256 an RSA PKCS #1 v1.5 signature carries, or undefined if it is not one. */
function recoverSha256(publicKey: KeyObject, signature: Buffer): Buffer | undefined {
  let digestInfo: Buffer;
  try {
    digestInfo = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return undefined;
  }
  for (const prefix of DIGEST_INFO_PREFIXES) {
    if (
      digestInfo.length === prefix.length + 32 &&
      digestInfo.subarray(0, prefix.length).equals(prefix)
    ) {
      return digestInfo.subarray(prefix.length);
    }
  }
  return undefined;
}

function verifiesWith(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify("sha256", data, publicKey, signature);
  } catch {
    return false;
  }
}

function algorithmName(oid: string): string {
  return ALGORITHM_NAMES[oid] ?? oid;
}

function malformed(): CmsSignatureError {
  return new CmsSignatureError("malformed_cms", MALFORMED);
}

function unsupportedContentType(): CmsSignatureError {
  return new CmsSignatureError(
    "unsupported_content_type",
    "La firma no es sobre un documento (su tipo de contenido no es «data»): no es una firma de documento.",
  );
}
