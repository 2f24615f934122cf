import { Buffer } from "node:buffer";
import {
  createPrivateKey,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as asn1js from "asn1js";
import { certificateNumberOf } from "../../domain/efirma/certificate.ts";
import { CodedError, type CodedErrorOptions } from "../../domain/errors.ts";
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

/** The Institute's seal (key, certificate, password) cannot be loaded or does not match. */
export class SealError extends CodedError<"seal_invalid"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("seal_invalid", detail, options);
  }
}

export const DEV_SEAL_FILES = {
  certificate: "sello.cer",
  privateKey: "sello-key.pem",
};

export const DEV_SEAL_NAME = "SELLO DIGITAL DEL BUZÓN IMSS (DESARROLLO)";
/**
 * The organizational unit (OU) of every development seal certificate: what tells anyone, from
 * the certificate alone (offline too), that an acuse sealed with it has no legal value. A real
 * seal is issued by a CA to the Institute and never carries it.
 */
export const DEV_SEAL_MARKER = "DEMOSTRACION - SIN VALIDEZ OFICIAL";
const DEV_SEAL_ORGANIZATION = "INSTITUTO MEXICANO DEL SEGURO SOCIAL (DESARROLLO)";
const DAY = 86_400_000;

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
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
    attribute("2.5.4.11", new asn1js.Utf8String({ value: DEV_SEAL_MARKER })),
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

/**
 * Whether a seal certificate is a development one: its subject carries DEV_SEAL_MARKER as OU, or
 * (seals created before the marker existed) the development seal's common name.
 */
export function isDevelopmentSeal(certificate: X509Certificate): boolean {
  const lines = certificate.subject.split("\n");
  return lines.includes(`OU=${DEV_SEAL_MARKER}`) || lines.includes(`CN=${DEV_SEAL_NAME}`);
}

/**
 * The «sello digital»: base64 of RSA-SHA256 (PKCS#1 v1.5) over the UTF-8 bytes of `text`.
 * Computed on libuv's thread pool, so several seals proceed on several cores while the event
 * loop writes the previous batch.
 */
export function sealText(seal: InstituteSeal, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    sign("sha256", Buffer.from(text, "utf8"), seal.privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString("base64"));
    });
  });
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
 * The detached CMS SignedData (DER) that carries a sello digital: SHA-256 with RSA, signer by
 * issuerAndSerialNumber, the seal's certificate included, and no signed attributes, so the
 * signature value is the sello itself (RSA PKCS#1 v1.5 over SHA-256 of the content, RFC 5652
 * §5.4). No second RSA operation is needed, and the CMS can be rebuilt from a stored acuse at any
 * time; `openssl cms -verify -binary -content cadena.txt …` accepts it. The trusted time of the
 * seal is its RFC 3161 token (over the seal bytes), not a signingTime the signer declares.
 */
export function detachedCms(certificateDer: Uint8Array, sealB64: string): Buffer {
  const pkijs = withPkijs();
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(certificateDer));
  const sha256 = () =>
    new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        digestAlgorithm: sha256(),
        signatureAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: OID.sha256WithRsa,
          algorithmParams: new asn1js.Null(),
        }),
        signature: new asn1js.OctetString({
          valueHex: new Uint8Array(Buffer.from(sealB64.trim(), "base64")),
        }),
      }),
    ],
    certificates: [certificate],
  });
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
