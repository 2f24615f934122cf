import { Buffer } from "node:buffer";
import { createPrivateKey, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import type { EfirmaCertificate } from "./certificate.ts";
import { EfirmaError, MAX_CREDENTIAL_FILE_BYTES } from "./errors.ts";
import { readPem } from "./pem.ts";

const NOT_A_KEY =
  "El archivo no es una llave privada válida (se espera el archivo .key de la e.firma).";
const WRONG_PASSWORD = "La contraseña de la llave privada es incorrecta.";
const PBES2 = "1.2.840.113549.1.5.13";
/**
 * SAT uses 2048 PBKDF2 iterations; a file asking for millions would make opening it a denial of
 * service (2^31 iterations take minutes), so more than this is refused.
 */
const MAX_PBKDF2_ITERATIONS = 1_000_000;

/**
 * Opens a private key as SAT issues it (DER PKCS#8 EncryptedPrivateKeyInfo, PBES2 /
 * PBKDF2-HMAC-SHA1 / 3DES) or re-wrapped (AES PBES2, PBE-SHA1-3DES, encrypted PEM). Used by the
 * command line and the development CA only: users' keys are opened in their browser.
 */
export function openPrivateKey(bytes: Uint8Array, password: string): KeyObject {
  if (bytes.length > MAX_CREDENTIAL_FILE_BYTES) {
    throw new EfirmaError("file_too_large", "El archivo de la llave privada es demasiado grande.");
  }
  const pem = readPem(bytes);
  if (!pem) return openEncryptedDer(Buffer.from(bytes), password);
  switch (pem.label) {
    case "ENCRYPTED PRIVATE KEY":
      // Through the DER: OpenSSL's PEM decoder reports some wrong passwords as «unsupported».
      return openEncryptedDer(pem.der, password);
    case "RSA PRIVATE KEY":
      // PKCS#1, encrypted only when it says so in its Proc-Type header.
      return open(
        () => createPrivateKey({ key: pem.text, format: "pem", passphrase: password }),
        /Proc-Type:\s*4,ENCRYPTED/.test(pem.text) ? "password" : "structure",
      );
    case "PRIVATE KEY":
      return open(() => createPrivateKey({ key: pem.text, format: "pem" }), "structure");
    default:
      throw new EfirmaError("not_a_key", NOT_A_KEY);
  }
}

function openEncryptedDer(der: Buffer, password: string): KeyObject {
  const iterations = encryptedKeyIterations(der);
  if (iterations === undefined) throw new EfirmaError("not_a_key", NOT_A_KEY);
  if (iterations > MAX_PBKDF2_ITERATIONS) {
    throw new EfirmaError(
      "unsupported_key",
      "La llave privada pide un cifrado de costo desmedido; vuelve a generarla con el SAT.",
    );
  }
  return open(
    () => createPrivateKey({ key: der, format: "der", type: "pkcs8", passphrase: password }),
    "password",
  );
}

/**
 * With the structure known to be an encrypted key, any failure to decrypt is the password (a
 * wrong 3DES key sometimes passes the padding check and fails later as «bad ASN.1»); only
 * OpenSSL's «unsupported algorithm» means the cipher itself.
 */
function open(read: () => KeyObject, failureMeans: "password" | "structure"): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_OSSL_EVP_UNSUPPORTED") {
      throw new EfirmaError(
        "unsupported_key",
        "La llave privada usa un cifrado obsoleto que no se admite; vuelve a generarla con el SAT.",
        { cause: error },
      );
    }
    if (failureMeans === "password")
      throw new EfirmaError("wrong_password", WRONG_PASSWORD, { cause: error });
    throw new EfirmaError("not_a_key", NOT_A_KEY, { cause: error });
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new EfirmaError(
      "not_a_key",
      "La llave privada no es RSA, como las de la e.firma del SAT.",
    );
  }
  return key;
}

/**
 * EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }: undefined when the
 * bytes are not one; else its iteration count (PBES2/PBKDF2 or PKCS#12 PBE).
 */
function encryptedKeyIterations(der: Buffer): number | undefined {
  try {
    const asn1 = asn1js.fromBER(new Uint8Array(der));
    if (asn1.offset === -1 || asn1.offset !== der.length) return undefined;
    const top = asn1.result;
    if (!(top instanceof asn1js.Sequence) || top.valueBlock.value.length !== 2) return undefined;
    const [algorithm, data] = top.valueBlock.value;
    if (!(algorithm instanceof asn1js.Sequence) || !(data instanceof asn1js.OctetString))
      return undefined;
    const [oid, parameters] = algorithm.valueBlock.value;
    if (!(oid instanceof asn1js.ObjectIdentifier)) return undefined;
    // PBES2-params ::= SEQUENCE { keyDerivationFunc SEQUENCE { PBKDF2, SEQUENCE { salt, count, … } }, … }
    // PKCS#12 PBE params ::= SEQUENCE { salt, iterations }
    const params = parameters as asn1js.Sequence | undefined;
    const countBlock =
      oid.valueBlock.toString() === PBES2
        ? (
            (params?.valueBlock?.value?.[0] as asn1js.Sequence | undefined)?.valueBlock
              ?.value?.[1] as asn1js.Sequence | undefined
          )?.valueBlock?.value?.[1]
        : params?.valueBlock?.value?.[1];
    if (!(countBlock instanceof asn1js.Integer)) return undefined;
    // valueDec is 0 for integers past 32 bits in asn1js: read the bytes.
    const hex = Buffer.from(countBlock.valueBlock.valueHexView).toString("hex") || "0";
    const count = BigInt(`0x${hex}`);
    return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
  } catch {
    return undefined;
  }
}

/** Whether a private key is the one of a certificate. */
export function keyMatchesCertificate(certificate: EfirmaCertificate, key: KeyObject): boolean {
  return certificate.x509.checkPrivateKey(key);
}
