/**
 * Detached CMS signatures made by OpenSSL's command line (`openssl cms -sign`) with e.firmas of
 * the development CA and of the SAT's test fixtures, verified from the document's SHA-256 alone.
 */
import { Buffer } from "node:buffer";
import { createHash, createPrivateKey, sign, X509Certificate } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
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
