import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSystem } from "../../system.ts";
import { createTestDatabase } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem, TEST_CALENDAR } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
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

describe("the mailbox's rate limit", () => {
  let system: Awaited<ReturnType<typeof createTestSystem>>;
  let person: SignedIn;
  beforeAll(async () => {
    system = await createTestSystem({ trustDevCa: true, env: { MAILBOX_RATE_LIMIT: "3" } });
    person = await signInWith(system.app, await issueTestEfirma());
  });
  afterAll(async () => {
    await system?.app.close();
  });

  it("gives a signed-in person's mailbox changes and the Terms one budget per address", async () => {
    const send = (method: "GET" | "POST" | "DELETE", url: string, from = "10.7.2.1") =>
      system.app.inject({
        method,
        url,
        ...(method === "POST" ? { payload: { kind: "correo", value: "a@example.com" } } : {}),
        cookies: { buzon_sesion: person.cookie },
        headers: method === "GET" ? {} : { "x-csrf-token": person.csrf },
        remoteAddress: from,
      });
    const unknown = "/api/v1/buzon/medios/00000000-0000-4000-8000-000000000000";
    // Three changes of three kinds (whatever each answers) spend the budget of three...
    for (const [method, url] of [
      ["GET", "/api/v1/buzon/terminos"],
      ["POST", "/api/v1/buzon/medios"],
      ["DELETE", unknown],
    ] as const) {
      expect((await send(method, url)).statusCode, `${method} ${url}`).not.toBe(429);
    }
    // ...and the next, of any kind, waits: a problem in Spanish.
    for (const [method, url] of [
      ["POST", "/api/v1/buzon/aclaraciones"],
      ["POST", `${unknown}/validacion`],
      ["POST", `${unknown}/reenvio`],
      ["POST", "/api/v1/buzon/terminos"],
    ] as const) {
      const late = await send(method, url);
      expect(late.statusCode, `${method} ${url}`).toBe(429);
      expect(late.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(late.json()).toMatchObject({ status: 429, code: "rate_limited" });
      expect(late.json().detail).toMatch(/^Demasiados intentos\. Espera \d+ segundos/);
    }
    // Reading the mailbox is not a change; another address has its own budget.
    expect((await send("GET", "/api/v1/buzon")).statusCode).toBe(200);
    expect((await send("DELETE", unknown, "10.7.2.2")).statusCode).toBe(404);
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl)
  console.log("SKIP: límites compartidos en PostgreSQL (TEST_DATABASE_URL no está definida)");

describe.skipIf(!baseUrl)("rate limits shared across processes on PostgreSQL", () => {
  it("counts two servers on one database against one budget", async () => {
    const database = await createTestDatabase("postgres");
    // Two servers, each with its own pool, as the serving role (the counters are its rows).
    const server = async () =>
      buildSystem({
        config: loadConfig({
          BUZON_ENV: "test",
          LOG_LEVEL: "silent",
          DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-limites-")),
          CHECKPOINT_INTERVAL_SECONDS: "0",
          ...database.env,
          SIGNIN_RATE_LIMIT: "4",
        }),
        database: openDatabase({ engine: "postgres", url: database.url as string, poolSize: 2 }),
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
      await database.dispose();
    }
  });
});
