import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestSystem } from "../../testing/server.ts";
import { createHttpApp } from "./app.ts";

describe("HTTP platform", () => {
  it("reports health and readiness, and unreadiness when the database is gone", async () => {
    const system = await createTestSystem();
    const { app } = system;
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ url: "/readyz" })).json()).toEqual({ status: "ready" });
    await app.close();
  });

  it("answers 503 problem+json on /readyz when the readiness check fails", async () => {
    const app = await createHttpApp({
      logger: false,
      version: "test",
      ready: async () => {
        throw new Error("connection refused");
      },
    });
    const response = await app.inject({ url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      code: "unavailable",
      detail: "La base de datos no responde.",
    });
    await app.close();
  });

  it("keeps a caller's request id and makes one otherwise", async () => {
    const system = await createTestSystem();
    const given = await system.app.inject({
      url: "/healthz",
      headers: { "x-request-id": "soporte-12345678" },
    });
    expect(given.headers["x-request-id"]).toBe("soporte-12345678");
    const bogus = await system.app.inject({
      url: "/healthz",
      headers: { "x-request-id": "<script>" },
    });
    expect(bogus.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    await system.app.close();
  });

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const system = await createTestSystem();
    const doc = (await system.app.inject({ url: "/api/docs/json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/plazos/notificacion",
        "/api/v1/plazos/promocion",
        "/api/v1/plazos/emision",
        "/api/v1/plazos/validacion",
        "/api/v1/calendario/{year}",
      ]),
    );
    const params = doc.paths["/api/v1/plazos/notificacion"].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(expect.arrayContaining(["aviso", "abierto", "version"]));
    expect((await system.app.inject({ url: "/api/docs" })).statusCode).toBeLessThan(400);
    await system.app.close();
  });

  it("answers unknown API paths with problem+json and page paths with the web app", async () => {
    const webDir = mkdtempSync(join(tmpdir(), "buzon-web-"));
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Buzón IMSS</title>");
    const app = await createHttpApp({
      logger: false,
      version: "test",
      webDir,
      ready: async () => {},
    });
    const api = await app.inject({ url: "/api/v1/nada" });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({
      code: "not_found",
      detail: "No existe el recurso /api/v1/nada.",
    });
    const page = await app.inject({ url: "/calculadora", headers: { accept: "text/html" } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Buzón IMSS");
    const badUrl = await app.inject({ url: "/%" });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(badUrl.json().detail).toBe("La dirección solicitada no es válida.");
    const asset = await app.inject({ url: "/assets/falta.js" });
    expect(asset.statusCode).toBe(404);
    await app.close();
  });
});
