import { Buffer } from "node:buffer";
import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as asn1js from "asn1js";
import { withPkijs } from "./pkijs-engine.ts";
import { wrapKeyLikeSat } from "./sat-key-wrap.ts";
import { attribute, distinguishedName, extension, toCryptoKey } from "./x509-builder.ts";

/**
 * A development certificate authority that mints SAT-shaped e.firmas (FIEL or CSD, persona
 * física or moral, valid, expired, not yet valid or revoked) with keys wrapped exactly as SAT
 * wraps them. It keeps an OpenSSL `index.txt`, so `openssl ocsp -index` serves their status.
 * It is trusted only when the configuration says so (TRUST_DEV_CA).
 */
export interface DevCa {
  dir: string;
  certificate: X509Certificate;
  certificateDer: Buffer;
  privateKey: KeyObject;
}

export type Validity = "vigente" | "vencido" | "futuro";

export interface IssueOptions {
  rfc: string;
  curp?: string | undefined;
  name: string;
  representativeRfc?: string | undefined;
  representativeCurp?: string | undefined;
  kind?: "FIEL" | "CSD";
  validity?: Validity;
  revoked?: boolean;
  password?: string;
  /** Where to write the files; by default a folder under the CA's `emitidos/`. */
  outDir?: string | undefined;
  now?: Date;
}

export interface IssuedEfirma {
  cerPath: string;
  keyPath: string;
  passwordPath: string;
  password: string;
  rfc: string;
  certificateNumber: string;
  serialHex: string;
}

const CA_NAME = "AC DE DESARROLLO BUZON IMSS (NO CONFIABLE EN PRODUCCION)";
/** The organization every development CA names itself with: the mark production refuses. */
const CA_ORGANIZATION = "BUZON IMSS (DESARROLLO)";
const DAY = 86_400_000;

export const DEV_CA_FILES = {
  certificate: "ca.cer",
  certificatePem: "ca.pem",
  privateKey: "ca-key.pem",
  index: "index.txt",
  serial: "serial",
};

/** Creates the CA in `dir` if it does not exist yet, and loads it. */
export async function initDevCa(dir: string, now = new Date()): Promise<DevCa> {
  if (existsSync(join(dir, DEV_CA_FILES.certificate))) return loadDevCa(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pkijs = withPkijs();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serialBytes("1") });
  const subject = [
    attribute("2.5.4.6", new asn1js.PrintableString({ value: "MX" })),
    attribute("2.5.4.10", new asn1js.Utf8String({ value: CA_ORGANIZATION })),
    attribute("2.5.4.3", new asn1js.Utf8String({ value: CA_NAME })),
  ];
  certificate.subject = distinguishedName(subject);
  certificate.issuer = distinguishedName(subject);
  certificate.notBefore.value = new Date(now.getTime() - DAY);
  certificate.notAfter.value = new Date(now.getTime() + 20 * 365 * DAY);
  await certificate.subjectPublicKeyInfo.importKey(await toCryptoKey(publicKey, "verify"));
  certificate.extensions = [
    extension("2.5.29.19", true, new pkijs.BasicConstraints({ cA: true }).toSchema()),
    // keyCertSign, cRLSign, and digitalSignature so the CA itself may sign OCSP responses.
    extension(
      "2.5.29.15",
      true,
      new asn1js.BitString({ valueHex: new Uint8Array([0x86]), unusedBits: 1 }),
    ),
  ];
  await certificate.sign(await toCryptoKey(privateKey, "sign"), "SHA-256");
  const der = Buffer.from(certificate.toSchema(true).toBER());
  await writeFile(join(dir, DEV_CA_FILES.certificate), der);
  await writeFile(join(dir, DEV_CA_FILES.certificatePem), new X509Certificate(der).toString());
  await writeFile(
    join(dir, DEV_CA_FILES.privateKey),
    privateKey.export({ format: "pem", type: "pkcs8" }),
    { mode: 0o600 },
  );
  await writeFile(join(dir, DEV_CA_FILES.index), "");
  // A person renews an e.firma under the same name: OpenSSL must accept repeated subjects.
  await writeFile(join(dir, `${DEV_CA_FILES.index}.attr`), "unique_subject = no\n");
  await writeFile(join(dir, DEV_CA_FILES.serial), "1");
  return loadDevCa(dir);
}

/**
 * Whether a certificate is a development CA's, or one it issued: its subject or issuer carries
 * the development CA's names, or `devCa` (this installation's own) issued it or is it.
 */
export function isDevelopmentCertificate(
  certificate: X509Certificate,
  devCa?: X509Certificate,
): boolean {
  const marked = (name: string) => name.includes(`O=${CA_ORGANIZATION}`) || name.includes(CA_NAME);
  if (marked(certificate.subject) || marked(certificate.issuer)) return true;
  if (!devCa) return false;
  if (certificate.fingerprint256 === devCa.fingerprint256) return true;
  return certificate.checkIssued(devCa) && certificate.verify(devCa.publicKey);
}

export async function loadDevCa(dir: string): Promise<DevCa> {
  const certificateDer = await readFile(join(dir, DEV_CA_FILES.certificate));
  const privateKey = createPrivateKey(await readFile(join(dir, DEV_CA_FILES.privateKey)));
  return { dir, certificateDer, certificate: new X509Certificate(certificateDer), privateKey };
}

/** Mints one e.firma and writes `<RFC>.cer`, `<RFC>.key` and `<RFC>-password.txt`. */
export async function issueEfirma(ca: DevCa, options: IssueOptions): Promise<IssuedEfirma> {
  const pkijs = withPkijs();
  const now = options.now ?? new Date();
  const kind = options.kind ?? "FIEL";
  const password = options.password ?? "12345678a";
  const rfc = options.rfc.trim().toUpperCase();
  const moral = rfc.length === 12;
  const serialText = await nextSerial(ca.dir);
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: Buffer.from(serialText, "latin1") });
  certificate.issuer = new pkijs.Certificate({
    schema: asn1js.fromBER(ca.certificateDer).result,
  }).subject;
  const uniqueIdentifier = options.representativeRfc
    ? `${rfc} / ${options.representativeRfc.toUpperCase()}`
    : rfc;
  const serialNumber = moral
    ? ` / ${(options.representativeCurp ?? "").toUpperCase()}`
    : (options.curp ?? "").toUpperCase();
  const subject = [
    attribute("2.5.4.3", new asn1js.Utf8String({ value: options.name })),
    attribute("2.5.4.41", new asn1js.Utf8String({ value: options.name })),
    attribute("2.5.4.10", new asn1js.Utf8String({ value: options.name })),
  ];
  if (kind === "FIEL")
    subject.push(attribute("2.5.4.6", new asn1js.PrintableString({ value: "MX" })));
  // SAT writes RFCs as PrintableString, or T61String when they hold «&» or «Ñ» (domain-mx §1.1).
  subject.push(
    attribute(
      "2.5.4.45",
      /[&Ñ]/.test(uniqueIdentifier)
        ? new asn1js.TeletexString({ value: uniqueIdentifier })
        : new asn1js.PrintableString({ value: uniqueIdentifier }),
    ),
    attribute("2.5.4.5", new asn1js.PrintableString({ value: serialNumber })),
  );
  if (kind === "CSD")
    subject.push(attribute("2.5.4.11", new asn1js.Utf8String({ value: "Sucursal 1" })));
  certificate.subject = distinguishedName(subject);

  const [notBefore, notAfter] = validityWindow(options.validity ?? "vigente", now);
  certificate.notBefore.value = notBefore;
  certificate.notAfter.value = notAfter;
  await certificate.subjectPublicKeyInfo.importKey(await toCryptoKey(publicKey, "verify"));
  const extensions = [
    extension("2.5.29.19", true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    kind === "FIEL"
      ? // digitalSignature, nonRepudiation, dataEncipherment, keyAgreement
        extension(
          "2.5.29.15",
          true,
          new asn1js.BitString({ valueHex: new Uint8Array([0xd8]), unusedBits: 3 }),
        )
      : // digitalSignature, nonRepudiation
        extension(
          "2.5.29.15",
          true,
          new asn1js.BitString({ valueHex: new Uint8Array([0xc0]), unusedBits: 6 }),
        ),
  ];
  if (kind === "FIEL") {
    extensions.push(
      extension(
        "2.5.29.37",
        false,
        new pkijs.ExtKeyUsage({
          keyPurposes: ["1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.2"],
        }).toSchema(),
      ),
    );
  }
  certificate.extensions = extensions;
  await certificate.sign(await toCryptoKey(ca.privateKey, "sign"), "SHA-256");
  const der = Buffer.from(certificate.toSchema(true).toBER());
  const serialHex = Buffer.from(serialText, "latin1").toString("hex").toUpperCase();

  const outDir = options.outDir ?? join(ca.dir, "emitidos", `${rfc}-${serialText}`);
  await mkdir(outDir, { recursive: true });
  const cerPath = join(outDir, `${rfc}.cer`);
  const keyPath = join(outDir, `${rfc}.key`);
  const passwordPath = join(outDir, `${rfc}-password.txt`);
  await writeFile(cerPath, der);
  await writeFile(keyPath, wrapKeyLikeSat(privateKey, password), { mode: 0o600 });
  await writeFile(passwordPath, password, { mode: 0o600 });
  await recordInIndex(ca.dir, {
    serialHex,
    notAfter,
    revokedAt: options.revoked ? new Date(now.getTime() - DAY) : undefined,
    subject: `/CN=${options.name}/x500UniqueIdentifier=${uniqueIdentifier}`,
  });
  return {
    cerPath,
    keyPath,
    passwordPath,
    password,
    rfc,
    certificateNumber: serialText,
    serialHex,
  };
}

function validityWindow(validity: Validity, now: Date): [Date, Date] {
  const at = now.getTime();
  switch (validity) {
    case "vencido":
      return [new Date(at - 5 * 365 * DAY), new Date(at - DAY)];
    case "futuro":
      return [new Date(at + 30 * DAY), new Date(at + 4 * 365 * DAY)];
    default:
      return [new Date(at - DAY), new Date(at + 4 * 365 * DAY)];
  }
}

/** SAT-shaped certificate numbers: 20 ASCII digits, `30001` + a zero-padded counter. */
async function nextSerial(dir: string): Promise<string> {
  const path = join(dir, DEV_CA_FILES.serial);
  const next = Number((await readFile(path, "utf8")).trim() || "0") + 1;
  await writeFile(path, String(next));
  return `30001${String(next).padStart(15, "0")}`;
}

/** One line of OpenSSL's CA database, which `openssl ocsp -index` reads. */
async function recordInIndex(
  dir: string,
  entry: { serialHex: string; notAfter: Date; revokedAt: Date | undefined; subject: string },
): Promise<void> {
  const status = entry.revokedAt ? "R" : "V";
  const revoked = entry.revokedAt ? opensslTime(entry.revokedAt) : "";
  const subject = entry.subject.replaceAll("\t", " ").replaceAll("\n", " ");
  await appendFile(
    join(dir, DEV_CA_FILES.index),
    `${status}\t${opensslTime(entry.notAfter)}\t${revoked}\t${entry.serialHex}\tunknown\t${subject}\n`,
  );
  await chmod(join(dir, DEV_CA_FILES.index), 0o600);
}

function opensslTime(date: Date): string {
  // YYMMDDHHMMSSZ (UTCTime), as OpenSSL writes it.
  return `${date.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`;
}

function serialBytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Writes a CRL (DER) of the CA's revoked certificates, as an alternative to OCSP. */
export async function writeDevCrl(
  ca: DevCa,
  path: string,
  now = new Date(),
  options: { nextUpdate?: boolean } = {},
): Promise<void> {
  const pkijs = withPkijs();
  const index = await readFile(join(ca.dir, DEV_CA_FILES.index), "utf8");
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = new pkijs.Certificate({ schema: asn1js.fromBER(ca.certificateDer).result }).subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date(now.getTime() - 60_000) });
  if (options.nextUpdate !== false) {
    crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(now.getTime() + 7 * DAY) });
  }
  crl.revokedCertificates = index
    .split("\n")
    .filter((line) => line.startsWith("R\t"))
    .map((line) => {
      const [, , revoked = "", serialHex = ""] = line.split("\t");
      return new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ valueHex: Buffer.from(serialHex, "hex") }),
        revocationDate: new pkijs.Time({ type: 0, value: fromOpensslTime(revoked) }),
      });
    });
  await crl.sign(await toCryptoKey(ca.privateKey, "sign"), "SHA-256");
  await writeFile(path, Buffer.from(crl.toSchema(true).toBER()));
}

function fromOpensslTime(text: string): Date {
  const [yy, mm, dd, hh, mi, ss] = (text.match(/\d\d/g) ?? []).map(Number);
  return new Date(Date.UTC(2000 + (yy ?? 0), (mm ?? 1) - 1, dd ?? 1, hh ?? 0, mi ?? 0, ss ?? 0));
}
