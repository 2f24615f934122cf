import { beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../../testing/database.ts";
import { COMUNICADO_TEMPLATE } from "../comunicados/service.ts";
import { type DevSinks, startDevSinks } from "../delivery/dev-sinks.ts";
import { enqueueMany } from "../delivery/outbox.ts";
import { at, notificacionesFixture } from "./test-fixture.ts";

/**
 * Issue 11 §2, «the aviso goes out only inside the notification window», for the message
 * itself: an aviso found due outside 09:30–18:00 of a business day (the worker was down all
 * afternoon, or a retry's backoff ended at night) waits for 09:30 of the next business day
 * without counting an attempt; its legal instant stays the one fixed at deposit. Other messages
 * go at once. Real loopback SMTP and SMS servers (the dev sinks).
 */
describe.each(ENGINES)("the aviso's window for the message on %s", (engine) => {
  let sinks: DevSinks;
  beforeAll(async () => {
    sinks = await startDevSinks();
    return () => sinks.close();
  });
  const f = notificacionesFixture(engine, {
    env: () => ({ SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl }),
  });

  const outboxOf = (id: string) =>
    f.system.database.db
      .selectFrom("outbox")
      .select(["id", "recipient", "status", "attempts", "next_attempt_at", "created_at"])
      .where("idempotency_key", "like", `notificacion:${id}:%`)
      .orderBy("id")
      .execute();
  const attemptsOf = (ids: string[]) =>
    f.system.database.db
      .selectFrom("delivery_attempts")
      .select(["outbox_id", "outcome", "at"])
      .where("outbox_id", "in", ids)
      .orderBy("id")
      .execute();

  it("holds an aviso found due at night until 09:30 of the next business day, and sends it then", async () => {
    // Friday 11 Dec 2026, 17:59: inside the window, so the aviso counts now (rule a).
    f.now = at("2026-12-11T17:59:00-06:00");
    const act = await f.depositAct();
    const detail = await f.system.notificaciones.actView(act.id);
    expect(detail.view.row.aviso_at.toISOString()).toBe("2026-12-11T23:59:00.000Z");
    const avisos = await outboxOf(act.id);
    expect(avisos).toHaveLength(2);
    // Queued at the deposit's instant on the system's clock, not the database's (the evidence
    // lists it: never an aviso queued before its act).
    expect(avisos.map((o) => o.created_at.toISOString())).toEqual([
      "2026-12-11T23:59:00.000Z",
      "2026-12-11T23:59:00.000Z",
    ]);
    const addresses = avisos.map((o) => o.recipient);

    // Nobody delivered until 20:00: nothing goes at night, and no attempt is counted.
    f.now = at("2026-12-11T20:00:00-06:00");
    const before = sinks.messages().length;
    expect(await f.system.delivery.deliverDue()).toBe(0);
    expect(sinks.messages().length).toBe(before);
    const held = await outboxOf(act.id);
    expect(held.map((o) => [o.status, o.attempts, o.next_attempt_at?.toISOString()])).toEqual([
      ["pendiente", 0, "2026-12-14T15:30:00.000Z"],
      ["pendiente", 0, "2026-12-14T15:30:00.000Z"],
    ]);
    expect(await attemptsOf(held.map((o) => o.id))).toEqual([]);

    // Saturday noon and Monday 09:29:59: still not.
    for (const instant of ["2026-12-12T12:00:00-06:00", "2026-12-14T09:29:59-06:00"]) {
      f.now = at(instant);
      expect(await f.system.delivery.deliverDue()).toBe(0);
    }

    // A message that is not an aviso (a comunicado's e-mail) goes at once, at night too.
    f.now = at("2026-12-12T23:00:00-06:00");
    await enqueueMany(f.system.database.db, [
      {
        key: `prueba-ventana:${act.id}`,
        channel: "correo",
        to: "comunicados@example.mx",
        template: COMUNICADO_TEMPLATE,
        data: { titulo: "Aviso general", enlace: "https://buzon.example/" },
      },
    ]);
    expect(await f.system.delivery.deliverDue()).toBe(1);
    expect(sinks.messages("comunicados@example.mx")).toHaveLength(1);

    // Monday 09:30: both avisos leave, one attempt each.
    f.now = at("2026-12-14T09:30:00-06:00");
    expect(await f.system.delivery.deliverDue()).toBe(2);
    for (const address of addresses) expect(sinks.messages(address).length).toBeGreaterThan(0);
    const sent = await outboxOf(act.id);
    expect(sent.map((o) => [o.status, o.attempts])).toEqual([
      ["enviada", 1],
      ["enviada", 1],
    ]);
    const attempts = await attemptsOf(sent.map((o) => o.id));
    expect(attempts.map((a) => [a.outcome, a.at.toISOString()])).toEqual([
      ["enviado", "2026-12-14T15:30:00.000Z"],
      ["enviado", "2026-12-14T15:30:00.000Z"],
    ]);
    // The legal instant of the aviso is still Friday 17:59.
    const after = await f.system.notificaciones.actView(act.id);
    expect(after.view.row.aviso_at.toISOString()).toBe("2026-12-11T23:59:00.000Z");
  });
});
