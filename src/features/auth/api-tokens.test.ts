import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../platform/crypto/digest.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem, TEST_ADMIN_RFC, type TestSystem } from "../../testing/server.ts";
import { signInWith } from "../../testing/sign-in.ts";

const AUDITOR = "VADA800927DJ3";

describe.each(ENGINES)("staff API tokens on %s", (engine) => {
  let system: TestSystem;
  // The present, to the second: the administrator signs in with an e.firma the test CA issues
  // now, so the fixed clock cannot lie before its validity.
  let now = Temporal.Instant.fromEpochMilliseconds(Math.floor(Date.now() / 1000) * 1000);
  /** The administrator's e.firma session: only it creates tokens and grants roles. */
  let signedIn: { cookies: Record<string, string>; headers: Record<string, string> };
  const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` });
  const call = (
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    token?: string,
    payload?: object,
  ) =>
    system.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  const tokenEvents = async () =>
    (await system.auth.events({ limit: 1000 })).filter((e) => e.event === "token_api");

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      adminToken: true,
      trustDevCa: true,
      clock: () => now,
      env: { API_TOKEN_FAILURE_LIMIT: "1000" },
    });
    await system.staff.set({ rfc: AUDITOR, role: "auditor", name: "AUDITORA" }, "pruebas");
    const efirma = await issueTestEfirma({
      rfc: TEST_ADMIN_RFC,
      name: "XOCHILT CASAS CHAVEZ",
      curp: "CACX760510MGTSHC04",
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    const { cookie, csrf } = await signInWith(system.app, efirma);
    signedIn = { cookies: { buzon_sesion: cookie }, headers: { "x-csrf-token": csrf } };
  });
  afterAll(async () => {
    await system.app.close();
  });

  const create = (payload: object) =>
    system.app.inject({ method: "POST", url: "/api/v1/tokens", payload, ...signedIn });
  const createFor = async (rfc: string, roles: string[], days = 30) => {
    const response = await create({ rfc, name: "automatización de prueba", roles, days });
    expect(response.statusCode).toBe(201);
    return response.json() as { token: string; apiToken: { id: string; expiresAt: string } };
  };

  it("creates a token shown once and stored only as its SHA-256", async () => {
    const created = await createFor(AUDITOR, ["auditor"]);
    expect(created.token).toMatch(/^bzn_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).toMatchObject({
      rfc: AUDITOR,
      roles: ["auditor"],
      createdBy: "sesion:CACX7605101P8",
      revokedAt: null,
      expiresAt: new Date(now.add({ hours: 30 * 24 }).epochMilliseconds).toISOString(),
    });
    const listed = await call("GET", `/api/v1/tokens?rfc=${AUDITOR}`, system.adminToken);
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(created.token);
    expect(listed.json().tokens.map((t: { id: string }) => t.id)).toContain(created.apiToken.id);
    const rows = await system.database.db.selectFrom("api_tokens").selectAll().execute();
    const row = rows.find((r) => r.id === created.apiToken.id);
    expect(Buffer.from(row?.token_hash ?? []).equals(sha256(created.token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(4));
    expect(await tokenEvents()).toContainEqual(
      expect.objectContaining({ outcome: "aceptado", reason: "token_creado", rfc: AUDITOR }),
    );
  });

  it("acts with its holder's role only, and logs every use and every refusal", async () => {
    const { token } = await createFor(AUDITOR, ["auditor"]);
    const read = await call("GET", "/api/v1/auditoria/accesos", token);
    expect(read.statusCode).toBe(200);
    expect(read.headers["cache-control"]).toBe("no-store");
    const change = await call("PUT", `/api/v1/personal/${AUDITOR}`, token, {
      role: "administrador",
    });
    expect(change.statusCode).toBe(403);
    expect((await call("GET", "/api/v1/tokens", token)).statusCode).toBe(403);
    const reasons = (await tokenEvents()).map((e) => `${e.outcome}:${e.reason}`);
    expect(reasons).toContain("aceptado:token_usado");
    expect(reasons).toContain("rechazado:rol_insuficiente:administrador");
  });

  it.each([
    ["a guessable string", `${"a".repeat(24)}`, "token_malformado"],
    ["a well-formed token nobody issued", `bzn_${"A".repeat(43)}`, "token_desconocido"],
  ])("refuses %s with 401 and logs it", async (_name, token, reason) => {
    const response = await call("GET", "/api/v1/personal", token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      code: "unauthorized",
      detail: "El token de API no es válido.",
    });
    expect((await tokenEvents())[0]).toMatchObject({ outcome: "rechazado", reason });
  });

  it("stops a revoked token, an expired one, and one whose holder lost the role", async () => {
    const revoked = await createFor(AUDITOR, ["auditor"]);
    expect(
      (await call("DELETE", `/api/v1/tokens/${revoked.apiToken.id}`, system.adminToken)).statusCode,
    ).toBe(204);
    expect((await call("GET", "/api/v1/personal", revoked.token)).statusCode).toBe(401);
    expect((await tokenEvents())[0]).toMatchObject({ reason: "token_revocado", rfc: AUDITOR });
    expect(
      (await call("DELETE", `/api/v1/tokens/${revoked.apiToken.id}`, system.adminToken)).statusCode,
    ).toBe(404);

    const short = await createFor(AUDITOR, ["auditor"], 1);
    expect((await call("GET", "/api/v1/personal", short.token)).statusCode).toBe(200);
    const start = now;
    now = now.add({ hours: 24 });
    try {
      expect((await call("GET", "/api/v1/personal", short.token)).statusCode).toBe(401);
      expect((await tokenEvents())[0]).toMatchObject({ reason: "token_vencido" });
    } finally {
      now = start;
    }

    const held = await createFor(AUDITOR, ["auditor"]);
    await system.staff.set({ rfc: AUDITOR, role: "operador" }, "pruebas");
    try {
      expect((await call("GET", "/api/v1/personal", held.token)).statusCode).toBe(401);
      expect((await tokenEvents())[0]).toMatchObject({ reason: "titular_sin_rol" });
    } finally {
      await system.staff.set({ rfc: AUDITOR, role: "auditor" }, "pruebas");
    }
  });

  it("refuses tokens for people who are not active staff, roles that do not exist, and long lives", async () => {
    const make = (body: object) => create(body);
    const base = { rfc: AUDITOR, name: "x", roles: ["auditor"], days: 30 };
    expect((await make({ ...base, rfc: "EKU9003173C9" })).statusCode).toBe(404);
    expect((await make({ ...base, roles: ["jefe"] })).statusCode).toBe(400);
    expect((await make({ ...base, days: 366 })).statusCode).toBe(400);
    // Only administrators manage tokens.
    const { token } = await createFor(AUDITOR, ["auditor"]);
    expect((await call("POST", "/api/v1/tokens", token, base)).statusCode).toBe(403);
    expect((await call("GET", "/api/v1/tokens", token)).statusCode).toBe(403);
  });

  it("lets no token, not even an administrator's, create tokens or grant roles", async () => {
    const refusals = async () =>
      (await system.auth.events({ limit: 1000 })).filter((e) => e.reason === "requiere_efirma")
        .length;
    const before = await refusals();
    const base = { rfc: AUDITOR, name: "x", roles: ["auditor"], days: 30 };
    const minted = await call("POST", "/api/v1/tokens", system.adminToken, base);
    expect(minted.statusCode).toBe(403);
    expect(minted.json().detail).toBe(
      "Esta función requiere una sesión iniciada con e.firma; un token de API no basta.",
    );
    const granted = await call("PUT", `/api/v1/personal/${AUDITOR}`, system.adminToken, {
      role: "administrador",
    });
    expect(granted.statusCode).toBe(403);
    expect(
      (await call("DELETE", `/api/v1/personal/${AUDITOR}`, system.adminToken)).statusCode,
    ).toBe(403);
    const staff = await system.staff.list();
    expect(staff.find((s) => s.rfc === AUDITOR)).toMatchObject({ role: "auditor", active: true });
    expect(await refusals()).toBe(before + 3);
    // Reading and revoking stay open to an administrator's token (automation).
    expect((await call("GET", "/api/v1/tokens", system.adminToken)).statusCode).toBe(200);
  });
});

describe("guessing API tokens", () => {
  it("locks an address out after the failure limit, even for a valid token, and logs it", async () => {
    const system = await createTestSystem({
      adminToken: true,
      env: { API_TOKEN_FAILURE_LIMIT: "3" },
    });
    try {
      const attempt = (token: string | undefined) =>
        system.app.inject({
          url: "/api/v1/personal",
          headers: { authorization: `Bearer ${token}` },
          remoteAddress: "10.1.2.3",
        });
      for (let i = 0; i < 3; i++) {
        expect((await attempt(`bzn_${String(i).repeat(43)}`)).statusCode).toBe(401);
      }
      const locked = await attempt(system.adminToken);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().detail).toMatch(
        /^Demasiados intentos con tokens no válidos\. Espera \d+ segundos/,
      );
      // Another address is not held back by this one's guesses.
      const other = await system.app.inject({
        url: "/api/v1/personal",
        headers: { authorization: `Bearer ${system.adminToken}` },
        remoteAddress: "10.1.2.4",
      });
      expect(other.statusCode).toBe(200);
      const events = await system.auth.events({ limit: 20 });
      expect(events).toContainEqual(
        expect.objectContaining({ reason: "token_limite_de_intentos", ip: "10.1.2.3" }),
      );
    } finally {
      await system.app.close();
    }
  });
});

describe("using a valid API token", () => {
  it("answers 429 problem+json past API_TOKEN_RATE_LIMIT uses a minute, per token, and logs it", async () => {
    const system = await createTestSystem({
      adminToken: true,
      env: { API_TOKEN_RATE_LIMIT: "3" },
    });
    try {
      const use = (token: string | undefined, remoteAddress: string) =>
        system.app.inject({
          url: "/api/v1/personal",
          headers: { authorization: `Bearer ${token}` },
          remoteAddress,
        });
      // From several addresses: the limit is the token's, not an address's.
      for (const address of ["10.3.0.1", "10.3.0.2", "10.3.0.3"]) {
        expect((await use(system.adminToken, address)).statusCode).toBe(200);
      }
      const refused = await use(system.adminToken, "10.3.0.4");
      expect(refused.statusCode).toBe(429);
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 429, code: "rate_limited" });
      expect(refused.json().detail).toMatch(
        /^Este token de API hizo demasiadas solicitudes\. Espera \d+ segundos/,
      );
      // Another token of the same person has its own budget.
      const { token: other } = await system.tokens.create(
        { rfc: TEST_ADMIN_RFC, name: "otro", roles: ["administrador"], days: 30 },
        "pruebas",
      );
      expect((await use(other, "10.3.0.4")).statusCode).toBe(200);
      const events = await system.auth.events({ limit: 50 });
      expect(events).toContainEqual(
        expect.objectContaining({ reason: "token_limite_de_usos", ip: "10.3.0.4" }),
      );
      // The refused use is not recorded as a use.
      expect(events.filter((e) => e.reason === "token_usado" && e.ip === "10.3.0.4")).toHaveLength(
        1,
      );
    } finally {
      await system.app.close();
    }
  });
});
