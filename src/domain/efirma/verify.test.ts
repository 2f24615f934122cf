import { Buffer } from "node:buffer";
import { constants, type KeyObject, randomBytes, sign, type X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevCa,
  type IssueOptions,
  initDevCa,
  issueEfirma,
} from "../../platform/crypto/dev-ca.ts";
import { satFixture } from "../../testing/efirma.ts";
import { expectRefusal } from "../../testing/expect-refusal.ts";
import { type EfirmaCertificate, readCertificate } from "./certificate.ts";
import { EfirmaError, type EfirmaErrorCode } from "./errors.ts";
import { openPrivateKey } from "./private-key.ts";
import { checkCertificate, checkSignature } from "./verify.ts";

/** The instant of use of every check, unless a test says otherwise; never the clock. */
const T0 = Temporal.Instant.from("2026-03-02T17:00:00Z");
const CA_LIFETIME = Temporal.Duration.from({ hours: 20 * 365 * 24 });

const SIGNATURE_INVALID =
  "La firma no corresponde al certificado: verifica que la llave privada sea la de ese certificado.";

function dateAt(instant: Temporal.Instant): Date {
  return new Date(instant.epochMilliseconds);
}

const refusal = (code: EfirmaErrorCode, fn: () => unknown) => expectRefusal(EfirmaError, code, fn);

const caDirs: string[] = [];

async function newCa(at: Temporal.Instant): Promise<DevCa> {
  const dir = mkdtempSync(join(tmpdir(), "buzon-verify-ca-"));
  caDirs.push(dir);
  return initDevCa(dir, dateAt(at));
}

afterAll(() => {
  for (const dir of caDirs) rmSync(dir, { recursive: true, force: true });
});

interface Minted {
  certificate: EfirmaCertificate;
  key: KeyObject;
}

async function mint(
  ca: DevCa,
  at: Temporal.Instant,
  options: Partial<IssueOptions> = {},
): Promise<Minted> {
  const issued = await issueEfirma(ca, {
    rfc: "EKU9003173C9",
    name: "ESCUELA KEMPER URGATE SA DE CV",
    representativeRfc: "VADA800927DJ3",
    representativeCurp: "VADA800927HSRSRL05",
    ...options,
    now: dateAt(at),
  });
  return {
    certificate: readCertificate(readFileSync(issued.cerPath)),
    key: openPrivateKey(readFileSync(issued.keyPath), issued.password),
  };
}

let ca: DevCa;
/** Another development CA: the same name, another key. */
let impostor: DevCa;
/** A CA whose validity ended 30 days before T0. */
let oldCa: DevCa;
/** A CA whose validity starts 60 days after T0. */
let futureCa: DevCa;
let anchors: X509Certificate[];

let fiel: Minted;
let fisica: Minted;
let csd: Minted;
let expired: Minted;
let notYetValid: Minted;
let fromImpostor: Minted;
let fromOldCa: Minted;
let fromFutureCa: Minted;

beforeAll(async () => {
  ca = await newCa(T0);
  impostor = await newCa(T0);
  oldCa = await newCa(T0.subtract(CA_LIFETIME).subtract({ hours: 30 * 24 }));
  futureCa = await newCa(T0.add({ hours: 60 * 24 }));
  anchors = [ca.certificate];

  fiel = await mint(ca, T0);
  fisica = await mint(ca, T0, {
    rfc: "CACX7605101P8",
    name: "XOCHILT CASAS CHAVEZ",
    curp: "CACX760510MGTSHC04",
    representativeRfc: undefined,
    representativeCurp: undefined,
  });
  csd = await mint(ca, T0, { kind: "CSD" });
  expired = await mint(ca, T0, { validity: "vencido" });
  notYetValid = await mint(ca, T0, { validity: "futuro" });
  fromImpostor = await mint(impostor, T0);
  fromOldCa = await mint(oldCa, T0.subtract({ hours: 100 * 24 }));
  fromFutureCa = await mint(futureCa, T0.subtract({ hours: 10 * 24 }));
}, 60_000);

describe("checkCertificate", () => {
  it("accepts a valid e.firma from a trusted issuer and returns that issuer", () => {
    expect(checkCertificate(fiel.certificate, { at: T0, anchors })).toBe(ca.certificate);
    expect(checkCertificate(fiel.certificate, { at: T0, anchors, typedRfc: "EKU9003173C9" })).toBe(
      ca.certificate,
    );
    expect(
      checkCertificate(fisica.certificate, { at: T0, anchors, typedRfc: "CACX7605101P8" }),
    ).toBe(ca.certificate);
  });

  it("picks the issuer by signature, not by name, among several anchors", () => {
    // Both development CAs have the same subject; only the one whose key signed is the issuer.
    expect(impostor.certificate.subject).toBe(ca.certificate.subject);
    const both = [impostor.certificate, ca.certificate];
    expect(checkCertificate(fiel.certificate, { at: T0, anchors: both })).toBe(ca.certificate);
    expect(checkCertificate(fromImpostor.certificate, { at: T0, anchors: both })).toBe(
      impostor.certificate,
    );
  });

  it("compares the typed RFC trimmed and in capitals", () => {
    expect(
      checkCertificate(fiel.certificate, { at: T0, anchors, typedRfc: "  eku9003173c9 " }),
    ).toBe(ca.certificate);
  });

  it("refuses a CSD first, before looking at validity, issuer or RFC", () => {
    expect(
      refusal("csd_not_fiel", () => checkCertificate(csd.certificate, { at: T0, anchors })).message,
    ).toBe(
      "El certificado es un sello digital (CSD), no una e.firma. Usa el certificado de tu e.firma (FIEL).",
    );
    // At an instant where it is expired, with no anchors and another RFC: still csd_not_fiel.
    refusal("csd_not_fiel", () =>
      checkCertificate(csd.certificate, {
        at: T0.add({ hours: 10 * 365 * 24 }),
        anchors: [],
        typedRfc: "XAXX010101000",
      }),
    );
  });

  it("refuses a certificate that is not yet valid, naming the date it will be", () => {
    const e = refusal("certificate_not_yet_valid", () =>
      checkCertificate(notYetValid.certificate, { at: T0, anchors }),
    );
    expect(e.message).toBe(
      `El certificado aún no es vigente: lo será a partir del ${notYetValid.certificate.validFrom.toString()}.`,
    );
    expect(notYetValid.certificate.validFrom.toString()).toBe("2026-04-01T17:00:00Z");
  });

  it("refuses an expired certificate, naming the date it expired", () => {
    const e = refusal("certificate_expired", () =>
      checkCertificate(expired.certificate, { at: T0, anchors }),
    );
    expect(e.message).toBe(
      "El certificado venció el 2026-03-01T17:00:00Z. Renueva tu e.firma ante el SAT.",
    );
  });

  it("checks validity at the instant given, to the second, both ends included", () => {
    const { validFrom, validTo } = fiel.certificate;
    expect(checkCertificate(fiel.certificate, { at: validFrom, anchors })).toBe(ca.certificate);
    expect(checkCertificate(fiel.certificate, { at: validTo, anchors })).toBe(ca.certificate);
    refusal("certificate_not_yet_valid", () =>
      checkCertificate(fiel.certificate, { at: validFrom.subtract({ seconds: 1 }), anchors }),
    );
    refusal("certificate_expired", () =>
      checkCertificate(fiel.certificate, { at: validTo.add({ milliseconds: 1 }), anchors }),
    );
    // The expired and future ones are fine at instants inside their windows (and the CA's).
    expect(
      checkCertificate(expired.certificate, { at: expired.certificate.validTo, anchors }),
    ).toBe(ca.certificate);
    expect(
      checkCertificate(notYetValid.certificate, { at: T0.add({ hours: 31 * 24 }), anchors }),
    ).toBe(ca.certificate);
  });

  it("checks validity before the issuer", () => {
    refusal("certificate_expired", () =>
      checkCertificate(expired.certificate, { at: T0, anchors: [] }),
    );
  });

  it("refuses a certificate issued by another CA, even one with the same name", () => {
    const message =
      "El certificado no fue emitido por una autoridad certificadora reconocida por el Instituto.";
    expect(
      refusal("unknown_issuer", () =>
        checkCertificate(fromImpostor.certificate, { at: T0, anchors }),
      ).message,
    ).toBe(message);
    refusal("unknown_issuer", () => checkCertificate(fiel.certificate, { at: T0, anchors: [] }));
  });

  it("refuses the SAT's own test e.firma when only the development CA is trusted", async () => {
    const sat = readCertificate((await satFixture("fake-fiel")).cer);
    refusal("unknown_issuer", () =>
      checkCertificate(sat, { at: Temporal.Instant.from("2026-06-01T00:00:00Z"), anchors }),
    );
    refusal("certificate_expired", () =>
      checkCertificate(sat, { at: Temporal.Instant.from("2027-05-17T04:37:15Z"), anchors }),
    );
  });

  it("refuses when the issuer itself is not valid at the instant of use", () => {
    const message = "El certificado de la autoridad que emitió tu e.firma no está vigente.";
    const oldAnchors = [oldCa.certificate];
    // The CA expired 30 days before T0; the e.firma it issued is still within its own dates.
    expect(
      Temporal.Instant.compare(
        Temporal.Instant.fromEpochMilliseconds(oldCa.certificate.validToDate.getTime()),
        T0,
      ),
    ).toBe(-1);
    expect(Temporal.Instant.compare(fromOldCa.certificate.validTo, T0)).toBe(1);
    expect(
      refusal("unknown_issuer", () =>
        checkCertificate(fromOldCa.certificate, { at: T0, anchors: oldAnchors }),
      ).message,
    ).toBe(message);
    // The same pair was acceptable while the CA was valid.
    expect(
      checkCertificate(fromOldCa.certificate, {
        at: T0.subtract({ hours: 60 * 24 }),
        anchors: oldAnchors,
      }),
    ).toBe(oldCa.certificate);
    // A CA not yet valid at the instant is refused the same way.
    expect(
      refusal("unknown_issuer", () =>
        checkCertificate(fromFutureCa.certificate, { at: T0, anchors: [futureCa.certificate] }),
      ).message,
    ).toBe(message);
  });

  it("refuses an RFC that is not the certificate's, naming both", () => {
    const e = refusal("rfc_mismatch", () =>
      checkCertificate(fiel.certificate, { at: T0, anchors, typedRfc: "xaxx010101000" }),
    );
    expect(e.message).toBe(
      "El RFC capturado (XAXX010101000) no coincide con el RFC del certificado (EKU9003173C9).",
    );
    // A persona moral's mailbox is the company's: the representative's RFC is not it.
    const representative = refusal("rfc_mismatch", () =>
      checkCertificate(fiel.certificate, { at: T0, anchors, typedRfc: "VADA800927DJ3" }),
    );
    expect(representative.message).toContain("(VADA800927DJ3)");
    expect(representative.message).toContain("(EKU9003173C9)");
  });

  it("checks the issuer before the RFC", () => {
    refusal("unknown_issuer", () =>
      checkCertificate(fromImpostor.certificate, { at: T0, anchors, typedRfc: "XAXX010101000" }),
    );
  });
});

describe("checkSignature", () => {
  const text = `Buzón IMSS|acceso|EKU9003173C9|0b7f1c1e-2f7a-4c36-9a55-6c1f0f3c2f10|nonce|${T0.add({ seconds: 120 }).toString()}`;
  const signed = (key: KeyObject, message = text) =>
    sign("sha256", Buffer.from(message, "utf8"), key).toString("base64");

  it("accepts an RSA-SHA256 signature of the UTF-8 text by the certificate's key", () => {
    expect(() => checkSignature(fiel.certificate, text, signed(fiel.key))).not.toThrow();
    expect(() => checkSignature(fisica.certificate, text, signed(fisica.key))).not.toThrow();
  });

  it("accepts a signature with the SAT's own test e.firma", async () => {
    const sat = await satFixture("fake-fiel");
    const key = openPrivateKey(sat.key, sat.password);
    expect(() => checkSignature(readCertificate(sat.cer), text, signed(key))).not.toThrow();
  });

  it("refuses a tampered signature", () => {
    const good = Buffer.from(signed(fiel.key), "base64");
    for (const at of [0, 1, 128, good.length - 1]) {
      const tampered = Buffer.from(good);
      tampered[at]! ^= 0x01;
      expect(
        refusal("signature_invalid", () =>
          checkSignature(fiel.certificate, text, tampered.toString("base64")),
        ).message,
      ).toBe(SIGNATURE_INVALID);
    }
    // One byte short, one byte more.
    refusal("signature_invalid", () =>
      checkSignature(fiel.certificate, text, good.subarray(1).toString("base64")),
    );
    refusal("signature_invalid", () =>
      checkSignature(
        fiel.certificate,
        text,
        Buffer.concat([good, Buffer.of(0)]).toString("base64"),
      ),
    );
  });

  it("refuses an empty signature, and text that is not base64", () => {
    expect(
      refusal("signature_invalid", () => checkSignature(fiel.certificate, text, "")).message,
    ).toBe(SIGNATURE_INVALID);
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, "!!!!"));
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, "===="));
  });

  it("refuses a signature over a different text", () => {
    refusal("signature_invalid", () =>
      checkSignature(fiel.certificate, text, signed(fiel.key, `${text} `)),
    );
    refusal("signature_invalid", () =>
      checkSignature(fiel.certificate, text, signed(fiel.key, text.replace("Buzón", "Buzon"))),
    );
    // The same characters in Latin-1 are other bytes.
    const latin1 = sign("sha256", Buffer.from(text, "latin1"), fiel.key).toString("base64");
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, latin1));
  });

  it("refuses a signature by another key, another hash or another padding", () => {
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, signed(csd.key)));
    refusal("signature_invalid", () =>
      checkSignature(fiel.certificate, text, signed(fromImpostor.key)),
    );
    const sha1 = sign("sha1", Buffer.from(text, "utf8"), fiel.key).toString("base64");
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, sha1));
    const pss = sign("sha256", Buffer.from(text, "utf8"), {
      key: fiel.key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
    }).toString("base64");
    refusal("signature_invalid", () => checkSignature(fiel.certificate, text, pss));
  });

  it("refuses a signature of more than 1024 bytes without verifying it", () => {
    const good = Buffer.from(signed(fiel.key), "base64");
    for (const bytes of [
      randomBytes(1025),
      Buffer.concat([good, Buffer.alloc(1025 - good.length)]),
      randomBytes(64 * 1024),
    ]) {
      expect(
        refusal("signature_invalid", () =>
          checkSignature(fiel.certificate, text, bytes.toString("base64")),
        ).message,
      ).toBe(SIGNATURE_INVALID);
    }
    // Up to 1024 bytes it is verified (and refused when wrong) like any other.
    refusal("signature_invalid", () =>
      checkSignature(fiel.certificate, text, randomBytes(1024).toString("base64")),
    );
  });
});
