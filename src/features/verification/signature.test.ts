/**
 * «¿Este documento lo firmó una persona servidora pública del Instituto?»: detached CMS
 * signatures made by OpenSSL's command line with e.firmas of the development CA (valid,
 * expired, CSD, revoked through a real `openssl ocsp` responder) and of the SAT's fixtures.
 */
import { Buffer } from "node:buffer";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asn1js from "asn1js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { type Clock, systemClock } from "../../platform/clock.ts";
import { DEV_CA_FILES, type IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { withPkijs } from "../../platform/crypto/pkijs-engine.ts";
import {
  noRevocationCheck,
  ocspChecker,
  type RevocationChecker,
} from "../../platform/crypto/revocation.ts";
import { loadTrustStore } from "../../platform/crypto/trust-store.ts";
import { toCryptoKey } from "../../platform/crypto/x509-builder.ts";
import { AppError } from "../../platform/http/errors.ts";
import { issueTestEfirma, SAT_FIXTURES, satFixture, testDevCa } from "../../testing/efirma.ts";
import { createSignatureVerifier, type SignatureVerifierOptions } from "./signature.ts";
import type { DocumentVerification, SignatureVerification } from "./types.ts";

interface Signer {
  cert: string;
  key: string;
  der: Buffer;
  privateKey: KeyObject;
}

const DAY = 86_400_000;
let dir: string;
let doc: string;
let sha256: string;
let anchors: X509Certificate[];
let responder: { url: string; process: ChildProcess };
type SignerName = "servidora" | "moral" | "csd" | "vencida" | "vencidaAyer" | "revocada" | "otra";
const signers = {} as Record<SignerName, Signer>;
const acusesAsked: string[] = [];
const someAcuse = { folio: "ACU-2025-000001" } as DocumentVerification["acuses"][number];

function openssl(args: string[]) {
  return spawnSync("openssl", args, { encoding: "utf8" });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** OpenSSL's OCSP responder on loopback, answering from the dev CA's index (as revocation.test.ts). */
async function startOpensslResponder(
  caDir: string,
): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    "openssl",
    [
      ...["ocsp", "-index", DEV_CA_FILES.index, "-port", String(port)],
      ...["-rsigner", DEV_CA_FILES.certificatePem, "-rkey", DEV_CA_FILES.privateKey],
      ...["-CA", DEV_CA_FILES.certificatePem, "-ndays", "1"],
    ],
    { cwd: caDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  for (
    let waited = 0;
    !output.toLowerCase().includes("waiting for ocsp client connections");
    waited += 50
  ) {
    if (waited > 10_000 || child.exitCode !== null)
      throw new Error(`el respondedor OCSP no arrancó: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, process: child };
}

async function signerFiles(
  name: string,
  cer: Buffer,
  key: Buffer,
  password: string,
): Promise<Signer> {
  const cert = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  const privateKey = openPrivateKey(key, password);
  await writeFile(cert, new X509Certificate(cer).toString());
  await writeFile(keyPath, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  return { cert, key: keyPath, der: cer, privateKey };
}

async function fromDevCa(name: string, issued: IssuedEfirma): Promise<Signer> {
  return signerFiles(
    name,
    await readFile(issued.cerPath),
    await readFile(issued.keyPath),
    issued.password,
  );
}

/** `openssl cms -sign -binary` over the document; Base64 of the DER, as the page sends it. */
async function sign(signer: Signer, extra: string[] = []): Promise<string> {
  const out = join(dir, `firma-${Math.random().toString(36).slice(2)}.p7s`);
  const result = openssl([
    ...["cms", "-sign", "-binary", "-in", doc, "-signer", signer.cert, "-inkey", signer.key],
    ...["-outform", "DER", "-out", out, ...extra],
  ]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return (await readFile(out)).toString("base64");
}

/**
 * A detached CMS made by pkijs (another implementation than OpenSSL) with a chosen signingTime:
 * OpenSSL always declares the machine's present.
 */
async function signWithPkijs(signer: Signer, signingTime: Date): Promise<string> {
  const pkijs = withPkijs();
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(signer.der));
  const attributes = [
    new pkijs.Attribute({
      type: "1.2.840.113549.1.9.3",
      values: [new asn1js.ObjectIdentifier({ value: "1.2.840.113549.1.7.1" })],
    }),
    new pkijs.Attribute({
      type: "1.2.840.113549.1.9.4",
      values: [new asn1js.OctetString({ valueHex: Buffer.from(sha256, "hex") })],
    }),
    new pkijs.Attribute({
      type: "1.2.840.113549.1.9.5",
      values: [new asn1js.UTCTime({ valueDate: signingTime })],
    }),
  ];
  // DER sorts a SET OF by encoding.
  attributes.sort((a, b) =>
    Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())),
  );
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: "1.2.840.113549.1.7.1" }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate],
  });
  await signedData.sign(await toCryptoKey(signer.privateKey, "sign"), 0, "SHA-256");
  const contentInfo = new pkijs.ContentInfo({
    contentType: "1.2.840.113549.1.7.2",
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER()).toString("base64");
}

function verifier(overrides: Partial<SignatureVerifierOptions> = {}) {
  return createSignatureVerifier({
    anchors,
    revocation: ocspChecker({
      url: responder.url,
      clock: systemClock,
      policy: "refuse",
      log: { warn() {} },
    }),
    clock: systemClock,
    staffRoleOf: async (rfc) => (rfc === "CACX7605101P8" ? "notificador" : undefined),
    acusesSealing: async (hex) => {
      acusesAsked.push(hex);
      return hex === sha256 ? [someAcuse] : [];
    },
    ...overrides,
  });
}

function check(result: SignatureVerification, id: string) {
  const found = result.checks.find((c) => c.id === id);
  expect(found, `falta la verificación ${id}`).toBeDefined();
  return found!;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("se esperaba un rechazo");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verificacion-firma-"));
  await chmod(dir, 0o700);
  doc = join(dir, "oficio.pdf");
  await writeFile(doc, Buffer.from("%PDF-1.7\nOficio de requerimiento\n%%EOF\n"));
  sha256 = createHash("sha256")
    .update(await readFile(doc))
    .digest("hex");
  const ca = await testDevCa();
  anchors = [ca.certificate];
  // The OCSP responder reads the CA's index once: every certificate is issued before it starts.
  const servant = {
    rfc: "CACX7605101P8",
    curp: "CACX760510MGTSHC04",
    name: "XOCHILT CASAS CHAVEZ",
    representativeRfc: undefined,
    representativeCurp: undefined,
  };
  signers.servidora = await fromDevCa("servidora", await issueTestEfirma(servant));
  signers.moral = await fromDevCa("moral", await issueTestEfirma());
  signers.csd = await fromDevCa("csd", await issueTestEfirma({ ...servant, kind: "CSD" }));
  signers.vencida = await fromDevCa(
    "vencida",
    await issueTestEfirma({ ...servant, validity: "vencido" }),
  );
  // Expired half a day ago; the development CA has been valid since a day ago.
  signers.vencidaAyer = await fromDevCa(
    "vencida-ayer",
    await issueTestEfirma({ ...servant, validity: "vencido", now: new Date(Date.now() + DAY / 2) }),
  );
  signers.revocada = await fromDevCa(
    "revocada",
    await issueTestEfirma({ ...servant, revoked: true }),
  );
  signers.otra = await fromDevCa(
    "otra",
    await issueTestEfirma({ ...servant, rfc: "FUNK671228PH6", curp: "FUNK671228MDFRRR09" }),
  );
  responder = await startOpensslResponder(ca.dir);
});

afterAll(async () => {
  responder?.process.kill();
  await rm(dir, { recursive: true, force: true });
});

describe("firma de una persona servidora pública: auténtica", () => {
  it("with signed attributes: who signed, when she declared, her role, the acuses", async () => {
    acusesAsked.length = 0;
    const result = await verifier().verify({ sha256, firma: await sign(signers.servidora) });
    expect(result.verdict).toBe("autentico");
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["firma", "ok"],
      ["certificado_firmante", "ok"],
      ["revocacion", "ok"],
    ]);
    expect(result.signer).toMatchObject({
      name: "XOCHILT CASAS CHAVEZ",
      rfc: "CACX7605101P8",
      curp: "CACX760510MGTSHC04",
      staffRole: "notificador",
      issuer: expect.stringContaining("AC DE DESARROLLO BUZON IMSS"),
    });
    expect(result.signer!.certificateNumber).toMatch(/^30001\d{15}$/);
    expect(result.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Math.abs(Date.parse(result.signedAt!) - Date.now())).toBeLessThan(60_000);
    expect(check(result, "certificado_firmante").detail).toContain(
      "fecha de firma que declara el propio firmante",
    );
    expect(check(result, "revocacion").detail).toContain("OCSP");
    expect(result.summary).toMatch(
      /^El documento es auténtico e íntegro: lo firmó XOCHILT CASAS CHAVEZ \(RFC CACX7605101P8\), notificador del Instituto, con su e\.firma el .+ \(fecha que declaró al firmar\)\.$/,
    );
    expect(result.sha256).toBe(sha256);
    expect(result.acuses).toEqual([someAcuse]);
    expect(acusesAsked).toEqual([sha256]);
    for (const c of result.checks) {
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.detail).toMatch(/^[A-ZÁÉÍÓÚÑ].+\.$/u);
    }
  });

  it("without signed attributes (-noattr): no declared time, checked at now", async () => {
    const result = await verifier().verify({
      sha256,
      firma: await sign(signers.servidora, ["-noattr"]),
    });
    expect(result.verdict).toBe("autentico");
    expect(result.signedAt).toBeUndefined();
    expect(check(result, "firma").detail).toContain("directamente sobre su huella SHA-256");
    expect(check(result, "certificado_firmante").detail).toContain(
      "a la fecha de esta verificación",
    );
    expect(result.summary).not.toContain("declaró");
  });

  it("the .p7s as PEM text, as Base64 of a PEM file, and an upper-case hash", async () => {
    const der = Buffer.from(await sign(signers.servidora), "base64");
    const pem = `-----BEGIN PKCS7-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END PKCS7-----\n`;
    for (const firma of [pem, Buffer.from(pem).toString("base64")]) {
      const result = await verifier().verify({ sha256: sha256.toUpperCase(), firma });
      expect(result.verdict).toBe("autentico");
      expect(result.sha256).toBe(sha256);
    }
  });

  it("a persona moral's FIEL is a FIEL too; no staff role is looked up for a company", async () => {
    const asked: string[] = [];
    const result = await verifier({
      staffRoleOf: async (rfc) => {
        asked.push(rfc);
        return "administrador";
      },
    }).verify({ sha256, firma: await sign(signers.moral) });
    expect(result.verdict).toBe("autentico");
    expect(result.signer).toMatchObject({ rfc: "EKU9003173C9", staffRole: undefined });
    expect(asked).toEqual([]);
  });

  it("staff role absent when the RFC is not registered staff", async () => {
    const result = await verifier({ staffRoleOf: async () => undefined }).verify({
      sha256,
      firma: await sign(signers.servidora),
    });
    expect(result.signer?.staffRole).toBeUndefined();
    expect(result.summary).not.toContain("del Instituto,");
  });

  it("an expired certificate that was valid at the declared signing time (pkijs-made CMS)", async () => {
    // The signingTime the signer declares is the instant the certificate is checked at.
    const firma = await signWithPkijs(signers.vencidaAyer, new Date(Date.now() - (3 * DAY) / 4));
    const result = await verifier().verify({ sha256, firma });
    expect(result.verdict).toBe("autentico");
    expect(check(result, "certificado_firmante").detail).toContain(
      "fecha de firma que declara el propio firmante",
    );
  });

  it("no revocation source (development): a warning, still authentic, as at sign-in", async () => {
    const result = await verifier({ revocation: noRevocationCheck }).verify({
      sha256,
      firma: await sign(signers.servidora),
    });
    expect(result.verdict).toBe("autentico");
    expect(check(result, "revocacion")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("no hay un servicio de revocación"),
    });
  });
});

describe("firma que no es auténtica: «alterado», with the reason", () => {
  it("the document was modified (another digest)", async () => {
    const other = createHash("sha256").update("otro documento").digest("hex");
    for (const extra of [[], ["-noattr"]]) {
      const result = await verifier().verify({
        sha256: other,
        firma: await sign(signers.servidora, extra),
      });
      expect(result.verdict).toBe("alterado");
      expect(check(result, "firma")).toMatchObject({
        outcome: "failed",
        detail: expect.stringContaining("ampara otro documento"),
      });
      // Who signed (some other version) is still known and trusted.
      expect(result.signer?.rfc).toBe("CACX7605101P8");
      expect(result.summary).toMatch(/^El documento no es el que se firmó/);
      expect(result.acuses).toEqual([]);
    }
  });

  it("the signature bytes were altered: nobody is named as signer", async () => {
    const der = Buffer.from(await sign(signers.servidora), "base64");
    der[der.length - 7]! ^= 0x40;
    const result = await verifier().verify({ sha256, firma: der.toString("base64") });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "firma")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("La firma no es válida"),
    });
    expect(result.signer).toBeUndefined();
    expect(result.summary).toMatch(/^La firma no es válida/);
  });

  it("a CSD (sello digital) is not an e.firma", async () => {
    const result = await verifier().verify({ sha256, firma: await sign(signers.csd) });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "firma").outcome).toBe("ok");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("sello digital (CSD), no una e.firma"),
    });
    expect(check(result, "revocacion").outcome).toBe("warning");
    expect(result.summary).toContain("sello digital (CSD)");
  });

  it("an expired certificate", async () => {
    const result = await verifier().verify({ sha256, firma: await sign(signers.vencida) });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringMatching(
        /^El certificado de quien firmó no estaba vigente .+: venció el/,
      ),
    });
  });

  it("an issuer the Institute does not trust: what the certificate says is not repeated", async () => {
    const result = await verifier({ anchors: [] }).verify({
      sha256,
      firma: await sign(signers.servidora),
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("autoridad certificadora reconocida"),
    });
    expect(result.signer).toBeUndefined();
    expect(result.summary).toBe(
      "La firma no es aceptable: el certificado de quien firmó no lo emitió una autoridad reconocida por el Instituto.",
    );
  });

  it("a revoked certificate, according to a real OCSP responder", async () => {
    const result = await verifier().verify({ sha256, firma: await sign(signers.revocada) });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante").outcome).toBe("ok");
    expect(check(result, "revocacion")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("está revocado"),
    });
    expect(result.summary).toContain("revocado");
  });

  it("a signing time declared in the future is not believed", async () => {
    const yesterday: Clock = () => Temporal.Now.instant().subtract({ hours: 24 });
    const result = await verifier({ clock: yesterday }).verify({
      sha256,
      firma: await sign(signers.servidora),
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("es posterior a la fecha actual"),
    });
  });
});

describe("revocation that cannot be confirmed, policy «refuse»", () => {
  const unavailable: RevocationChecker = {
    async check() {
      throw new EfirmaError("revocation_unavailable", "No fue posible confirmar.");
    },
  };

  it("no answer (503) for an otherwise valid signature, as sign-in would refuse", async () => {
    const error = await refusal(
      verifier({ revocation: unavailable }).verify({
        sha256,
        firma: await sign(signers.servidora),
      }),
    );
    expect(error.code).toBe("unavailable");
    expect(error.detail).toContain("Intenta más tarde");
  });

  it("still «alterado» when the signature fails anyway", async () => {
    const other = createHash("sha256").update("otro").digest("hex");
    const result = await verifier({ revocation: unavailable }).verify({
      sha256: other,
      firma: await sign(signers.servidora),
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "revocacion").outcome).toBe("warning");
  });
});

/** SAT's test CA (AC UAT), when the fixtures bring it: the issuer of the test FIEL. */
async function findSatTestCa(): Promise<X509Certificate[]> {
  const fiel = new X509Certificate((await satFixture("fake-fiel")).cer);
  const dirs = [SAT_FIXTURES];
  for (const entry of await readdir(SAT_FIXTURES, { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(SAT_FIXTURES, entry.name));
  }
  const cas = (await Promise.all(dirs.map((d) => loadTrustStore(d)))).flat();
  return cas.filter((ca) => fiel.checkIssued(ca) && fiel.verify(ca.publicKey));
}
const satAnchors = await findSatTestCa();

describe("the SAT's test e.firmas", () => {
  // SAT's fixtures are valid until 2027-05-17: verify as of a fixed day, signing without a time.
  const inValidity: Clock = () => Temporal.Instant.from("2025-06-02T17:00:00Z");

  async function satSigner(kind: "fake-fiel" | "fake-csd"): Promise<Signer> {
    const { cer, key, password } = await satFixture(kind);
    return signerFiles(`sat-${kind}`, cer, key, password);
  }

  it("the SAT FIEL is refused while its issuer (AC UAT) is not a trusted anchor", async () => {
    const result = await verifier({ clock: inValidity, revocation: noRevocationCheck }).verify({
      sha256,
      firma: await sign(await satSigner("fake-fiel"), ["-noattr"]),
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "firma").outcome).toBe("ok");
    expect(check(result, "certificado_firmante").detail).toContain(
      "autoridad certificadora reconocida",
    );
    expect(result.signer).toBeUndefined();
  });

  it.skipIf(satAnchors.length === 0)(
    "the SAT FIEL is accepted when the SAT test CA is an anchor (se omite: no hay AC de pruebas del SAT en ../shared/fixtures/sat)",
    async () => {
      const result = await verifier({
        anchors: satAnchors,
        clock: inValidity,
        revocation: noRevocationCheck,
      }).verify({ sha256, firma: await sign(await satSigner("fake-fiel"), ["-noattr"]) });
      expect(result.verdict).toBe("autentico");
      expect(result.signer).toMatchObject({ rfc: "EKU9003173C9" });
    },
  );

  it("the SAT CSD is refused as not a FIEL", async () => {
    const result = await verifier({
      anchors: [...anchors, ...satAnchors],
      clock: inValidity,
      revocation: noRevocationCheck,
    }).verify({ sha256, firma: await sign(await satSigner("fake-csd"), ["-noattr"]) });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("sello digital (CSD)"),
    });
  });
});

describe("input that cannot be evaluated: AppError «validation» (problem+json 400)", () => {
  it("a hash that is not 64 hexadecimal digits", async () => {
    const firma = await sign(signers.servidora);
    for (const bad of ["", "abc", `${sha256}0`, sha256.replace(/^./, "g"), 42 as never]) {
      const error = await refusal(verifier().verify({ sha256: bad, firma }));
      expect(error.code).toBe("validation");
      expect(error.detail).toMatch(/^La huella del documento debe ser su SHA-256/);
      expect(error.errors?.[0]?.pointer).toBe("/sha256");
    }
  });

  it("a firma that is neither Base64 nor PEM", async () => {
    for (const bad of ["", "   ", "no es base64!", "QUJD=x", undefined as never]) {
      const error = await refusal(verifier().verify({ sha256, firma: bad }));
      expect(error.code).toBe("validation");
      expect(error.detail).toMatch(/^La firma debe ser el archivo \.p7s/);
      expect(error.errors?.[0]?.pointer).toBe("/firma");
    }
  });

  it("garbage that decodes but is no CMS, a certificate, a PEM of another thing", async () => {
    const certificate = new X509Certificate(signers.servidora.der);
    for (const bad of [
      Buffer.from("hola mundo").toString("base64"),
      signers.servidora.der.toString("base64"),
      certificate.toString(),
      "-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----",
    ]) {
      const error = await refusal(verifier().verify({ sha256, firma: bad }));
      expect(error.code).toBe("validation");
      expect(error.detail).toMatch(/^El archivo de la firma no es una firma CMS válida/);
    }
  });

  it("several signers, clearly", async () => {
    const firma = await sign(signers.servidora, [
      ...["-signer", signers.otra.cert, "-inkey", signers.otra.key],
    ]);
    const error = await refusal(verifier().verify({ sha256, firma }));
    expect(error.code).toBe("validation");
    expect(error.detail).toMatch(/^La firma tiene 2 firmantes; solo se verifican/);
  });

  it("a CMS that carries another document inside", async () => {
    const other = createHash("sha256").update("otro").digest("hex");
    const error = await refusal(
      verifier().verify({ sha256: other, firma: await sign(signers.servidora, ["-nodetach"]) }),
    );
    expect(error.code).toBe("validation");
    expect(error.detail).toContain("no es una firma desprendida");
  });

  it("too large: 413", async () => {
    const error = await refusal(verifier().verify({ sha256, firma: "A".repeat(3 * 1024 * 1024) }));
    expect(error.code).toBe("payload_too_large");
    const decoded = await refusal(
      verifier().verify({ sha256, firma: Buffer.alloc(1024 * 1024 + 1).toString("base64") }),
    );
    expect(decoded.code).toBe("payload_too_large");
  });
});
