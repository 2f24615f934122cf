import forge from "node-forge";
import { type Asn1, children, isUniversal, Type } from "./asn1.ts";
import { bytesToBase64, fromBinaryString, pemText, toBinaryString } from "./bytes.ts";
import { EfirmaBrowserError } from "./errors.ts";
import { SIGNATURE_ALGORITHM } from "./privateKey.ts";

/**
 * Reads the certificate (`.cer`) of an e.firma. What is read here is for display and early
 * warnings only: the server checks the certificate again, fully, before trusting anything.
 */

const OID_X500_UNIQUE_IDENTIFIER = "2.5.4.45";
const OID_NAME = "2.5.4.41";
const OID_COMMON_NAME = "2.5.4.3";

export interface CertificateFile {
  /** The DER of the certificate, base64: what the server receives. */
  base64: string;
  /** The holder's RFC (the first part of subject 2.5.4.45), or null if the subject has none. */
  rfc: string | null;
  /** For a persona moral, the representative's RFC (the second part of 2.5.4.45). */
  representativeRfc: string | null;
  /** The holder's name (subject `name`, else the common name). */
  name: string | null;
  /** The DER SubjectPublicKeyInfo, to check that a private key belongs to this certificate. */
  publicKeyInfo: Uint8Array<ArrayBuffer>;
}

/** A directory string as text: UTF8String and BMPString decoded, the rest read byte by byte. */
function directoryString(node: Asn1): string | null {
  if (typeof node.value !== "string") return null;
  if (node.type === Type.UTF8) {
    try {
      return forge.util.decodeUtf8(node.value);
    } catch {
      return null;
    }
  }
  if (node.type === Type.BMPSTRING) {
    let text = "";
    for (let i = 0; i + 1 < node.value.length; i += 2) {
      text += String.fromCharCode((node.value.charCodeAt(i) << 8) | node.value.charCodeAt(i + 1));
    }
    return text;
  }
  return node.value;
}

/** The subject's attributes, by OID (the first value of each). */
function subjectAttributes(subject: Asn1): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const set of children(subject)) {
    for (const pair of children(set)) {
      const [oid, value] = children(pair);
      if (!isUniversal(oid, Type.OID) || typeof oid.value !== "string" || !value) continue;
      const type = forge.asn1.derToOid(oid.value);
      const text = directoryString(value);
      if (text !== null && !attributes.has(type)) attributes.set(type, text);
    }
  }
  return attributes;
}

/** "EKU9003173C9 / VADA800927DJ3" → ["EKU9003173C9", "VADA800927DJ3"]; "" parts are null. */
function splitRfcs(value: string | undefined): [string | null, string | null] {
  if (value === undefined) return [null, null];
  const [own, representative] = value.split("/").map((part) => part.trim().toUpperCase());
  return [own || null, representative || null];
}

function certificateDer(bytes: Uint8Array): string {
  const text = pemText(bytes);
  if (text === undefined) return toBinaryString(bytes);
  let blocks: forge.pem.ObjectPEM[];
  try {
    blocks = forge.pem.decode(text);
  } catch (cause) {
    throw new EfirmaBrowserError("not_a_certificate", { cause });
  }
  const block = blocks.find((candidate) => /^(X509 )?CERTIFICATE$/.test(candidate.type));
  if (!block) throw new EfirmaBrowserError("not_a_certificate");
  return block.body;
}

/**
 * Reads a certificate file (DER, or PEM "-----BEGIN CERTIFICATE-----").
 *
 * @throws EfirmaBrowserError `not_a_certificate` when the file is not an X.509 certificate.
 */
export function readCertificateFile(bytes: Uint8Array): CertificateFile {
  const der = certificateDer(bytes);
  let root: Asn1;
  try {
    root = forge.asn1.fromDer(der, true);
  } catch (cause) {
    throw new EfirmaBrowserError("not_a_certificate", { cause });
  }
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
  const [tbs, signatureAlgorithm, signature] = children(root);
  if (
    !isUniversal(root, Type.SEQUENCE) ||
    !isUniversal(tbs, Type.SEQUENCE) ||
    !isUniversal(signatureAlgorithm, Type.SEQUENCE) ||
    !isUniversal(signature, Type.BITSTRING)
  ) {
    throw new EfirmaBrowserError("not_a_certificate");
  }
  // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
  //   validity, subject, subjectPublicKeyInfo, … }
  const fields = children(tbs);
  const first = fields[0];
  const offset =
    first && first.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && first.type === 0 ? 1 : 0;
  const subject = fields[offset + 4];
  const publicKey = fields[offset + 5];
  if (!isUniversal(subject, Type.SEQUENCE) || !isUniversal(publicKey, Type.SEQUENCE)) {
    throw new EfirmaBrowserError("not_a_certificate");
  }

  const attributes = subjectAttributes(subject);
  const [rfc, representativeRfc] = splitRfcs(attributes.get(OID_X500_UNIQUE_IDENTIFIER));
  const name = (attributes.get(OID_NAME) ?? attributes.get(OID_COMMON_NAME))?.trim() || null;
  return {
    base64: bytesToBase64(fromBinaryString(der)),
    rfc,
    representativeRfc,
    name,
    publicKeyInfo: fromBinaryString(forge.asn1.toDer(publicKey).getBytes()),
  };
}

/**
 * Whether a private key belongs to the certificate: a throwaway text signed with the key must
 * verify with the certificate's public key. A convenience for a clear early message only.
 */
export async function keyMatchesCertificate(
  key: CryptoKey,
  certificate: CertificateFile,
): Promise<boolean> {
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey(
      "spki",
      certificate.publicKeyInfo,
      SIGNATURE_ALGORITHM,
      false,
      ["verify"],
    );
  } catch {
    return false; // not an RSA certificate, so not the pair of an RSA key
  }
  const probe = crypto.getRandomValues(new Uint8Array(32));
  const signature = await crypto.subtle.sign(SIGNATURE_ALGORITHM.name, key, probe);
  return crypto.subtle.verify(SIGNATURE_ALGORITHM.name, publicKey, signature, probe);
}
