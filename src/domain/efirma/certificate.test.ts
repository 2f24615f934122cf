import { Buffer } from "node:buffer";
import { randomBytes, X509Certificate } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IssueOptions } from "../../platform/crypto/dev-ca.ts";
import { issueTestEfirma, SAT_FIXTURES, satFixture, testDevCa } from "../../testing/efirma.ts";
import { expectRefusal } from "../../testing/expect-refusal.ts";
import { type EfirmaCertificate, readCertificate } from "./certificate.ts";
import { EfirmaError, type EfirmaErrorCode, MAX_CREDENTIAL_FILE_BYTES } from "./errors.ts";

const PERSONAS = join(SAT_FIXTURES, "..", "sat-personas");
const FISICAS = join(PERSONAS, "Personas Fisicas");
const MORALES = join(PERSONAS, "Personas Morales");

const NOT_A_CERTIFICATE =
  "El archivo no es un certificado válido (se espera el archivo .cer de la e.firma).";

/** Everything read from a certificate, comparable with toEqual (Temporal values as text). */
function facts(certificate: EfirmaCertificate) {
  const { der: _der, x509: _x509, validFrom, validTo, ...rest } = certificate;
  return { ...rest, validFrom: validFrom.toString(), validTo: validTo.toString() };
}

function pemOf(der: Uint8Array, label = "CERTIFICATE", eol = "\n"): Buffer {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return Buffer.from(
    [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ""].join(eol),
    "latin1",
  );
}

const refusal = (code: EfirmaErrorCode, fn: () => unknown) => expectRefusal(EfirmaError, code, fn);

describe("readCertificate: the SAT's test e.firma and CSD (EKU9003173C9, valid to 2027)", () => {
  it("reads and classifies the e.firma of a persona moral", async () => {
    const { cer } = await satFixture("fake-fiel");
    const certificate = readCertificate(cer);
    expect(facts(certificate)).toEqual({
      rfc: "EKU9003173C9",
      representativeRfc: "VADA800927DJ3",
      curp: null,
      representativeCurp: "VADA800927HSRSRL05",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      persona: "moral",
      kind: "FIEL",
      certificateNumber: "30001000000500003415",
      serialHex: "3330303031303030303030353030303033343135",
      validFrom: "2023-05-18T04:37:14Z",
      validTo: "2027-05-17T04:37:14Z",
      issuer: expect.stringContaining("CN=AC UAT"),
      organizationalUnit: null,
      keyUsage: ["digitalSignature", "nonRepudiation", "dataEncipherment", "keyAgreement"],
      extendedKeyUsage: ["emailProtection", "clientAuth"],
      warnings: [],
    });
    expect(certificate.issuer).toContain("O=SERVICIO DE ADMINISTRACION TRIBUTARIA");
    expect(certificate.der.equals(cer)).toBe(true);
    expect(certificate.x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it("reads the subject from the DER, not from Node's escaped display string", async () => {
    const certificate = readCertificate((await satFixture("fake-fiel")).cer);
    // Node shows serialNumber (" / CURP") with its leading space escaped; the reader is not fooled.
    expect(certificate.x509.subject).toContain("serialNumber=\\ / VADA800927HSRSRL05");
    expect(certificate.curp).toBeNull();
    expect(certificate.representativeCurp).toBe("VADA800927HSRSRL05");
  });

  it("reads the CSD as a sello digital: kind CSD, OU «Sucursal 1», no e.firma usages", async () => {
    const certificate = readCertificate((await satFixture("fake-csd")).cer);
    expect(facts(certificate)).toMatchObject({
      rfc: "EKU9003173C9",
      representativeRfc: "VADA800927DJ3",
      curp: null,
      representativeCurp: "VADA800927HSRSRL05",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      persona: "moral",
      kind: "CSD",
      organizationalUnit: "Sucursal 1",
      certificateNumber: "30001000000500003416",
      validFrom: "2023-05-18T11:43:51Z",
      validTo: "2027-05-18T11:43:51Z",
      keyUsage: ["digitalSignature", "nonRepudiation"],
      extendedKeyUsage: [],
      warnings: [],
    });
  });

  it.each([
    ["LF, 64 columns", (der: Buffer) => pemOf(der)],
    ["CRLF", (der: Buffer) => pemOf(der, "CERTIFICATE", "\r\n")],
    [
      "no line breaks inside the armour",
      (der: Buffer) =>
        `${pemOf(der)
          .toString()
          .replace(/\n(?!-)/g, "")}\n`,
    ],
    [
      "text before and after (as openssl x509 -text writes it)",
      (der: Buffer) => `Certificate:\n  subject=…\n${pemOf(der).toString()}trailing note\n`,
    ],
  ])("reads the PEM form (%s) exactly as the DER", async (_name, toPem) => {
    const { cer } = await satFixture("fake-fiel");
    const fromPem = readCertificate(Buffer.from(toPem(cer)));
    expect(facts(fromPem)).toEqual(facts(readCertificate(cer)));
    expect(fromPem.der.equals(cer)).toBe(true);
  });
});

describe("readCertificate: the 2019 SAT test certificates (expired 2023)", () => {
  it("reads a persona física e.firma (CACX7605101P8): CURP of the holder, no representative", () => {
    const certificate = readCertificate(readFileSync(join(FISICAS, "cacx7605101p8.cer")));
    expect(facts(certificate)).toEqual({
      rfc: "CACX7605101P8",
      representativeRfc: null,
      curp: "CACX760510MGTSHC04",
      representativeCurp: null,
      name: "XOCHILT CASAS CHAVEZ",
      persona: "fisica",
      kind: "FIEL",
      certificateNumber: "30001000000400002300",
      serialHex: "3330303031303030303030343030303032333030",
      validFrom: "2019-05-28T21:49:54Z",
      validTo: "2023-05-27T21:49:54Z",
      issuer: expect.stringContaining("CN=AC UAT"),
      organizationalUnit: null,
      keyUsage: ["digitalSignature", "nonRepudiation", "dataEncipherment", "keyAgreement"],
      extendedKeyUsage: ["emailProtection", "clientAuth"],
      warnings: [],
    });
  });

  it("reads that person's CSD as kind CSD, with the OU SAT gave it", () => {
    const certificate = readCertificate(readFileSync(join(FISICAS, "cacx7605101p8_csd.cer")));
    expect(facts(certificate)).toMatchObject({
      rfc: "CACX7605101P8",
      curp: "CACX760510MGTSHC04",
      persona: "fisica",
      kind: "CSD",
      organizationalUnit: "XOCHILT CASAS CHAVEZ 2",
      certificateNumber: "30001000000400002451",
      keyUsage: ["digitalSignature", "nonRepudiation"],
      extendedKeyUsage: [],
    });
  });

  it("reads an RFC with «&» written as T61String (H&E951128469)", () => {
    const der = readFileSync(join(MORALES, "h&e951128469.cer"));
    // The fixture really is T61String (tag 0x14) for x500UniqueIdentifier and the name.
    const at = der.indexOf("H&E951128469 / XOJI740919U48", 0, "latin1");
    expect(der[at - 2]).toBe(0x14);
    expect(der[der.indexOf("HERRERIA & ELECTRICOS", 0, "latin1") - 2]).toBe(0x14);
    expect(facts(readCertificate(der))).toMatchObject({
      rfc: "H&E951128469",
      representativeRfc: "XOJI740919U48",
      curp: null,
      representativeCurp: "XOJI740919MQTDMN02",
      name: "HERRERIA & ELECTRICOS S DE CV",
      persona: "moral",
      kind: "FIEL",
    });
  });

  it.each([
    [
      MORALES,
      "hañ930228sm9.cer",
      { rfc: "HAÑ930228SM9", name: "HERMANOS ANZURES ÑARVAEZ SA", persona: "moral" },
    ],
    [
      MORALES,
      "zuñ920208kl4_csd.cer",
      {
        rfc: "ZUÑ920208KL4",
        name: "ZAPATERIA URTADO ÑERI SA DE CV",
        persona: "moral",
        kind: "CSD",
        organizationalUnit: "Zapatería Urtado Ñeri",
      },
    ],
    [
      FISICAS,
      "cañf770131pa3.cer",
      {
        rfc: "CAÑF770131PA3",
        curp: "CANF770131HBCSBR08",
        name: "FERNANDO CASTILLO ÑABARRO",
        persona: "fisica",
      },
    ],
    [FISICAS, "raqñ7701212m3.cer", { rfc: "RAQÑ7701212M3", name: "ÑEVES RAMIREZ QUEZADA" }],
  ])("reads «Ñ» in the RFC and the name (%s/%s)", (dir, file, expected) => {
    const der = readFileSync(join(dir, file));
    // SAT writes Ñ as the single Latin-1 byte 0xD1 inside a T61String.
    expect(der.includes(Buffer.from([0xd1]))).toBe(true);
    expect(facts(readCertificate(der))).toMatchObject(expected);
  });

  it("reads every certificate of the set: RFC as in the file name, CSD exactly for *_csd", () => {
    let count = 0;
    for (const [dir, persona] of [
      [FISICAS, "fisica"],
      [MORALES, "moral"],
    ] as const) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".cer"))) {
        const certificate = readCertificate(readFileSync(join(dir, file)));
        const csd = file.endsWith("_csd.cer");
        const context = `${persona}/${file}`;
        expect(certificate.rfc, context).toBe(file.replace(/(_csd)?\.cer$/, "").toUpperCase());
        expect(certificate.persona, context).toBe(persona);
        expect(certificate.kind, context).toBe(csd ? "CSD" : "FIEL");
        expect(certificate.organizationalUnit !== null, context).toBe(csd);
        expect(certificate.extendedKeyUsage.includes("clientAuth"), context).toBe(!csd);
        expect(certificate.certificateNumber, context).toMatch(/^30001000000400002\d{3}$/);
        expect(certificate.issuer, context).toContain("CN=AC UAT");
        expect(certificate.name.length, context).toBeGreaterThan(0);
        if (persona === "moral") {
          expect(certificate.curp, context).toBeNull();
          expect(certificate.representativeRfc, context).toMatch(/^[A-ZÑ&]{4}\d{6}[A-Z0-9]{3}$/);
          expect(certificate.representativeCurp, context).toMatch(/^[A-Z]{4}\d{6}[A-Z0-9]{8}$/);
        } else {
          expect(certificate.curp, context).toMatch(/^[A-Z]{4}\d{6}[A-Z0-9]{8}$/);
          expect(certificate.representativeRfc, context).toBeNull();
        }
        expect(
          Temporal.Instant.compare(certificate.validTo, Temporal.Instant.from("2023-07-01T00:00Z")),
          context,
        ).toBe(-1);
        // Kind and usages agree (check-digit warnings on the identifiers are another matter).
        expect(
          certificate.warnings.filter((w) => w.includes("usos de llave")),
          context,
        ).toEqual([]);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(40);
  });
});

describe("readCertificate: certificates minted by the development CA read back what was issued", () => {
  const cases: [string, Partial<IssueOptions>, Partial<ReturnType<typeof facts>>][] = [
    [
      "persona moral, e.firma",
      {},
      {
        rfc: "EKU9003173C9",
        representativeRfc: "VADA800927DJ3",
        curp: null,
        representativeCurp: "VADA800927HSRSRL05",
        name: "ESCUELA KEMPER URGATE SA DE CV",
        persona: "moral",
        kind: "FIEL",
        organizationalUnit: null,
      },
    ],
    [
      "persona moral, CSD",
      { kind: "CSD" },
      {
        rfc: "EKU9003173C9",
        representativeRfc: "VADA800927DJ3",
        curp: null,
        representativeCurp: "VADA800927HSRSRL05",
        persona: "moral",
        kind: "CSD",
        organizationalUnit: "Sucursal 1",
      },
    ],
    [
      "persona física, e.firma",
      {
        rfc: "cacx7605101p8",
        name: "XOCHILT CASAS CHAVEZ",
        curp: "CACX760510MGTSHC04",
        representativeRfc: undefined,
        representativeCurp: undefined,
      },
      {
        rfc: "CACX7605101P8",
        representativeRfc: null,
        curp: "CACX760510MGTSHC04",
        representativeCurp: null,
        name: "XOCHILT CASAS CHAVEZ",
        persona: "fisica",
        kind: "FIEL",
        organizationalUnit: null,
      },
    ],
    [
      "persona física, CSD",
      {
        rfc: "VADA800927DJ3",
        name: "DANIEL VALDEZ ARIAS",
        curp: "VADA800927HSRSRL05",
        representativeRfc: undefined,
        representativeCurp: undefined,
        kind: "CSD",
      },
      {
        rfc: "VADA800927DJ3",
        representativeRfc: null,
        curp: "VADA800927HSRSRL05",
        representativeCurp: null,
        name: "DANIEL VALDEZ ARIAS",
        persona: "fisica",
        kind: "CSD",
        organizationalUnit: "Sucursal 1",
      },
    ],
    [
      "persona moral with «&» and a name with accents",
      {
        rfc: "H&E951128469",
        name: "HERRERÍA & ELÉCTRICOS S DE CV",
        representativeRfc: "XOJI740919U48",
        representativeCurp: "XOJI740919MQTDMN02",
      },
      {
        rfc: "H&E951128469",
        representativeRfc: "XOJI740919U48",
        representativeCurp: "XOJI740919MQTDMN02",
        name: "HERRERÍA & ELÉCTRICOS S DE CV",
        persona: "moral",
        kind: "FIEL",
      },
    ],
  ];

  it.each(cases)("%s", async (_name, options, expected) => {
    const issued = await issueTestEfirma(options);
    const certificate = readCertificate(readFileSync(issued.cerPath));
    const fiel = expected.kind === "FIEL";
    expect(facts(certificate)).toMatchObject({
      ...expected,
      certificateNumber: issued.certificateNumber,
      serialHex: issued.serialHex,
      issuer: expect.stringContaining("AC DE DESARROLLO BUZON IMSS"),
      keyUsage: fiel
        ? ["digitalSignature", "nonRepudiation", "dataEncipherment", "keyAgreement"]
        : ["digitalSignature", "nonRepudiation"],
      extendedKeyUsage: fiel ? ["emailProtection", "clientAuth"] : [],
      warnings: [],
    });
    expect(issued.rfc).toBe(certificate.rfc);
    expect(certificate.certificateNumber).toMatch(/^30001\d{15}$/);
    // Four years, as SAT issues them.
    const days = certificate.validTo.since(certificate.validFrom).total({ unit: "hours" }) / 24;
    expect(days).toBeCloseTo(4 * 365 + 1, 0);
  });
});

describe("readCertificate refuses what is not an e.firma certificate", () => {
  it("the .key file given as the certificate", async () => {
    const { key } = await satFixture("fake-fiel");
    expect(refusal("not_a_certificate", () => readCertificate(key)).message).toBe(
      NOT_A_CERTIFICATE,
    );
  });

  it.each([
    ["the first 100 bytes", 100],
    ["all but the last byte", -1],
    ["only the header", 4],
    ["nothing", 0],
  ])("a truncated DER certificate (%s)", async (_name, end) => {
    const { cer } = await satFixture("fake-fiel");
    const bytes = cer.subarray(0, end);
    expect(refusal("not_a_certificate", () => readCertificate(bytes)).message).toBe(
      NOT_A_CERTIFICATE,
    );
  });

  it("random bytes, and random bytes that start like DER", () => {
    for (let i = 0; i < 20; i++) {
      const bytes = randomBytes(1 + i * 97);
      refusal("not_a_certificate", () => readCertificate(bytes));
      bytes[0] = 0x30;
      refusal("not_a_certificate", () => readCertificate(bytes));
    }
  });

  it("PEM armour around garbage", () => {
    const garbage = [
      "-----BEGIN CERTIFICATE-----\nthis is not base64 !!!\n-----END CERTIFICATE-----\n",
      "-----BEGIN CERTIFICATE-----\nSGVsbG8sIG11bmRvIQ==\n-----END CERTIFICATE-----\n",
      "-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n",
      "-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----\n",
      `-----BEGIN CERTIFICATE-----\n${randomBytes(900).toString("base64")}\n-----END CERTIFICATE-----\n`,
    ];
    for (const pem of garbage) {
      expect(refusal("not_a_certificate", () => readCertificate(Buffer.from(pem))).message).toBe(
        NOT_A_CERTIFICATE,
      );
    }
  });

  it.each([
    "PUBLIC KEY",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "X509 CRL",
    "TRUSTED CERTIFICATE",
  ])("a PEM block labelled %s, even around a real certificate", async (label) => {
    const { cer } = await satFixture("fake-fiel");
    expect(refusal("not_a_certificate", () => readCertificate(pemOf(cer, label))).message).toBe(
      NOT_A_CERTIFICATE,
    );
  });

  it("a valid X.509 certificate that carries no RFC (the development CA's own)", async () => {
    const ca = await testDevCa();
    expect(refusal("not_a_certificate", () => readCertificate(ca.certificateDer)).message).toBe(
      "El certificado no contiene un RFC: no es una e.firma emitida por el SAT.",
    );
  });

  it("more than 64 KiB, before parsing anything; 64 KiB itself is parsed", async () => {
    const { cer } = await satFixture("fake-fiel");
    const big = Buffer.concat([cer, Buffer.alloc(MAX_CREDENTIAL_FILE_BYTES + 1 - cer.length)]);
    expect(big.length).toBe(64 * 1024 + 1);
    expect(refusal("file_too_large", () => readCertificate(big)).message).toBe(
      "El archivo del certificado es demasiado grande.",
    );
    const pem = Buffer.concat([pemOf(cer), Buffer.alloc(70_000, 0x20)]);
    refusal("file_too_large", () => readCertificate(pem));
    refusal("not_a_certificate", () => readCertificate(randomBytes(MAX_CREDENTIAL_FILE_BYTES)));
  });
});

/**
 * Certificates damaged in one byte that Node's X509Certificate still accepts. Found by
 * fuzz.test.ts. On the sign-in endpoint each one is an unauthenticated HTTP 500, since the
 * error that escapes is not an EfirmaError.
 */
describe("readCertificate: damaged certificates that Node's X509Certificate still parses", () => {
  async function damaged(): Promise<Record<string, Buffer>> {
    const { cer } = await satFixture("fake-fiel");
    const patch = (find: number[], offset: number, value: number) => {
      const at = cer.indexOf(Buffer.from(find));
      expect(at).toBeGreaterThan(0);
      const bytes = Buffer.from(cer);
      bytes[at + offset] = value;
      return bytes;
    };
    const notAfter = [...Buffer.from("270517043714Z", "latin1")];
    const notBefore = [...Buffer.from("230518043714Z", "latin1")];
    return {
      // UTCTime 270517043714Z → 270517043714[
      "notAfter not a time": patch(notAfter, 12, 0x5b),
      // UTCTime 230518043714Z → \x0030518043714Z
      "notBefore not a time": patch(notBefore, 0, 0x00),
      // basicConstraints (2.5.29.19) → a second keyUsage (2.5.29.15) whose value is a SEQUENCE
      "keyUsage not a BIT STRING": patch([0x06, 0x03, 0x55, 0x1d, 0x13], 4, 0x0f),
      // keyUsage value BIT STRING (03 02 03 d8) → GeneralizedTime 18 02 03 d8, asn1js throws
      "keyUsage a malformed GeneralizedTime": patch([0x04, 0x04, 0x03, 0x02, 0x03, 0xd8], 2, 0x18),
    };
  }

  it("Node accepts all of them (so readCertificate must check what it reads)", async () => {
    for (const [name, bytes] of Object.entries(await damaged())) {
      expect(() => new X509Certificate(bytes), name).not.toThrow();
    }
  });

  // Regression (certificate.ts, readCertificate, found by the fuzz test): x509.validFromDate / validToDate are Invalid Date, and
  // Temporal.Instant.fromEpochMilliseconds(NaN) throws RangeError («Expected finite integer»).
  it("a notAfter that is not a time is not_a_certificate", async () => {
    const bytes = (await damaged())["notAfter not a time"]!;
    refusal("not_a_certificate", () => readCertificate(bytes));
  });

  // Regression (certificate.ts, readCertificate, found by the fuzz test): as above, for notBefore.
  it("a notBefore that is not a time is not_a_certificate", async () => {
    const bytes = (await damaged())["notBefore not a time"]!;
    refusal("not_a_certificate", () => readCertificate(bytes));
  });

  // Regression (certificate.ts, readKeyUsage, found by the fuzz test): parsedValue is cast to BitString; a SEQUENCE has a
  // valueBlock without valueHexView → TypeError «Cannot read properties of undefined (reading '0')».
  it("a keyUsage extension that is not a BIT STRING is refused (or ignored)", async () => {
    const bytes = (await damaged())["keyUsage not a BIT STRING"]!;
    try {
      readCertificate(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(EfirmaError);
    }
  });

  // Regression (certificate.ts, readKeyUsage/readExtendedKeyUsage, found by the fuzz test): pkijs parses extension values lazily
  // in the `parsedValue` getter, outside readCertificate's try; asn1js throws a plain Error
  // («Wrong input string for conversion») for a malformed GeneralizedTime.
  it("a keyUsage extension holding a malformed GeneralizedTime is refused", async () => {
    const bytes = (await damaged())["keyUsage a malformed GeneralizedTime"]!;
    try {
      readCertificate(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(EfirmaError);
    }
  });
});
