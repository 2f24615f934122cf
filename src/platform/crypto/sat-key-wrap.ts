import { Buffer } from "node:buffer";
import { createCipheriv, type KeyObject, pbkdf2Sync, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";

const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";
const DES_EDE3_CBC = "1.2.840.113549.3.7";
/** Every SAT-issued key examined uses 2048 iterations (domain-mx §1.1). */
const SAT_ITERATIONS = 2048;

/**
 * Wraps a private key exactly as SAT does: PKCS#8 EncryptedPrivateKeyInfo, PBES2 with PBKDF2
 * (8-byte salt, 2048 iterations, PRF absent, i.e. HMAC-SHA1) and des-ede3-cbc. Node's own
 * export writes PRF hmacWithSHA256, so the structure is built here.
 */
export function wrapKeyLikeSat(key: KeyObject, password: string): Buffer {
  const plain = key.export({ format: "der", type: "pkcs8" });
  const salt = randomBytes(8);
  const iv = randomBytes(8);
  const derived = pbkdf2Sync(Buffer.from(password, "utf8"), salt, SAT_ITERATIONS, 24, "sha1");
  const cipher = createCipheriv("des-ede3-cbc", derived, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const structure = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: PBES2 }),
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: PBKDF2 }),
                  new asn1js.Sequence({
                    value: [
                      new asn1js.OctetString({ valueHex: salt }),
                      new asn1js.Integer({ value: SAT_ITERATIONS }),
                    ],
                  }),
                ],
              }),
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: DES_EDE3_CBC }),
                  new asn1js.OctetString({ valueHex: iv }),
                ],
              }),
            ],
          }),
        ],
      }),
      new asn1js.OctetString({ valueHex: encrypted }),
    ],
  });
  return Buffer.from(structure.toBER());
}
