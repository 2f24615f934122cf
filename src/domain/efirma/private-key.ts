import { Buffer } from "node:buffer";
import { createPrivateKey, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import type { EfirmaCertificate } from "./certificate.ts";
import { EfirmaError, MAX_CREDENTIAL_FILE_BYTES } from "./errors.ts";
import { readPem } from "./pem.ts";

const NOT_A_KEY =
  "El archivo no es una llave privada válida (se espera el archivo .key de la e.firma).";
const WRONG_PASSWORD = "La contraseña de la llave privada es incorrecta.";

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
  if (pem) return openPem(pem.label, pem.text, pem.der, password);
  const der = Buffer.from(bytes);
  if (!isEncryptedPrivateKeyInfo(der)) throw new EfirmaError("not_a_key", NOT_A_KEY);
  return decrypt(() =>
    createPrivateKey({ key: der, format: "der", type: "pkcs8", passphrase: password }),
  );
}

function openPem(label: string, text: string, der: Buffer, password: string): KeyObject {
  switch (label) {
    case "ENCRYPTED PRIVATE KEY":
      if (!isEncryptedPrivateKeyInfo(der)) throw new EfirmaError("not_a_key", NOT_A_KEY);
      return decrypt(() => createPrivateKey({ key: text, format: "pem", passphrase: password }));
    case "RSA PRIVATE KEY":
    case "PRIVATE KEY":
      // Unencrypted (or PKCS#1 with Proc-Type/DEK-Info): OpenSSL uses the passphrase if needed.
      return decrypt(() => createPrivateKey({ key: text, format: "pem", passphrase: password }));
    default:
      throw new EfirmaError("not_a_key", NOT_A_KEY);
  }
}

/**
 * With the structure known to be an encrypted key, any failure to decrypt is the password:
 * a wrong 3DES key sometimes passes the padding check and fails later as "bad ASN.1".
 */
function decrypt(open: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = open();
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (
      code === "ERR_OSSL_EVP_UNSUPPORTED" ||
      /unsupported/i.test(String((error as Error).message))
    ) {
      throw new EfirmaError(
        "unsupported_key",
        "La llave privada usa un cifrado obsoleto que no se admite; vuelve a generarla con el SAT.",
        { cause: error },
      );
    }
    throw new EfirmaError("wrong_password", WRONG_PASSWORD, { cause: error });
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new EfirmaError(
      "not_a_key",
      "La llave privada no es RSA, como las de la e.firma del SAT.",
    );
  }
  return key;
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }. */
function isEncryptedPrivateKeyInfo(der: Buffer): boolean {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1 || asn1.offset !== der.length) return false;
  const top = asn1.result;
  if (!(top instanceof asn1js.Sequence) || top.valueBlock.value.length !== 2) return false;
  const [algorithm, data] = top.valueBlock.value;
  return (
    algorithm instanceof asn1js.Sequence &&
    algorithm.valueBlock.value[0] instanceof asn1js.ObjectIdentifier &&
    data instanceof asn1js.OctetString
  );
}

/** Whether a private key is the one of a certificate. */
export function keyMatchesCertificate(certificate: EfirmaCertificate, key: KeyObject): boolean {
  return certificate.x509.checkPrivateKey(key);
}
