import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { ENGINES } from "../../testing/database.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { COMUNICADO_TEMPLATE, comunicadoTemplates } from "../comunicados/service.ts";
import { type DevSinks, startDevSinks } from "../delivery/dev-sinks.ts";
import { enqueueMany } from "../delivery/outbox.ts";
import { createDelivery } from "../delivery/service.ts";
import { smtpTransport } from "../delivery/transports.ts";
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
    env: () => ({
      SMTP_URL: sinks.smtpUrl,
      SMS_GATEWAY_URL: sinks.smsUrl,
      // Only the tests run the jobs: no timer racing them.
      NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0",
      DELIVERY_INTERVAL_SECONDS: "0",
    }),
  });

  const outboxOf = (id: string) =>
    f.system.database.db
      .selectFrom("outbox")
      .select([
        "id",
        "idempotency_key",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "last_response",
      ])
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

  /** Deposits an act Monday 14 Dec 10:00 (open by Thu 17) and delivers its first aviso then. */
  async function actWithFirstAvisoSent() {
    f.now = at("2026-12-14T10:00:00-06:00");
    const act = await f.depositAct();
    f.now = at("2026-12-14T10:01:00-06:00");
    await f.system.notificacionSweeps.issueAvisos();
    while ((await f.system.delivery.deliverDue()) > 0) {}
    return act;
  }
  const segundos = async (id: string) =>
    (await outboxOf(id)).filter((o) => o.idempotency_key.includes(":segundo-aviso:"));

  it("withdraws a second aviso that could only leave after its last day, instead of saying «hoy es el último día» the next day", async () => {
    const act = await actWithFirstAvisoSent();
    // Thursday 17, the last day: the second aviso is queued for 09:30…
    f.now = at("2026-12-17T10:00:00-06:00");
    expect((await f.system.notificacionSweeps.sendSegundosAvisos()).done).toBeGreaterThan(0);
    expect((await segundos(act.id)).map((o) => o.status)).toEqual(["pendiente", "pendiente"]);
    // …but nobody delivered before 18:00: at 18:30 its next window is Friday, after that day.
    f.now = at("2026-12-17T18:30:00-06:00");
    const before = sinks.messages().length;
    expect(await f.system.delivery.deliverDue()).toBe(0);
    expect(sinks.messages().length).toBe(before);
    const withdrawn = await segundos(act.id);
    expect(withdrawn.map((o) => [o.status, o.attempts, o.last_response])).toEqual([
      ["fallida", 0, "retirado: ya no era el último día para abrir (2026-12-17)"],
      ["fallida", 0, "retirado: ya no era el último día para abrir (2026-12-17)"],
    ]);
    expect(await attemptsOf(withdrawn.map((o) => o.id))).toEqual([]);
  });

  it("withdraws the second aviso still waiting when the person opens the act", async () => {
    const act = await actWithFirstAvisoSent();
    f.now = at("2026-12-17T10:00:00-06:00");
    await f.system.notificacionSweeps.sendSegundosAvisos();
    expect((await segundos(act.id)).map((o) => o.status)).toEqual(["pendiente", "pendiente"]);
    f.now = at("2026-12-17T10:02:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const opened = await f.signAndOpen(who, act.id);
    expect(opened.statusCode, opened.body).toBe(201);
    expect((await segundos(act.id)).map((o) => [o.status, o.last_response])).toEqual([
      ["fallida", "retirado: la persona abrió el acto antes de enviarse el segundo aviso"],
      ["fallida", "retirado: la persona abrió el acto antes de enviarse el segundo aviso"],
    ]);
    expect(await f.system.delivery.deliverDue()).toBe(0);
  });

  it("sends the batch as claimed, and says so, when the calendar cannot be read", async () => {
    f.now = at("2026-12-19T20:00:00-06:00");
    const key = `prueba-sin-calendario:${engine}`;
    await enqueueMany(f.system.database.db, [
      {
        key,
        channel: "correo",
        to: "codigos@example.mx",
        template: COMUNICADO_TEMPLATE,
        data: { titulo: "Aviso general", enlace: "https://buzon.example/" },
      },
    ]);
    const warnings: string[] = [];
    const delivery = createDelivery({
      db: f.system.database.db,
      clock: () => f.now,
      templates: { [COMUNICADO_TEMPLATE]: comunicadoTemplates[COMUNICADO_TEMPLATE]! },
      email: smtpTransport({ url: sinks.smtpUrl, from: "buzon@example.mx", timeoutSeconds: 5 }),
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "example.mx",
      log: { info() {}, warn: (_data, message) => warnings.push(message) },
      holdPolicy: async () => {
        throw new AppError("unavailable", "No hay calendario IMSS cargado");
      },
    });
    expect(await delivery.deliverDue()).toBe(1);
    expect(sinks.messages("codigos@example.mx").length).toBeGreaterThan(0);
    expect(warnings).toContain(
      "no se pudo consultar la regla de retención; el lote sale como se tomó",
    );
    delivery.close();
  });
});
