import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import { fixedClock } from "../../platform/clock.ts";
import { createDemoClock } from "../../platform/demo-clock.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem, TEST_ADMIN_RFC, type TestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { type DevSinks, startDevSinks } from "./dev-sinks.ts";
import { enqueue } from "./outbox.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function clockFile() {
  const dir = mkdtempSync(join(tmpdir(), "buzon-reloj-"));
  dirs.push(dir);
  return join(dir, "reloj-demo.json");
}

describe("demo routes without --demo", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await createTestSystem({ adminToken: true });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("do not exist (404), even for an administrator", async () => {
    const auth = { authorization: `Bearer ${system.adminToken}` };
    for (const [method, url] of [
      ["GET", "/api/v1/dev/mensajes?para=a@example.com"],
      ["GET", "/api/v1/dev/reloj"],
      ["POST", "/api/v1/dev/reloj"],
      ["GET", "/api/v1/demo/reloj"],
    ] as const) {
      const response = await system.app.inject({
        method,
        url,
        headers: auth,
        ...(method === "POST" ? { payload: { at: "2030-01-01T00:00:00Z" } } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it("list failed deliveries to administrators only", async () => {
    expect((await system.app.inject({ url: "/api/v1/entregas" })).statusCode).toBe(401);
    const response = await system.app.inject({
      url: "/api/v1/entregas?estado=fallida",
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ entregas: [] });
  });
});

describe("demo routes with --demo", () => {
  let system: TestSystem;
  let sinks: DevSinks;
  const file = clockFile();
  const base = fixedClock("2026-03-02T16:00:00Z");
  beforeAll(async () => {
    sinks = await startDevSinks();
    system = await createTestSystem({
      adminToken: true,
      demo: { sinks, clock: createDemoClock(file, base) },
      env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
    });
  });
  afterAll(async () => {
    await system.app.close();
    await sinks.close();
  });
  const auth = () => ({ authorization: `Bearer ${system.adminToken}` });

  it("show what the loopback SMTP server received, by address", async () => {
    const transport = nodemailer.createTransport(sinks.smtpUrl);
    await transport.sendMail({
      from: "avisos@buzon.example",
      to: "Persona@Example.com",
      subject: "Valida tu correo",
      text: "Tu código es 123456",
    });
    transport.close();
    expect(
      (await system.app.inject({ url: "/api/v1/dev/mensajes?para=persona@example.com" }))
        .statusCode,
    ).toBe(401);
    const response = await system.app.inject({
      url: "/api/v1/dev/mensajes?para=persona@example.com",
      headers: auth(),
    });
    expect(response.statusCode).toBe(200);
    const [message, ...rest] = response.json();
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      channel: "correo",
      to: "persona@example.com",
      subject: "Valida tu correo",
    });
    expect(message.text).toContain("123456");
    expect(Object.keys(message).sort()).toEqual(["channel", "sentAt", "subject", "text", "to"]);
  });

  it("move the clock forward only, run the due jobs before answering, and keep it on restart", async () => {
    const before = await system.app.inject({ url: "/api/v1/dev/reloj", headers: auth() });
    // Zona Centro with its offset, as every other route writes an instant.
    expect(before.json()).toEqual({
      now: "2026-03-02T10:00:00-06:00",
      moved: false,
      offsetSeconds: 0,
    });
    // A message the worker can only fail (no such template): after the move it is already failed.
    await enqueue(system.database.db, {
      key: "prueba:reloj",
      channel: "correo",
      to: "persona@example.com",
      template: "no-existe",
      data: {},
    });
    const moved = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      headers: auth(),
      payload: { at: "2026-03-05T10:00:00-06:00" },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({
      now: "2026-03-05T10:00:00-06:00",
      moved: true,
      offsetSeconds: 259200,
    });
    const failed = await system.app.inject({ url: "/api/v1/entregas", headers: auth() });
    expect(failed.json().entregas).toMatchObject([{ key: "prueba:reloj", status: "fallida" }]);

    const back = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      headers: auth(),
      payload: { at: "2026-03-04T00:00:00Z" },
    });
    expect(back.statusCode).toBe(400);
    expect(back.headers["content-type"]).toContain("application/problem+json");
    expect(back.json().detail).toBe(
      "El reloj de demostración solo avanza: 2026-03-03T18:00:00-06:00 es anterior a la hora actual del sistema (2026-03-05T10:00:00-06:00).",
    );
    // Before the years the system computes: the answer names the instant that was sent.
    const old = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      headers: auth(),
      payload: { at: "2020-01-01T00:00:00Z" },
    });
    expect(old.statusCode).toBe(400);
    expect(old.json().detail).toBe(
      "«2020-01-01T00:00:00Z» (at) cae en el año 2019 en Zona Centro, fuera del intervalo que el sistema calcula (2024–2200).",
    );

    const anonymous = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      payload: { at: "2027-01-01T00:00:00Z" },
    });
    expect(anonymous.statusCode).toBe(401);
    // A restart reads the offset back: time does not go back.
    expect(createDemoClock(file, base).clock().toString()).toBe("2026-03-05T16:00:00Z");
  });

  it("show the clock's offset to administrators only, and anyone just whether it runs ahead", async () => {
    const notice = async () => {
      const response = await system.app.inject({ url: "/api/v1/demo/reloj" });
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const anonymous = await system.app.inject({ url: "/api/v1/dev/reloj" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["content-type"]).toContain("application/problem+json");
    const at = (await system.app.inject({ url: "/api/v1/dev/reloj", headers: auth() })).json();
    // Exactly these two fields: the offset is the administrator's to know.
    expect(await notice()).toEqual({ moved: at.moved, now: at.now });
    const moved = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      headers: auth(),
      payload: { at: "2026-12-01T12:00:00Z" },
    });
    expect(moved.statusCode).toBe(200);
    expect(await notice()).toEqual({ moved: true, now: "2026-12-01T06:00:00-06:00" });
    // Read-only: nothing but GET.
    const post = await system.app.inject({
      method: "POST",
      url: "/api/v1/demo/reloj",
      payload: { at: "2027-01-01T00:00:00Z" },
    });
    expect(post.statusCode).toBe(404);
  });
});

describe.each(ENGINES)(
  "the demo clock on %s moves legal time, not security lifetimes",
  (engine) => {
    // The test CA's certificates are valid from a day before the real present.
    const START = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });
    // The real clock under the demo clock, moved by the test only.
    let real = START;
    const demoClock = createDemoClock(clockFile(), () => real);
    let system: TestSystem;
    let sinks: DevSinks;
    let admin: SignedIn;
    beforeAll(async () => {
      sinks = await startDevSinks();
      system = await createTestSystem({
        engine,
        trustDevCa: true,
        adminToken: true,
        demo: { sinks, clock: demoClock },
        env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
      });
      admin = await signInWith(
        system.app,
        await issueTestEfirma({
          rfc: TEST_ADMIN_RFC,
          name: "XOCHILT CASAS CHAVEZ",
          curp: "CACX760510MGTSHC04",
          representativeRfc: undefined,
          representativeCurp: undefined,
        }),
      );
    });
    afterAll(async () => {
      await system?.app.close();
      await sinks?.close();
    });
    const bySession = (method: "GET" | "POST", url: string, payload?: object) =>
      system.app.inject({
        method,
        url,
        ...(payload ? { payload } : {}),
        cookies: { buzon_sesion: admin.cookie },
        headers: method === "GET" ? {} : { "x-csrf-token": admin.csrf },
      });
    const byToken = (method: "GET" | "POST", url: string, payload?: object) =>
      system.app.inject({
        method,
        url,
        ...(payload ? { payload } : {}),
        headers: { authorization: `Bearer ${system.adminToken}` },
      });

    it("keeps the administrator's session and API token after moving the demo clock 72 hours", async () => {
      // The session, past its 30 idle minutes on the demo clock: it moves the clock 2 hours.
      const twoHours = await bySession("POST", "/api/v1/dev/reloj", {
        at: START.add({ hours: 2 }).toString(),
      });
      expect(twoHours.statusCode).toBe(200);
      // The token (30 days) moves it 71 hours more, then 40 days more: it still answers.
      const moved = await byToken("POST", "/api/v1/dev/reloj", {
        at: START.add({ hours: 73 }).toString(),
      });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ moved: true, offsetSeconds: 73 * 3600 });
      const later = await byToken("POST", "/api/v1/dev/reloj", {
        at: START.add({ hours: 73 + 40 * 24 }).toString(),
      });
      expect(later.statusCode).toBe(200);
      const read = await byToken("GET", "/api/v1/dev/reloj");
      expect(read.statusCode).toBe(200);
      expect(read.json().now).toBe(formatInstant(START.add({ hours: 73 + 40 * 24 })));
      const session = await bySession("GET", "/api/v1/auth/sesion");
      expect(session.json().autenticado).toBe(true);
      // Its lifetimes are on the real clock, which has not moved.
      expect(Date.parse(session.json().idleExpiresAt)).toBe(
        START.add({ minutes: 30 }).epochMilliseconds,
      );
    });

    it("still ends a session after its idle time on the real clock", async () => {
      real = real.add({ minutes: 29 });
      expect((await bySession("GET", "/api/v1/auth/sesion")).json().autenticado).toBe(true);
      real = real.add({ minutes: 31 });
      const ended = await bySession("GET", "/api/v1/auth/sesion");
      expect(ended.json()).toMatchObject({ autenticado: false });
      expect(ended.json().detail).toContain("Tu sesión terminó");
      // The token's 30 days are real days too: gone once they have passed.
      expect((await byToken("GET", "/api/v1/dev/reloj")).statusCode).toBe(200);
      real = real.add({ hours: 31 * 24 });
      expect((await byToken("GET", "/api/v1/dev/reloj")).statusCode).toBe(401);
    });
  },
);
