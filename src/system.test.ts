import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./platform/config.ts";
import { DEV_CA_FILES } from "./platform/crypto/dev-ca.ts";
import { describeAnchor, trustAnchorsOf } from "./system.ts";
import { testDevCa } from "./testing/efirma.ts";
import { issueCertificateArgs, newKeyArgs } from "./testing/openssl.ts";

/** A production configuration whose trust store is `dir` (the other files are not read here). */
function productionConfig(
  trustStoreDir: string,
  devCaDir = mkdtempSync(join(tmpdir(), "dev-ca-")),
) {
  return loadConfig({
    BUZON_ENV: "production",
    PUBLIC_URL: "https://buzon.example.mx",
    TRUST_STORE_DIR: trustStoreDir,
    DEV_CA_DIR: devCaDir,
    OCSP_URL: "http://127.0.0.1:9/ocsp",
    LOG_KEY_FILE: "/nonexistent/log-key.pem",
    SEAL_CERT_FILE: "/nonexistent/sello.cer",
    SEAL_KEY_FILE: "/nonexistent/sello.key",
  });
}

/** A CA that is not the development one, as the SAT's would be (made by OpenSSL). */
function otherCa(dir: string): string {
  const file = join(dir, "ac-sat-prueba.pem");
  execFileSync(
    "openssl",
    newKeyArgs({
      key: "P-256",
      keyOut: join(dir, "key.pem"),
      out: file,
      days: 30,
      subject: "/C=MX/O=SERVICIO DE ADMINISTRACION TRIBUTARIA/CN=AC DE PRUEBA",
      extensions: ["basicConstraints=critical,CA:TRUE"],
    }),
  );
  // The key is not an anchor: keep it out of the store.
  execFileSync("rm", [join(dir, "key.pem")]);
  return file;
}

describe("trust anchors in production", () => {
  it("starts with a store of CAs that are not the development one", async () => {
    const store = mkdtempSync(join(tmpdir(), "trust-"));
    otherCa(store);
    const anchors = await trustAnchorsOf(productionConfig(store));
    expect(anchors.map((a) => describeAnchor(a).subject)).toEqual([
      "C=MX, O=SERVICIO DE ADMINISTRACION TRIBUTARIA, CN=AC DE PRUEBA",
    ]);
    const described = describeAnchor(anchors[0] ?? expect.fail("no anchor"));
    expect(described.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(described.serial).toMatch(/^[0-9A-F]+$/);
    expect(Date.parse(described.notAfter)).toBeGreaterThan(Date.now());
  });

  it("refuses to start when the development CA's certificate was copied into the store", async () => {
    const store = mkdtempSync(join(tmpdir(), "trust-"));
    otherCa(store);
    const ca = await testDevCa();
    copyFileSync(join(ca.dir, DEV_CA_FILES.certificate), join(store, "copiado.cer"));
    const refusal = trustAnchorsOf(productionConfig(store));
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(
      /TRUST_STORE_DIR .* contiene certificados de la AC de desarrollo, que no se permiten en producción: «C=MX, O=BUZON IMSS \(DESARROLLO\), CN=AC DE DESARROLLO BUZON IMSS \(NO CONFIABLE EN PRODUCCION\)» \(SHA-256 [0-9A-F:]+\)\. Quítelos/,
    );
  });

  it("refuses a CA the development CA issued, whatever it calls itself", async () => {
    // An intermediate the development CA signed, under a name that says nothing of it.
    const ca = await testDevCa();
    const store = mkdtempSync(join(tmpdir(), "trust-"));
    const dir = mkdtempSync(join(tmpdir(), "inter-"));
    writeFileSync(join(dir, "ext.cnf"), "basicConstraints=critical,CA:TRUE\n");
    execFileSync(
      "openssl",
      newKeyArgs({
        key: "P-256",
        keyOut: join(dir, "key.pem"),
        out: join(dir, "req.csr"),
        subject: "/C=MX/O=SERVICIO DE ADMINISTRACION TRIBUTARIA/CN=AC INTERMEDIA",
      }),
    );
    execFileSync(
      "openssl",
      issueCertificateArgs({
        csr: join(dir, "req.csr"),
        caCert: join(ca.dir, DEV_CA_FILES.certificatePem),
        caKey: join(ca.dir, DEV_CA_FILES.privateKey),
        serial: "77",
        days: 30,
        extfile: join(dir, "ext.cnf"),
        out: join(store, "intermedia.pem"),
      }),
    );
    // Its issuer is the development CA: anyone holding that key could mint e.firmas under it.
    await expect(trustAnchorsOf(productionConfig(store, ca.dir))).rejects.toThrow(/AC INTERMEDIA/);
  });

  it("lets development keep trusting its own CA", async () => {
    const ca = await testDevCa();
    const store = mkdtempSync(join(tmpdir(), "trust-"));
    copyFileSync(join(ca.dir, DEV_CA_FILES.certificate), join(store, "dev.cer"));
    const anchors = await trustAnchorsOf(
      loadConfig({ BUZON_ENV: "development", TRUST_STORE_DIR: store, DEV_CA_DIR: ca.dir }),
    );
    expect(anchors).toHaveLength(1);
  });
});
