import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

/*
 * Isomorphic: the server wraps the Terms signature with it, and the browser builds the .p7s a
 * public servant signs a notification's PDF with (web/src/notificaciones). Building the structure
 * needs no crypto engine, so nothing here is node-only.
 */

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
} as const;

/**
 * Wraps a signature the browser made — RSASSA-PKCS1-v1_5 with SHA-256 over a text's UTF-8
 * bytes — and its certificate in a detached CMS SignedData WITHOUT signed attributes (RFC 5652
 * §5.4: then the signature is over the content's digest, exactly what the browser signed), as
 * `openssl cms -sign -noattr` makes one. The bytes signed may be a text's or a PDF's. The .p7s adds no claim of ours: anyone verifies it
 * with `openssl cms -verify -binary -content texto.txt` or on the verification page.
 */
export function detachedCmsOf(certificateDer: Uint8Array, signature: Uint8Array): Uint8Array {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(certificateDer));
  const algorithm = (algorithmId: string) =>
    new pkijs.AlgorithmIdentifier({ algorithmId, algorithmParams: new asn1js.Null() });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }),
    digestAlgorithm: algorithm(OID.sha256),
    signatureAlgorithm: algorithm(OID.rsaEncryption),
    signature: new asn1js.OctetString({ valueHex: new Uint8Array(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [algorithm(OID.sha256)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
    certificates: [certificate],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
