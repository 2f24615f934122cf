import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { padronTemplates, RECORDATORIO_TEMPLATE } from "./templates.ts";

const CSV = [
  "rfc,nombre,persona,registros_patronales,correo,habilitado_2020",
  "EKU9003173C9,ESCUELA KEMPER URGATE SA DE CV,moral,B5510768108;Y5412345109,nomina@kemper.com.mx,",
  'XOJO740919U48,"XOCHITL, OSCAR",fisica,,oscar@example.com,2021-03-15',
  "CACX7605101P8,XOCHILT CASAS CHAVEZ,fisica,C1234567890,xochilt@example.com,",
  "MISM8105201A8,SIN CORREO,fisica,,,",
  "EKU900317,MAL RFC,moral,,,",
].join("\n");

describe.each(ENGINES)("/api/v1/padron on %s", (engine) => {
  let system: TestSystem;
  let admin: { authorization: string };
  let operador: { authorization: string };
  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      adminToken: true,
      clock: fixedClock("2026-11-23T18:00:00Z"),
    });
    admin = { authorization: `Bearer ${system.adminToken}` };
    await system.staff.set({ rfc: "GOCA741120AB3", role: "operador", name: "OPERADOR" }, "pruebas");
    const { token } = await system.tokens.create(
      { rfc: "GOCA741120AB3", name: "pruebas", roles: ["operador"], days: 1 },
      "pruebas",
    );
    operador = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await system.app.close();
  });

  const upload = (headers: Record<string, string>, body: string | Buffer = CSV) =>
    system.app.inject({
      method: "POST",
      url: "/api/v1/padron/importaciones?archivo=padron-prueba.csv",
      headers: { "content-type": "text/csv", ...headers },
      payload: body,
    });

  it("refuses anonymous callers (401) and staff without the administrator role (403), as problem+json", async () => {
    for (const [headers, status] of [
      [{}, 401],
      [operador, 403],
    ] as const) {
      for (const request of [
        upload(headers),
        system.app.inject({ url: "/api/v1/padron/estrados", headers }),
        system.app.inject({
          method: "POST",
          url: "/api/v1/padron/recordatorios",
          headers,
          payload: {},
        }),
      ]) {
        const response = await request;
        expect(response.statusCode).toBe(status);
        expect(response.headers["content-type"]).toContain("application/problem+json");
      }
    }
    expect(await system.database.db.selectFrom("padron_entries").selectAll().execute()).toEqual([]);
  });

  it("imports a CSV upload and answers the report; the same file again changes nothing", async () => {
    const first = await upload(admin);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      fileName: "padron-prueba.csv",
      rowsRead: 5,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      refused: 1,
      refusals: [{ line: 6, rfc: "EKU900317", code: "invalid_rfc" }],
    });
    expect(first.json().refusals[0].reason).toMatch(/12 caracteres/);
    const again = await upload(admin);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, refused: 1 });
    expect(again.json().sha256).toBe(first.json().sha256);
    const record = await system.database.db
      .selectFrom("padron_imports")
      .select(["actor", "sha256", "inserted"])
      .where("id", "=", first.json().id)
      .executeTakeFirstOrThrow();
    expect(record).toEqual({
      actor: "administrador CACX7605101P8 (token de API)",
      sha256: first.json().sha256,
      inserted: 4,
    });
  });

  it("refuses an empty body (400), another content type (415) and an oversized upload (413)", async () => {
    const empty = await upload(admin, "");
    expect(empty.statusCode).toBe(400);
    const json = await system.app.inject({
      method: "POST",
      url: "/api/v1/padron/importaciones",
      headers: { ...admin, "content-type": "application/json" },
      payload: { csv: CSV },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().detail).toContain("Envía el CSV");
    const octets = await system.app.inject({
      method: "POST",
      url: "/api/v1/padron/importaciones",
      headers: { ...admin, "content-type": "application/octet-stream" },
      payload: Buffer.from(CSV),
    });
    expect(octets.statusCode).toBe(415);
    const huge = await upload(admin, Buffer.alloc(64 * 1024 * 1024 + 1, 0x41));
    expect(huge.statusCode).toBe(413);
    expect(huge.headers["content-type"]).toContain("application/problem+json");
    const headerless = await upload(admin, "a,b\n1,2\n");
    expect(headerless.statusCode).toBe(400);
    expect(headerless.json().detail).toContain("encabezado");
  });

  it("lists who is notifiable por estrados with the transitorio primero deadline", async () => {
    // A mailbox enabled by signing the Terms, as the mailbox's projection records it.
    await system.database.db
      .insertInto("mailboxes")
      .values({
        rfc: "CACX7605101P8",
        state: "habilitado",
        provenance: "activacion",
        terms_version: "1",
        updated_at: new Date(),
      })
      .execute();
    const response = await system.app.inject({
      url: "/api/v1/padron/estrados?limite=1",
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    // XOJO… was enabled under the 2020 rules (5.4) and CACX… signed: neither is listed.
    expect(response.json()).toMatchObject({
      deadline: "2025-02-04",
      total: 2,
      items: [{ rfc: "EKU9003173C9", emailOnFile: "nomina@kemper.com.mx" }],
    });
    const next = await system.app.inject({
      url: "/api/v1/padron/estrados?limite=10&despues=EKU9003173C9",
      headers: admin,
    });
    expect(next.json().items).toEqual([
      { rfc: "MISM8105201A8", name: "SIN CORREO", persona: "fisica", emailOnFile: null },
    ]);
  });

  it("enqueues one reminder per e-mail on file of those not enabled, once per campaign", async () => {
    const run = () =>
      system.app.inject({
        method: "POST",
        url: "/api/v1/padron/recordatorios",
        headers: admin,
        payload: { campana: "prueba-1" },
      });
    const first = await run();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      campaign: "prueba-1",
      template: RECORDATORIO_TEMPLATE,
      deadline: "2025-02-04",
      recipients: 1,
      enqueued: 1,
      alreadyEnqueued: 0,
      withoutEmail: 1,
    });
    const second = await run();
    expect(second.json()).toMatchObject({ recipients: 1, enqueued: 0, alreadyEnqueued: 1 });
    const outbox = await system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "channel", "recipient", "template", "data", "rfc"])
      .execute();
    expect(outbox).toEqual([
      {
        idempotency_key: "padron:recordatorio:prueba-1:EKU9003173C9",
        channel: "correo",
        recipient: "nomina@kemper.com.mx",
        template: RECORDATORIO_TEMPLATE,
        data: {
          nombre: "ESCUELA KEMPER URGATE SA DE CV",
          rfc: "EKU9003173C9",
          fechaLimite: "martes 4 de febrero de 2025",
          url: expect.stringMatching(/^https?:\/\//),
        },
        rfc: "EKU9003173C9",
      },
    ]);
    const template = padronTemplates[RECORDATORIO_TEMPLATE]!;
    const data = outbox[0]!.data as Record<string, string>;
    expect(template.subject(data)).toBe("Cumple con tu obligación de activar el Buzón IMSS");
    expect(template.text(data)).toContain("vence el martes 4 de febrero de 2025");
    expect(template.html({ ...data, nombre: "<script>x</script>" })).toContain(
      "&lt;script&gt;x&lt;/script&gt;",
    );
    const bad = await system.app.inject({
      method: "POST",
      url: "/api/v1/padron/recordatorios",
      headers: admin,
      payload: { campana: "Mal Nombre" },
    });
    expect(bad.statusCode).toBe(400);
  });
});
