import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import { parseCurp, parseRfc } from "../identifiers/index.ts";
import { EfirmaError, MAX_CREDENTIAL_FILE_BYTES } from "./errors.ts";
import { readPem } from "./pem.ts";

export type Persona = "fisica" | "moral";
export type CertificateKind = "FIEL" | "CSD";

/** What the Institute reads from a SAT certificate (domain-mx §1.4). */
export interface EfirmaCertificate {
  der: Buffer;
  x509: X509Certificate;
  rfc: string;
  representativeRfc: string | null;
  curp: string | null;
  representativeCurp: string | null;
  name: string;
  persona: Persona;
  kind: CertificateKind;
  /** SAT «número de certificado»: the ASCII text of the serial number's bytes (20 digits). */
  certificateNumber: string;
  serialHex: string;
  validFrom: Temporal.Instant;
  validTo: Temporal.Instant;
  issuer: string;
  /** Subject OU: present only in CSD (sello digital) certificates. */
  organizationalUnit: string | null;
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** Oddities that do not refuse the certificate (a SAT-issued RFC failing its check digit…). */
  warnings: string[];
}

const OID = {
  x500UniqueIdentifier: "2.5.4.45",
  serialNumber: "2.5.4.5",
  name: "2.5.4.41",
  commonName: "2.5.4.3",
  organizationalUnit: "2.5.4.11",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
} as const;

const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

const EKU_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
};

const NOT_A_CERTIFICATE =
  "El archivo no es un certificado válido (se espera el archivo .cer de la e.firma).";

/** Reads a certificate in DER (as SAT issues it) or PEM. */
export function readCertificate(bytes: Uint8Array): EfirmaCertificate {
  if (bytes.length > MAX_CREDENTIAL_FILE_BYTES) {
    throw new EfirmaError("file_too_large", "El archivo del certificado es demasiado grande.");
  }
  const pem = readPem(bytes);
  if (pem && pem.label !== "CERTIFICATE")
    throw new EfirmaError("not_a_certificate", NOT_A_CERTIFICATE);
  const der = pem ? pem.der : Buffer.from(bytes);
  try {
    return interpret(der);
  } catch (error) {
    if (error instanceof EfirmaError) throw error;
    // Node accepts some damaged certificates that the full reading then trips on (a validity
    // that is not a time, an extension of the wrong type): they are not certificates either.
    throw new EfirmaError("not_a_certificate", NOT_A_CERTIFICATE, { cause: error });
  }
}

function interpret(der: Buffer): EfirmaCertificate {
  const x509 = new X509Certificate(der);
  // An unreadable ASN.1 time reads «Bad time value» as text, while the Date Node derives from it
  // can be NaN or garbage: trust the date only when the text parses to the same instant.
  const validFrom = epochOfOpensslTime(x509.validFrom);
  const validTo = epochOfOpensslTime(x509.validTo);
  if (
    !Number.isFinite(validFrom) ||
    !Number.isFinite(validTo) ||
    validFrom !== x509.validFromDate.getTime() ||
    validTo !== x509.validToDate.getTime()
  ) {
    throw new EfirmaError("not_a_certificate", NOT_A_CERTIFICATE);
  }
  const attributes = subjectAttributes(x509);
  const uniqueIdentifier = attributes.get(OID.x500UniqueIdentifier);
  if (!uniqueIdentifier) {
    throw new EfirmaError(
      "not_a_certificate",
      "El certificado no contiene un RFC: no es una e.firma emitida por el SAT.",
    );
  }
  // Persona moral: "RFC / RFC-del-representante"; física: "RFC".
  const [rfc = "", representativeRfc] = uniqueIdentifier.split("/").map((s) => s.trim());
  // Persona moral: " / CURP-del-representante"; física: "CURP".
  const [curp, representativeCurp] = (attributes.get(OID.serialNumber) ?? "")
    .split("/")
    .map((s) => s.trim());
  const organizationalUnit = attributes.get(OID.organizationalUnit)?.trim() || null;
  const keyUsage = readKeyUsage(der);
  const extendedKeyUsage = (x509.keyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid);
  const kind: CertificateKind = organizationalUnit ? "CSD" : "FIEL";
  const warnings: string[] = [];
  // The OU rule decides (as phpcfdi does); usages are a second signal, reported when they disagree.
  const looksLikeFiel =
    extendedKeyUsage.includes("clientAuth") || keyUsage.includes("keyAgreement");
  if (kind === "FIEL" && !looksLikeFiel && (keyUsage.length > 0 || extendedKeyUsage.length > 0)) {
    warnings.push(
      "El certificado no tiene OU (e.firma), pero sus usos de llave son los de un sello digital.",
    );
  }
  if (kind === "CSD" && extendedKeyUsage.includes("clientAuth")) {
    warnings.push(
      "El certificado tiene OU (sello digital), pero sus usos de llave son los de una e.firma.",
    );
  }

  const identifiers = {
    rfc: rfc.toUpperCase(),
    representativeRfc: representativeRfc ? representativeRfc.toUpperCase() : null,
    curp: curp ? curp.toUpperCase() : null,
    representativeCurp: representativeCurp ? representativeCurp.toUpperCase() : null,
  };
  warnings.push(...identifierWarnings(identifiers));

  return {
    der,
    x509,
    ...identifiers,
    name: (attributes.get(OID.name) ?? attributes.get(OID.commonName) ?? "").trim(),
    persona: rfc.length === 12 ? "moral" : "fisica",
    kind,
    certificateNumber: certificateNumberOf(x509.serialNumber),
    serialHex: x509.serialNumber.toUpperCase(),
    validFrom: Temporal.Instant.fromEpochMilliseconds(validFrom),
    validTo: Temporal.Instant.fromEpochMilliseconds(validTo),
    issuer: x509.issuer.replaceAll("\n", ", "),
    organizationalUnit,
    keyUsage,
    extendedKeyUsage,
    warnings,
  };
}

/** Milliseconds of OpenSSL's «May 18 04:37:14 2023 GMT», or NaN. */
function epochOfOpensslTime(text: string): number {
  // biome-ignore lint/style/noRestrictedGlobals: parses a text; the clock is not read.
  return Date.parse(text);
}

/**
 * Check digits inside a SAT certificate are warnings, not refusals: SAT issued real
 * certificates whose RFC or CURP fails them (domain-mx §2).
 */
function identifierWarnings(ids: {
  rfc: string;
  representativeRfc: string | null;
  curp: string | null;
  representativeCurp: string | null;
}): string[] {
  const warnings: string[] = [];
  const collect = (read: () => { warnings: string[] }) => {
    try {
      warnings.push(...read().warnings);
    } catch (error) {
      warnings.push(error instanceof Error ? error.message : String(error));
    }
  };
  for (const rfc of [ids.rfc, ids.representativeRfc]) {
    if (rfc) collect(() => parseRfc(rfc, { context: "certificate" }));
  }
  for (const curp of [ids.curp, ids.representativeCurp]) {
    if (curp) collect(() => parseCurp(curp, { context: "certificate" }));
  }
  return warnings;
}

/**
 * SAT numbers certificates with 20 ASCII digits stored as the serial's bytes
 * (`3330303031…` → `30001…`). Serials of other issuers are shown in hexadecimal.
 */
export function certificateNumberOf(serialHex: string): string {
  const bytes = Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, "hex");
  const text = bytes.toString("latin1");
  return /^[0-9]{1,40}$/.test(text) ? text : serialHex.toUpperCase();
}

/**
 * Attribute values of the subject as OpenSSL decodes them (PrintableString, T61String with «&»,
 * UTF8String with «Ñ»), without the escaping of Node's display string: the leading space of a
 * persona moral's ` / CURP` survives. Parsing the whole certificate with an ASN.1 library costs
 * ten times more, and sign-in reads one certificate per attempt.
 */
function subjectAttributes(x509: X509Certificate): Map<string, string> {
  const subject = x509.toLegacyObject().subject as unknown as Record<string, string | string[]>;
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(subject)) {
    const oid = SUBJECT_OIDS[name] ?? name;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string" && !values.has(oid)) values.set(oid, first);
  }
  return values;
}

const SUBJECT_OIDS: Record<string, string> = {
  x500UniqueIdentifier: OID.x500UniqueIdentifier,
  serialNumber: OID.serialNumber,
  name: OID.name,
  CN: OID.commonName,
  OU: OID.organizationalUnit,
};

/** The key usage bits, read from the extension alone (only a second signal for FIEL vs CSD). */
function readKeyUsage(der: Buffer): string[] {
  // id-ce-keyUsage (2.5.29.15) as DER: 06 03 55 1D 0F, then an optional critical flag and the
  // OCTET STRING that wraps the BIT STRING.
  const at = der.indexOf(KEY_USAGE_OID);
  if (at < 0) return [];
  const after = asn1js.fromBER(
    new Uint8Array(der.subarray(at + KEY_USAGE_OID.length, at + KEY_USAGE_OID.length + 16)),
  );
  let wrapper = after.result;
  if (wrapper instanceof asn1js.Boolean) {
    const rest = asn1js.fromBER(
      new Uint8Array(der.subarray(at + KEY_USAGE_OID.length + 3, at + KEY_USAGE_OID.length + 16)),
    );
    wrapper = rest.result;
  }
  if (!(wrapper instanceof asn1js.OctetString)) return [];
  const bits = asn1js.fromBER(new Uint8Array(wrapper.valueBlock.valueHexView)).result;
  if (!(bits instanceof asn1js.BitString)) return [];
  const bytes = bits.valueBlock.valueHexView;
  const usages: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) usages.push(name);
  });
  return usages;
}

const KEY_USAGE_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);
