import { Buffer } from "node:buffer";
import {
  createHash,
  createPrivateKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as asn1js from "asn1js";
import { certificateNumberOf } from "../../domain/efirma/certificate.ts";
import { withPkijs } from "./pkijs-engine.ts";
import {
  attribute,
  certificateTime,
  distinguishedName,
  extension,
  toCryptoKey,
} from "./x509-builder.ts";

/**
 * The Institute's seal: the key and certificate that seal every acuse (the «sello digital» over
 * the cadena original) and sign the detached CMS that `openssl cms -verify` accepts.
 */
export interface InstituteSeal {
  certificate: X509Certificate;
  certificateDer: Buffer;
  privateKey: KeyObject;
  /** SAT-style 20-digit number when the serial is ASCII digits, otherwise the serial in hex. */
  certificateNumber: string;
}

export interface SealFiles {
  keyFile: string;
  certFile: string;
  password?: string | undefined;
}

export class SealError extends Error {
  override name = "SealError";
}

export const DEV_SEAL_FILES = {
  certificate: "sello.cer",
  privateKey: "sello-key.pem",
};

export const DEV_SEAL_NAME = "SELLO DIGITAL DEL BUZÓN IMSS (DESARROLLO)";
const DEV_SEAL_ORGANIZATION = "INSTITUTO MEXICANO DEL SEGURO SOCIAL (DESARROLLO)";
const DAY = 86_400_000;

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
};

/** Loads a seal from a certificate (PEM or DER) and a PKCS#8 key (PEM or DER, maybe encrypted). */
export async function loadSeal(files: SealFiles): Promise<InstituteSeal> {
  const certBytes = await readOrFail(files.certFile, "el certificado del sello");
  const keyBytes = await readOrFail(files.keyFile, "la llave privada del sello");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certBytes);
  } catch {
    throw new SealError(
      `El archivo ${files.certFile} no es un certificado X.509 válido (PEM o DER).`,
    );
  }
  const privateKey = readPrivateKey(keyBytes, files.keyFile, files.password);
  if (privateKey.asymmetricKeyType !== "rsa") {
    throw new SealError(
      `La llave del sello debe ser RSA (es ${privateKey.asymmetricKeyType ?? "desconocida"}).`,
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new SealError(
      `La llave privada ${files.keyFile} no corresponde al certificado ${files.certFile}.`,
    );
  }
  return {
    certificate,
    certificateDer: Buffer.from(certificate.raw),
    privateKey,
    certificateNumber: certificateNumberOf(certificate.serialNumber),
  };
}

/**
 * The development seal: loads `sello.cer` and `sello-key.pem` from `dir`, or creates them on
 * first start (RSA-2048, self-signed, ten years). Never for production: configure a real seal.
 */
export async function createDevelopmentSeal(dir: string, now = new Date()): Promise<InstituteSeal> {
  const certFile = join(dir, DEV_SEAL_FILES.certificate);
  const keyFile = join(dir, DEV_SEAL_FILES.privateKey);
  const hasCert = existsSync(certFile);
  const hasKey = existsSync(keyFile);
  if (hasCert && hasKey) return loadSeal({ certFile, keyFile });
  if (hasCert !== hasKey) {
    throw new SealError(
      `En ${dir} está ${hasCert ? DEV_SEAL_FILES.certificate : DEV_SEAL_FILES.privateKey} pero falta ${
        hasCert ? DEV_SEAL_FILES.privateKey : DEV_SEAL_FILES.certificate
      }; no se sobrescribe un sello a medias.`,
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pkijs = withPkijs();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01; // positive, and no leading zero byte
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  const subject = distinguishedName([
    attribute("2.5.4.6", new asn1js.PrintableString({ value: "MX" })),
    attribute("2.5.4.10", new asn1js.Utf8String({ value: DEV_SEAL_ORGANIZATION })),
    attribute("2.5.4.3", new asn1js.Utf8String({ value: DEV_SEAL_NAME })),
  ]);
  certificate.subject = subject;
  certificate.issuer = subject;
  certificate.notBefore = certificateTime(new Date(now.getTime() - DAY));
  certificate.notAfter = certificateTime(new Date(now.getTime() + 10 * 365 * DAY));
  await certificate.subjectPublicKeyInfo.importKey(await toCryptoKey(publicKey, "verify"));
  certificate.extensions = [
    extension("2.5.29.19", true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    // digitalSignature, nonRepudiation
    extension(
      "2.5.29.15",
      true,
      new asn1js.BitString({ valueHex: new Uint8Array([0xc0]), unusedBits: 6 }),
    ),
  ];
  await certificate.sign(await toCryptoKey(privateKey, "sign"), "SHA-256");
  const der = Buffer.from(certificate.toSchema(true).toBER());
  await writeFile(keyFile, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  await writeFile(certFile, der);
  return loadSeal({ certFile, keyFile });
}

/** The «sello digital»: base64 of RSA-SHA256 (PKCS#1 v1.5) over the UTF-8 bytes of `text`. */
export function sealText(seal: InstituteSeal, text: string): string {
  return createSign("sha256").update(Buffer.from(text, "utf8")).sign(seal.privateKey, "base64");
}

/** Whether `sealB64` is the certificate's RSA-SHA256 seal over the UTF-8 bytes of `text`. */
export function verifySealText(
  certificate: X509Certificate,
  text: string,
  sealB64: string,
): boolean {
  const trimmed = sealB64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return false;
  try {
    return createVerify("sha256")
      .update(Buffer.from(text, "utf8"))
      .verify(certificate.publicKey, Buffer.from(trimmed, "base64"));
  } catch {
    return false;
  }
}

/**
 * A detached CMS SignedData (DER) over `content`: SHA-256 with RSA, signer by
 * issuerAndSerialNumber, signed attributes contentType, messageDigest and signingTime (`at`),
 * and the seal's certificate included. `openssl cms -verify -binary -content …` accepts it.
 */
export async function detachedCms(
  seal: InstituteSeal,
  content: Uint8Array,
  at: Date = new Date(),
): Promise<Buffer> {
  const pkijs = withPkijs();
  const certificate = new pkijs.Certificate({ schema: asn1js.fromBER(seal.certificateDer).result });
  const digest = createHash("sha256").update(content).digest();
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: digest })],
    }),
    new pkijs.Attribute({
      type: OID.signingTime,
      values: [signingTime(at)],
    }),
  ];
  // DER orders a SET OF by encoding; OpenSSL re-encodes the attributes to check the signature.
  attributes.sort((a, b) =>
    Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())),
  );
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate],
  });
  await signedData.sign(await toCryptoKey(seal.privateKey, "sign"), 0, "SHA-256");
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER());
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SealError(
      code === "ENOENT"
        ? `No se encontró ${what}: ${path}.`
        : `No se pudo leer ${what} (${path}): ${code ?? String(error)}.`,
    );
  }
}

function readPrivateKey(bytes: Buffer, path: string, password: string | undefined): KeyObject {
  const pem = bytes.subarray(0, 64).toString("latin1").includes("-----BEGIN");
  const encrypted = pem
    ? bytes.toString("latin1").includes("ENCRYPTED")
    : isEncryptedPkcs8Der(bytes);
  if (encrypted && !password) {
    throw new SealError(`La llave privada ${path} está cifrada: falta la contraseña.`);
  }
  try {
    return pem
      ? createPrivateKey({ key: bytes, format: "pem", passphrase: password ?? "" })
      : createPrivateKey({ key: bytes, format: "der", type: "pkcs8", passphrase: password ?? "" });
  } catch {
    throw new SealError(
      encrypted
        ? `No se pudo abrir la llave privada ${path}: la contraseña es incorrecta o el archivo está dañado.`
        : `El archivo ${path} no es una llave privada PKCS#8 válida (PEM o DER).`,
    );
  }
}

/** EncryptedPrivateKeyInfo starts SEQUENCE { SEQUENCE (algorithm) …; PrivateKeyInfo with INTEGER. */
function isEncryptedPkcs8Der(bytes: Buffer): boolean {
  try {
    const parsed = asn1js.fromBER(new Uint8Array(bytes));
    const first = (parsed.result as asn1js.Sequence).valueBlock?.value?.[0];
    return first instanceof asn1js.Sequence;
  } catch {
    return false;
  }
}

/** RFC 5652 §11.3: UTCTime through 2049, GeneralizedTime from 2050; whole seconds. */
function signingTime(at: Date): asn1js.BaseBlock {
  const whole = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return whole.getUTCFullYear() < 2050
    ? new asn1js.UTCTime({ valueDate: whole })
    : new asn1js.GeneralizedTime({ valueDate: whole });
}
