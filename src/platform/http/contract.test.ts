import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevSinks, startDevSinks } from "../../features/delivery/dev-sinks.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { fixedClock } from "../clock.ts";
import { PACKAGE_ROOT } from "../config.ts";
import { createDemoClock } from "../demo-clock.ts";
import { registeredRoutes } from "./app.ts";

/**
 * The published contract: every /api/v1 route the server registers is in the OpenAPI document
 * and in docs/api.md, and publishes a request and response schema with no open objects.
 */

/** `/api/v1/acuses/:folio/pdf` → `/api/v1/acuses/{folio}/pdf`, as OpenAPI and the docs write it. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)\??/g, "{$1}");
}

/** Paths of schemas (or sub-schemas) that let anything through. */
function openObjects(schema: unknown, at = ""): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const found: string[] = [];
  const record = schema as Record<string, unknown>;
  if (record.additionalProperties === true) found.push(at || "/");
  for (const [key, value] of Object.entries(record)) {
    found.push(...openObjects(value, `${at}/${key}`));
  }
  return found;
}

/**
 * Routes that take a method with a body but read none, and why. Anything else that is POST, PUT
 * or PATCH must publish its body schema.
 */
const BODYLESS: Record<string, string> = {
  "POST /api/v1/buzon/medios/:id/reenvio":
    "una orden sin datos: el medio va en la dirección y el código nuevo lo genera el servidor",
  "POST /api/v1/notificaciones/:id/apertura/desafio":
    "una orden sin datos: el acto va en la dirección y el desafío lo genera el servidor",
  "POST /api/v1/comunicados/:id/leido":
    "una orden sin datos: el comunicado va en la dirección y el instante lo pone el servidor",
};

describe("the API contract", () => {
  let system: TestSystem;
  let sinks: DevSinks;
  let stateDir: string;
  let routes: { method: string; url: string; schema: Record<string, unknown> | undefined }[];
  beforeAll(async () => {
    // Every optional route on (ACUSE_TEST_ROUTE, the demo's /dev routes), so none escapes.
    sinks = await startDevSinks();
    stateDir = mkdtempSync(join(tmpdir(), "buzon-contrato-"));
    system = await createTestSystem({
      env: { ACUSE_TEST_ROUTE: "true", SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
      demo: {
        sinks,
        clock: createDemoClock(
          join(stateDir, "reloj-demo.json"),
          fixedClock("2026-03-02T16:00:00Z"),
        ),
      },
    });
    await system.app.ready();
    routes = registeredRoutes(system.app).filter(
      (r) => r.url.startsWith("/api/v1/") && r.method !== "HEAD",
    );
  });
  afterAll(async () => {
    await system.app.close();
    await sinks.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("finds the routes of every feature", () => {
    const urls = new Set(routes.map((r) => r.url));
    for (const url of [
      "/api/v1/plazos/notificacion",
      "/api/v1/calendario/:year",
      "/api/v1/auth/sesion",
      "/api/v1/personal/:rfc",
      "/api/v1/auditoria/accesos",
      "/api/v1/log/checkpoint",
      "/api/v1/verificacion/pdf",
      "/api/v1/pruebas/acuses",
      "/api/v1/dev/reloj",
      "/api/v1/demo/reloj",
    ]) {
      expect(urls).toContain(url);
    }
  });

  it("publishes every route in the OpenAPI document", async () => {
    const doc = (await system.app.inject({ url: "/api/docs/json" })).json();
    const missing = routes
      .filter((r) => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it("documents every route in docs/api.md", () => {
    const guide = readFileSync(join(PACKAGE_ROOT, "docs/api.md"), "utf8");
    const missing = routes
      .map((r) => `${r.method} ${openApiPath(r.url)}`)
      .filter((line) => {
        const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        return !new RegExp(`\`${escaped}[\`?]`).test(guide);
      });
    expect(missing).toEqual([]);
  });

  it("gives every route a success answer, problem answers and closed objects", () => {
    const problems: string[] = [];
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const response = (route.schema?.response ?? {}) as Record<string, unknown>;
      const statuses = Object.keys(response);
      if (!statuses.some((s) => s.startsWith("2"))) problems.push(`${name}: sin respuesta 2xx`);
      if (!statuses.includes("500")) problems.push(`${name}: sin respuesta 500 (problem+json)`);
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const schema = response[status] as { $ref?: string };
        if (schema.$ref !== "Problem") problems.push(`${name}: ${status} no es un Problem`);
      }
      for (const at of openObjects(route.schema)) problems.push(`${name}: objeto abierto en ${at}`);
    }
    expect(problems).toEqual([]);
  });

  it("publishes the request: a body for every POST, PUT and PATCH, params for every :param", () => {
    const problems: string[] = [];
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const takesBody = ["POST", "PUT", "PATCH"].includes(route.method);
      if (takesBody && route.schema?.body === undefined && BODYLESS[name] === undefined) {
        problems.push(`${name}: sin esquema del cuerpo`);
      }
      if (BODYLESS[name] !== undefined && route.schema?.body !== undefined) {
        problems.push(`${name}: declarado sin cuerpo pero publica uno`);
      }
      if (route.url.includes("/:") && route.schema?.params === undefined) {
        problems.push(`${name}: sin esquema de parámetros`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("publishes raw uploads as binary strings of their media type", async () => {
    const doc = (await system.app.inject({ url: "/api/docs/json" })).json();
    const bodyOf = (path: string) => doc.paths[path].post.requestBody.content;
    expect(bodyOf("/api/v1/verificacion/pdf")["application/pdf"].schema).toMatchObject({
      type: "string",
      format: "binary",
    });
    expect(bodyOf("/api/v1/padron/importaciones")["text/csv"].schema).toMatchObject({
      type: "string",
      format: "binary",
    });
  });
});
