import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";

describe("POST /api/v1/pruebas/acuses", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await createTestSystem({ env: { ACUSE_TEST_ROUTE: "true" } });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("issues a demonstration acuse that is stored, sealed and in the log when it answers", async () => {
    const answers = await Promise.all(
      ["EKU9003173C9", "cacx7605101p8"].map((rfc) =>
        system.app.inject({ method: "POST", url: "/api/v1/pruebas/acuses", payload: { rfc } }),
      ),
    );
    expect(
      answers.map((a) => a.statusCode),
      answers.map((a) => a.body).join("\n"),
    ).toEqual([201, 201]);
    const issued = answers.map(
      (a) => a.json() as { folio: string; leafIndex: number; verificationCode: string },
    );
    expect(issued.map((a) => a.leafIndex).sort()).toEqual([0, 1]);
    const exported = await system.app.inject({
      url: `/api/v1/acuses/${issued[1]!.folio}/json?codigo=${encodeURIComponent(issued[1]!.verificationCode)}`,
    });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().acuse).toMatchObject({
      kind: "registro_medios_contacto",
      parties: { rfc: "CACX7605101P8", actorRfc: "CACX7605101P8", capacity: "titular" },
      rule: "momento_del_evento",
    });
  });

  it("refuses an invalid RFC with a Spanish problem, and writes nothing", async () => {
    const before = (await system.evidence.latestCheckpoint())?.size;
    const answer = await system.app.inject({
      method: "POST",
      url: "/api/v1/pruebas/acuses",
      payload: { rfc: "XYZ" },
    });
    expect(answer.statusCode).toBeGreaterThanOrEqual(400);
    expect(answer.statusCode).toBeLessThan(500);
    expect(answer.headers["content-type"]).toContain("application/problem+json");
    expect(answer.json().detail).toMatch(/RFC/);
    expect((await system.evidence.latestCheckpoint())?.size).toBe(before);
  });
});

describe("the rate limit of POST /api/v1/pruebas/acuses", () => {
  it("answers 429 problem+json past ACUSE_TEST_RATE_LIMIT per address, and issues nothing more", async () => {
    const system = await createTestSystem({
      env: { ACUSE_TEST_ROUTE: "true", ACUSE_TEST_RATE_LIMIT: "2" },
    });
    try {
      const issue = (remoteAddress: string) =>
        system.app.inject({
          method: "POST",
          url: "/api/v1/pruebas/acuses",
          payload: { rfc: "EKU9003173C9" },
          remoteAddress,
        });
      expect((await issue("10.8.0.1")).statusCode).toBe(201);
      expect((await issue("10.8.0.1")).statusCode).toBe(201);
      const refused = await issue("10.8.0.1");
      expect(refused.statusCode).toBe(429);
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 429, code: "rate_limited" });
      expect(refused.json().detail).toMatch(/^Demasiados intentos\. Espera \d+ segundos/);
      await system.evidence.checkpointOnDemand();
      expect((await system.evidence.latestCheckpoint())?.size).toBe(2);
      // Another address has its own budget.
      expect((await issue("10.8.0.2")).statusCode).toBe(201);
    } finally {
      await system.app.close();
    }
  });
});

describe("without ACUSE_TEST_ROUTE", () => {
  it("has no issuance route", async () => {
    const system = await createTestSystem();
    try {
      const answer = await system.app.inject({
        method: "POST",
        url: "/api/v1/pruebas/acuses",
        payload: { rfc: "EKU9003173C9" },
      });
      expect(answer.statusCode).toBe(404);
    } finally {
      await system.app.close();
    }
  });
});
