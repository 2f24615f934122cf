/**
 * Detached CMS signatures made by OpenSSL's command line (`openssl cms -sign`) with e.firmas of
 * the development CA and of the SAT's test fixtures, verified from the document's SHA-256 alone.
 */
import { Buffer } from "node:buffer";
import {
  constants,
  createHash,
  createPrivateKey,
  type KeyObject,
  privateEncrypt,
  sign,
  X509Certificate,
} from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asn1js from "asn1js";
import fc from "fast-check";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCertificate } from "../../domain/efirma/certificate.ts";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { checkCertificate } from "../../domain/efirma/verify.ts";
import { byteMutations, mutate } from "../../testing/byte-mutations.ts";
import { issueTestEfirma, satFixture, testDevCa } from "../../testing/efirma.ts";
import { cmsVerifyArgs, newKeyArgs, openssl } from "../../testing/openssl.ts";
import {
  CmsSignatureError,
  type CmsSignatureErrorCode,
  type DetachedCmsVerification,
  evaluate,
  evaluateKnownShape,
  MAX_CMS_BYTES,
  verifyDetachedCmsSignature,
} from "./cms-signature.ts";
import { detachedCmsOf } from "./detached-cms.ts";
import { DEV_CA_FILES } from "./dev-ca.ts";

let dir: string;
let doc: string;
let digest: Buffer;
/** A FIEL of the development CA, as the PEM files `openssl cms -sign` takes. */
let fiel: { cert: string; key: string; x509: X509Certificate };
let other: { cert: string; key: string; x509: X509Certificate };

/** `openssl cms -sign -binary` over `content`, DER unless `extra` says otherwise. */
async function signWithOpenssl(
  signer: { cert: string; key: string },
  extra: string[] = [],
  content = doc,
): Promise<Buffer> {
  const out = join(dir, `firma-${Math.random().toString(36).slice(2)}.p7s`);
  const args = ["cms", "-sign", "-binary", "-in", content, "-signer", signer.cert];
  args.push("-inkey", signer.key, "-outform", "DER", "-out", out, ...extra);
  const result = openssl(args);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return readFile(out);
}

/** Writes the certificate and the opened key (unencrypted PEM, 0600) of an e.firma. */
async function pemFiles(
  name: string,
  cer: Uint8Array,
  key: Uint8Array,
  password: string,
): Promise<{ cert: string; key: string; x509: X509Certificate }> {
  const x509 = new X509Certificate(cer);
  const cert = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  await writeFile(cert, x509.toString());
  const pem = openPrivateKey(key, password).export({ format: "pem", type: "pkcs8" });
  await writeFile(keyPath, pem, { mode: 0o600 });
  return { cert, key: keyPath, x509 };
}

async function refusal(promise: Promise<unknown>): Promise<CmsSignatureError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CmsSignatureError);
    return error as CmsSignatureError;
  }
  throw new Error("se esperaba un rechazo");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cms-firma-"));
  await chmod(dir, 0o700);
  doc = join(dir, "oficio.txt");
  await writeFile(doc, "Oficio 09 53 84 / 2025: requerimiento de información.\n");
  digest = createHash("sha256")
    .update(await readFile(doc))
    .digest();
  for (const [name, rfc] of [
    ["fiel", "CACX7605101P8"],
    ["otra", "FUNK671228PH6"],
  ] as const) {
    const issued = await issueTestEfirma({
      rfc,
      name: `PERSONA ${name.toUpperCase()}`,
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    const files = await pemFiles(
      name,
      await readFile(issued.cerPath),
      await readFile(issued.keyPath),
      issued.password,
    );
    if (name === "fiel") fiel = files;
    else other = files;
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("verifyDetachedCmsSignature: the two forms OpenSSL makes", () => {
  it("with signed attributes (the default): messageDigest, contentType and signingTime", async () => {
    const before = Date.now();
    const result = await verifyDetachedCmsSignature(await signWithOpenssl(fiel), digest);
    expect(result).toMatchObject({
      digestMatches: true,
      signatureValid: true,
      signedAttributes: true,
      attachedContent: false,
    });
    expect(result.certificate.fingerprint256).toBe(fiel.x509.fingerprint256);
    // signingTime has a precision of seconds.
    expect(result.signedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(result.signedAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("without signed attributes (-noattr): PKCS #1 v1.5 over the document's digest", async () => {
    const result = await verifyDetachedCmsSignature(
      await signWithOpenssl(fiel, ["-noattr"]),
      digest,
    );
    expect(result).toMatchObject({
      signedAt: undefined,
      digestMatches: true,
      signatureValid: true,
      signedAttributes: false,
    });
  });

  it("another document's digest: the signature is valid, the digest does not match", async () => {
    const otherDigest = createHash("sha256").update("otro documento").digest();
    for (const extra of [[], ["-noattr"]]) {
      const result = await verifyDetachedCmsSignature(
        await signWithOpenssl(fiel, extra),
        otherDigest,
      );
      expect(result, extra.join(" ")).toMatchObject({ digestMatches: false, signatureValid: true });
    }
  });

  it("a flipped bit of the signature value makes it invalid, in both forms", async () => {
    for (const extra of [[], ["-noattr"]]) {
      const cms = await signWithOpenssl(fiel, extra);
      // The signature value is the last element of the DER: its bytes end the file.
      cms[cms.length - 5]! ^= 0x01;
      const result = await verifyDetachedCmsSignature(cms, digest);
      expect(result.signatureValid, extra.join(" ")).toBe(false);
      expect(result.digestMatches).toBe(extra.length === 0);
    }
  });

  it("a changed signed attribute (the signingTime) makes the signature invalid", async () => {
    const cms = await signWithOpenssl(fiel);
    // UTCTime: tag 0x17, 13 bytes «YYMMDDHHMMSSZ»; change the last digit of the seconds.
    const signingTimeOid = Buffer.from("06092a864886f70d010905", "hex");
    expect(cms.indexOf(signingTimeOid)).toBeGreaterThan(0);
    const at = cms.indexOf(Buffer.from([0x17, 0x0d]), cms.indexOf(signingTimeOid));
    expect(at).toBeGreaterThan(0);
    const secondsDigit = at + 2 + 11;
    cms[secondsDigit] = cms[secondsDigit] === 0x30 ? 0x31 : 0x30;
    const result = await verifyDetachedCmsSignature(cms, digest);
    expect(result).toMatchObject({ digestMatches: true, signatureValid: false });
  });

  it("PEM, labelled CMS (openssl cms) or PKCS7 (openssl smime), also after a BOM or text", async () => {
    const pem = (await signWithOpenssl(fiel, ["-outform", "PEM"])).toString("latin1");
    expect(pem).toContain("-----BEGIN CMS-----");
    const pkcs7 = pem.replaceAll("CMS-----", "PKCS7-----");
    for (const text of [
      pem,
      pkcs7,
      `\ufeffFirma del oficio\r\n${pkcs7.replaceAll("\n", "\r\n")}`,
    ]) {
      const result = await verifyDetachedCmsSignature(Buffer.from(text, "utf8"), digest);
      expect(result).toMatchObject({ digestMatches: true, signatureValid: true });
    }
  });

  it("finds the signer by subjectKeyIdentifier (-keyid), from the extension or the key's SHA-1", async () => {
    const key = join(dir, "ski-key.pem");
    const withSki = join(dir, "ski.pem");
    const withoutSki = join(dir, "sin-ski.pem");
    let made = openssl(
      newKeyArgs({ key: "rsa:2048", keyOut: key, out: withSki, subject: "/CN=ski", days: 2 }),
    );
    expect(made.status).toBe(0);
    made = openssl([
      ...["req", "-x509", "-key", key, "-subj", "/CN=sin ski", "-days", "2"],
      ...["-addext", "subjectKeyIdentifier=none", "-out", withoutSki],
    ]);
    expect(made.status).toBe(0);
    const signer = { cert: withSki, key };
    const byExtension = await verifyDetachedCmsSignature(
      await signWithOpenssl(signer, ["-keyid"]),
      digest,
    );
    expect(byExtension).toMatchObject({ digestMatches: true, signatureValid: true });
    expect(byExtension.certificate.subject).toBe("CN=ski");
    // Only the certificate without the extension travels: matched by SHA-1 of its public key.
    const byKeyHash = await verifyDetachedCmsSignature(
      await signWithOpenssl(signer, ["-keyid", "-nocerts", "-certfile", withoutSki]),
      digest,
    );
    expect(byKeyHash).toMatchObject({ digestMatches: true, signatureValid: true });
    expect(byKeyHash.certificate.subject).toBe("CN=sin ski");
  });

  it("extra certificates in the CMS do not confuse which one signed", async () => {
    const result = await verifyDetachedCmsSignature(
      await signWithOpenssl(fiel, ["-certfile", other.cert]),
      digest,
    );
    expect(result.certificate.fingerprint256).toBe(fiel.x509.fingerprint256);
    expect(result.signatureValid).toBe(true);
  });

  it("the SAT's test FIEL, signed as a taxpayer would", async () => {
    const sat = await satFixture("fake-fiel");
    const files = await pemFiles("sat-fiel", sat.cer, sat.key, sat.password);
    for (const extra of [[], ["-noattr"]]) {
      const result = await verifyDetachedCmsSignature(await signWithOpenssl(files, extra), digest);
      expect(result).toMatchObject({ digestMatches: true, signatureValid: true });
      expect(result.certificate.subject).toContain("EKU9003173C9");
    }
  });

  it("the documented openssl command verifies the same files against the issuing CA", async () => {
    const ca = await testDevCa();
    const p7s = join(dir, "oficio.p7s");
    await writeFile(p7s, await signWithOpenssl(fiel));
    const result = openssl(
      cmsVerifyArgs({ cms: p7s, content: doc, caFile: join(ca.dir, DEV_CA_FILES.certificatePem) }),
    );
    expect(result.stderr).toContain("Verification successful");
    expect(result.status).toBe(0);
  });
});

describe("verifyDetachedCmsSignature: embedded content", () => {
  it("accepts a CMS that carries the very document (-nodetach)", async () => {
    for (const extra of [["-nodetach"], ["-nodetach", "-noattr"]]) {
      const result = await verifyDetachedCmsSignature(await signWithOpenssl(fiel, extra), digest);
      expect(result, extra.join(" ")).toMatchObject({
        digestMatches: true,
        signatureValid: true,
        attachedContent: true,
      });
    }
  });

  it("refuses one that carries another document", async () => {
    const otherDigest = createHash("sha256").update("otro documento").digest();
    const error = await refusal(
      verifyDetachedCmsSignature(await signWithOpenssl(fiel, ["-nodetach"]), otherDigest),
    );
    expect(error.code).toBe("not_detached");
    expect(error.message).toMatch(/documento distinto/);
  });
});

describe("verifyDetachedCmsSignature: what it refuses, with a typed error", () => {
  it("several signers, clearly", async () => {
    const cms = await signWithOpenssl(fiel, ["-signer", other.cert, "-inkey", other.key]);
    const error = await refusal(verifyDetachedCmsSignature(cms, digest));
    expect(error.code).toBe("multiple_signers");
    expect(error.message).toMatch(/^La firma tiene 2 firmantes; solo se verifican/);
  });

  it("a digest other than SHA-256", async () => {
    const error = await refusal(
      verifyDetachedCmsSignature(await signWithOpenssl(fiel, ["-md", "sha512"]), digest),
    );
    expect(error.code).toBe("unsupported_algorithm");
    expect(error.message).toBe(
      "La firma usa el algoritmo de resumen SHA-512; solo se admite SHA-256.",
    );
  });

  it("RSA-PSS signatures", async () => {
    const error = await refusal(
      verifyDetachedCmsSignature(
        await signWithOpenssl(fiel, ["-keyopt", "rsa_padding_mode:pss"]),
        digest,
      ),
    );
    expect(error.code).toBe("unsupported_algorithm");
    expect(error.message).toContain("RSA-PSS");
  });

  it("content that is not plain data", async () => {
    const error = await refusal(
      verifyDetachedCmsSignature(
        await signWithOpenssl(fiel, ["-econtent_type", "1.2.840.113549.1.9.16.1.4"]),
        digest,
      ),
    );
    expect(error.code).toBe("unsupported_content_type");
  });

  it("a CMS without the signer's certificate (-nocerts)", async () => {
    const error = await refusal(
      verifyDetachedCmsSignature(await signWithOpenssl(fiel, ["-nocerts"]), digest),
    );
    expect(error.code).toBe("no_signer_certificate");
    // Another certificate is no substitute.
    const withOther = await refusal(
      verifyDetachedCmsSignature(
        await signWithOpenssl(fiel, ["-nocerts", "-certfile", other.cert]),
        digest,
      ),
    );
    expect(withOther.code).toBe("no_signer_certificate");
  });

  it("garbage, empty input, a certificate, a PEM of something else, trailing bytes", async () => {
    const cms = await signWithOpenssl(fiel);
    const inputs: [string, Uint8Array][] = [
      ["vacío", new Uint8Array()],
      ["texto", Buffer.from("no es una firma")],
      ["aleatorio", Buffer.from(createHash("sha512").update("x").digest())],
      ["certificado", fiel.x509.raw],
      ["PEM de certificado", Buffer.from(fiel.x509.toString())],
      ["PEM sin fin", Buffer.from("-----BEGIN CMS-----\nMIIB\n")],
      ["PEM que no es Base64", Buffer.from("-----BEGIN CMS-----\n#$%\n-----END CMS-----\n")],
      ["bytes de más", Buffer.concat([cms, Buffer.from([0])])],
      ["truncado", cms.subarray(0, cms.length - 1)],
    ];
    for (const [what, bytes] of inputs) {
      const error = await refusal(verifyDetachedCmsSignature(bytes, digest));
      expect(error.code, what).toBe("malformed_cms");
      expect(error.message).toMatch(/^El archivo de la firma no es una firma CMS válida/);
    }
  });

  // How long the megabyte of headers takes is measured in bench/inputs.ts.
  it("more than 1 MiB, without reading it; and a megabyte of PEM headers", async () => {
    const big = Buffer.alloc(MAX_CMS_BYTES + 1, 0x30);
    expect((await refusal(verifyDetachedCmsSignature(big, digest))).code).toBe("cms_too_large");
    const headers = Buffer.from("-----BEGIN A-----".repeat(Math.floor(MAX_CMS_BYTES / 17)));
    expect((await refusal(verifyDetachedCmsSignature(headers, digest))).code).toBe("malformed_cms");
  });

  it("a digest that is not SHA-256 (a caller's error)", async () => {
    const error = await refusal(
      verifyDetachedCmsSignature(await signWithOpenssl(fiel), digest.subarray(0, 20)),
    );
    expect(error.code).toBe("invalid_digest");
  });
});

// ─── Fuzzing ────────────────────────────────────────────────────────────────────────────────

const RUNS = 300;
const CODES: ReadonlySet<CmsSignatureErrorCode> = new Set([
  "malformed_cms",
  "not_detached",
  "unsupported_algorithm",
  "unsupported_content_type",
  "multiple_signers",
  "no_signer_certificate",
]);

/** Positions biased towards the first 120 bytes, where the DER headers and algorithm identifiers are. */
const mutations = byteMutations(120);

describe("fuzz: verifyDetachedCmsSignature returns or refuses with a CmsSignatureError", () => {
  const outcomes = new Map<string, number>();

  afterAll(() => {
    const list = [...outcomes].map(([k, n]) => `${k}=${n}`).join(", ");
    console.info(`cms fuzz: ${list}`);
  });

  async function attempt(bytes: Uint8Array): Promise<void> {
    let outcome: string;
    try {
      const result = await verifyDetachedCmsSignature(bytes, digest);
      expect(typeof result.signatureValid).toBe("boolean");
      expect(typeof result.digestMatches).toBe("boolean");
      expect(result.certificate).toBeInstanceOf(X509Certificate);
      outcome = result.signatureValid && result.digestMatches ? "válida" : "inválida";
    } catch (error) {
      if (!(error instanceof CmsSignatureError)) {
        throw new Error(`lanzó algo distinto de CmsSignatureError: ${String(error)}`, {
          cause: error,
        });
      }
      expect(CODES.has(error.code), `código inesperado ${error.code}`).toBe(true);
      expect(error.message).toMatch(/^(El|La) .+\.$/u);
      outcome = error.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  it("mutations of real .p7s files (with and without attributes, attached content)", async () => {
    const originals = [
      await signWithOpenssl(fiel),
      await signWithOpenssl(fiel, ["-noattr"]),
      await signWithOpenssl(fiel, ["-nodetach"]),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...originals), mutations, async (original, list) => {
        await attempt(mutate(original, list));
      }),
      { numRuns: RUNS },
    );
  });

  it("random bytes, and bytes that start like DER or PEM", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.concat([Buffer.of(0x30, 0x82), b])),
          fc
            .uint8Array({ maxLength: 2048 })
            .map((b) => Buffer.concat([Buffer.from("-----BEGIN CMS-----\n"), b])),
        ),
        attempt,
      ),
      { numRuns: RUNS },
    );
  });

  it("PEM wrappings of mutated .p7s files", async () => {
    const original = await signWithOpenssl(fiel);
    await fc.assert(
      fc.asyncProperty(
        mutations,
        fc.constantFrom("CMS", "PKCS7"),
        fc.integer({ min: 1, max: 100 }),
        async (list, label, lineLength) => {
          const base64 = mutate(original, list).toString("base64");
          const lines = base64.match(new RegExp(`.{1,${lineLength}}`, "gs")) ?? [];
          const pem = `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
          await attempt(Buffer.from(pem));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("evaluateKnownShape: the e.firma's shape read from the DER answers what pkijs answers", () => {
  function same(fast: DetachedCmsVerification, full: DetachedCmsVerification): void {
    expect(fast.certificate.raw.equals(full.certificate.raw)).toBe(true);
    expect(fast.signedAt?.getTime()).toBe(full.signedAt?.getTime());
    expect({ ...fast, certificate: undefined, signedAt: undefined }).toEqual({
      ...full,
      certificate: undefined,
      signedAt: undefined,
    });
  }

  /** As the servant's browser signs an act (no signed attributes) and as OpenSSL does. */
  async function originals(): Promise<Buffer[]> {
    const key = createPrivateKey(await readFile(fiel.key));
    const content = await readFile(doc);
    return [
      await signWithOpenssl(fiel, ["-nosmimecap"]),
      await signWithOpenssl(fiel, ["-noattr"]),
      Buffer.from(detachedCmsOf(fiel.x509.raw, sign("sha256", content, key))),
    ];
  }

  it("takes the common signatures, once pkijs has read their signer's certificate, with the same answer", async () => {
    const files = await originals();
    const unknown = await signWithOpenssl(other, ["-noattr"]);
    // A certificate pkijs has not read yet: pkijs judges.
    expect(evaluateKnownShape(unknown, digest)).toBeUndefined();
    for (const der of files) {
      const full = evaluate(der, digest);
      expect(full.signatureValid && full.digestMatches).toBe(true);
      const fast = evaluateKnownShape(der, digest);
      expect(fast).toBeDefined();
      same(fast!, full);
      // Another document: valid signature, digest not matching, in both.
      const elsewhere = createHash("sha256").update("otro").digest();
      same(evaluateKnownShape(der, elsewhere)!, evaluate(der, elsewhere));
    }
    // Other shapes are left to pkijs: S/MIME capabilities, attached content, two certificates.
    for (const der of [
      await signWithOpenssl(fiel),
      await signWithOpenssl(fiel, ["-nodetach", "-noattr"]),
      await signWithOpenssl(fiel, ["-noattr", "-certfile", other.cert]),
    ]) {
      expect(evaluateKnownShape(der, digest)).toBeUndefined();
    }
  });

  it("fuzz: on mutated files it answers only where pkijs answers, and the same", async () => {
    const files = await originals();
    for (const der of files) evaluate(der, digest);
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), mutations, async (original, list) => {
        const der = mutate(original, list);
        const fast = evaluateKnownShape(der, digest);
        if (!fast) return;
        taken++;
        same(fast, evaluate(der, digest));
      }),
      { numRuns: 2 * RUNS },
    );
    console.info(`evaluateKnownShape fuzz: ${taken} mutated files taken and compared`);
    expect(taken).toBeGreaterThan(0);
  });
});

describe("evaluateKnownShape against forged structures: what an attacker would build, field by field", () => {
  interface Party {
    x509: X509Certificate;
    key: KeyObject;
  }
  let signer: Party;
  let stranger: Party;

  beforeAll(async () => {
    signer = { x509: fiel.x509, key: createPrivateKey(await readFile(fiel.key)) };
    stranger = { x509: other.x509, key: createPrivateKey(await readFile(other.key)) };
  });

  /** A DER element of a low tag with a minimal definite length. */
  function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
    const content = Buffer.concat(parts);
    const n = content.length;
    const length =
      n < 0x80
        ? [n]
        : n < 0x100
          ? [0x81, n]
          : n < 0x10000
            ? [0x82, n >> 8, n & 0xff]
            : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
    return Buffer.concat([Buffer.from([tag, ...length]), content]);
  }
  const oid = (value: string) => Buffer.from(new asn1js.ObjectIdentifier({ value }).toBER());
  const NULL = Buffer.from("0500", "hex");
  const algorithm = (value: string, params = true) =>
    tlv(0x30, oid(value), ...(params ? [NULL] : []));
  const SHA256 = "2.16.840.1.101.3.4.2.1";
  const RSA = "1.2.840.113549.1.1.1";
  const DATA = "1.2.840.113549.1.7.1";
  const attribute = (type: string, ...values: Buffer[]) =>
    tlv(0x30, oid(type), tlv(0x31, ...values));
  const contentType = (value = DATA) => attribute("1.2.840.113549.1.9.3", oid(value));
  const messageDigest = (value: Buffer) => attribute("1.2.840.113549.1.9.4", tlv(0x04, value));
  const signingTime = () =>
    attribute("1.2.840.113549.1.9.5", tlv(0x17, Buffer.from("261206194500Z")));

  /** issuerAndSerialNumber of a certificate, its own bytes. */
  function issuerAndSerial(certificate: Uint8Array): Buffer {
    const tbs = pkijs.Certificate.fromBER(new Uint8Array(certificate));
    return tlv(
      0x30,
      Buffer.from(tbs.issuer.toSchema().toBER()),
      Buffer.from(tbs.serialNumber.toBER()),
    );
  }

  interface Forgery {
    by?: Party;
    certificates?: Buffer[];
    sid?: Buffer;
    signerVersion?: number;
    digestAlgorithms?: Buffer[];
    digestAlgorithm?: Buffer;
    signatureAlgorithm?: Buffer;
    /** null: no signed attributes (the signature over the document's digest). */
    attributes?: Buffer[] | null;
    /** The tag the signature covers the attributes under (0x31, the SET, is right). */
    signedTag?: number;
    eContent?: Buffer;
    crls?: boolean;
    unsignedAttributes?: boolean;
    signers?: number;
  }

  /** A detached SignedData with every field chosen; signed for real by `by` (the servant). */
  function forge(f: Forgery = {}): Buffer {
    const by = f.by ?? signer;
    const attributes =
      f.attributes === undefined
        ? [contentType(), messageDigest(digest), signingTime()]
        : f.attributes;
    let signedAttributes: Buffer | undefined;
    let signature: Buffer;
    if (attributes) {
      signedAttributes = tlv(0xa0, ...attributes);
      const signed = Buffer.from(signedAttributes);
      signed[0] = f.signedTag ?? 0x31;
      signature = sign("sha256", signed, by.key);
    } else {
      const digestInfo = Buffer.concat([
        Buffer.from("3031300d060960864801650304020105000420", "hex"),
        digest,
      ]);
      signature = privateEncrypt({ key: by.key, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
    }
    const signerInfo = tlv(
      0x30,
      tlv(0x02, Buffer.from([f.signerVersion ?? 1])),
      f.sid ?? issuerAndSerial(by.x509.raw),
      f.digestAlgorithm ?? algorithm(SHA256),
      ...(signedAttributes ? [signedAttributes] : []),
      f.signatureAlgorithm ?? algorithm(RSA),
      tlv(0x04, signature),
      ...(f.unsignedAttributes ? [tlv(0xa1, signingTime())] : []),
    );
    const signedData = tlv(
      0x30,
      tlv(0x02, Buffer.from([1])),
      tlv(0x31, ...(f.digestAlgorithms ?? [algorithm(SHA256)])),
      tlv(0x30, oid(DATA), ...(f.eContent ? [tlv(0xa0, tlv(0x04, f.eContent))] : [])),
      tlv(0xa0, ...(f.certificates ?? [by.x509.raw])),
      ...(f.crls ? [tlv(0xa1)] : []),
      tlv(0x31, ...new Array<Buffer>(f.signers ?? 1).fill(signerInfo)),
    );
    return tlv(0x30, oid("1.2.840.113549.1.7.2"), tlv(0xa0, signedData));
  }

  /** What pkijs answers: a verification or the code of its refusal. */
  function full(der: Buffer): DetachedCmsVerification | CmsSignatureErrorCode {
    try {
      return evaluate(der, digest);
    } catch (error) {
      return error instanceof CmsSignatureError ? error.code : "malformed_cms";
    }
  }

  /**
   * The fast path answers only where pkijs answers, and the same; the entry point too. Returns
   * whether the fast path took it.
   */
  async function compare(
    der: Buffer,
  ): Promise<{ taken: boolean; answer: ReturnType<typeof full> }> {
    const answer = full(der);
    const fast = evaluateKnownShape(der, digest);
    if (fast) {
      expect(typeof answer).toBe("object");
      const slow = answer as DetachedCmsVerification;
      expect(fast.certificate.raw.equals(slow.certificate.raw)).toBe(true);
      expect(fast.signedAt?.getTime()).toBe(slow.signedAt?.getTime());
      expect({ ...fast, certificate: 0, signedAt: 0 }).toEqual({
        ...slow,
        certificate: 0,
        signedAt: 0,
      });
    }
    try {
      const entry = await verifyDetachedCmsSignature(der, digest);
      expect(typeof answer).toBe("object");
      expect(entry.signatureValid).toBe((answer as DetachedCmsVerification).signatureValid);
      expect(entry.digestMatches).toBe((answer as DetachedCmsVerification).digestMatches);
    } catch (error) {
      expect((error as CmsSignatureError).code).toBe(answer);
    }
    return { taken: fast !== undefined, answer };
  }

  const accepted = (answer: ReturnType<typeof full>) =>
    typeof answer === "object" && answer.signatureValid && answer.digestMatches;

  it("takes the honest forms once pkijs has read the certificates", async () => {
    for (const der of [forge({ by: stranger }), forge()]) evaluate(der, digest);
    for (const der of [
      forge(),
      forge({ attributes: null }),
      forge({ attributes: [contentType(), messageDigest(digest)] }),
    ]) {
      const { taken, answer } = await compare(der);
      expect(taken).toBe(true);
      expect(accepted(answer)).toBe(true);
    }
  });

  it("never names a certificate other than the one carried, nor verifies with another key", async () => {
    evaluate(forge({ by: stranger }), digest);
    // The servant's name (sid) with a stranger's certificate carried: nobody signed as the servant.
    const swapped = await compare(forge({ certificates: [stranger.x509.raw] }));
    expect(swapped.taken).toBe(false);
    expect(swapped.answer).toBe("no_signer_certificate");
    // Certificate and name of the stranger, signature by the servant: the stranger's key refuses it.
    const renamed = await compare(
      forge({ certificates: [stranger.x509.raw], sid: issuerAndSerial(stranger.x509.raw) }),
    );
    expect(renamed.taken).toBe(true);
    expect(accepted(renamed.answer)).toBe(false);
    expect(
      (renamed.answer as DetachedCmsVerification).certificate.raw.equals(stranger.x509.raw),
    ).toBe(true);
    // Both certificates carried: left to pkijs, which names the servant's.
    for (const certificates of [
      [signer.x509.raw, stranger.x509.raw],
      [stranger.x509.raw, signer.x509.raw],
      [signer.x509.raw, signer.x509.raw],
    ]) {
      const both = await compare(forge({ certificates }));
      expect(both.taken).toBe(false);
      expect((both.answer as DetachedCmsVerification).certificate.raw.equals(signer.x509.raw)).toBe(
        true,
      );
    }
  });

  it("a certificate with the servant's issuer and serial but the attacker's key is the one answered, not the servant's", async () => {
    const twin = pkijs.Certificate.fromBER(new Uint8Array(signer.x509.raw));
    twin.subjectPublicKeyInfo = pkijs.Certificate.fromBER(
      new Uint8Array(stranger.x509.raw),
    ).subjectPublicKeyInfo;
    const twinDer = Buffer.from(twin.toSchema(true).toBER());
    const attacker: Party = { x509: new X509Certificate(twinDer), key: stranger.key };
    // The attacker first has pkijs read the twin, then sends the fast path's shape.
    evaluate(forge({ by: attacker }), digest);
    const answer = await compare(forge({ by: attacker }));
    expect(answer.taken).toBe(true);
    const verification = answer.answer as DetachedCmsVerification;
    // Valid under the twin's key: it is the twin that the deposit then judges (and its issuer's
    // signature over it fails), never the servant's certificate with the same name.
    expect(verification.certificate.raw.equals(twinDer)).toBe(true);
    expect(verification.certificate.raw.equals(signer.x509.raw)).toBe(false);
    // What the deposit's acceptSigner then runs: the servant's certificate chains, the twin not.
    const anchors = [(await testDevCa()).certificate];
    const at = Temporal.Now.instant();
    expect(() => checkCertificate(readCertificate(signer.x509.raw), { at, anchors })).not.toThrow();
    expect(() =>
      checkCertificate(readCertificate(verification.certificate.raw), { at, anchors }),
    ).toThrow(EfirmaError);
    // The servant's certificate carried with the twin's signature: the servant's key refuses.
    const mixed = await compare(forge({ by: attacker, certificates: [signer.x509.raw] }));
    expect(accepted(mixed.answer)).toBe(false);
  });

  /** pkijs' answer in one word: valid, bad_signature, other_document, or its refusal's code. */
  function outcome(answer: ReturnType<typeof full>): string {
    if (typeof answer === "string") return answer;
    if (!answer.signatureValid) return "bad_signature";
    return answer.digestMatches ? "valid" : "other_document";
  }

  it("takes no altered field pkijs would refuse; only a bad signature or another document's digest", async () => {
    evaluate(forge(), digest);
    const elsewhere = createHash("sha256").update("otro documento").digest();
    const sha1 = algorithm("1.3.14.3.2.26");
    const certificate = pkijs.Certificate.fromBER(new Uint8Array(signer.x509.raw));
    const issuer = Buffer.from(certificate.issuer.toSchema().toBER());
    const serial = Buffer.from(certificate.serialNumber.valueBlock.valueHexView);
    const md = "1.2.840.113549.1.9.4";
    const original = forge();
    expect(original[1]).toBe(0x82);
    // [name, CMS, taken by the fast path, pkijs' answer]
    const cases: [string, Buffer, boolean, string][] = [
      ["two SignerInfos", forge({ signers: 2 }), false, "multiple_signers"],
      [
        "SignerInfo digest SHA-384",
        forge({ digestAlgorithm: algorithm("2.16.840.1.101.3.4.2.2") }),
        false,
        "unsupported_algorithm",
      ],
      ["SignerInfo digest SHA-1", forge({ digestAlgorithm: sha1 }), false, "unsupported_algorithm"],
      ["digestAlgorithms SHA-1 only", forge({ digestAlgorithms: [sha1] }), false, "valid"],
      [
        "digestAlgorithms two",
        forge({ digestAlgorithms: [algorithm(SHA256), sha1] }),
        false,
        "valid",
      ],
      [
        "RSA-PSS",
        forge({ signatureAlgorithm: algorithm("1.2.840.113549.1.1.10") }),
        false,
        "unsupported_algorithm",
      ],
      [
        "SHA-384 with RSA",
        forge({ signatureAlgorithm: algorithm("1.2.840.113549.1.1.12") }),
        false,
        "unsupported_algorithm",
      ],
      ["signature over the [0] tag", forge({ signedTag: 0xa0 }), true, "bad_signature"],
      [
        "messageDigest of another document",
        forge({ attributes: [contentType(), messageDigest(elsewhere)] }),
        true,
        "other_document",
      ],
      [
        "two messageDigest",
        forge({ attributes: [contentType(), messageDigest(elsewhere), messageDigest(digest)] }),
        false,
        "malformed_cms",
      ],
      [
        "two messageDigest, the right one first",
        forge({ attributes: [contentType(), messageDigest(digest), messageDigest(elsewhere)] }),
        false,
        "malformed_cms",
      ],
      [
        "messageDigest with two values",
        forge({
          attributes: [contentType(), attribute(md, tlv(0x04, elsewhere), tlv(0x04, digest))],
        }),
        false,
        "malformed_cms",
      ],
      [
        "messageDigest constructed",
        forge({ attributes: [contentType(), attribute(md, tlv(0x24, tlv(0x04, digest)))] }),
        false,
        "malformed_cms",
      ],
      ["no contentType", forge({ attributes: [messageDigest(digest)] }), false, "malformed_cms"],
      ["no messageDigest", forge({ attributes: [contentType()] }), false, "malformed_cms"],
      [
        "contentType signedData",
        forge({ attributes: [contentType("1.2.840.113549.1.7.2"), messageDigest(digest)] }),
        false,
        "unsupported_content_type",
      ],
      [
        "two contentType",
        forge({
          attributes: [contentType(), contentType("1.2.840.113549.1.7.2"), messageDigest(digest)],
        }),
        false,
        "malformed_cms",
      ],
      [
        "another signed attribute",
        forge({
          attributes: [
            contentType(),
            messageDigest(digest),
            attribute("1.2.840.113549.1.9.15", tlv(0x30)),
          ],
        }),
        false,
        "valid",
      ],
      ["empty signed attributes", forge({ attributes: [] }), false, "malformed_cms"],
      ["attached content", forge({ eContent: Buffer.from("otro") }), false, "not_detached"],
      ["crls", forge({ crls: true }), false, "valid"],
      ["unsigned attributes", forge({ unsignedAttributes: true }), false, "valid"],
      ["SignerInfo version 3", forge({ signerVersion: 3 }), false, "valid"],
      [
        "subjectKeyIdentifier of nobody",
        forge({ sid: tlv(0x80, createHash("sha1").update("x").digest()) }),
        false,
        "no_signer_certificate",
      ],
      [
        "serial with a leading zero",
        forge({ sid: tlv(0x30, issuer, tlv(0x02, Buffer.from([0]), serial)) }),
        false,
        "no_signer_certificate",
      ],
      // Encodings: trailing bytes, BER's indefinite length, a long length where a short one fits,
      // a length past the end.
      ["trailing byte", Buffer.concat([original, Buffer.from([0])]), false, "malformed_cms"],
      [
        "indefinite length",
        Buffer.concat([Buffer.from([0x30, 0x80]), original.subarray(4), Buffer.from([0, 0])]),
        false,
        "valid",
      ],
      [
        "non-minimal length",
        Buffer.concat([Buffer.from([0x30, 0x83, 0]), original.subarray(2)]),
        false,
        "valid",
      ],
      [
        "length past the end",
        Buffer.concat([Buffer.from([0x30, 0x83, 0xff, 0xff, 0xff]), original.subarray(4)]),
        false,
        "malformed_cms",
      ],
    ];
    for (const [name, der, takes, expected] of cases) {
      const { taken, answer } = await compare(der);
      expect(taken, name).toBe(takes);
      expect(outcome(answer), name).toBe(expected);
    }
  });
});
