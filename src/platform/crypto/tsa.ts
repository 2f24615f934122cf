import { Buffer } from "node:buffer";
import { randomBytes, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import type * as Pkijs from "pkijs";
import { CodedError } from "../../domain/errors.ts";
import { withPkijs } from "./pkijs-engine.ts";
import { postBinary } from "./post-binary.ts";

/**
 * RFC 3161 time-stamps from a configured TSA: requested over HTTP, verified on receipt
 * (signature, TSA certificate chain and extended key usage, message imprint, nonce, time), and
 * kept as the DER ContentInfo so anyone can re-check them later with `openssl ts -verify`.
 */

export type TsaErrorCode = "tsa_unavailable" | "tsa_rejected" | "tsa_invalid";

export class TsaError extends CodedError<TsaErrorCode> {}

export interface Timestamp {
  /** The time-stamp token: a DER CMS ContentInfo (SignedData over a TSTInfo). */
  token: Buffer;
  genTime: Date;
  /** The TSA's serial number for this token, in lower-case hexadecimal. */
  serialNumber: string;
  /** The TSA's name as it put it in the token, when it did. */
  tsaName?: string;
}

export interface TimestampRequestOptions {
  url: string;
  /** SHA-256 of the data being time-stamped. */
  digest: Uint8Array;
  timeoutMs?: number;
  /** The TSA certificate itself, or the CA that issued it. */
  trusted: X509Certificate[];
  /** The instant the token's genTime is compared with; now by default. */
  at?: Date;
}

const SHA256 = "2.16.840.1.101.3.4.2.1";
const ID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const ID_CT_TSTINFO = "1.2.840.113549.1.9.16.1.4";
const ID_DATA = "1.2.840.113549.1.7.1";
const CONTENT_TYPE_ATTR = "1.2.840.113549.1.9.3";
const EXT_KEY_USAGE = "2.5.29.37";
const KP_TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
/** How far the TSA's clock may be from ours when a fresh token is received. */
export const TSA_CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export async function requestTimestamp(options: TimestampRequestOptions): Promise<Timestamp> {
  const pkijs = withPkijs();
  const digest = checkDigest(options.digest);
  // A positive 64-bit nonce whose first byte is 0x01–0x7F: no sign byte is needed, and a zero
  // first byte would make a non-minimal DER INTEGER that OpenSSL's TSA rejects as malformed.
  const nonceBytes = randomBytes(8);
  nonceBytes[0] = ((nonceBytes[0] ?? 0) & 0x7f) | 0x01;
  const nonce = BigInt(`0x${nonceBytes.toString("hex")}`);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: SHA256,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonceBytes }),
    certReq: true,
  });
  const body = Buffer.from(request.toSchema().toBER());

  let answer: Buffer;
  try {
    answer = await postBinary(options.url, body, {
      contentType: "application/timestamp-query",
      accept: "application/timestamp-reply",
      timeoutMs: options.timeoutMs ?? 10_000,
      maxBytes: MAX_RESPONSE_BYTES,
    });
  } catch (error) {
    throw new TsaError(
      "tsa_unavailable",
      `No fue posible obtener el sello de tiempo de la autoridad (${errorText(error)}).`,
      { cause: error },
    );
  }

  const parsed = asn1js.fromBER(new Uint8Array(answer));
  let response: Pkijs.TimeStampResp;
  try {
    if (parsed.offset === -1 || parsed.offset !== answer.length) throw invalid(parsed.result.error);
    response = new pkijs.TimeStampResp({ schema: parsed.result });
  } catch (error) {
    throw invalid(
      "la respuesta de la autoridad de sellado de tiempo no es una TimeStampResp",
      error,
    );
  }
  const status = response.status.status;
  if (status !== 0 && status !== 1) {
    const text = response.status.statusStrings?.map((s) => s.valueBlock.value).join("; ");
    throw new TsaError(
      "tsa_rejected",
      `La autoridad de sellado de tiempo rechazó la solicitud (estado ${status}${text ? `: ${text}` : ""}).`,
    );
  }
  // Keep the token exactly as the TSA sent it: the second element of the response.
  const tokenBlock = (parsed.result as asn1js.Sequence).valueBlock.value[1];
  if (!response.timeStampToken || !tokenBlock) {
    throw invalid("la respuesta concedida no contiene el sello de tiempo");
  }
  const token = Buffer.from(tokenBlock.valueBeforeDecodeView);
  const stamp = await verifyTimestampToken(token, digest, options.trusted);
  const tst = readTstInfo(pkijs, token);
  if (!tst.nonce || tst.nonce.toBigInt() !== nonce) {
    throw invalid("el nonce del sello de tiempo no coincide con el de la solicitud");
  }
  const now = (options.at ?? new Date()).getTime();
  if (Math.abs(stamp.genTime.getTime() - now) > TSA_CLOCK_SKEW_MS) {
    throw invalid(
      `la hora del sello (${stamp.genTime.toISOString()}) difiere demasiado de la hora actual`,
    );
  }
  return stamp;
}

/**
 * Checks a stored token offline: the CMS signature, that the signer is a time-stamping
 * certificate chaining to `trusted` at the token's genTime, and that it stamps `digest`.
 * Throws TsaError("tsa_invalid") otherwise.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  digest: Uint8Array,
  trusted: X509Certificate[],
): Promise<Timestamp> {
  const pkijs = withPkijs();
  const expected = checkDigest(digest);
  let signed: Pkijs.SignedData;
  let tst: Pkijs.TSTInfo;
  try {
    signed = readSignedData(pkijs, token);
    tst = readTstInfo(pkijs, token);
  } catch (error) {
    throw invalid("el sello de tiempo no tiene la estructura de RFC 3161", error);
  }
  if (tst.messageImprint.hashAlgorithm.algorithmId !== SHA256) {
    throw invalid("el sello de tiempo no usa SHA-256");
  }
  if (!Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(expected)) {
    throw invalid("el sello de tiempo no corresponde a este documento");
  }
  const signerInfo = signed.signerInfos[0];
  if (signed.signerInfos.length !== 1 || !signerInfo) {
    throw invalid("el sello de tiempo debe tener exactamente un firmante");
  }
  const contentType = signerInfo.signedAttrs?.attributes.find((a) => a.type === CONTENT_TYPE_ATTR);
  const declared = contentType?.values[0];
  if (!(declared instanceof asn1js.ObjectIdentifier) || declared.getValue() !== ID_CT_TSTINFO) {
    throw invalid("los atributos firmados no declaran un TSTInfo");
  }

  // pkijs would hash the original data for a TSTInfo; we only hold its digest, which we
  // compared above, so the signature is verified as plain encapsulated content.
  signed.encapContentInfo.eContentType = ID_DATA;
  const trustedCerts = trusted.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c.raw)));
  let result: Pkijs.SignedDataVerifyResult;
  try {
    result = await signed.verify({ signer: 0, checkDate: tst.genTime, extendedMode: true });
  } catch (error) {
    throw invalid("la firma del sello de tiempo no es válida", error);
  }
  const signer = result.signerCertificate;
  if (!result.signatureVerified || !signer) {
    throw invalid("la firma del sello de tiempo no es válida");
  }
  if (!(await isTrusted(pkijs, signer, signed, trustedCerts, tst.genTime))) {
    throw invalid("el certificado de la autoridad de sellado de tiempo no es de confianza");
  }
  const eku = signer.extensions?.find((e) => e.extnID === EXT_KEY_USAGE);
  const purposes = (eku?.parsedValue as Pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  // RFC 3161 §2.3: the TSA certificate has exactly one, critical, purpose: timeStamping.
  if (!eku?.critical || purposes.length !== 1 || purposes[0] !== KP_TIME_STAMPING) {
    throw invalid("el certificado firmante no es de una autoridad de sellado de tiempo");
  }
  const stamp: Timestamp = {
    token: Buffer.from(token),
    genTime: tst.genTime,
    serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString("hex"),
  };
  const tsaName = describeName(tst.tsa);
  if (tsaName) stamp.tsaName = tsaName;
  return stamp;
}

/** The signer is trusted directly, or chains to a trusted certificate, at the token's time. */
async function isTrusted(
  pkijs: typeof Pkijs,
  signer: Pkijs.Certificate,
  signed: Pkijs.SignedData,
  trustedCerts: Pkijs.Certificate[],
  at: Date,
): Promise<boolean> {
  const der = Buffer.from(signer.toSchema().toBER());
  if (trustedCerts.some((c) => Buffer.from(c.toSchema().toBER()).equals(der))) {
    return signer.notBefore.value <= at && at <= signer.notAfter.value;
  }
  const certs = (signed.certificates ?? []).filter(
    (c): c is Pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const engine = new pkijs.CertificateChainValidationEngine({
    certs: [...certs.filter((c) => c !== signer), signer],
    trustedCerts,
    checkDate: at,
  });
  try {
    return (await engine.verify()).result;
  } catch {
    return false;
  }
}

function readSignedData(pkijs: typeof Pkijs, token: Uint8Array): Pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(token));
  if (info.contentType !== ID_SIGNED_DATA) throw invalid("no es SignedData");
  const signed = new pkijs.SignedData({ schema: info.content });
  if (signed.encapContentInfo.eContentType !== ID_CT_TSTINFO || !signed.encapContentInfo.eContent) {
    throw invalid("no contiene un TSTInfo");
  }
  return signed;
}

function readTstInfo(pkijs: typeof Pkijs, token: Uint8Array): Pkijs.TSTInfo {
  const content = readSignedData(pkijs, token).encapContentInfo.eContent;
  if (!content) throw invalid("no contiene un TSTInfo");
  return pkijs.TSTInfo.fromBER(content.getValue());
}

const NAME_ATTRIBUTES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
};

function describeName(name: Pkijs.GeneralName | undefined): string | undefined {
  if (!name) return undefined;
  if (name.type === 4) {
    const rdn = name.value as Pkijs.RelativeDistinguishedNames;
    return rdn.typesAndValues
      .map((tv) => `${NAME_ATTRIBUTES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
      .join(", ");
  }
  return typeof name.value === "string" ? name.value : undefined;
}

function checkDigest(digest: Uint8Array): Buffer {
  if (digest.length !== 32) {
    throw new TypeError("el resumen a sellar debe ser SHA-256 (32 bytes)");
  }
  return Buffer.from(digest);
}

function invalid(reason: string, cause?: unknown): TsaError {
  return new TsaError("tsa_invalid", `El sello de tiempo no es válido: ${reason}.`, { cause });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a token says without verifying it: the certificates it carries (the TSA's, when it was
 * asked for with certReq) and its message imprint. Undefined when it is not an RFC 3161 token.
 */
export function readTimestampToken(
  token: Uint8Array,
): { certificates: X509Certificate[]; imprint: Buffer } | undefined {
  try {
    const pkijs = withPkijs();
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(token));
    const signed = new pkijs.SignedData({ schema: info.content });
    const content = signed.encapContentInfo.eContent;
    if (!content) return undefined;
    const tst = pkijs.TSTInfo.fromBER(content.getValue());
    const certificates = (signed.certificates ?? [])
      .filter((c) => c instanceof pkijs.Certificate)
      .map((c) => new X509Certificate(Buffer.from(c.toSchema().toBER())));
    return {
      certificates,
      imprint: Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    };
  } catch {
    return undefined;
  }
}
