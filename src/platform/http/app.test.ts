import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createTestSystem } from "../../testing/server.ts";
import { createHttpApp } from "./app.ts";

describe("HTTP platform", () => {
  it("reports health and readiness, and unreadiness when the database is gone", async () => {
    const system = await createTestSystem();
    const { app } = system;
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ url: "/readyz" })).json()).toEqual({
      status: "ready",
      blobs: "fs",
    });
    await app.close();
  });

  it("starts without a word on stderr: no Ajv strict-mode warning for the raw uploads", async () => {
    // Ajv prints through the console; the process's own stream catches anything else.
    const console_ = [
      vi.spyOn(console, "warn"),
      vi.spyOn(console, "error"),
      vi.spyOn(console, "log"),
    ];
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      const system = await createTestSystem();
      // A raw upload is validated (by the annotation alone) and reaches the route.
      const upload = await system.app.inject({
        method: "POST",
        url: "/api/v1/verificacion/pdf",
        headers: { "content-type": "application/pdf" },
        payload: Buffer.from("no es un PDF"),
      });
      expect(upload.statusCode).toBe(400);
      expect(upload.json().code).toBe("not_pdf");
      await system.app.close();
      for (const spy of console_) expect(spy.mock.calls).toEqual([]);
      expect(stderr.mock.calls).toEqual([]);
    } finally {
      for (const spy of [...console_, stderr]) spy.mockRestore();
    }
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
    // A lote followed with Accept: application/x-ndjson answers 200 lines; without it, the 207.
    for (const [path, counts] of [
      ["/api/v1/notificaciones/lote", "deposited"],
      ["/api/v1/staff/documentos/lote", "published"],
    ] as const) {
      const responses = doc.paths[path].post.responses;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["200", "207"]));
      expect(Object.keys(responses["200"].content)).toEqual(["application/x-ndjson"]);
      const lines = responses["200"].content["application/x-ndjson"].schema.anyOf;
      expect(lines.map((l: { required: string[] }) => l.required)).toEqual([
        ["progreso"],
        ["resultado"],
        ["error"],
      ]);
      expect(Object.keys(lines[0].properties.progreso.properties)).toContain(counts);
      expect(Object.keys(responses["207"].content)).toEqual(["application/json"]);
    }
    expect((await system.app.inject({ url: "/api/docs" })).statusCode).toBeLessThan(400);
    await system.app.close();
  });

  it("answers unknown API paths with problem+json, and any other path with the page (404 when unknown)", async () => {
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
    // Link previews and QR apps ask without text/html: the page all the same.
    for (const accept of [undefined, "*/*", "application/json"]) {
      const qr = await app.inject({
        url: "/verificacion/BI-20250203-100717151?codigo=abc",
        ...(accept ? { headers: { accept } } : {}),
      });
      expect(qr.statusCode).toBe(200);
      expect(qr.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(qr.body).toContain("Buzón IMSS");
    }
    for (const url of [
      "/",
      "/dias-inhabiles/2025",
      "/verificacion",
      "/buzon/sesiones",
      "/acceso/",
    ]) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
    // A page the app does not have: 404, with the app (which says «Página no encontrada»).
    for (const url of ["/no-existe", "/buzon/otra", "/dias-inhabiles/2025/extra"]) {
      const unknown = await app.inject({ url });
      expect(unknown.statusCode, url).toBe(404);
      expect(unknown.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(unknown.body).toContain("Buzón IMSS");
    }
    const head = await app.inject({ method: "HEAD", url: "/calculadora" });
    expect(head.statusCode).toBe(200);
    const post = await app.inject({ method: "POST", url: "/calculadora" });
    expect(post.statusCode).toBe(404);
    expect(post.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const apiHtml = await app.inject({ url: "/api/v1/nada", headers: { accept: "text/html" } });
    expect(apiHtml.statusCode).toBe(404);
    expect(apiHtml.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const badUrl = await app.inject({ url: "/%" });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(badUrl.json().detail).toBe("La dirección solicitada no es válida.");
    const asset = await app.inject({ url: "/assets/falta.js" });
    expect(asset.statusCode).toBe(404);
    await app.close();
  });
});
