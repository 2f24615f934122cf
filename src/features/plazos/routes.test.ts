import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSystem } from "../../testing/server.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

describe("/api/v1/plazos", () => {
  let system: System;
  beforeAll(async () => {
    system = await createTestSystem({
      calendar: {
        authority: "IMSS",
        version: "2025-1",
        days: [
          { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo de prueba" },
          { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo de prueba" },
        ],
      },
      adminToken: true,
    });
  });
  afterAll(async () => {
    await system.app.close();
  });

  const get = (url: string) => system.app.inject({ method: "GET", url });

  it("computes the notification clock with the calendar in force and names its version", async () => {
    const response = await get("/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      avisoAt: "2025-04-11T17:00:00-06:00",
      openedAt: null,
      openBy: "2025-04-16",
      deemedNotifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
      juicioNulidadBy: "2025-06-05",
      calendarAuthority: "IMSS",
      calendarVersion: "2025-1",
    });
    const cuarto = body.explanation.find((s: { rule: string }) => s.rule === "cuarto_dia");
    expect(cuarto.skippedDays.map((d: { date: string }) => d.date)).toEqual([
      "2025-04-17",
      "2025-04-18",
      "2025-04-19",
      "2025-04-20",
    ]);
    expect(cuarto.text).toContain("Jueves Santo");
  });

  it("accepts UTC instants and answers in Zona Centro", async () => {
    const response = await get(
      "/api/v1/plazos/notificacion?aviso=2025-04-11T23:00:00Z&abierto=2025-04-14T16:00:00Z",
    );
    expect(response.json()).toMatchObject({
      avisoAt: "2025-04-11T17:00:00-06:00",
      notifiedAt: "2025-04-14T10:00:00-06:00",
      notifiedBy: "apertura",
    });
  });

  it("recomputes with an earlier version when asked, so an old date can be explained", async () => {
    const added = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      headers: { authorization: `Bearer ${system.adminToken}` },
      payload: { date: "2025-04-16", reason: "Cierre de prueba", source: "Acuerdo de prueba 2" },
    });
    expect(added.statusCode).toBe(201);
    const now = (await get("/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00")).json();
    const before = (
      await get("/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00&version=2025-1")
    ).json();
    expect(now.calendarVersion).toBe(added.json().version);
    expect(now.deemedNotifiedAt).toBe("2025-04-22T09:30:00-06:00");
    expect(before.calendarVersion).toBe("2025-1");
    expect(before.deemedNotifiedAt).toBe("2025-04-21T09:30:00-06:00");
    const unknown = await get(
      "/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00&version=9-9",
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe("No existe la versión «9-9» del calendario IMSS.");
  });

  it("computes a notification por estrados (CFF art. 139) with its explanation", async () => {
    const response = await get(
      "/api/v1/plazos/estrados?publicada=2025-04-11T18:00:00Z&sinMediosDeDefensa=true&version=2025-1",
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      publishedAt: "2025-04-11T12:00:00-06:00",
      notifiedOn: "2025-04-30",
      notifiedAt: "2025-04-30T00:00:00-06:00",
      notifiedBy: "estrados",
      effectiveOn: "2025-05-02",
      recursoInconformidadDays: 30,
      juicioNulidadDays: 60,
      calendarAuthority: "IMSS",
      juicioNulidadCalendar: { authority: "TFJA" },
    });
    expect(body.publicationDays).toHaveLength(10);
    expect(body.explanation[0]).toMatchObject({
      rule: "estrados",
      basis: "CFF art. 139; Lineamientos 7.8; LSS art. 286-M",
    });
    const missing = await get("/api/v1/plazos/estrados");
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toBe("Falta el parámetro «publicada».");
    const naive = await get("/api/v1/plazos/estrados?publicada=2025-04-11T12:00:00");
    expect(naive.json().code).toBe("invalid_instant");
  });

  it("answers promoción, emisión, validación and habilitación", async () => {
    expect(
      (await get("/api/v1/plazos/promocion?enviada=2025-04-12T23:59:00-06:00")).json(),
    ).toMatchObject({
      receivedAt: "2025-04-14T00:00:00-06:00",
    });
    expect((await get("/api/v1/plazos/emision?at=2025-04-14T18:00:01-06:00")).json()).toMatchObject(
      {
        notifiedAt: "2025-04-15T09:30:00-06:00",
      },
    );
    expect(
      (await get("/api/v1/plazos/validacion?registrado=2025-02-03T10:07:00-06:00")).json(),
    ).toMatchObject({
      expiresAt: "2025-02-06T10:07:00-06:00",
    });
    expect((await get("/api/v1/plazos/habilitacion")).json()).toMatchObject({
      entryIntoForce: "2024-08-06",
      nominalDeadline: "2025-02-01",
      deadline: "2025-02-04",
    });
  });

  it("counts the juicio de nulidad on the TFJA calendar, with its options and warnings (issue 10)", async () => {
    // Effect Mon 29 Jun 2026: 1 Sep on the TFJA calendar (golden-second-edition.test.ts).
    const base =
      "/api/v1/plazos/notificacion?aviso=2026-06-25T10:00:00-06:00&abierto=2026-06-26T11:00:00-06:00";
    const plain = await get(base);
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toMatchObject({
      effectiveOn: "2026-06-29",
      juicioNulidadBy: "2026-09-01",
      juicioNulidadCalendar: { authority: "TFJA", version: "2026-1" },
      sinMediosDeDefensa: false,
      conocimiento: null,
    });
    // The IMSS test calendar declares only 2025: 2026 is a gap, named in a warning.
    expect(plain.json().warnings.map((w: { code: string }) => w.code)).toEqual([
      "calendario_sin_declaracion",
    ]);
    expect(
      (await get(`${base}&sinMediosDeDefensa=true&calendarioTfja=2026-1`)).json(),
    ).toMatchObject({
      recursoInconformidadDays: 30,
      juicioNulidadDays: 60,
      juicioNulidadBy: "2026-10-19",
    });
    expect((await get(`${base}&conocimiento=2026-06-25`)).json()).toMatchObject({
      effectiveOn: "2026-06-25",
      juicioNulidadBy: "2026-08-27",
    });
    const missing = await get(`${base}&calendarioTfja=1999-9`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toContain("calendario TFJA");
    const badDate = await get(`${base}&conocimiento=25-06-2026`);
    expect(badDate.statusCode).toBe(400);
    // Documented in docs/api.md: only true/false.
    expect((await get(`${base}&sinMediosDeDefensa=1`)).statusCode).toBe(400);
    expect((await get(`${base}&sinMediosDeDefensa=false`)).statusCode).toBe(200);
    const late = await get("/api/v1/plazos/notificacion?aviso=2025-04-11T20:00:00-06:00");
    // With 16 Apr declared by an earlier test: engine 6 Jun; aviso at Mon 14 09:30 → d4 Wed 23,
    // effect Thu 24, one business day later: Mon 9 Jun.
    expect(late.json().juicioNulidadBy).toBe("2025-06-06");
    expect(late.json().warnings[0]).toMatchObject({
      code: "aviso_fuera_de_horario",
      otherReading: { juicioNulidadBy: "2025-06-09" },
    });
  });

  it.each([
    ["/api/v1/plazos/notificacion", 400, "validation", "Falta el parámetro «aviso»."],
    [
      "/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00",
      400,
      "invalid_instant",
      "no es un instante ISO 8601 con zona horaria",
    ],
    [
      "/api/v1/plazos/notificacion?aviso=2025-02-30T10:00:00-06:00",
      400,
      "invalid_instant",
      "no es una fecha y hora válida",
    ],
    [
      "/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00&abierto=2025-04-10T17:00:00-06:00",
      400,
      "opened_before_aviso",
      "La apertura no puede ser anterior al envío del aviso.",
    ],
    [
      "/api/v1/plazos/notificacion?aviso=2025-04-11T17:00:00-06:00&extra=1",
      400,
      "validation",
      "No se admite el parámetro «extra».",
    ],
    [
      "/api/v1/plazos/promocion?enviada=9999-01-01T00:00:00-06:00",
      400,
      "out_of_range",
      "fuera del intervalo",
    ],
    [
      `/api/v1/plazos/emision?at=${"9".repeat(100)}`,
      400,
      "validation",
      "admite a lo más 40 caracteres",
    ],
  ])("refuses %s with problem+json in Spanish", async (url, status, code, detail) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe(code);
    expect(body.status).toBe(status);
    expect(body.type).toBe(`urn:buzon-imss:problema:${code}`);
    expect(body.detail).toContain(detail);
    expect(body.requestId).toBe(response.headers["x-request-id"]);
  });
});
