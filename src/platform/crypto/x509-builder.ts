import type { KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import { withPkijs } from "./pkijs-engine.ts";

/**
 * The small pieces pkijs needs to mint certificates, CRLs and CMS: one place for the
 * development CA and the Institute's development seal.
 */
export function attribute(type: string, value: asn1js.BaseBlock) {
  const pkijs = withPkijs();
  return new pkijs.AttributeTypeAndValue({ type, value: value as never });
}

/** One attribute per RDN, as SAT and everyone else write names (pkijs alone would make one RDN). */
export function distinguishedName(attributes: ReturnType<typeof attribute>[]) {
  const pkijs = withPkijs();
  const sequence = new asn1js.Sequence({
    value: attributes.map((a) => new asn1js.Set({ value: [a.toSchema()] })),
  });
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attributes,
    valueBeforeDecode: sequence.toBER(),
  });
}

export function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock) {
  const pkijs = withPkijs();
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function certificateTime(value: Date) {
  const pkijs = withPkijs();
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

/** An RSA KeyObject as the WebCrypto key pkijs signs and verifies with (RSASSA-PKCS1-v1_5, SHA-256). */
export async function toCryptoKey(key: KeyObject, usage: "sign" | "verify"): Promise<CryptoKey> {
  // Node's webcrypto CryptoKey and the DOM's differ only in the list of usages they know.
  return key.toCryptoKey({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, [
    usage,
  ]) as unknown as CryptoKey;
}
