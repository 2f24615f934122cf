import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  verify,
  X509Certificate,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EfirmaBrowserError,
  keyMatchesCertificate,
  openPrivateKey,
  readCertificateFile,
  signBytes,
  signText,
} from "./index.ts";

// The SAT's test e.firma (MIT, from phpcfdi), in the shared folder beside the repository.
const FIEL = new URL("../../../../shared/fixtures/sat/fake-fiel/", import.meta.url);
const CSD = new URL("../../../../shared/fixtures/sat/fake-csd/", import.meta.url);

async function fixture(folder: URL, name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(name, folder)));
}

let certificate: Uint8Array;
let key: Uint8Array;
let password: string;

beforeAll(async () => {
  certificate = await fixture(FIEL, "EKU9003173C9.cer");
  key = await fixture(FIEL, "EKU9003173C9.key");
  password = new TextDecoder().decode(await fixture(FIEL, "EKU9003173C9-password.txt"));
});

async function refusal(promise: Promise<unknown>): Promise<EfirmaBrowserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EfirmaBrowserError);
  return error as EfirmaBrowserError;
}

function pem(label: string, der: Uint8Array): Uint8Array {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return new TextEncoder().encode(
    `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`,
  );
}

describe("e.firma in the browser", () => {
  it("opens the SAT key with its password and signs a text the certificate verifies", async () => {
    const privateKey = await openPrivateKey(key, password);
    expect(privateKey.extractable).toBe(false);
    expect(privateKey.usages).toEqual(["sign"]);
    expect(privateKey.algorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5" });

    const text = "Buzón IMSS|desafío|EKU9003173C9|2025-04-21T09:30:00-06:00|ñ";
    const signature = await signText(privateKey, text);
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const publicKey = new X509Certificate(certificate).publicKey;
    const data = Buffer.from(text, "utf8");
    expect(verify("sha256", data, publicKey, Buffer.from(signature, "base64"))).toBe(true);
    expect(
      verify("sha256", Buffer.from(`${text} `), publicKey, Buffer.from(signature, "base64")),
    ).toBe(false);
  });

  it("refuses a wrong password", async () => {
    const error = await refusal(openPrivateKey(key, "12345678b"));
    expect(error.code).toBe("wrong_password");
    expect(error.message).toBe("La contraseña de la llave privada es incorrecta.");
  });

  it("refuses random bytes and a certificate given as the key", async () => {
    for (const bytes of [new Uint8Array(randomBytes(1298)), new Uint8Array(0), certificate]) {
      const error = await refusal(openPrivateKey(bytes, password));
      expect(error.code).toBe("not_a_key");
      expect(error.message).toBe(
        "El archivo de llave privada no es válido (se espera el archivo .key de la e.firma).",
      );
    }
  });

  it("opens PEM keys: encrypted PKCS#8 (AES and PBE-SHA1-3DES), plain PKCS#8 and PKCS#1", async () => {
    const original = createPrivateKey({
      key: Buffer.from(key),
      format: "der",
      type: "pkcs8",
      passphrase: password,
    });
    const aes = original.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: "contraseña",
    });
    const plain = original.export({ format: "pem", type: "pkcs8" });
    const pkcs1 = original.export({ format: "der", type: "pkcs1" });
    const info = forge.asn1.fromDer(
      original.export({ format: "der", type: "pkcs8" }).toString("binary"),
    );
    const legacy = forge.pki.encryptPrivateKeyInfo(info, "clave123", {
      algorithm: "3des",
      legacy: true,
    });
    const pbeSha13des = new Uint8Array(Buffer.from(forge.asn1.toDer(legacy).getBytes(), "binary"));
    const publicKey = new X509Certificate(certificate).publicKey;

    const candidates: [Uint8Array, string][] = [
      [new TextEncoder().encode(aes.toString()), "contraseña"],
      [pbeSha13des, "clave123"],
      [pem("ENCRYPTED PRIVATE KEY", pbeSha13des), "clave123"],
      [new TextEncoder().encode(plain.toString()), ""],
      [new Uint8Array(pkcs1), ""],
      [pem("RSA PRIVATE KEY", new Uint8Array(pkcs1)), ""],
    ];
    for (const [bytes, secret] of candidates) {
      const signature = await signText(await openPrivateKey(bytes, secret), "hola");
      expect(
        verify("sha256", Buffer.from("hola"), publicKey, Buffer.from(signature, "base64")),
      ).toBe(true);
    }
    const wrong = await refusal(
      openPrivateKey(new TextEncoder().encode(aes.toString()), "contrasena"),
    );
    expect(wrong.code).toBe("wrong_password");
  });

  it("refuses a key that is not RSA", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der = new Uint8Array(privateKey.export({ format: "der", type: "pkcs8" }));
    const error = await refusal(openPrivateKey(der, ""));
    expect(error.code).toBe("unsupported_key");
  });

  it("reads the certificate's RFC, name and DER", () => {
    const read = readCertificateFile(certificate);
    expect(read.rfc).toBe("EKU9003173C9");
    expect(read.representativeRfc).toBe("VADA800927DJ3");
    expect(read.name).toBe("ESCUELA KEMPER URGATE SA DE CV");
    expect(Buffer.from(read.base64, "base64").equals(Buffer.from(certificate))).toBe(true);

    const fromPem = readCertificateFile(pem("CERTIFICATE", certificate));
    expect(fromPem.base64).toBe(read.base64);
    expect(fromPem.rfc).toBe("EKU9003173C9");
  });

  it("refuses a file that is not a certificate", () => {
    for (const bytes of [key, new Uint8Array(randomBytes(64)), new TextEncoder().encode("hola")]) {
      expect(() => readCertificateFile(bytes)).toThrowError(
        "El archivo de certificado no es válido (se espera el archivo .cer de la e.firma).",
      );
    }
  });

  it("tells whether a key belongs to a certificate", async () => {
    const fiel = readCertificateFile(certificate);
    const csd = readCertificateFile(await fixture(CSD, "EKU9003173C9.cer"));
    const privateKey = await openPrivateKey(key, password);
    expect(await keyMatchesCertificate(privateKey, fiel)).toBe(true);
    expect(await keyMatchesCertificate(privateKey, csd)).toBe(false);
  });
});

describe("a document signed in the browser (issue 11 §1)", () => {
  it("becomes a detached CMS without signed attributes that the server's verifier accepts", async () => {
    const { verifyDetachedCmsSignature } = await import(
      "../../../src/platform/crypto/cms-signature.ts"
    );
    const { detachedCmsBase64 } = await import("./cms.ts");
    const { createHash } = await import("node:crypto");
    const privateKey = await openPrivateKey(key, password);
    const pdf = new Uint8Array(randomBytes(4096));
    const cms = Buffer.from(
      detachedCmsBase64(certificate, await signBytes(privateKey, pdf)),
      "base64",
    );
    const digest = createHash("sha256").update(pdf).digest();
    const checked = await verifyDetachedCmsSignature(cms, digest);
    expect(checked).toMatchObject({
      digestMatches: true,
      signatureValid: true,
      signedAttributes: false,
      attachedContent: false,
    });
    expect(checked.certificate.raw.equals(Buffer.from(certificate))).toBe(true);
    // Another document's digest does not match the same signature.
    const other = createHash("sha256").update(pdf.subarray(1)).digest();
    expect((await verifyDetachedCmsSignature(cms, other)).digestMatches).toBe(false);
  });
});
