import { generateKeyPairSync } from "node:crypto";
import { statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmsVerifyArgs, openssl } from "../../testing/openssl.ts";
import {
  createDevelopmentSeal,
  DEV_SEAL_FILES,
  DEV_SEAL_NAME,
  detachedCms,
  type InstituteSeal,
  loadSeal,
  SealError,
  sealText,
  verifySealText,
} from "./seal.ts";

// A cadena original with accents, «ñ» and a percent-escaped newline, as acuse.ts writes them.
const CADENA =
  "||1|BI-20250203-100717151|apertura_notificacion|PEÑA850101ABC|PEÑA850101ABC|titular|" +
  "2025-02-03T10:07:17.151-06:00|2025-02-03T10:07:17.151-06:00|momento_del_evento|2025.1|1|" +
  "Resolución de determinación%0Acédula.pdf|" +
  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08|18432||";

let dir: string;
let seal: InstituteSeal;
const NOW = new Date("2025-02-03T16:00:00Z");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sello-"));
  seal = await createDevelopmentSeal(join(dir, "sello"), NOW);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sello de desarrollo", () => {
  it("se crea una vez y se vuelve a cargar igual", async () => {
    expect(seal.certificate.subject).toContain(`CN=${DEV_SEAL_NAME}`);
    expect(seal.certificate.subject).toContain("C=MX");
    expect(seal.certificate.ca).toBe(false);
    expect(seal.certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years =
      (Date.parse(seal.certificate.validTo) - Date.parse(seal.certificate.validFrom)) /
      (365 * 86_400_000);
    expect(Math.round(years)).toBe(10);
    expect(seal.certificateNumber).toMatch(/^[0-9A-F]+$/);
    const keyMode = statSync(join(dir, "sello", DEV_SEAL_FILES.privateKey)).mode & 0o777;
    expect(keyMode).toBe(0o600);

    const again = await createDevelopmentSeal(join(dir, "sello"), new Date());
    expect(again.certificate.fingerprint256).toBe(seal.certificate.fingerprint256);
    expect(again.certificateDer.equals(seal.certificateDer)).toBe(true);
    expect(again.certificateNumber).toBe(seal.certificateNumber);
  });

  it("lleva keyUsage digitalSignature y nonRepudiation", () => {
    const text = openssl([
      "x509",
      "-inform",
      "DER",
      "-in",
      join(dir, "sello", DEV_SEAL_FILES.certificate),
      "-noout",
      "-ext",
      "keyUsage",
    ]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("Digital Signature, Non Repudiation");
  });
});

describe("loadSeal", () => {
  it("acepta PEM y DER, y una llave cifrada con su contraseña", async () => {
    const pemCert = join(dir, "sello.pem");
    const encKey = join(dir, "sello-enc.der");
    await writeFile(pemCert, seal.certificate.toString());
    await writeFile(
      encKey,
      seal.privateKey.export({
        format: "der",
        type: "pkcs8",
        cipher: "aes-256-cbc",
        passphrase: "contraseña",
      }),
    );
    const loaded = await loadSeal({ certFile: pemCert, keyFile: encKey, password: "contraseña" });
    expect(loaded.certificate.fingerprint256).toBe(seal.certificate.fingerprint256);
    await expect(loadSeal({ certFile: pemCert, keyFile: encKey })).rejects.toThrow(
      /está cifrada: falta la contraseña/,
    );
    await expect(
      loadSeal({ certFile: pemCert, keyFile: encKey, password: "otra" }),
    ).rejects.toThrow(/contraseña es incorrecta/);
  });

  it("rechaza una llave que no corresponde al certificado", async () => {
    const otherKey = join(dir, "otra-key.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await writeFile(otherKey, privateKey.export({ format: "pem", type: "pkcs8" }));
    const promise = loadSeal({
      certFile: join(dir, "sello", DEV_SEAL_FILES.certificate),
      keyFile: otherKey,
    });
    await expect(promise).rejects.toBeInstanceOf(SealError);
    await expect(promise).rejects.toThrow(/no corresponde al certificado/);
  });

  it("explica en español un archivo que falta", async () => {
    await expect(
      loadSeal({ certFile: join(dir, "no-existe.cer"), keyFile: join(dir, "no-existe.pem") }),
    ).rejects.toThrow(/No se encontró el certificado del sello/);
  });
});

describe("sello digital (RSA-SHA256)", () => {
  it("verifica la cadena original y falla si se altera", async () => {
    const sello = await sealText(seal, CADENA);
    expect(Buffer.from(sello, "base64")).toHaveLength(256);
    expect(await sealText(seal, CADENA)).toBe(sello); // PKCS#1 v1.5 is deterministic
    expect(verifySealText(seal.certificate, CADENA, sello)).toBe(true);
    expect(verifySealText(seal.certificate, CADENA.replace("PEÑA", "PENA"), sello)).toBe(false);
    expect(verifySealText(seal.certificate, `${CADENA} `, sello)).toBe(false);
    expect(verifySealText(seal.certificate, CADENA, "no es base64!")).toBe(false);
    // Signs the UTF-8 bytes, as OpenSSL does over the same bytes.
    expect(verifySealText(seal.certificate, CADENA.normalize("NFD"), sello)).toBe(false);
  });
});

describe("CMS desprendido", () => {
  let cmsDir: string;
  let sig: string;
  let content: string;
  let caFile: string;

  beforeAll(async () => {
    cmsDir = await mkdtemp(join(tmpdir(), "sello-cms-"));
    sig = join(cmsDir, "sig.der");
    content = join(cmsDir, "content.txt");
    caFile = join(cmsDir, "sello.pem");
    await writeFile(content, CADENA, "utf8");
    await writeFile(caFile, seal.certificate.toString());
    await writeFile(sig, detachedCms(seal.certificateDer, await sealText(seal, CADENA)));
  });

  afterAll(async () => {
    await rm(cmsDir, { recursive: true, force: true });
  });

  const verifyArgs = (files: { cms?: string; content?: string } = {}) =>
    cmsVerifyArgs({ cms: sig, content, caFile, ...files });

  it("openssl cms -verify lo acepta con el certificado del Instituto", () => {
    const result = openssl(verifyArgs());
    expect(result.stderr).toContain("Verification successful");
    expect(result.status).toBe(0);
  });

  it("openssl cms -verify lo rechaza si el contenido cambia en un byte", async () => {
    const bytes = Buffer.from(CADENA, "utf8");
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x01;
    const altered = join(cmsDir, "content-alterado.txt");
    await writeFile(altered, bytes);
    const result = openssl(verifyArgs({ content: altered }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/digest failure|Verification failure/i);
  });

  it("es desprendido, con SHA-256, issuerAndSerialNumber, el certificado y sin atributos firmados", () => {
    const printed = openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", sig]);
    expect(printed.status).toBe(0);
    const out = printed.stdout;
    expect(out).toContain("eContent: <ABSENT>");
    expect(out).toMatch(
      /digestAlgorithm:\s*\n\s*algorithm: sha256 \(2\.16\.840\.1\.101\.3\.4\.2\.1\)/,
    );
    expect(out).toContain("issuerAndSerialNumber");
    expect(out).toMatch(/\n\s+signedAttrs:\s*\n\s*<ABSENT>/);
    expect(out).toMatch(/certificates:\s*\n\s*d\.certificate:/);
  });

  it("su firma es el sello digital mismo: una sola operación RSA por acuse", async () => {
    const sealB64 = await sealText(seal, CADENA);
    const der = detachedCms(seal.certificateDer, sealB64);
    expect(der.includes(Buffer.from(sealB64, "base64"))).toBe(true);
    expect(detachedCms(seal.certificateDer, sealB64).equals(der)).toBe(true);
  });

  it("openssl cms -verify lo rechaza si el sello se altera", async () => {
    const raw = Buffer.from(await sealText(seal, CADENA), "base64");
    raw[10] = (raw[10] ?? 0) ^ 0x01;
    const bad = join(cmsDir, "sig-alterada.der");
    await writeFile(bad, detachedCms(seal.certificateDer, raw.toString("base64")));
    const result = openssl(verifyArgs({ cms: bad }));
    expect(result.status).not.toBe(0);
  });
});
