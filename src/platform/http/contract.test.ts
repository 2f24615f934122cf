import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { PACKAGE_ROOT } from "../config.ts";
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

describe("the API contract", () => {
  let system: TestSystem;
  let routes: { method: string; url: string; schema: Record<string, unknown> | undefined }[];
  beforeAll(async () => {
    system = await createTestSystem();
    await system.app.ready();
    routes = registeredRoutes(system.app).filter(
      (r) => r.url.startsWith("/api/v1/") && r.method !== "HEAD",
    );
  });
  afterAll(async () => {
    await system.app.close();
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
});
