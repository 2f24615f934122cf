import forge from "node-forge";
import { type Asn1, children, isUniversal, Type } from "./asn1.ts";
import { fromBinaryString, pemText, toBinaryString } from "./bytes.ts";
import { EfirmaBrowserError } from "./errors.ts";

/**
 * Opens the private key of an e.firma in the browser. SAT `.key` files are DER PKCS#8
 * EncryptedPrivateKeyInfo with PBES2 / PBKDF2-HMAC-SHA1 / 2048 iterations / des-ede3-cbc, which
 * WebCrypto cannot import: node-forge decrypts them, and the plain PKCS#8 is handed to WebCrypto
 * as a non-extractable signing key. Neither the key nor its password leaves this module.
 */

const OID_PBES2 = "1.2.840.113549.1.5.13";
const OID_RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

/** RSASSA-PKCS1-v1_5 with SHA-256, the signature of the e.firma. */
export const SIGNATURE_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

const PEM_KEY_TYPES = new Set(["ENCRYPTED PRIVATE KEY", "PRIVATE KEY", "RSA PRIVATE KEY"]);

function parseDer(der: string): Asn1 {
  try {
    return forge.asn1.fromDer(der, true);
  } catch (cause) {
    throw new EfirmaBrowserError("not_a_key", { cause });
  }
}

/** PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, key OCTET STRING, … } */
function isPrivateKeyInfo(node: Asn1 | null): node is Asn1 {
  if (!node || !isUniversal(node, Type.SEQUENCE)) return false;
  const [version, algorithm, key] = children(node);
  return (
    isUniversal(version, Type.INTEGER) &&
    isUniversal(algorithm, Type.SEQUENCE) &&
    isUniversal(children(algorithm)[0], Type.OID) &&
    isUniversal(key, Type.OCTETSTRING)
  );
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, encryptedData OCTET STRING } */
function isEncryptedPrivateKeyInfo(node: Asn1): boolean {
  if (!isUniversal(node, Type.SEQUENCE)) return false;
  const parts = children(node);
  const [algorithm, data] = parts;
  return (
    parts.length === 2 &&
    isUniversal(algorithm, Type.SEQUENCE) &&
    isUniversal(children(algorithm)[0], Type.OID) &&
    isUniversal(data, Type.OCTETSTRING)
  );
}

/** RSAPrivateKey (PKCS#1) ::= SEQUENCE { version, modulus, publicExponent, … } of INTEGERs */
function isRsaPrivateKey(node: Asn1): boolean {
  const parts = children(node);
  return (
    isUniversal(node, Type.SEQUENCE) &&
    parts.length >= 9 &&
    parts.every((part) => isUniversal(part, Type.INTEGER))
  );
}

function algorithmOid(node: Asn1, index: number): string {
  const algorithm = children(node)[index];
  const oid = algorithm ? children(algorithm)[0] : undefined;
  return oid && typeof oid.value === "string" ? forge.asn1.derToOid(oid.value) : "";
}

/**
 * Decrypts an EncryptedPrivateKeyInfo. PBES2 derives its key from the password's UTF-8 bytes
 * (as OpenSSL does); the PKCS#12 schemes read the password as text themselves.
 */
function decryptPrivateKeyInfo(encrypted: Asn1, password: string): Asn1 {
  const scheme = algorithmOid(encrypted, 0);
  const secret = scheme === OID_PBES2 ? forge.util.encodeUtf8(password) : password;
  let info: Asn1 | null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(encrypted, secret);
  } catch (cause) {
    // An unknown scheme or cipher is refused before anything is decrypted; anything else is
    // a decryption that produced garbage, which is what a wrong password does.
    const message = cause instanceof Error ? cause.message : "";
    if (/unsupported|unknown|cannot read|iteration/i.test(message)) {
      throw new EfirmaBrowserError("unsupported_key", { cause });
    }
    throw new EfirmaBrowserError("wrong_password", { cause });
  }
  // A wrong password almost always fails the padding check (null); when the padding happens to
  // pass, what comes out is not a PrivateKeyInfo.
  if (!isPrivateKeyInfo(info)) {
    if (info) wipeAsn1(info);
    throw new EfirmaBrowserError("wrong_password");
  }
  return info;
}

/** A legacy encrypted PKCS#1 PEM ("Proc-Type: 4,ENCRYPTED"), as OpenSSL 1.x wrote them. */
function decryptLegacyPem(pem: string, password: string): Asn1 {
  let key: forge.pki.rsa.PrivateKey | null;
  try {
    key = forge.pki.decryptRsaPrivateKey(pem, password);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : "";
    if (/unsupported/i.test(message)) throw new EfirmaBrowserError("unsupported_key", { cause });
    throw new EfirmaBrowserError("wrong_password", { cause });
  }
  if (!key) throw new EfirmaBrowserError("wrong_password");
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
  // Drop the big integers of the key; only the DER tree goes on.
  for (const field of ["n", "e", "d", "p", "q", "dP", "dQ", "qInv"] as const) {
    (key as unknown as Record<string, unknown>)[field] = null;
  }
  return info;
}

/** The unencrypted PKCS#8 PrivateKeyInfo of the file, decrypting it with the password. */
function privateKeyInfo(keyBytes: Uint8Array, password: string): Asn1 {
  let der: string;
  const text = pemText(keyBytes);
  if (text !== undefined) {
    let blocks: forge.pem.ObjectPEM[];
    try {
      blocks = forge.pem.decode(text);
    } catch (cause) {
      throw new EfirmaBrowserError("not_a_key", { cause });
    }
    const block = blocks.find((candidate) => PEM_KEY_TYPES.has(candidate.type));
    if (!block) throw new EfirmaBrowserError("not_a_key");
    if (block.type === "RSA PRIVATE KEY" && block.procType?.type === "ENCRYPTED") {
      return decryptLegacyPem(text, password);
    }
    der = block.body;
  } else {
    der = toBinaryString(keyBytes);
  }

  const root = parseDer(der);
  if (isEncryptedPrivateKeyInfo(root)) return decryptPrivateKeyInfo(root, password);
  if (isPrivateKeyInfo(root)) return root;
  if (isRsaPrivateKey(root)) return forge.pki.wrapRsaPrivateKey(root);
  throw new EfirmaBrowserError("not_a_key");
}

/**
 * Forgets the decrypted key held in a forge ASN.1 tree, as far as JavaScript allows: strings
 * cannot be overwritten, but every reference to them is dropped so they can be collected.
 */
function wipeAsn1(node: Asn1): void {
  if (Array.isArray(node.value)) {
    for (const child of node.value) wipeAsn1(child);
    node.value.length = 0;
  } else {
    node.value = "";
  }
  const extra = node as unknown as Record<string, unknown>;
  for (const field of ["bitStringContents", "original"]) {
    if (field in extra) extra[field] = undefined;
  }
}

/**
 * Opens a private key (`.key`: DER or PEM, encrypted or not) with its password and returns a
 * non-extractable WebCrypto key that can only sign (RSASSA-PKCS1-v1_5 with SHA-256).
 *
 * @throws EfirmaBrowserError `wrong_password`, `not_a_key` or `unsupported_key`.
 */
export async function openPrivateKey(keyBytes: Uint8Array, password: string): Promise<CryptoKey> {
  const info = privateKeyInfo(keyBytes, password);
  let der: Uint8Array<ArrayBuffer> | undefined;
  try {
    if (algorithmOid(info, 1) !== OID_RSA_ENCRYPTION) {
      throw new EfirmaBrowserError("unsupported_key");
    }
    const buffer = forge.asn1.toDer(info);
    der = fromBinaryString(buffer.getBytes());
    buffer.clear();
    try {
      return await crypto.subtle.importKey("pkcs8", der, SIGNATURE_ALGORITHM, false, ["sign"]);
    } catch (cause) {
      throw new EfirmaBrowserError("unsupported_key", { cause });
    }
  } finally {
    der?.fill(0);
    wipeAsn1(info);
  }
}
