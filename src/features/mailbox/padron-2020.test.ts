import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoPadron } from "../../cli/demo-padron.ts";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";

/**
 * Mailboxes the padrón imports as enabled under the 2020 rules (Lineamientos 5.4), from the
 * import to the projection to GET /api/v1/buzon, on both engines: enabled with that provenance,
 * no signature of our Terms claimed, and the e-mail on file carried over as a validated means.
 */

// The test CA's certificates are valid from a day before the real present.
const NOW = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });

const DEMO_2020 = "XOJO740919U44";
const WITH_EMAIL = `KEMA2001011A${rfcCheckDigit("KEMA2001011A")}`;
const WITHOUT_EMAIL = `KEMB2001021B${rfcCheckDigit("KEMB2001021B")}`;

describe.each(ENGINES)("2020 mailboxes from the padrón on %s", (engine) => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => NOW,
    });
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const view = async (who: SignedIn) => {
    const response = await system.app.inject({
      url: "/api/v1/buzon",
      cookies: { buzon_sesion: who.cookie },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const eventsOf = (rfc: string) =>
    system.database.db
      .selectFrom("mailbox_events")
      .select(["type", "data"])
      .where("rfc", "=", rfc)
      .orderBy("id")
      .execute();

  it("the demo's 2020 particular: enabled, no signature claimed, her e-mail on file validated", async () => {
    const report = await ensureDemoPadron(system.database.db, () => NOW);
    expect(report.refused).toBe(0);
    // The job projects the padrón's 2020 entries (the demo's one among them).
    expect(await system.mailbox.projectHabilitaciones2020()).toBe(1);
    const person = await signInWith(
      system.app,
      await issueFisicaEfirma(DEMO_2020, "OSCAR XOCHITL JUAREZ"),
    );
    const mailbox = await view(person);
    expect(mailbox).toMatchObject({
      rfc: DEMO_2020,
      state: "habilitado",
      provenance: "lineamientos_2020",
      canEnter: true,
      validated: { correos: 1, celulares: 0 },
      terms: { signedVersion: null, currentVersion: "1" },
    });
    expect(mailbox.means).toEqual([
      expect.objectContaining({
        kind: "correo",
        value: "oscar.xochitl@example.com",
        scope: "rfc",
        status: "validado",
        origin: "padron_2020",
        acuseFolio: null,
        attemptsLeft: null,
        locked: false,
        aclaracionUntil: null,
      }),
    ]);
    // One event: the enablement names the means it carried over (append-only, one transaction).
    const events = await eventsOf(DEMO_2020);
    expect(events).toEqual([
      {
        type: "habilitacion_2020",
        data: expect.objectContaining({
          enabledAt: "2021-03-15T06:00:00.000Z",
          emailOnFile: { meansId: mailbox.means[0].id, value: "oscar.xochitl@example.com" },
        }),
      },
    ]);
    // A re-import and the job again change nothing.
    await ensureDemoPadron(system.database.db, () => NOW);
    expect(await system.mailbox.projectHabilitaciones2020()).toBe(0);
    expect(await eventsOf(DEMO_2020)).toHaveLength(1);
    expect((await view(person)).means).toHaveLength(1);
  });

  it("imported by the administrator and first seen by its person: the same, or no means without an e-mail on file", async () => {
    const csv = [
      "rfc,nombre,persona,registros_patronales,correo,habilitado_2020",
      `${WITH_EMAIL},CON CORREO 2020,fisica,,Correo.2020@Example.com,2020-11-02`,
      `${WITHOUT_EMAIL},SIN CORREO 2020,fisica,,,2020-12-01`,
      "",
    ].join("\n");
    const imported = await system.app.inject({
      method: "POST",
      url: "/api/v1/padron/importaciones?archivo=padron-2020.csv",
      headers: { authorization: `Bearer ${system.adminToken}`, "content-type": "text/csv" },
      payload: csv,
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ refused: 0 });
    // No job run: the mailbox's first view projects it (the same rule, one mailbox).
    const withEmail = await view(
      await signInWith(system.app, await issueFisicaEfirma(WITH_EMAIL, "CON")),
    );
    expect(withEmail).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
      canEnter: true,
      validated: { correos: 1, celulares: 0 },
      terms: { signedVersion: null },
      means: [{ value: "correo.2020@example.com", status: "validado", origin: "padron_2020" }],
    });
    const withoutEmail = await view(
      await signInWith(system.app, await issueFisicaEfirma(WITHOUT_EMAIL, "SIN")),
    );
    // 5.4: enabled all the same; the home asks for an e-mail and a phone (web).
    expect(withoutEmail).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
      canEnter: true,
      means: [],
      validated: { correos: 0, celulares: 0 },
      terms: { signedVersion: null },
    });
    expect(await eventsOf(WITHOUT_EMAIL)).toEqual([
      {
        type: "habilitacion_2020",
        data: expect.not.objectContaining({ emailOnFile: expect.anything() }),
      },
    ]);
    // The job finds nothing left to project.
    expect(await system.mailbox.projectHabilitaciones2020()).toBe(0);
  });
});
