import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock.ts";
import { createDemoClock } from "../../platform/demo-clock.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
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
    expect(before.json()).toEqual({ now: "2026-03-02T16:00:00Z", moved: false, offsetSeconds: 0 });
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
      now: "2026-03-05T16:00:00Z",
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
    expect(back.json().detail).toContain("solo avanza");

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
    expect(await notice()).toEqual({ moved: true, now: "2026-12-01T12:00:00Z" });
    // Read-only: nothing but GET.
    const post = await system.app.inject({
      method: "POST",
      url: "/api/v1/demo/reloj",
      payload: { at: "2027-01-01T00:00:00Z" },
    });
    expect(post.statusCode).toBe(404);
  });
});
