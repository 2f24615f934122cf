import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../platform/clock.ts";
import { testDevCa } from "../testing/efirma.ts";
import { createTestSystem, type TestSystem } from "../testing/server.ts";
import { signInWith } from "../testing/sign-in.ts";
import { DEMO_ADMIN_RFC, type DemoEfirma, ensureDemoEfirmas } from "./demo-efirmas.ts";
import { DEMO_ACTS, ensureDemoNotificaciones } from "./demo-notificaciones.ts";
import { ensureDemoPadron } from "./demo-padron.ts";

describe("the demo's e.firmas", () => {
  let system: TestSystem;
  let efirmas: DemoEfirma[];
  // Tuesday 8 Dec 2026, 12:00 Zona Centro: inside the notification window, so the act is
  // available as soon as it is deposited.
  const clock = fixedClock("2026-12-08T18:00:00Z");

  beforeAll(async () => {
    system = await createTestSystem({ trustDevCa: true, clock });
    // The test CA stands in for the demo's development CA (the one the system trusts).
    efirmas = await ensureDemoEfirmas((await testDevCa()).dir, system.staff);
    await ensureDemoPadron(system.database.db, clock);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const asSigned = (e: DemoEfirma, rfc: string) => ({
    ...e,
    rfc,
    passwordPath: "",
    certificateNumber: "",
    serialHex: "",
  });

  it("are the company to activate, the administrator and the enabled mailbox with the demo act; minted once", async () => {
    expect(efirmas.map((e) => e.cerPath.split(/[\\/]/).at(-1))).toEqual([
      "EKU9003173C9.cer",
      "CACX7605101P8.cer",
      "XOJO740919U44.cer",
    ]);
    const again = await ensureDemoEfirmas((await testDevCa()).dir, system.staff);
    expect(again).toEqual(efirmas);
  });

  it("XOJO740919U44 signs in and finds the demo act in «Mis notificaciones»", async () => {
    const admin = efirmas.find((e) => e.cerPath.includes(DEMO_ADMIN_RFC))!;
    expect(await ensureDemoNotificaciones(system, admin, DEMO_ADMIN_RFC)).toBeUndefined();
    const oscar = efirmas.find((e) => e.cerPath.includes("XOJO740919U44"))!;
    const signedIn = await signInWith(system.app, asSigned(oscar, "XOJO740919U44"));
    const list = await system.app.inject({
      url: "/api/v1/notificaciones",
      cookies: { buzon_sesion: signedIn.cookie },
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().map((i: { oficio: string }) => i.oficio)).toEqual([DEMO_ACTS[0].oficio]);
  });
});
