/**
 * Fuzzing the readers of uploaded credentials: whatever the bytes, readCertificate and
 * openPrivateKey return or refuse with an EfirmaError of a code they document. How long they
 * take on such inputs is measured in bench/inputs.ts, against node:crypto in the same run.
 */
import { Buffer } from "node:buffer";
import * as asn1js from "asn1js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byteMutations, mutate } from "../../testing/byte-mutations.ts";
import { satFixture } from "../../testing/efirma.ts";
import { readCertificate } from "./certificate.ts";
import { EfirmaError, type EfirmaErrorCode } from "./errors.ts";
import { openPrivateKey } from "./private-key.ts";

const RUNS = 300;

const CERTIFICATE_CODES: ReadonlySet<EfirmaErrorCode> = new Set([
  "not_a_certificate",
  "file_too_large",
]);
const KEY_CODES: ReadonlySet<EfirmaErrorCode> = new Set([
  "not_a_key",
  "file_too_large",
  "wrong_password",
  "unsupported_key",
]);

const stats = {
  calls: 0,
  outcomes: new Map<string, number>(),
};

/** Built at run time so no literal key header sits in the repository. */
const ENCRYPTED_KEY_LABEL = ["ENCRYPTED", "PRIVATE", "KEY"].join(" ");

/** Calls `fn`; it must return or throw an EfirmaError with one of `codes`. */
function attempt(
  what: "readCertificate" | "openPrivateKey",
  codes: ReadonlySet<EfirmaErrorCode>,
  fn: () => unknown,
): "ok" | EfirmaErrorCode {
  let outcome: "ok" | EfirmaErrorCode;
  try {
    fn();
    outcome = "ok";
  } catch (error) {
    if (!(error instanceof EfirmaError)) {
      throw new Error(`${what} threw something other than an EfirmaError: ${String(error)}`, {
        cause: error,
      });
    } else {
      expect(codes.has(error.code), `${what}: unexpected code ${error.code}`).toBe(true);
      expect(error.message).toMatch(/^(El|La) .+\.$/u);
      outcome = error.code;
    }
  }
  stats.calls++;
  const key = `${what}:${outcome}`;
  stats.outcomes.set(key, (stats.outcomes.get(key) ?? 0) + 1);
  return outcome;
}

/** Positions biased towards the first 80 bytes, where the DER headers and algorithm identifiers are. */
const mutations = byteMutations(80);

const OIDS = {
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  pbeSha1TripleDes: "1.2.840.113549.1.12.1.3",
  pbeMd5Des: "1.2.840.113549.1.5.3",
  hmacWithSha1: "1.2.840.113549.2.7",
  hmacWithSha256: "1.2.840.113549.2.9",
  desEde3Cbc: "1.2.840.113549.3.7",
  desCbc: "1.3.14.3.2.7",
  rc2Cbc: "1.2.840.113549.3.2",
  aes128Cbc: "2.16.840.1.101.3.4.1.2",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
};
const anyOid = fc
  .array(fc.nat({ max: 1 << 20 }), { minLength: 1, maxLength: 8 })
  .map((arcs) => `1.${arcs.join(".")}`);
const octets = (max: number) =>
  fc.uint8Array({ maxLength: max }).map((b) => new asn1js.OctetString({ valueHex: b }));

/**
 * Well-formed EncryptedPrivateKeyInfo with random algorithms and parameters: these pass the
 * structure check and reach OpenSSL. Iterations stay small so each try is cheap.
 */
const encryptedPrivateKeyInfo = fc
  .record({
    scheme: fc.oneof(
      fc.constant(OIDS.pbes2),
      fc.constantFrom(OIDS.pbeSha1TripleDes, OIDS.pbeMd5Des),
      anyOid,
    ),
    kdf: fc.oneof(fc.constant(OIDS.pbkdf2), anyOid),
    salt: octets(32),
    iterations: fc.integer({ min: 0, max: 20_000 }),
    keyLength: fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined }),
    prf: fc.option(fc.oneof(fc.constantFrom(OIDS.hmacWithSha1, OIDS.hmacWithSha256), anyOid), {
      nil: undefined,
    }),
    cipher: fc.oneof(
      fc.constantFrom(OIDS.desEde3Cbc, OIDS.desCbc, OIDS.rc2Cbc, OIDS.aes128Cbc, OIDS.aes256Cbc),
      anyOid,
    ),
    iv: octets(24),
    data: fc.oneof(fc.uint8Array({ maxLength: 1300 }), fc.constant<Uint8Array | "sat">("sat")),
  })
  .map((r) => ({
    ...r,
    build: (satData: Uint8Array) => {
      const kdfParameters = new asn1js.Sequence({
        value: [
          r.salt,
          new asn1js.Integer({ value: r.iterations }),
          ...(r.keyLength === undefined ? [] : [new asn1js.Integer({ value: r.keyLength })]),
          ...(r.prf === undefined
            ? []
            : [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: r.prf })] })]),
        ],
      });
      const parameters =
        r.scheme === OIDS.pbes2
          ? new asn1js.Sequence({
              value: [
                new asn1js.Sequence({
                  value: [new asn1js.ObjectIdentifier({ value: r.kdf }), kdfParameters],
                }),
                new asn1js.Sequence({
                  value: [new asn1js.ObjectIdentifier({ value: r.cipher }), r.iv],
                }),
              ],
            })
          : new asn1js.Sequence({ value: [r.salt, new asn1js.Integer({ value: r.iterations })] });
      const structure = new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.ObjectIdentifier({ value: r.scheme }), parameters],
          }),
          new asn1js.OctetString({ valueHex: r.data === "sat" ? satData : r.data }),
        ],
      });
      return Buffer.from(structure.toBER());
    },
  }));

let cer: Buffer;
let key: Buffer;
let password: string;

beforeAll(async () => {
  ({ cer, key, password } = await satFixture("fake-fiel"));
});

afterAll(() => {
  const outcomes = [...stats.outcomes].map(([k, n]) => `${k}=${n}`).join(", ");
  console.info(`efirma fuzz: ${stats.calls} calls; ${outcomes}`);
});

describe("fuzz: readCertificate and openPrivateKey never fail otherwise than with an EfirmaError", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          // Starting like DER (SEQUENCE) and like PEM reaches deeper code.
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.concat([Buffer.of(0x30, 0x82), b])),
          fc
            .uint8Array({ maxLength: 2048 })
            .map((b) => Buffer.concat([Buffer.from("-----BEGIN "), b])),
        ),
        (bytes) => {
          attempt("readCertificate", CERTIFICATE_CODES, () => readCertificate(bytes));
          attempt("openPrivateKey", KEY_CODES, () => openPrivateKey(bytes, password));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("mutations of the SAT .cer (bit flips, truncations, insertions, deletions)", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const bytes = mutate(cer, list);
        let certificate: ReturnType<typeof readCertificate> | undefined;
        const outcome = attempt("readCertificate", CERTIFICATE_CODES, () => {
          certificate = readCertificate(bytes);
        });
        if (outcome === "ok") {
          // What was read is still well-formed.
          expect(typeof certificate!.rfc).toBe("string");
          expect(["FIEL", "CSD"]).toContain(certificate!.kind);
          expect(["fisica", "moral"]).toContain(certificate!.persona);
        }
        attempt("openPrivateKey", KEY_CODES, () => openPrivateKey(bytes, password));
      }),
      { numRuns: RUNS },
    );
  });

  it("mutations of the SAT .key, opened with the right password", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const bytes = mutate(key, list);
        attempt("openPrivateKey", KEY_CODES, () => {
          const opened = openPrivateKey(bytes, password);
          expect(opened.asymmetricKeyType).toBe("rsa");
        });
        attempt("readCertificate", CERTIFICATE_CODES, () => readCertificate(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it("random PEM wrappings of real, mutated and random contents", () => {
    const label = fc.oneof(
      fc.constantFrom(
        "CERTIFICATE",
        "ENCRYPTED PRIVATE KEY",
        "PRIVATE KEY",
        "RSA PRIVATE KEY",
        "PUBLIC KEY",
        "X509 CRL",
      ),
      fc.stringMatching(/^[A-Z0-9 ]{1,24}$/),
    );
    const body = fc.oneof(
      fc.constant(cer),
      fc.constant(key),
      mutations.map((list) => mutate(cer, list)),
      mutations.map((list) => mutate(key, list)),
      fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    );
    const pem = fc
      .record({
        label,
        otherEndLabel: fc.option(label, { nil: undefined }),
        body,
        lineLength: fc.integer({ min: 1, max: 120 }),
        eol: fc.constantFrom("\n", "\r\n", "\r", " "),
        headers: fc.constantFrom(
          "",
          "Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0011223344556677\n\n",
          "Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-CBC,0011223344556677\n\n",
          "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566770011223344556677\n\n",
          "Comment: x\n",
        ),
        before: fc.string({ maxLength: 40 }),
        after: fc.string({ maxLength: 40 }),
        noise: fc.option(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 4 })), {
          nil: undefined,
        }),
      })
      .map((p) => {
        let base64 = p.body.toString("base64");
        if (p.noise) {
          const at = p.noise[0] % (base64.length + 1);
          base64 = base64.slice(0, at) + p.noise[1] + base64.slice(at);
        }
        const lines = base64.match(new RegExp(`.{1,${p.lineLength}}`, "gs")) ?? [];
        const text = [
          `${p.before}-----BEGIN ${p.label}-----`,
          `${p.headers}${lines.join(p.eol)}`,
          `-----END ${p.otherEndLabel ?? p.label}-----${p.after}`,
        ].join(p.eol);
        return Buffer.from(text, "utf8");
      });
    fc.assert(
      fc.property(pem, (bytes) => {
        attempt("readCertificate", CERTIFICATE_CODES, () => readCertificate(bytes));
        attempt("openPrivateKey", KEY_CODES, () => openPrivateKey(bytes, password));
      }),
      { numRuns: RUNS },
    );
  });

  it("well-formed encrypted keys with random algorithms and parameters", () => {
    const top = asn1js.fromBER(key).result as asn1js.Sequence;
    const satData = (top.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView;
    fc.assert(
      fc.property(encryptedPrivateKeyInfo, fc.boolean(), (info, asPem) => {
        const der = info.build(satData);
        const bytes = asPem
          ? Buffer.from(
              `-----BEGIN ${ENCRYPTED_KEY_LABEL}-----\n${der.toString("base64")}\n-----END ${ENCRYPTED_KEY_LABEL}-----\n`,
            )
          : der;
        attempt("openPrivateKey", KEY_CODES, () => openPrivateKey(bytes, password));
      }),
      { numRuns: RUNS },
    );
  });

  it("random passwords on the SAT key: only the right one opens it", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { arbitrary: fc.string({ maxLength: 40, unit: "binary" }), weight: 9 },
          { arbitrary: fc.constant(password), weight: 1 },
        ),
        (candidate) => {
          const outcome = attempt("openPrivateKey", KEY_CODES, () =>
            openPrivateKey(key, candidate),
          );
          expect(outcome).toBe(candidate === password ? "ok" : "wrong_password");
        },
      ),
      { numRuns: RUNS },
    );
  });
});
