/**
 * «¿Este documento lo firmó una persona servidora pública del Instituto?»: detached CMS
 * signatures made by OpenSSL's command line with e.firmas of the development CA (valid,
 * expired, CSD, revoked through a real `openssl ocsp` responder) and of the SAT's fixtures.
 */
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asn1js from "asn1js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { CodedError } from "../../domain/errors.ts";
import { formatInstant, spanishInstant } from "../../domain/time/zona-centro.ts";
import { type Clock, systemClock } from "../../platform/clock.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { withPkijs } from "../../platform/crypto/pkijs-engine.ts";
import {
  noRevocationCheck,
  ocspChecker,
  type RevocationChecker,
} from "../../platform/crypto/revocation.ts";
import { loadTrustStore } from "../../platform/crypto/trust-store.ts";
import { toCryptoKey } from "../../platform/crypto/x509-builder.ts";
import { isProblemCode, PROBLEMS, type ProblemCode } from "../../platform/http/errors.ts";
import { issueTestEfirma, SAT_FIXTURES, satFixture, testDevCa } from "../../testing/efirma.ts";
import { type OcspResponder, startOpensslResponder } from "../../testing/ocsp-responder.ts";
import { createSignatureVerifier, type SignatureVerifierOptions } from "./signature.ts";
import type { SealingAcuse, SignatureVerification } from "./types.ts";

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
let responder: OcspResponder;
type SignerName = "servidora" | "moral" | "csd" | "vencida" | "vencidaAyer" | "revocada" | "otra";
const signers = {} as Record<SignerName, Signer>;
const acusesAsked: string[] = [];
/** An acuse of February 2025: before any certificate of the development CA (made today). */
const someAcuse: SealingAcuse = {
  kind: "apertura_notificacion",
  kindLabel: "Apertura de notificación",
  eventAt: "2025-02-03T10:07:17.151-06:00",
  eventAtText: "lunes 3 de febrero de 2025 a las 10:07:17.151 (Zona Centro)",
  countsAt: "2025-02-03T10:07:17.151-06:00",
  countsAtText: "lunes 3 de febrero de 2025 a las 10:07:17.151 (Zona Centro)",
  documentName: "Resolución.pdf",
  log: undefined,
};

function openssl(args: string[]) {
  return spawnSync("openssl", args, { encoding: "utf8" });
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

/** An acuse that sealed the document at `at` (as the service shows it: Zona Centro, with offset). */
function acuseAt(at: Temporal.Instant): SealingAcuse {
  const text = spanishInstant(at);
  return {
    ...someAcuse,
    eventAt: formatInstant(at),
    eventAtText: text,
    countsAt: formatInstant(at),
    countsAtText: text,
  };
}

/** SHA-256 (lower-case hex) of the DER of a .p7s sent as Base64 of its DER (as `sign` gives it). */
const hashOfP7s = (firma: string) =>
  createHash("sha256").update(Buffer.from(firma, "base64")).digest("hex");

/** The PEM text of a .p7s sent as Base64 of its DER. */
const pemOf = (firma: string) =>
  `-----BEGIN PKCS7-----\n${firma.replace(/.{64}/g, "$&\n")}\n-----END PKCS7-----\n`;

/**
 * `acusesSealing` that answers per hash (lower-case hex), none for any other: the test
 * document's (`sha256`) are the acuses listed in the answer; a .p7s's (`hashOfP7s(firma)`) are
 * the ones whose earliest `eventAt` is the trusted time of that signature.
 */
function sealing(
  byHash: Record<string, readonly SealingAcuse[]> = {},
): SignatureVerifierOptions["acusesSealing"] {
  return async (hex) => {
    acusesAsked.push(hex);
    return [...(byHash[hex] ?? [])];
  };
}

/** A notification of the document with its .p7s: each acuse seals both. */
const notified = (firma: string, ...acuses: SealingAcuse[]) =>
  sealing({ [sha256]: acuses, [hashOfP7s(firma)]: acuses });

/** An instant `ms` before now, to the millisecond (as acuses record it). */
const ago = (ms: number) =>
  Temporal.Now.instant()
    .subtract({ milliseconds: Math.round(ms) })
    .round({ smallestUnit: "millisecond", roundingMode: "floor" });

/** How the «certificado_firmante» detail names the present (whole seconds). */
const presentText = (at: Temporal.Instant) =>
  `a la fecha de esta verificación (${spanishInstant(at.round({ smallestUnit: "second", roundingMode: "floor" }))}), pues ningún acuse del Instituto hace constar esta firma antes (la fecha que declara el firmante no basta)`;

/** How the «certificado_firmante» detail names the instant an acuse gives. */
const sealedText = (acuse: SealingAcuse) =>
  `el ${spanishInstant(Temporal.Instant.from(acuse.eventAt))}, cuando un acuse del Instituto hizo constar esta firma`;

/** The signingTime a CMS declares (UTCTime: whole seconds), as `signedAt` gives it back. */
const declaredAs = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();

/** By default no acuse seals the document nor its .p7s: the certificate is checked at the present. */
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
    acusesSealing: sealing(),
    ...overrides,
  });
}

function check(result: SignatureVerification, id: string) {
  const found = result.checks.find((c) => c.id === id);
  expect(found, `falta la verificación ${id}`).toBeDefined();
  return found!;
}

/** A refusal with a code clients get through PROBLEMS (an AppError or the CMS reader's own). */
async function refusal(promise: Promise<unknown>): Promise<CodedError<string>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    expect(isProblemCode((error as CodedError<string>).code)).toBe(true);
    return error as CodedError<string>;
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
    const firma = await sign(signers.servidora);
    const notification = acuseAt(ago(60_000));
    const result = await verifier({ acusesSealing: notified(firma, notification) }).verify({
      sha256,
      firma,
    });
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
    // The certificate is checked when the acuse sealed the .p7s, not at the declared time.
    expect(check(result, "certificado_firmante").detail).toMatch(
      /^El certificado 30001\d{15} es una e\.firma \(FIEL\) de XOCHILT CASAS CHAVEZ \(RFC CACX7605101P8\), emitida por AC DE DESARROLLO BUZON IMSS.* y vigente el /,
    );
    expect(check(result, "certificado_firmante").detail).toContain(
      ` y vigente ${sealedText(notification)}.`,
    );
    expect(check(result, "revocacion").detail).toContain("OCSP");
    expect(result.summary).toMatch(
      /^El documento es auténtico e íntegro: lo firmó XOCHILT CASAS CHAVEZ \(RFC CACX7605101P8\), notificador del Instituto, con su e\.firma el .+ \(fecha que declaró al firmar\)\.$/,
    );
    expect(result.sha256).toBe(sha256);
    expect(result.acuses).toEqual([notification]);
    // Asked for the document (the acuses listed) and for the .p7s (by the SHA-256 of its DER).
    expect([...acusesAsked].sort()).toEqual([sha256, hashOfP7s(firma)].sort());
    for (const c of result.checks) {
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.detail).toMatch(/^[A-ZÁÉÍÓÚÑ].+\.$/u);
    }
  });

  it("without signed attributes (-noattr) nor acuses: no declared time, checked at now", async () => {
    const firma = await sign(signers.servidora, ["-noattr"]);
    const now = Temporal.Now.instant();
    const result = await verifier({ clock: () => now }).verify({ sha256, firma });
    expect(result.verdict).toBe("autentico");
    expect(result.signedAt).toBeUndefined();
    expect(result.acuses).toEqual([]);
    expect(check(result, "firma").detail).toContain("directamente sobre su huella SHA-256");
    expect(check(result, "certificado_firmante").detail).toContain(
      ` y vigente ${presentText(now)}.`,
    );
    expect(result.summary).not.toContain("declaró");
  });

  it("with a declared time but no acuse: checked at now, the declared time only reported", async () => {
    const firma = await sign(signers.servidora);
    const now = Temporal.Now.instant();
    const result = await verifier({ clock: () => now }).verify({ sha256, firma });
    expect(result.verdict).toBe("autentico");
    expect(result.signedAt).toBeDefined();
    expect(check(result, "certificado_firmante").detail).toContain(
      ` y vigente ${presentText(now)}.`,
    );
    expect(result.summary).toContain("(fecha que declaró al firmar)");
  });

  it("the .p7s as PEM text, as Base64 of a PEM file, and an upper-case hash", async () => {
    const pem = pemOf(await sign(signers.servidora));
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

  it("an expired certificate, valid when the acuse of its notification sealed the .p7s (pkijs-made CMS)", async () => {
    // Expired half a day ago; the acuse (time the Institute sealed and logged) is from ¾ of a day
    // ago, and the declared signingTime from ⅞: only the acuse's instant is checked.
    const declared = new Date(Date.now() - (7 * DAY) / 8);
    const firma = await signWithPkijs(signers.vencidaAyer, declared);
    const notification = acuseAt(ago((3 * DAY) / 4));
    const result = await verifier({ acusesSealing: notified(firma, notification) }).verify({
      sha256,
      firma,
    });
    expect(result.verdict).toBe("autentico");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "ok",
      detail: expect.stringContaining(` y vigente ${sealedText(notification)}.`),
    });
    expect(check(result, "revocacion").outcome).toBe("ok");
    expect(result.signer?.rfc).toBe("CACX7605101P8");
    // The declared time is still reported, as information.
    expect(result.signedAt).toBe(declaredAs(declared));
    expect(result.summary).toContain("(fecha que declaró al firmar)");
    expect(result.acuses).toEqual([notification]);
  });

  it("an expired certificate, valid when an acuse sealed the .p7s, also sent as PEM text (the hash is of the DER)", async () => {
    const firma = await signWithPkijs(signers.vencidaAyer, new Date(Date.now() - (7 * DAY) / 8));
    const notification = acuseAt(ago((3 * DAY) / 4));
    const pem = pemOf(firma);
    for (const sent of [pem, Buffer.from(pem).toString("base64")]) {
      acusesAsked.length = 0;
      const result = await verifier({ acusesSealing: notified(firma, notification) }).verify({
        sha256,
        firma: sent,
      });
      expect(result.verdict).toBe("autentico");
      expect(check(result, "certificado_firmante")).toMatchObject({
        outcome: "ok",
        detail: expect.stringContaining(` y vigente ${sealedText(notification)}.`),
      });
      expect(result.acuses).toEqual([notification]);
      // The hash of the DER, not of the text that was sent.
      expect(acusesAsked).toContain(hashOfP7s(firma));
      const sentHash = createHash("sha256").update(sent).digest("hex");
      expect(acusesAsked).not.toContain(sentHash);
    }
  });

  it("the earliest of the acuses that seal the .p7s decides; the document's own acuses do not", async () => {
    const firma = await signWithPkijs(signers.vencidaAyer, new Date(Date.now() - (7 * DAY) / 8));
    // Inside the certificate's validity (it expired half a day ago).
    const early = acuseAt(ago((3 * DAY) / 4));
    // After the certificate expired; listed first.
    const late = acuseAt(ago(DAY / 4));
    // The document alone, notified before it was signed, when the development CA was not yet
    // valid: as the earliest instant, it would refuse the certificate.
    const unsigned = acuseAt(ago((3 * DAY) / 2));
    const result = await verifier({
      acusesSealing: sealing({
        [sha256]: [late, early, unsigned],
        [hashOfP7s(firma)]: [late, early],
      }),
    }).verify({ sha256, firma });
    expect(result.verdict).toBe("autentico");
    expect(check(result, "certificado_firmante").detail).toContain(
      ` y vigente ${sealedText(early)}.`,
    );
    // The acuses listed are those of the document.
    expect(result.acuses).toEqual([late, early, unsigned]);
  });

  it("no revocation source (development): a warning, and not confirmed (no green «auténtico»)", async () => {
    const result = await verifier({ revocation: noRevocationCheck }).verify({
      sha256,
      firma: await sign(signers.servidora),
    });
    expect(result.verdict).toBe("no_confirmado");
    expect(result.summary).toContain(
      "no se pudo confirmar que su certificado no estuviera revocado",
    );
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
    const firma = await sign(signers.vencida);
    const now = Temporal.Now.instant();
    const result = await verifier({ clock: () => now }).verify({ sha256, firma });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringMatching(
        /^El certificado de quien firmó no estaba vigente .+: venció el .+\.$/,
      ),
    });
    expect(check(result, "certificado_firmante").detail).toContain(
      `no estaba vigente ${presentText(now)}: venció el `,
    );
    expect(result.summary).toBe(
      "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
    );
  });

  it("an expired certificate valid at the declared signing time, with no acuse at all: the signer's word is not enough (pkijs-made CMS)", async () => {
    // An expired, unrevoked key could backdate its signingTime: without an acuse, checked at now.
    const declared = new Date(Date.now() - (3 * DAY) / 4);
    const firma = await signWithPkijs(signers.vencidaAyer, declared);
    const now = Temporal.Now.instant();
    const validTo = new X509Certificate(signers.vencidaAyer.der).validToDate;
    const result = await verifier({ clock: () => now }).verify({ sha256, firma });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "firma").outcome).toBe("ok");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: `El certificado de quien firmó no estaba vigente ${presentText(now)}: venció el ${spanishInstant(Temporal.Instant.fromEpochMilliseconds(validTo.getTime()))}.`,
    });
    expect(check(result, "revocacion").outcome).toBe("warning");
    expect(result.signedAt).toBe(declaredAs(declared));
    expect(result.acuses).toEqual([]);
    expect(result.summary).toBe(
      "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
    );
  });

  it("an expired certificate is not made valid by an acuse that sealed only the DOCUMENT inside its validity (pkijs-made CMS)", async () => {
    // The attack: the document was notified ¾ of a day ago, while the certificate was valid (it
    // expired half a day ago); someone who kept its key signs it now, backdating the signingTime.
    // The acuse proves that the document existed then, not that this signature did.
    const declared = new Date(Date.now() - (7 * DAY) / 8);
    const firma = await signWithPkijs(signers.vencidaAyer, declared);
    const notification = acuseAt(ago((3 * DAY) / 4));
    const validTo = spanishInstant(
      Temporal.Instant.fromEpochMilliseconds(
        new X509Certificate(signers.vencidaAyer.der).validToDate.getTime(),
      ),
    );
    // Another .p7s of the same document (another signingTime, other bytes), sealed back then.
    const sealedOne = await signWithPkijs(
      signers.vencidaAyer,
      new Date(Date.now() - (4 * DAY) / 5),
    );
    expect(hashOfP7s(sealedOne)).not.toBe(hashOfP7s(firma));
    const afterExpiry = acuseAt(ago(DAY / 4));
    const now = Temporal.Now.instant();
    const cases: [Record<string, SealingAcuse[]>, string][] = [
      // No acuse seals this .p7s: checked at the present.
      [{ [sha256]: [notification] }, presentText(now)],
      // An acuse seals another .p7s of the document: it says nothing of this one.
      [{ [sha256]: [notification], [hashOfP7s(sealedOne)]: [notification] }, presentText(now)],
      // This .p7s was sealed only after the certificate expired.
      [{ [sha256]: [notification], [hashOfP7s(firma)]: [afterExpiry] }, sealedText(afterExpiry)],
    ];
    for (const [byHash, when] of cases) {
      const result = await verifier({ acusesSealing: sealing(byHash), clock: () => now }).verify({
        sha256,
        firma,
      });
      expect(result.verdict).toBe("alterado");
      expect(check(result, "firma").outcome).toBe("ok");
      expect(check(result, "certificado_firmante")).toMatchObject({
        outcome: "failed",
        detail: `El certificado de quien firmó no estaba vigente ${when}: venció el ${validTo}.`,
      });
      expect(check(result, "revocacion").outcome).toBe("warning");
      expect(result.signedAt).toBe(declaredAs(declared));
      // The document's acuse is still listed: it proves the document, not the signature.
      expect(result.acuses).toEqual([notification]);
      expect(result.summary).toBe(
        "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
      );
    }
    // Had that notification sealed this .p7s too, the same signature would be authentic.
    const sealedBoth = await verifier({ acusesSealing: notified(firma, notification) }).verify({
      sha256,
      firma,
    });
    expect(sealedBoth.verdict).toBe("autentico");
  });

  it("an expired certificate when the acuse that sealed the .p7s came after its expiry", async () => {
    // Declared while the certificate was valid; sealed by the Institute a quarter of a day ago,
    // when it had already expired (half a day ago).
    const declared = new Date(Date.now() - (3 * DAY) / 4);
    const firma = await signWithPkijs(signers.vencidaAyer, declared);
    const notification = acuseAt(ago(DAY / 4));
    const validTo = new X509Certificate(signers.vencidaAyer.der).validToDate;
    const result = await verifier({ acusesSealing: notified(firma, notification) }).verify({
      sha256,
      firma,
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: `El certificado de quien firmó no estaba vigente ${sealedText(notification)}: venció el ${spanishInstant(Temporal.Instant.fromEpochMilliseconds(validTo.getTime()))}.`,
    });
    expect(check(result, "revocacion").outcome).toBe("warning");
    expect(result.signedAt).toBe(declaredAs(declared));
    expect(result.acuses).toEqual([notification]);
    expect(result.summary).toBe(
      "La firma no es aceptable: el certificado de quien firmó no estaba vigente.",
    );
  });

  it("a certificate issued after the earliest acuse that sealed the .p7s", async () => {
    // someAcuse is of February 2025, the certificate of today; a later acuse does not help.
    const firma = await sign(signers.servidora);
    const validFrom = new X509Certificate(signers.servidora.der).validFromDate;
    for (const acuses of [[someAcuse], [acuseAt(ago(60_000)), someAcuse]]) {
      const result = await verifier({ acusesSealing: notified(firma, ...acuses) }).verify({
        sha256,
        firma,
      });
      expect(result.verdict).toBe("alterado");
      expect(check(result, "certificado_firmante")).toMatchObject({
        outcome: "failed",
        detail: `El certificado de quien firmó no estaba vigente ${sealedText(someAcuse)}: lo es a partir del ${spanishInstant(Temporal.Instant.fromEpochMilliseconds(validFrom.getTime()))}.`,
      });
      expect(check(result, "certificado_firmante").detail).toContain(
        "lunes 3 de febrero de 2025 a las 10:07:17.151 (Zona Centro)",
      );
      expect(result.acuses).toEqual(acuses);
    }
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

  it("a revoked certificate, according to a real OCSP responder, with or without an acuse", async () => {
    const firma = await sign(signers.revocada);
    for (const acuses of [[], [acuseAt(ago(60 * 60_000))]]) {
      const result = await verifier({ acusesSealing: notified(firma, ...acuses) }).verify({
        sha256,
        firma,
      });
      expect(result.verdict).toBe("alterado");
      expect(check(result, "certificado_firmante").outcome).toBe("ok");
      expect(check(result, "revocacion")).toMatchObject({
        outcome: "failed",
        detail: expect.stringContaining("está revocado"),
      });
      expect(result.summary).toContain("revocado");
    }
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

  it("a signing time declared in the future is refused even when an acuse gives the instant", async () => {
    const declared = new Date(Date.now() + DAY);
    const firma = await signWithPkijs(signers.servidora, declared);
    const result = await verifier({
      acusesSealing: notified(firma, acuseAt(ago(60 * 60_000))),
    }).verify({
      sha256,
      firma,
    });
    expect(result.verdict).toBe("alterado");
    expect(check(result, "firma").outcome).toBe("ok");
    expect(check(result, "certificado_firmante")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("es posterior a la fecha actual"),
    });
    expect(check(result, "revocacion").outcome).toBe("warning");
    expect(result.signedAt).toBe(declaredAs(declared));
    expect(result.summary).toBe(
      "La firma no es aceptable: declara una fecha de firma posterior a la actual.",
    );
  });
});

describe("revocation that cannot be confirmed, policy «refuse»", () => {
  const unavailable: RevocationChecker = {
    async check() {
      throw new EfirmaError("revocation_unavailable", "No fue posible confirmar.");
    },
  };

  it("«no_confirmado» for an otherwise valid signature when the OCSP responder is down", async () => {
    // A real OCSP client against a port where nothing answers (the responder is down).
    const down = await new Promise<string>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(`http://127.0.0.1:${port}/ocsp`));
      });
    });
    const result = await verifier({
      revocation: ocspChecker({
        url: down,
        clock: systemClock,
        policy: "refuse",
        log: { warn() {} },
      }),
    }).verify({ sha256, firma: await sign(signers.servidora) });
    expect(result.verdict).toBe("no_confirmado");
    expect(check(result, "firma").outcome).toBe("ok");
    expect(check(result, "revocacion")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("No fue posible consultar con el SAT"),
    });
    expect(result.summary).not.toContain("auténtico e íntegro");
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

describe("input that cannot be evaluated: a coded refusal through PROBLEMS (400, 413)", () => {
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
      expect(error.code).toBe("malformed_cms");
      expect(PROBLEMS[error.code as ProblemCode].status).toBe(400);
      expect(error.errors?.[0]?.pointer).toBe("/firma");
      expect(error.detail).toMatch(/^El archivo de la firma no es una firma CMS válida/);
    }
  });

  it("several signers, clearly", async () => {
    const firma = await sign(signers.servidora, [
      ...["-signer", signers.otra.cert, "-inkey", signers.otra.key],
    ]);
    const error = await refusal(verifier().verify({ sha256, firma }));
    expect(error.code).toBe("multiple_signers");
    expect(PROBLEMS[error.code as ProblemCode].status).toBe(400);
    expect(error.detail).toMatch(/^La firma tiene 2 firmantes; solo se verifican/);
  });

  it("a CMS that carries another document inside", async () => {
    const other = createHash("sha256").update("otro").digest("hex");
    const error = await refusal(
      verifier().verify({ sha256: other, firma: await sign(signers.servidora, ["-nodetach"]) }),
    );
    expect(error.code).toBe("not_detached");
    expect(PROBLEMS[error.code as ProblemCode].status).toBe(400);
    expect(error.detail).toContain("no es una firma desprendida");
  });

  it("too large: 413", async () => {
    const error = await refusal(verifier().verify({ sha256, firma: "A".repeat(3 * 1024 * 1024) }));
    expect(error.code).toBe("cms_too_large");
    expect(PROBLEMS[error.code as ProblemCode].status).toBe(413);
    expect(error.errors?.[0]?.pointer).toBe("/firma");
    const decoded = await refusal(
      verifier().verify({ sha256, firma: Buffer.alloc(1024 * 1024 + 1).toString("base64") }),
    );
    expect(decoded.code).toBe("cms_too_large");
  });
});
