import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { buildSystem } from "../../system.ts";
import { createTestSystem, TEST_CALENDAR } from "../../testing/server.ts";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";

type Injectable = { app: { inject: (o: object) => Promise<{ statusCode: number }> } };

const challenge = (system: Injectable, remoteAddress: string) =>
  system.app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc: "EKU9003173C9" },
    remoteAddress,
  });

describe("rate limits", () => {
  it("gives the whole sign-in one budget: challenges and attempts count together", async () => {
    const system = await createTestSystem({ env: { SIGNIN_RATE_LIMIT: "3" } });
    try {
      expect((await challenge(system, "10.7.0.1")).statusCode).toBe(201);
      expect((await challenge(system, "10.7.0.1")).statusCode).toBe(201);
      const attempt = await system.app.inject({
        method: "POST",
        url: "/api/v1/auth/sesion",
        payload: {},
        remoteAddress: "10.7.0.1",
      });
      expect(attempt.statusCode).toBe(400);
      // Two challenges and one attempt spent the three: the next of either kind waits.
      expect((await challenge(system, "10.7.0.1")).statusCode).toBe(429);
      const late = await system.app.inject({
        method: "POST",
        url: "/api/v1/auth/sesion",
        payload: {},
        remoteAddress: "10.7.0.1",
      });
      expect(late.statusCode).toBe(429);
      expect((await challenge(system, "10.7.0.2")).statusCode).toBe(201);
    } finally {
      await system.app.close();
    }
  });

  it("limits the public log, plazos and calendar routes, each family with one budget", async () => {
    const system = await createTestSystem({ env: { PUBLIC_RATE_LIMIT: "2" } });
    try {
      const get = (url: string) => system.app.inject({ url, remoteAddress: "10.7.1.1" });
      expect(
        (await get("/api/v1/plazos/validacion?registrado=2025-03-03T10:00:00-06:00")).statusCode,
      ).toBe(200);
      expect((await get("/api/v1/plazos/habilitacion")).statusCode).toBe(200);
      const third = await get("/api/v1/plazos/notificacion?aviso=2025-03-03T10:00:00-06:00");
      expect(third.statusCode).toBe(429);
      expect(third.json().detail).toMatch(/^Demasiados intentos\. Espera \d+ segundos/);
      expect((await get("/api/v1/log/verificador")).statusCode).toBe(200);
      expect((await get("/api/v1/log/checkpoint")).statusCode).toBe(200);
      expect((await get("/api/v1/log/consistencia?desde=0&hasta=0")).statusCode).toBe(429);
      expect((await get("/api/v1/calendario/2025")).statusCode).toBe(200);
      expect((await get("/api/v1/calendario/versiones")).statusCode).toBe(200);
      const calendar = await get("/api/v1/calendario/versiones/test-1");
      expect(calendar.statusCode).toBe(429);
      expect(calendar.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(calendar.json()).toMatchObject({ status: 429, code: "rate_limited" });
      // Another address has its own budget.
      const other = await system.app.inject({
        url: "/api/v1/calendario/2025",
        remoteAddress: "10.7.1.2",
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await system.app.close();
    }
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl)
  console.log("SKIP: límites compartidos en PostgreSQL (TEST_DATABASE_URL no está definida)");

describe.skipIf(!baseUrl)("rate limits shared across processes on PostgreSQL", () => {
  it("counts two servers on one database against one budget", async () => {
    const name = `buzon_limites_${randomBytes(4).toString("hex")}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`create database ${name}`);
    const url = new URL(baseUrl ?? "");
    url.pathname = `/${name}`;
    const server = async () =>
      buildSystem({
        config: loadConfig({
          BUZON_ENV: "test",
          LOG_LEVEL: "silent",
          DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-limites-")),
          CHECKPOINT_INTERVAL_SECONDS: "0",
          DATABASE_URL: url.toString(),
          SIGNIN_RATE_LIMIT: "4",
        }),
        database: openDatabase({ engine: "postgres", url: url.toString(), poolSize: 2 }),
        initialCalendar: TEST_CALENDAR,
        trustAnchors: [],
      });
    const first = await server();
    const second = await server();
    try {
      for (const system of [first, second, first, second]) {
        expect((await challenge(system, "10.7.2.1")).statusCode).toBe(201);
      }
      // Each server saw only two, but the budget of four is spent for both.
      expect((await challenge(first, "10.7.2.1")).statusCode).toBe(429);
      expect((await challenge(second, "10.7.2.1")).statusCode).toBe(429);
      expect((await challenge(second, "10.7.2.2")).statusCode).toBe(201);
    } finally {
      await first.app.close();
      await second.app.close();
      await admin(`drop database if exists ${name} with (force)`);
    }
  });
});
