/**
 * OpenSSL's command line, as the tests and benches call it: to make keys and certificates the
 * way an operator or another CA would, and to check our signatures with a tool that is not ours.
 * The argument builders serve both execFileSync and the promisified execFile.
 */
import { execFileSync, spawnSync } from "node:child_process";
import type { KeyObject } from "node:crypto";

export interface OpensslRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `openssl` with `args` and returns what it said; a failure is a status, not a throw. */
export function openssl(args: string[]): OpensslRun {
  return spawnSync("openssl", args, { encoding: "utf8" });
}

export interface NewKeyRequest {
  /** RSA of 2,048 bits or ECDSA on P-256, written unencrypted to `keyOut`. */
  key: "rsa:2048" | "P-256";
  keyOut: string;
  /** The subject, as `-subj` takes it: "/C=MX/O=…/CN=…". */
  subject: string;
  /** Where the self-signed certificate (with `days`) or the certificate request goes, PEM. */
  out: string;
  /** Self-signed, valid this many days; without it, a certificate request to sign. */
  days?: number;
  /** Extensions, each as `-addext` takes it (e.g. "basicConstraints=critical,CA:TRUE"). */
  extensions?: string[];
}

/** `openssl req` arguments for a new key and its self-signed certificate or its request. */
export function newKeyArgs(request: NewKeyRequest): string[] {
  const kind = request.days === undefined ? ["-new"] : ["-x509", "-days", String(request.days)];
  const key =
    request.key === "P-256"
      ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
      : ["-newkey", "rsa:2048"];
  return [
    "req",
    ...kind,
    ...key,
    ...["-nodes", "-keyout", request.keyOut, "-out", request.out, "-subj", request.subject],
    ...(request.extensions ?? []).flatMap((extension) => ["-addext", extension]),
  ];
}

export interface CertificateIssue {
  /** The certificate request (PEM) to sign. */
  csr: string;
  /** The issuing CA's certificate (PEM) and key. */
  caCert: string;
  caKey: string;
  /** The serial, as `-set_serial` takes it ("77", "0x1001"). */
  serial: string;
  days: number;
  /** The extensions file, and the section of it to use (its top level without one). */
  extfile: string;
  section?: string;
  out: string;
}

/** `openssl x509 -req` arguments: the CA signs the request with the file's extensions. */
export function issueCertificateArgs(issue: CertificateIssue): string[] {
  return [
    ...["x509", "-req", "-in", issue.csr, "-CA", issue.caCert, "-CAkey", issue.caKey],
    ...["-set_serial", issue.serial, "-days", String(issue.days), "-extfile", issue.extfile],
    ...(issue.section === undefined ? [] : ["-extensions", issue.section]),
    ...["-out", issue.out],
  ];
}

/**
 * `openssl cms -verify` arguments for the detached DER signature in `cms` over the file
 * `content`, trusting the certificates in `caFile` for any purpose, as the docs tell a person
 * to check an acuse. It prints «Verification successful» and exits 0 when the signature holds.
 */
export function cmsVerifyArgs(files: { cms: string; content: string; caFile: string }): string[] {
  return [
    ...["cms", "-verify", "-binary", "-inform", "DER", "-in", files.cms],
    ...["-content", files.content, "-CAfile", files.caFile, "-purpose", "any", "-out", "/dev/null"],
  ];
}

/**
 * `key` encrypted with `password` by `openssl pkcs8 -topk8` under `scheme` (e.g.
 * ["-v2", "aes-256-cbc", "-iter", "1000001"]): the wrappings other tools produce.
 */
export function opensslPkcs8(
  key: KeyObject,
  password: string,
  scheme: string[],
  outform: "DER" | "PEM" = "DER",
): Buffer {
  return execFileSync(
    "openssl",
    ["pkcs8", "-topk8", ...scheme, "-passout", `pass:${password}`, "-outform", outform],
    { input: key.export({ format: "pem", type: "pkcs8" }) },
  );
}
