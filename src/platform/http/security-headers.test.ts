import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSystem, ensureWebBuilt, type TestSystem } from "../../testing/server.ts";

/** The CSP directives of an answer, by name. */
function cspOf(header: unknown): Map<string, string> {
  expect(typeof header).toBe("string");
  return new Map(
    String(header)
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = "", ...values] = d.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
}

describe("security headers", () => {
  let plain: TestSystem;
  let https: TestSystem;
  beforeAll(async () => {
    await ensureWebBuilt();
    plain = await createTestSystem();
    https = await createTestSystem({ env: { PUBLIC_URL: "https://buzon.example.mx" } });
  });
  afterAll(async () => {
    await plain?.app.close();
    await https?.app.close();
  });

  // The site, the API (an answer and a refusal) and the API docs (page and assets).
  const urls = [
    { url: "/", accept: "text/html" },
    { url: "/verificacion", accept: "text/html" },
    { url: "/api/v1/plazos/notificacion?aviso=2025-03-03T10:00:00-06:00", accept: "*/*" },
    { url: "/api/v1/no-existe", accept: "application/json" },
    { url: "/api/docs", accept: "text/html" },
    { url: "/api/docs/static/index.html", accept: "text/html" },
    { url: "/api/docs/json", accept: "application/json" },
  ];

  it.each(urls)(
    "sends a strict self-only CSP and forbids framing on $url",
    async ({ url, accept }) => {
      const response = await plain.app.inject({ url, headers: { accept } });
      const csp = cspOf(response.headers["content-security-policy"]);
      expect(csp.get("default-src")).toBe("'self'");
      expect(csp.get("script-src")).toBe("'self'");
      // Swagger UI styles its elements inline as it renders; only its pages allow that.
      expect(csp.get("style-src")).toBe(
        url.startsWith("/api/docs") ? "'self' 'unsafe-inline'" : "'self'",
      );
      expect(csp.get("object-src")).toBe("'none'");
      expect(csp.get("frame-ancestors")).toBe("'none'");
      // No source anywhere names another site or allows inline code.
      for (const [name, value] of csp) {
        expect(value).not.toMatch(/https?:|\*/);
        if (name !== "style-src") expect(value).not.toMatch(/unsafe/);
      }
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      // Over plain http there is nothing to upgrade to, and no HSTS to pin.
      expect(csp.has("upgrade-insecure-requests")).toBe(false);
      expect(response.headers["strict-transport-security"]).toBeUndefined();
    },
  );

  it.each(urls)(
    "pins https (HSTS) when the public address is https: $url",
    async ({ url, accept }) => {
      const response = await https.app.inject({ url, headers: { accept } });
      expect(response.headers["strict-transport-security"]).toBe(
        "max-age=31536000; includeSubDomains",
      );
      expect(
        cspOf(response.headers["content-security-policy"]).has("upgrade-insecure-requests"),
      ).toBe(true);
    },
  );

  it("serves pages whose only scripts and styles are files of the site", async () => {
    const page = await plain.app.inject({ url: "/", headers: { accept: "text/html" } });
    expect(page.statusCode).toBe(200);
    // An inline <script> or style attribute would be refused by the CSP above.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\sstyle=/);
    const docs = await plain.app.inject({ url: "/api/docs/static/index.html" });
    expect(docs.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
