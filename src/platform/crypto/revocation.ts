import { Buffer } from "node:buffer";
import { randomBytes, type X509Certificate } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as asn1js from "asn1js";
import type * as Pkijs from "pkijs";
import type { EfirmaCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { readPem } from "../../domain/efirma/pem.ts";
import { CodedError } from "../../domain/errors.ts";
import type { Clock } from "../clock.ts";
import { withPkijs } from "./pkijs-engine.ts";
import { postBinary } from "./post-binary.ts";

export type RevocationStatus =
  | { status: "good"; source: "ocsp" | "crl" | "none"; checkedAt: string }
  | { status: "revoked"; source: "ocsp" | "crl"; revokedAt: string | null; checkedAt: string };

/** What happens when the revocation service cannot answer: refuse the certificate, or accept it. */
export type UnavailablePolicy = "refuse" | "accept";

export interface RevocationChecker {
  /** Throws EfirmaError("certificate_revoked" | "revocation_unavailable") when it must refuse. */
  check(certificate: EfirmaCertificate, issuer: X509Certificate): Promise<RevocationStatus>;
}

export interface RevocationLog {
  warn(data: object, message: string): void;
}

const OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2";
/** A response produced more than this after our clock, or expired this long ago, is stale. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The oldest response accepted when it names no next update. */
const MAX_RESPONSE_AGE_MS = 60 * 60_000;

/**
 * OCSP against a configured responder (SAT certificates carry no AIA, so neither the URL nor
 * the issuer can be discovered), with a short cache. Every failure to get a verified answer
 * goes through the configured policy and is logged.
 */
export function ocspChecker(options: {
  url: string;
  clock: Clock;
  policy: UnavailablePolicy;
  log: RevocationLog;
  cacheSeconds?: number;
  timeoutMs?: number;
}): RevocationChecker {
  const cache = new Map<string, { result: RevocationStatus; until: number }>();
  const cacheMs = (options.cacheSeconds ?? 300) * 1000;
  return {
    async check(certificate, issuer) {
      const now = options.clock().epochMilliseconds;
      // Serials are unique per issuer only: two CAs may each have issued a serial 01.
      const key = `${issuer.fingerprint256}|${normalizeSerial(certificate.serialHex)}`;
      const cached = cache.get(key);
      if (cached && cached.until > now) return refuseIfRevoked(cached.result);
      let answer: { result: RevocationStatus; nextUpdate: number | undefined };
      try {
        answer = await queryOcsp(options.url, certificate, issuer, now, options.timeoutMs ?? 5000);
      } catch (error) {
        options.log.warn(
          { err: error, serial: certificate.serialHex, policy: options.policy, url: options.url },
          "OCSP no disponible",
        );
        return unavailable(options.policy, now);
      }
      cache.set(key, {
        result: answer.result,
        until: Math.min(now + cacheMs, answer.nextUpdate ?? Number.POSITIVE_INFINITY),
      });
      return refuseIfRevoked(answer.result);
    },
  };
}

/** Why an OCSP answer cannot be used; the checker logs it and applies the policy. */
export class OcspError extends CodedError<"ocsp_unusable"> {}

function unusable(reason: string): OcspError {
  return new OcspError("ocsp_unusable", `No se pudo usar la respuesta OCSP: ${reason}.`);
}

async function queryOcsp(
  url: string,
  certificate: EfirmaCertificate,
  issuer: X509Certificate,
  now: number,
  timeoutMs: number,
): Promise<{ result: RevocationStatus; nextUpdate: number | undefined }> {
  const pkijs = withPkijs();
  const subject = toPkijs(pkijs, certificate.der);
  const issuerCertificate = toPkijs(pkijs, issuer.raw);
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(subject, { hashAlgorithm: "SHA-1", issuerCertificate });
  const nonce = randomBytes(16);
  request.tbsRequest.requestExtensions = [
    new pkijs.Extension({
      extnID: OCSP_NONCE,
      extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
    }),
  ];
  const body = await postBinary(url, Buffer.from(request.toSchema(true).toBER()), {
    contentType: "application/ocsp-request",
    accept: "application/ocsp-response",
    timeoutMs: timeoutMs,
    maxBytes: 64 * 1024,
  });
  const ocsp = pkijs.OCSPResponse.fromBER(new Uint8Array(body));
  if (ocsp.responseStatus.valueBlock.valueDec !== 0 || !ocsp.responseBytes) {
    throw unusable(`el respondedor contestó con estado ${ocsp.responseStatus.valueBlock.valueDec}`);
  }
  const basic = pkijs.BasicOCSPResponse.fromBER(
    new Uint8Array(ocsp.responseBytes.response.valueBlock.valueHexView),
  );
  // Signed by the issuer itself, or by a responder certificate the issuer delegated to. A
  // response signed by the issuer may carry no certificates at all (RFC 6960 §4.2.1).
  if (!basic.certs || basic.certs.length === 0) basic.certs = [issuerCertificate];
  if (!(await basic.verify({ trustedCerts: [issuerCertificate] }))) {
    throw unusable("la firma de la respuesta OCSP no es válida");
  }
  const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OCSP_NONCE);
  if (echoed) {
    const value = asn1js.fromBER(echoed.extnValue.valueBlock.valueHexView).result;
    const echoedNonce =
      value instanceof asn1js.OctetString
        ? Buffer.from(value.valueBlock.valueHexView)
        : Buffer.alloc(0);
    if (!echoedNonce.equals(nonce)) throw unusable("el nonce de la respuesta OCSP no coincide");
  }
  const certID = new pkijs.CertID();
  await certID.createForCertificate(subject, { hashAlgorithm: "SHA-1", issuerCertificate });
  const single = basic.tbsResponseData.responses.find((r) => r.certID.isEqual(certID));
  if (!single) throw unusable("la respuesta OCSP no es para este certificado");
  const thisUpdate = single.thisUpdate.getTime();
  const nextUpdate = single.nextUpdate?.getTime();
  if (
    thisUpdate > now + CLOCK_SKEW_MS ||
    (nextUpdate !== undefined && nextUpdate < now - CLOCK_SKEW_MS)
  ) {
    throw unusable("la respuesta OCSP no está vigente");
  }
  // Without nextUpdate (nor an echoed nonce) an old «good» could be replayed: cap its age.
  if (nextUpdate === undefined && thisUpdate < now - MAX_RESPONSE_AGE_MS) {
    throw unusable("la respuesta OCSP es demasiado antigua");
  }
  const checkedAt = new Date(now).toISOString();
  const status = single.certStatus;
  if (status.idBlock.tagNumber === 0)
    return { result: { status: "good", source: "ocsp", checkedAt }, nextUpdate };
  if (status.idBlock.tagNumber === 1) {
    const revokedAt = readRevocationTime(status);
    return { result: { status: "revoked", source: "ocsp", revokedAt, checkedAt }, nextUpdate };
  }
  throw unusable("el respondedor no conoce el certificado");
}

function readRevocationTime(status: asn1js.BaseBlock): string | null {
  const inner = (status as asn1js.Constructed).valueBlock?.value?.[0];
  if (inner instanceof asn1js.GeneralizedTime) return inner.toDate().toISOString();
  return null;
}

/**
 * Revocation by CRL files (DER or PEM) in a directory. Each CRL must verify against an issuer in
 * the trust store; per issuer the most recent one is used, and the directory is read again at
 * most once per reload interval (also while a list is past its next update), so replaced files
 * take effect without a restart.
 */
export async function crlChecker(options: {
  dir: string;
  anchors: readonly X509Certificate[];
  clock: Clock;
  policy: UnavailablePolicy;
  log: RevocationLog;
  reloadSeconds?: number;
  /** How old a CRL that names no next update may be before it is no answer (CRL_MAX_AGE_HOURS). */
  maxAgeHours?: number;
}): Promise<RevocationChecker> {
  const reloadMs = (options.reloadSeconds ?? 300) * 1000;
  const maxAgeMs = (options.maxAgeHours ?? 24) * 3600_000;
  let lists = await loadCrls(options);
  let loadedAt = options.clock().epochMilliseconds;
  return {
    async check(certificate, issuer) {
      const now = options.clock().epochMilliseconds;
      const current = () => lists.get(issuer.fingerprint256);
      // Without a next update, a list is trusted only while it is younger than the set age: an
      // old one would hide every revocation since.
      const stale = (crl: Pkijs.CertificateRevocationList | undefined) =>
        !crl ||
        (crl.nextUpdate !== undefined
          ? crl.nextUpdate.value.getTime() < now
          : crl.thisUpdate.value.getTime() < now - maxAgeMs);
      // At most once per interval, stale or not: with an expired list and no fresh file yet,
      // re-reading and parsing the directory on every sign-in would only cost, never help.
      if (now - loadedAt >= reloadMs) {
        lists = await loadCrls(options);
        loadedAt = now;
      }
      const crl = current();
      if (!crl || stale(crl)) {
        options.log.warn(
          { serial: certificate.serialHex, policy: options.policy },
          "no hay CRL vigente del emisor",
        );
        return unavailable(options.policy, now);
      }
      const checkedAt = new Date(now).toISOString();
      const serial = normalizeSerial(certificate.serialHex);
      const entry = crl.revokedCertificates?.find(
        (r) =>
          normalizeSerial(
            Buffer.from(r.userCertificate.valueBlock.valueHexView).toString("hex"),
          ) === serial,
      );
      if (!entry) return { status: "good", source: "crl", checkedAt };
      return refuseIfRevoked({
        status: "revoked",
        source: "crl",
        revokedAt: entry.revocationDate.value.toISOString(),
        checkedAt,
      });
    },
  };
}

/** The most recent verified CRL of each trusted issuer, by the issuer's fingerprint. */
async function loadCrls(options: {
  dir: string;
  anchors: readonly X509Certificate[];
  log: RevocationLog;
}): Promise<Map<string, Pkijs.CertificateRevocationList>> {
  const pkijs = withPkijs();
  const lists = new Map<string, Pkijs.CertificateRevocationList>();
  for (const name of (await readdir(options.dir)).filter((n) => /\.(crl|pem)$/i.test(n))) {
    const bytes = await readFile(join(options.dir, name));
    const der = readPem(bytes)?.der ?? bytes;
    try {
      const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
      for (const anchor of options.anchors) {
        if (!(await crl.verify({ issuerCertificate: toPkijs(pkijs, anchor.raw) }))) continue;
        const previous = lists.get(anchor.fingerprint256);
        if (!previous || previous.thisUpdate.value < crl.thisUpdate.value)
          lists.set(anchor.fingerprint256, crl);
        break;
      }
    } catch (error) {
      options.log.warn({ err: error, file: name }, "CRL ilegible, se ignora");
    }
  }
  return lists;
}

/** Serials compare as numbers: DER may add a leading zero byte that Node's hex omits. */
function normalizeSerial(hex: string): string {
  return hex.toUpperCase().replace(/^(00)+(?=[0-9A-F])/, "");
}

/** No revocation source configured (development only; production refuses to start so). */
export const noRevocationCheck: RevocationChecker = {
  async check() {
    return { status: "good", source: "none", checkedAt: new Date().toISOString() };
  },
};

function refuseIfRevoked(result: RevocationStatus): RevocationStatus {
  if (result.status === "revoked") {
    throw new EfirmaError(
      "certificate_revoked",
      "El certificado de la e.firma está revocado. Tramita una nueva e.firma ante el SAT.",
    );
  }
  return result;
}

function unavailable(policy: UnavailablePolicy, now: number): RevocationStatus {
  if (policy === "refuse") {
    throw new EfirmaError(
      "revocation_unavailable",
      "No fue posible confirmar con el SAT que el certificado no está revocado. Intenta más tarde.",
    );
  }
  return { status: "good", source: "none", checkedAt: new Date(now).toISOString() };
}

function toPkijs(pkijs: typeof Pkijs, der: Uint8Array): Pkijs.Certificate {
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}
