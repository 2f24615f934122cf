import { Buffer } from "node:buffer";
import { createHash, sign, type X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import type * as Pkijs from "pkijs";
import { CmsSignatureError } from "./cms-signature.ts";
import { withPkijs } from "./pkijs-engine.ts";
import type { InstituteSeal } from "./seal.ts";
import { TsaError } from "./tsa.ts";

/**
 * The CMS of a PAdES signature (ETSI EN 319 142-1, baseline B-B, and B-T with a time-stamp):
 * a detached SignedData over the PDF's ByteRange, signed by the Institute's seal, WITH signed
 * attributes (content-type, message-digest and ESS signing-certificate-v2, RFC 5035, naming the
 * seal certificate). PAdES forbids the signing-time attribute: the time is the signature
 * dictionary's /M, and a trusted one is the signature time-stamp (unsigned attribute).
 *
 * RSA PKCS#1 v1.5 is deterministic, and nothing here reads the clock: the same bytes give the
 * same CMS, so an acuse's PDF is the same file on every download.
 */

export const PADES_OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
} as const;

/** The parts of a PAdES CMS before and after its signature value is known. */
export interface PadesCms {
  /** The DER ContentInfo to put in the PDF's /Contents. */
  der: Buffer;
  /** The RSA signature value: what a signature time-stamp token covers (its SHA-256). */
  signatureValue: Buffer;
}

/**
 * Signs `content` (the PDF bytes the ByteRange covers) with the seal. With `timestampToken`
 * (an RFC 3161 TimeStampToken over SHA-256 of this same signature value), it is embedded as
 * the id-aa-signatureTimeStampToken unsigned attribute.
 */
export function padesCms(
  seal: InstituteSeal,
  content: Uint8Array,
  timestampToken?: Uint8Array,
): PadesCms {
  const pkijs = withPkijs();
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(seal.certificateDer));
  const digest = createHash("sha256").update(content).digest();
  const attributes = sortedForDer([
    new pkijs.Attribute({
      type: PADES_OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: PADES_OID.data })],
    }),
    new pkijs.Attribute({
      type: PADES_OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: new Uint8Array(digest) })],
    }),
    new pkijs.Attribute({
      type: PADES_OID.signingCertificateV2,
      values: [signingCertificateV2(certificate, seal.certificateDer)],
    }),
  ]);
  // RFC 5652 §5.4: the signature is over DER(SET OF Attribute), tag 0x31, not the [0] IMPLICIT.
  const signedBytes = Buffer.from(
    new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(),
  );
  const signatureValue = sign("sha256", signedBytes, seal.privateKey);
  const sha256 = () =>
    new pkijs.AlgorithmIdentifier({
      algorithmId: PADES_OID.sha256,
      algorithmParams: new asn1js.Null(),
    });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }),
    digestAlgorithm: sha256(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: PADES_OID.sha256WithRsa,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: new Uint8Array(signatureValue) }),
  });
  if (timestampToken) {
    const token = asn1js.fromBER(new Uint8Array(timestampToken));
    if (token.offset === -1)
      throw new TsaError("tsa_invalid", "El sello de tiempo no es DER válido.");
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [
        new pkijs.Attribute({ type: PADES_OID.signatureTimeStampToken, values: [token.result] }),
      ],
    });
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: PADES_OID.data }),
    signerInfos: [signerInfo],
    certificates: [certificate],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: PADES_OID.signedData,
    content: signedData.toSchema(true),
  });
  return { der: Buffer.from(contentInfo.toSchema().toBER()), signatureValue };
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2
 * { certHash (SHA-256, the DEFAULT algorithm, so omitted in DER), issuerSerial }.
 */
function signingCertificateV2(certificate: Pkijs.Certificate, der: Uint8Array): asn1js.Sequence {
  const hash = createHash("sha256").update(der).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames: one directoryName [4] (EXPLICIT, as Name is a CHOICE).
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [certificate.issuer.toSchema()],
          }),
        ],
      }),
      certificate.serialNumber,
    ],
  });
  return new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.OctetString({ valueHex: new Uint8Array(hash) }), issuerSerial],
          }),
        ],
      }),
    ],
  });
}

/** DER orders a SET OF by the encodings of its elements (X.690 §11.6). */
function sortedForDer(attributes: Pkijs.Attribute[]): Pkijs.Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return encoded.map((e) => e.a);
}

/** What a PAdES CMS says besides what verifyDetachedCmsSignature checks. */
export interface PadesCmsFacts {
  /** signing-certificate-v2 names exactly this certificate (SHA-256 of its DER). */
  signingCertificateMatches: boolean;
  /** The signature value, and the time-stamp token over it when there is one. */
  signatureValue: Buffer;
  timestampToken: Buffer | undefined;
}

/**
 * Reads the ESS signing-certificate-v2 and the signature time-stamp of a single-signer CMS whose
 * signature was already checked (the caller runs verifyDetachedCmsSignature first).
 */
export function padesCmsFacts(der: Uint8Array, certificate: X509Certificate): PadesCmsFacts {
  const pkijs = withPkijs();
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  const signed = new pkijs.SignedData({ schema: info.content });
  const signer = signed.signerInfos[0];
  if (!signer) throw new CmsSignatureError("malformed_cms", "La firma no tiene firmante.");
  const expected = createHash("sha256").update(certificate.raw).digest();
  let matches = false;
  const essAttributes =
    signer.signedAttrs?.attributes.filter((a) => a.type === PADES_OID.signingCertificateV2) ?? [];
  const value = essAttributes.length === 1 ? essAttributes[0]?.values[0] : undefined;
  if (value instanceof asn1js.Sequence) {
    const certs = value.valueBlock.value[0];
    const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
    if (first instanceof asn1js.Sequence) {
      // hashAlgorithm is omitted when SHA-256 (DEFAULT); anything else is not what we issue.
      const hash = first.valueBlock.value[0];
      matches =
        hash instanceof asn1js.OctetString &&
        Buffer.from(hash.valueBlock.valueHexView).equals(expected);
    }
  }
  const stamp = signer.unsignedAttrs?.attributes.find(
    (a) => a.type === PADES_OID.signatureTimeStampToken,
  )?.values[0];
  return {
    signingCertificateMatches: matches,
    signatureValue: Buffer.from(signer.signature.valueBlock.valueHexView),
    timestampToken: stamp ? Buffer.from(stamp.toBER()) : undefined,
  };
}
