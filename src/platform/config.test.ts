import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("has embedded defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      host: "127.0.0.1",
      port: 8080,
      databaseUrl: undefined,
      logLevel: "info",
    });
    expect(config.dataDir).toMatch(/data\/pglite$/);
    expect(config.calendarFile).toMatch(/calendarios\/imss\.json$/);
  });

  it("reads the environment", () => {
    const config = loadConfig({
      PORT: "9000",
      DATABASE_URL: "postgres://u@h/db",
      MIGRATION_DATABASE_URL: "postgres://migra@h/db",
      DATABASE_SERVING_ROLE: "u",
      BUZON_ENV: "production",
      LOG_LEVEL: "warn",
      TRUST_STORE_DIR: "/etc/buzon/sat",
      OCSP_URL: "https://cfdi.sat.gob.mx/edofiel",
      LOG_KEY_FILE: "/etc/buzon/log-key.pem",
      SEAL_CERT_FILE: "/etc/buzon/sello.cer",
      SEAL_KEY_FILE: "/etc/buzon/sello.key",
      PUBLIC_URL: "https://buzon.imss.gob.mx/",
      TSA_URL: "http://tsa.example.invalid/tsr",
      TSA_CA_FILE: "/etc/buzon/tsa.pem",
      CHECKPOINT_INTERVAL_SECONDS: "30",
    });
    expect(config).toMatchObject({
      publicUrl: "https://buzon.imss.gob.mx",
      tsaUrl: "http://tsa.example.invalid/tsr",
      tsaCaFile: "/etc/buzon/tsa.pem",
      checkpointIntervalSeconds: 30,
      port: 9000,
      databaseUrl: "postgres://u@h/db",
      env: "production",
      logLevel: "warn",
    });
  });

  it("in production, requires a trust store and a revocation source, refuses the dev CA, and refuses when revocation cannot be checked", () => {
    expect(() => loadConfig({ BUZON_ENV: "production", TRUST_DEV_CA: "true" })).toThrow(
      /PUBLIC_URL[\s\S]*TRUST_DEV_CA no se permite[\s\S]*TRUST_STORE_DIR[\s\S]*OCSP_URL o CRL_DIR[\s\S]*LOG_KEY_FILE[\s\S]*SEAL_CERT_FILE y SEAL_KEY_FILE/,
    );
    const production = loadConfig({
      BUZON_ENV: "production",
      TRUST_STORE_DIR: "/x",
      CRL_DIR: "/y",
      LOG_KEY_FILE: "/z/log-key.pem",
      SEAL_CERT_FILE: "/z/sello.cer",
      SEAL_KEY_FILE: "/z/sello.key",
      PUBLIC_URL: "https://buzon.example",
    });
    expect(() => loadConfig({ TSA_URL: "http://tsa.invalid" })).toThrow(/TSA_CA_FILE/);
    expect(() => loadConfig({ PUBLIC_URL: "ftp://x" })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PORT: "9001" }).publicUrl).toBe("http://127.0.0.1:9001");
    expect(() => loadConfig({ SEAL_CERT_FILE: "/z/sello.cer" })).toThrow(/se configuran juntos/);
    expect(production.revocationUnavailable).toBe("refuse");
    expect(production.secureCookies).toBe(true);
    expect(loadConfig({}).revocationUnavailable).toBe("accept");
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({}).logOrigin).toBe("buzon-imss.invalid/log");
    expect(() => loadConfig({ LOG_ORIGIN: "con espacio" })).toThrow(/LOG_ORIGIN/);
  });

  it("allows the test issuance route only outside production and with the development seal", () => {
    expect(loadConfig({}).acuseTestRoute).toBe(false);
    expect(loadConfig({ ACUSE_TEST_ROUTE: "true" }).acuseTestRoute).toBe(true);
    expect(() => loadConfig({ ACUSE_TEST_ROUTE: "true", BUZON_ENV: "production" })).toThrow(
      /ACUSE_TEST_ROUTE solo se permite fuera de producción/,
    );
    expect(() =>
      loadConfig({
        ACUSE_TEST_ROUTE: "true",
        SEAL_CERT_FILE: "/z/sello.cer",
        SEAL_KEY_FILE: "/z/sello.key",
      }),
    ).toThrow(/con el sello de desarrollo/);
    expect(() => loadConfig({ ACUSE_TEST_ROUTE: "sí" })).toThrow(/ACUSE_TEST_ROUTE/);
    expect(loadConfig({}).acuseTestRateLimit).toBe(60);
    expect(loadConfig({ ACUSE_TEST_RATE_LIMIT: "5000" }).acuseTestRateLimit).toBe(5000);
    expect(() => loadConfig({ ACUSE_TEST_RATE_LIMIT: "0" })).toThrow(/ACUSE_TEST_RATE_LIMIT/);
  });

  it("takes the migration role and the serving role together or not at all", () => {
    const apart = loadConfig({
      DATABASE_URL: "postgres://buzon_app@db/buzon",
      MIGRATION_DATABASE_URL: "postgres://buzon_migra@db/buzon",
      DATABASE_SERVING_ROLE: "buzon_app",
    });
    expect(apart).toMatchObject({
      migrationDatabaseUrl: "postgres://buzon_migra@db/buzon",
      databaseServingRole: "buzon_app",
    });
    const together = /MIGRATION_DATABASE_URL y DATABASE_SERVING_ROLE se configuran juntos/;
    expect(() =>
      loadConfig({
        DATABASE_URL: "postgres://buzon_app@db/buzon",
        MIGRATION_DATABASE_URL: "postgres://buzon_migra@db/buzon",
      }),
    ).toThrow(together);
    expect(() =>
      loadConfig({
        DATABASE_URL: "postgres://buzon_app@db/buzon",
        DATABASE_SERVING_ROLE: "buzon_app",
      }),
    ).toThrow(together);
    expect(() =>
      loadConfig({
        MIGRATION_DATABASE_URL: "postgres://buzon_migra@db/buzon",
        DATABASE_SERVING_ROLE: "buzon_app",
      }),
    ).toThrow(/MIGRATION_DATABASE_URL requiere DATABASE_URL/);
  });

  it("in production on PostgreSQL, refuses to serve as the tables' owner: both roles are required", () => {
    const production = {
      BUZON_ENV: "production",
      TRUST_STORE_DIR: "/x",
      CRL_DIR: "/y",
      LOG_KEY_FILE: "/z/log-key.pem",
      SEAL_CERT_FILE: "/z/sello.cer",
      SEAL_KEY_FILE: "/z/sello.key",
      PUBLIC_URL: "https://buzon.example",
    };
    const required =
      /en producción con PostgreSQL \(DATABASE_URL\) se requieren MIGRATION_DATABASE_URL y DATABASE_SERVING_ROLE[\s\S]*«Un rol para migrar y otro para servir»/;
    expect(() =>
      loadConfig({ ...production, DATABASE_URL: "postgres://buzon_app@db/buzon" }),
    ).toThrow(required);
    expect(() =>
      loadConfig({
        ...production,
        NODE_ENV: "production",
        BUZON_ENV: undefined,
        DATABASE_URL: "postgres://buzon_app@db/buzon",
      }),
    ).toThrow(required);
    expect(() =>
      loadConfig({
        ...production,
        DATABASE_URL: "postgres://buzon_app@db/buzon",
        DATABASE_SERVING_ROLE: "buzon_app",
      }),
    ).toThrow(required);
    expect(() =>
      loadConfig({
        ...production,
        DATABASE_URL: "postgres://buzon_app@db/buzon",
        MIGRATION_DATABASE_URL: "postgres://buzon_migra@db/buzon",
      }),
    ).toThrow(required);
    expect(
      loadConfig({
        ...production,
        DATABASE_URL: "postgres://buzon_app@db/buzon",
        MIGRATION_DATABASE_URL: "postgres://buzon_migra@db/buzon",
        DATABASE_SERVING_ROLE: "buzon_app",
      }),
    ).toMatchObject({ env: "production", databaseServingRole: "buzon_app" });
    // PGlite (no DATABASE_URL) has no roles to separate; outside production one role may do.
    expect(loadConfig(production).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "postgres://buzon@db/buzon" }).databaseServingRole).toBe(
      undefined,
    );
  });

  it("refuses to start on bad values, naming each one in Spanish", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "http",
        DATABASE_URL: "mysql://x",
        LOG_LEVEL: "loud",
        BUZON_ADMIN_TOKEN: "corto",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT debe ser un entero");
    expect(message).toContain("DATABASE_URL debe comenzar con postgres://");
    expect(message).toContain("LOG_LEVEL debe ser uno de");
    // The shared token is gone: a deployment still setting it is told what replaced it.
    expect(message).toContain(
      "BUZON_ADMIN_TOKEN ya no se usa: cree un token de API por persona con «buzon personal token crear»",
    );
  });
});
