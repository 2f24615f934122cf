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

  describe("blob store", () => {
    const refusal = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error("expected a refusal");
    };

    it("keeps documents under DATA_DIR/blobs by default", () => {
      expect(loadConfig({ DATA_DIR: "/srv/buzon" }).blobStore).toEqual({
        kind: "fs",
        dir: "/srv/buzon/blobs",
      });
      expect(loadConfig({}).blobStore).toMatchObject({ kind: "fs" });
      expect(loadConfig({}).blobStore.kind === "fs" && loadConfig({}).blobStore).toMatchObject({
        dir: expect.stringMatching(/data\/pglite\/blobs$/),
      });
    });

    it("reads an S3 bucket's settings", () => {
      expect(
        loadConfig({
          BLOB_STORE: "s3",
          S3_ENDPOINT: "https://s3.example.invalid/",
          S3_REGION: "mx-central-1",
          S3_BUCKET: "buzon-documentos",
          S3_PREFIX: "produccion/",
          S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
          S3_SECRET_ACCESS_KEY_FILE: "/etc/buzon/s3-secret",
          S3_FORCE_PATH_STYLE: "true",
        }).blobStore,
      ).toEqual({
        kind: "s3",
        endpoint: "https://s3.example.invalid",
        region: "mx-central-1",
        bucket: "buzon-documentos",
        prefix: "produccion/",
        accessKeyId: "AKIAEXAMPLE",
        secretAccessKey: undefined,
        secretAccessKeyFile: "/etc/buzon/s3-secret",
        forcePathStyle: true,
      });
      // AWS itself, its credentials from the environment or the instance's role.
      expect(loadConfig({ BLOB_STORE: "s3", S3_BUCKET: "buzon" }).blobStore).toMatchObject({
        endpoint: undefined,
        region: "us-east-1",
        prefix: "blobs/",
        accessKeyId: undefined,
        forcePathStyle: false,
      });
    });

    it("refuses bad combinations, in Spanish, without echoing the secret", () => {
      const message = refusal({
        BLOB_STORE: "s3",
        S3_ENDPOINT: "https://usuario:clave@s3.example.invalid",
        S3_PREFIX: "/abs",
        S3_SECRET_ACCESS_KEY: "no-debe-aparecer",
        S3_SECRET_ACCESS_KEY_FILE: "/etc/buzon/s3-secret",
        S3_FORCE_PATH_STYLE: "si",
      });
      expect(message).toContain("BLOB_STORE=s3 requiere S3_BUCKET");
      expect(message).toContain(
        "S3_ENDPOINT debe ser una URL http:// o https:// sin ruta ni credenciales",
      );
      expect(message).toContain("S3_PREFIX debe ser vacío o terminar en «/»");
      expect(message).toContain(
        "S3_SECRET_ACCESS_KEY y S3_SECRET_ACCESS_KEY_FILE no se configuran juntos",
      );
      expect(message).toContain("S3_ACCESS_KEY_ID y S3_SECRET_ACCESS_KEY");
      expect(message).toContain("S3_FORCE_PATH_STYLE debe ser uno de: true, false");
      expect(message).not.toContain("no-debe-aparecer");
      expect(refusal({ BLOB_STORE: "s3", S3_BUCKET: "Mayusculas_no" })).toContain(
        "S3_BUCKET debe ser un nombre de cubeta S3",
      );
      expect(refusal({ BLOB_STORE: "nube" })).toContain("BLOB_STORE debe ser uno de: fs, s3");
      // S3 settings while documents would go to files: the operator is told, not ignored.
      expect(refusal({ S3_BUCKET: "buzon", S3_SECRET_ACCESS_KEY: "x" })).toContain(
        "S3_BUCKET, S3_SECRET_ACCESS_KEY solo se usan con BLOB_STORE=s3",
      );
      expect(
        refusal({ BLOB_STORE: "s3", S3_BUCKET: "buzon", S3_ACCESS_KEY_ID: "AKIAEXAMPLE" }),
      ).toContain("se configuran juntos, o ninguno");
      expect(
        refusal({
          BUZON_ENV: "production",
          BLOB_STORE: "s3",
          S3_BUCKET: "buzon",
          S3_ENDPOINT: "http://minio.interno:9000",
        }),
      ).toContain("en producción S3_ENDPOINT debe ser https://");
    });
  });
});
