import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem } from "../../testing/server.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;
/** An administrator's staff API token, minted for each system. */
let auth: { authorization: string };

describe.each(ENGINES)("/api/v1/calendario on %s", (engine) => {
  let system: System;
  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      calendar: { authority: "IMSS", version: "2026-1", days: [] },
      adminToken: true,
      clock: fixedClock("2026-11-23T18:00:00Z"),
    });
    auth = { authorization: `Bearer ${system.adminToken}` };
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("lists a year's CFF days with weekday, reason and source", async () => {
    const response = await system.app.inject({ url: "/api/v1/calendario/2024" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ year: 2024, authority: "IMSS", version: "2026-1" });
    expect(body.days.map((d: { date: string }) => d.date)).toEqual([
      "2024-01-01",
      "2024-02-05",
      "2024-03-18",
      "2024-05-01",
      "2024-05-05",
      "2024-09-16",
      "2024-10-01",
      "2024-11-18",
      "2024-12-25",
    ]);
    expect(body.days[6]).toMatchObject({ weekday: "martes", kind: "cff" });
    expect(body.days[6].reason).toContain("transmisión del Poder Ejecutivo");
  });

  it("keeps a TFJA calendar beside the IMSS one: shipped, declared by kind, listed per authority", async () => {
    const shipped = (
      await system.app.inject({ url: "/api/v1/calendario/2026?autoridad=TFJA" })
    ).json();
    expect(shipped).toMatchObject({ authority: "TFJA", version: "2026-1", declared: true });
    expect(shipped.days).toContainEqual(
      expect.objectContaining({ date: "2026-08-28", dayKind: "inhabil", kind: "declarado" }),
    );
    expect(shipped.days).toContainEqual(
      expect.objectContaining({ date: "2026-07-20", dayKind: "vacaciones_generales" }),
    );
    const gap = (await system.app.inject({ url: "/api/v1/calendario/2031?autoridad=TFJA" })).json();
    expect(gap.declared).toBe(false);
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: auth,
      payload: {
        date: "2026-12-11",
        reason: "Oficinas cerradas por mantenimiento",
        source: "Acuerdo de prueba",
        kind: "oficinas_cerradas",
        authority: "TFJA",
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ authority: "TFJA", version: "2026-2" });
    const versions = (
      await system.app.inject({ url: "/api/v1/calendario/versiones?autoridad=TFJA" })
    ).json();
    expect(versions.versions.map((v: { version: string }) => v.version)).toEqual([
      "2026-2",
      "2026-1",
    ]);
    const file = (
      await system.app.inject({ url: "/api/v1/calendario/versiones/2026-2?autoridad=TFJA" })
    ).json();
    expect(file.years).toEqual([2026]);
    expect(file.days).toContainEqual(
      expect.objectContaining({ date: "2026-12-11", kind: "oficinas_cerradas" }),
    );
    // The IMSS calendar did not move.
    const imss = (await system.app.inject({ url: "/api/v1/calendario/2026" })).json();
    expect(imss.authority).toBe("IMSS");
    expect(imss.days.map((d: { date: string }) => d.date)).not.toContain("2026-12-11");
    const wrongKind = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: auth,
      payload: { date: "2026-12-10", reason: "x", source: "y", kind: "puente", authority: "TFJA" },
    });
    expect(wrongKind.statusCode).toBe(400);
    const unknown = await system.app.inject({ url: "/api/v1/calendario/2026?autoridad=SAT" });
    expect(unknown.statusCode).toBe(400);
  });

  it("refuses years outside the supported range", async () => {
    const response = await system.app.inject({ url: "/api/v1/calendario/1800" });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain("«year»");
  });

  it("lets an administrator declare a day, as a new version that the year view and history show", async () => {
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: auth,
      payload: {
        date: "2026-12-28",
        reason: "Cierre de fin de año",
        source: "ACDO.de.prueba (DOF 1 dic 2026)",
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ version: "2026-2", days: 1 });
    const year = (await system.app.inject({ url: "/api/v1/calendario/2026" })).json();
    expect(year.version).toBe("2026-2");
    expect(year.days).toContainEqual({
      date: "2026-12-28",
      weekday: "lunes",
      reason: "Cierre de fin de año",
      source: "ACDO.de.prueba (DOF 1 dic 2026)",
      kind: "declarado",
      dayKind: "inhabil",
    });
    const history = (await system.app.inject({ url: "/api/v1/calendario/versiones" })).json();
    expect(history.versions.map((v: { version: string }) => v.version)).toEqual([
      "2026-2",
      "2026-1",
    ]);
    // The version names the administrator whose token made it, never the token.
    expect(history.versions[0].createdBy).toBe("administrador CACX7605101P8 (token de API)");
    expect(JSON.stringify(history)).not.toContain(system.adminToken);
    const file = (await system.app.inject({ url: "/api/v1/calendario/versiones/2026-2" })).json();
    expect(file).toEqual({
      authority: "IMSS",
      version: "2026-2",
      days: [
        {
          date: "2026-12-28",
          reason: "Cierre de fin de año",
          source: "ACDO.de.prueba (DOF 1 dic 2026)",
        },
      ],
    });
  });

  it("imports a whole calendar file as a version and refuses a repeated label", async () => {
    const calendar = {
      authority: "IMSS",
      version: "2027-1",
      days: [{ date: "2027-03-25", reason: "Jueves Santo", source: "ACDO de prueba" }],
    };
    const first = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: auth,
      payload: { calendar, note: "Acuerdo anual" },
    });
    expect(first.statusCode).toBe(201);
    const again = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: auth,
      payload: { calendar, note: "otra vez" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain("ya existe");
  });

  it.each([
    [{ date: "2026-02-30", reason: "x", source: "y" }, "/date"],
    [{ date: "2026-06-10", reason: "", source: "y" }, "/reason"],
    [{ date: "2026-06-10", reason: "x" }, "source"],
    [{ date: "2026-06-10", reason: "x", source: "y", extra: true }, "extra"],
  ])("refuses the declaration %j naming %s", async (payload, pointer) => {
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: auth,
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
    expect(JSON.stringify(response.json().errors)).toContain(pointer);
  });

  it("refuses an invalid calendar file, explaining where", async () => {
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: auth,
      payload: {
        calendar: {
          authority: "IMSS",
          version: "2027-9",
          days: [{ date: "2027-01-05", reason: "x" }],
        },
        note: "n",
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain("/days/0/source");
  });

  it("requires the administrator credential", async () => {
    const payload = { date: "2026-06-10", reason: "x", source: "y" };
    const none = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      payload,
    });
    expect(none.statusCode).toBe(401);
    expect(none.json().detail).toBe("Inicia sesión con tu e.firma para continuar.");
    const wrong = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: { authorization: "Bearer otra-credencial-que-no-es-la-buena" },
      payload,
    });
    expect(wrong.statusCode).toBe(401);
  });

  it("answers malformed and oversized bodies with problem+json, losing nothing", async () => {
    const before = (await system.app.inject({ url: "/api/v1/calendario/versiones" })).json();
    const malformed = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: { ...auth, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().detail).toBe("El cuerpo de la solicitud no es JSON válido.");
    const huge = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: { ...auth, "content-type": "application/json" },
      payload: JSON.stringify({
        calendar: { authority: "IMSS", version: "x", days: [] },
        note: "x".repeat(2 * 1024 * 1024),
      }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toContain("tamaño máximo");
    const wrongType = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/versiones",
      headers: { ...auth, "content-type": "text/plain" },
      payload: "hola",
    });
    expect(wrongType.statusCode).toBe(415);
    const after = (await system.app.inject({ url: "/api/v1/calendario/versiones" })).json();
    expect(after).toEqual(before);
  });
});

describe("/api/v1/calendario with a token that is not one", () => {
  it("answers 401 and never 2xx for a made-up bearer token", async () => {
    const system = await createTestSystem();
    try {
      const response = await system.app.inject({
        method: "POST",
        url: "/api/v1/calendario/dias-inhabiles",
        headers: { authorization: `Bearer ${"a".repeat(24)}` },
        payload: { date: "2026-06-10", reason: "x", source: "y" },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe("El token de API no es válido.");
    } finally {
      await system.app.close();
    }
  });
});
