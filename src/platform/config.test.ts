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
      BUZON_ENV: "production",
      LOG_LEVEL: "warn",
    });
    expect(config).toMatchObject({
      port: 9000,
      databaseUrl: "postgres://u@h/db",
      env: "production",
      logLevel: "warn",
    });
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
    expect(message).toContain("BUZON_ADMIN_TOKEN debe tener al menos 24 caracteres");
  });
});
