import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../platform/config.ts";
import { DEV_CA_FILES } from "../platform/crypto/dev-ca.ts";
import { testDevCa } from "../testing/efirma.ts";

/** Runs the real `buzon serve` in a child process on a fresh embedded database. */
function startBuzon(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, "bin/buzon.js"), "serve", ...args], {
    env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-serve-")), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("buzon serve", () => {
  it("starts on the embedded database with demo data, serves, and shuts down gracefully", async () => {
    // LOG_LEVEL=info brings the logs back to the demo's terminal (by default: warnings only).
    const { child, exited, output } = startBuzon(["--demo", "--port", "0"], {
      LOG_LEVEL: "info",
      BUZON_ENV: "development",
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no arrancó:\n${output()}`)), 60_000);
        const check = () => {
          const match = /Buzón IMSS en (http:\/\/\S+)/.exec(output());
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          } else setTimeout(check, 100);
        };
        check();
      });
      // Every trust anchor is in the start log: the demo trusts its development CA.
      const anchor = output()
        .split("\n")
        .find((l) => l.includes("ancla de confianza de e.firma"));
      expect(JSON.parse(anchor ?? "{}").anchor).toMatchObject({
        subject: expect.stringContaining("AC DE DESARROLLO BUZON IMSS"),
        serial: expect.stringMatching(/^[0-9A-F]+$/),
        sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
        notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      // The printed token is a real staff API token of the demo's administrator.
      const token =
        /Token de administración de esta sesión de demostración \(API, 24 horas\): (bzn_[\w-]{43})/.exec(
          output(),
        )?.[1];
      const staff = await fetch(`${url}/api/v1/personal`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(staff.status).toBe(200);
      expect((await staff.json()).staff).toContainEqual(
        expect.objectContaining({ rfc: "CACX7605101P8", role: "administrador" }),
      );
      // The banner gives each demo e.firma's files and password, as they are on disk.
      const cers = [...output().matchAll(/Certificado \(\.cer\): (\S+)/g)].map((m) => m[1]!);
      const keys = [...output().matchAll(/Llave privada \(\.key\): (\S+)/g)].map((m) => m[1]!);
      const passwords = [...output().matchAll(/Contraseña: (\S+)/g)].map((m) => m[1]!);
      expect(cers).toHaveLength(3);
      for (const [i, cer] of cers.entries()) {
        expect(existsSync(cer) && existsSync(keys[i]!)).toBe(true);
        expect(readFileSync(cer.replace(/\.cer$/, "-password.txt"), "utf8").trim()).toBe(
          passwords[i],
        );
      }
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const year = await (await fetch(`${url}/api/v1/calendario/2025`)).json();
      expect(year.version).toBe("demo-2");
      // The demo's acuses verify through the public page's API, from the printed address.
      const demo = /Acuse de demostración \(verificación pública\): (\S+)/.exec(output())?.[1];
      expect(demo).toMatch(new RegExp(`^${url}/verificacion/BI-\\d{8}-\\d{9}(-\\d{4})?\\?codigo=`));
      const { pathname, searchParams } = new URL(demo ?? "");
      const folio = pathname.split("/").pop();
      const check = await fetch(
        `${url}/api/v1/verificacion/acuses/${folio}?codigo=${encodeURIComponent(searchParams.get("codigo") ?? "")}`,
      );
      expect((await check.json()).verdict).toBe("autentico");
      // Logs are JSON lines with the request id.
      const logLine = output()
        .split("\n")
        .find((l) => l.includes('"url":"/readyz"'));
      expect(JSON.parse(logLine ?? "{}").reqId).toBeTruthy();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output()).toContain("cerrando: se terminan las solicitudes en curso");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 120_000);

  it("says so in Spanish when the port is taken", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { exited, output } = startBuzon(["--port", String(port)], { LOG_LEVEL: "silent" });
      expect(await exited).toBe(2);
      expect(output()).toContain("el puerto ya está ocupado");
    } finally {
      server.close();
    }
  }, 120_000);

  it("refuses to start in production with the development CA in the trust store", async () => {
    const store = mkdtempSync(join(tmpdir(), "trust-"));
    copyFileSync(join((await testDevCa()).dir, DEV_CA_FILES.certificate), join(store, "ac.cer"));
    const { exited, output } = startBuzon(["--port", "0"], {
      BUZON_ENV: "production",
      LOG_LEVEL: "silent",
      PUBLIC_URL: "https://buzon.example.mx",
      TRUST_STORE_DIR: store,
      OCSP_URL: "http://127.0.0.1:9/ocsp",
      LOG_KEY_FILE: join(store, "no-existe.pem"),
      SEAL_CERT_FILE: join(store, "no-existe.cer"),
      SEAL_KEY_FILE: join(store, "no-existe.key"),
    });
    expect(await exited).toBe(2);
    expect(output()).toMatch(
      /^Error: TRUST_STORE_DIR \(.+\) contiene certificados de la AC de desarrollo, que no se permiten en producción: .+ Quítelos; en producción solo se confía en las AC del SAT\.$/m,
    );
  });

  it("refuses --demo in production", async () => {
    const { exited, output } = startBuzon(["--demo"], { BUZON_ENV: "production" });
    expect(await exited).toBe(2);
    expect(output()).toContain("--demo no se permite con BUZON_ENV=production");
  });
});
