import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../platform/clock.ts";
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
    await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC);
    await ensureDemoNotificaciones(system, signer, TEST_ADMIN_RFC);
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
