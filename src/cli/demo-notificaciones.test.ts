import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, fixedClock } from "../platform/clock.ts";
import { issueFisicaEfirma } from "../testing/efirma.ts";
import { createTestSystem, TEST_ADMIN_RFC, type TestSystem } from "../testing/server.ts";
import { DEMO_ACTS, demoPdf, ensureDemoNotificaciones } from "./demo-notificaciones.ts";
import { ensureDemoPadron } from "./demo-padron.ts";

describe("the demo's notifications", () => {
  let system: TestSystem;
  // Tuesday 8 Dec 2026, 12:00 Zona Centro: inside the notification window.
  const clock = fixedClock("2026-12-08T18:00:00Z");

  beforeAll(async () => {
    system = await createTestSystem({ trustDevCa: true, adminToken: true, clock });
    await ensureDemoPadron(system.database.db, clock);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  it("the same text gives the same PDF bytes (so a restart re-deposits nothing)", async () => {
    const [a, b] = await Promise.all([demoPdf("t", "o", "x"), demoPdf("t", "o", "x")]);
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("deposits one act to the 2020 mailbox (aviso to its e-mail) and one to estrados, once", async () => {
    const admin = await issueFisicaEfirma(TEST_ADMIN_RFC, "XOCHILT CASAS CHAVEZ");
    const signer = { label: "admin", ...admin };
    // Deposited inside the window: available at once, nothing to announce.
    expect(await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC)).toBeUndefined();
    expect(await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC)).toBeUndefined();
    const db = system.database.db;
    const acts = await db
      .selectFrom("notificaciones")
      .select(["rfc", "estrados", "idempotency_key"])
      .orderBy("idempotency_key")
      .execute();
    expect(acts).toEqual([
      { rfc: DEMO_ACTS[0].rfc, estrados: false, idempotency_key: DEMO_ACTS[0].idempotencyKey },
      { rfc: DEMO_ACTS[1].rfc, estrados: true, idempotency_key: DEMO_ACTS[1].idempotencyKey },
    ]);
    const avisos = await db
      .selectFrom("outbox")
      .select(["recipient", "rfc"])
      .where("template", "like", "%aviso%")
      .execute();
    expect(avisos).toEqual([{ recipient: "oscar.xochitl@example.com", rfc: DEMO_ACTS[0].rfc }]);
  });
});

describe("the demo's notifications, started at night", () => {
  let system: TestSystem;
  // Monday 7 Dec 2026, 01:59 Zona Centro: outside the notification window (rule a moves the
  // aviso to 09:30 of the next business day after that date: Tuesday 8).
  let now = Temporal.Instant.from("2026-12-07T01:59:00-06:00");
  const clock: Clock = () => now;

  beforeAll(async () => {
    system = await createTestSystem({ trustDevCa: true, adminToken: true, clock });
    await ensureDemoPadron(system.database.db, clock);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const estrados = async () =>
    (await system.app.inject({ url: "/api/v1/estrados" })).json().items as { oficio: string }[];

  it("the estrados act is public from its aviso instant, not before; the start says when", async () => {
    const admin = await issueFisicaEfirma(TEST_ADMIN_RFC, "XOCHILT CASAS CHAVEZ");
    const signer = { label: "admin", ...admin };
    const availableAt = await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC);
    expect(availableAt?.toString()).toBe("2026-12-08T15:30:00Z");
    // The staff see it on estrados; the public page does not list it yet (CFF 139, rule a).
    const staff = await system.app.inject({
      url: "/api/v1/staff/notificaciones",
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(
      staff.json().items.map((i: { oficio: string; state: string }) => [i.oficio, i.state]),
    ).toContainEqual([DEMO_ACTS[1].oficio, "estrados"]);
    expect(await estrados()).toEqual([]);

    // At that instant it is listed, and a restart has nothing left to announce.
    now = Temporal.Instant.from("2026-12-08T09:30:00-06:00");
    expect((await estrados()).map((a) => a.oficio)).toEqual([DEMO_ACTS[1].oficio]);
    expect(await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC)).toBeUndefined();
  });
});
