import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { createDelivery } from "../delivery/service.ts";
import type { RenderedMessage, Transport } from "../delivery/transports.ts";
import { notificacionTemplates } from "./templates.ts";
import {
  at,
  fisicaRfc,
  MONDAY_1000,
  MORAL,
  notificacionesFixture,
  SIN_BUZON,
} from "./test-fixture.ts";

/**
 * The staff cancellation through HTTP on both engines: its acuse, its event, the avisos not yet
 * sent withdrawn from the outbox (and never delivered), the refusals.
 */
describe.each(ENGINES)("cancelación de notificaciones on %s", (engine) => {
  const f = notificacionesFixture(engine);
  const sent: RenderedMessage[] = [];
  const capture: Transport = {
    async send(message) {
      sent.push(message);
      return { ok: true, response: "250 ok" };
    },
  };

  function cancel(id: string, motivo: string, headers?: Record<string, string>, cookie?: string) {
    return f.system.app.inject({
      method: "POST",
      url: `/api/v1/notificaciones/${id}/cancelacion`,
      payload: { motivo },
      headers: headers ?? { authorization: `Bearer ${f.system.adminToken}` },
      ...(cookie ? { cookies: { buzon_sesion: cookie } } : {}),
    });
  }

  function delivery(clock: () => Temporal.Instant) {
    return createDelivery({
      db: f.system.database.db,
      clock,
      templates: notificacionTemplates,
      email: capture,
      sms: capture,
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
  }

  async function outboxOf(id: string) {
    return f.system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "status", "last_response"])
      .where("idempotency_key", "like", `notificacion:${id}:%`)
      .orderBy("id")
      .execute();
  }

  it("cancels an act before its aviso: its acuse, its event, and the avisos never go out", async () => {
    // Friday 18:01: the aviso waits for Monday 09:30 in the outbox.
    f.now = at("2026-12-11T18:01:00-06:00");
    const act = await f.depositAct();
    expect(act.state).toBe("depositada");
    f.now = at("2026-12-12T11:00:00-06:00");
    const motivo = "El oficio cita un registro patronal equivocado.";
    const response = await cancel(act.id, `  ${motivo} `);
    expect(response.statusCode, response.body).toBe(201);
    const answer = response.json();
    expect(answer).toEqual({
      state: "cancelada",
      acuse: { folio: expect.stringMatching(/^BI-/), codigo: expect.any(String) },
    });
    const row = await f.system.database.db
      .selectFrom("notificaciones")
      .selectAll()
      .where("id", "=", act.id)
      .executeTakeFirstOrThrow();
    const acuse = await f.system.evidence.acuseByFolio(answer.acuse.folio);
    expect(acuse).toMatchObject({
      kind: "cancelacion_notificacion",
      parties: { rfc: MORAL, actorRfc: "CACX7605101P8", capacity: "servidor_publico" },
      rule: "momento_del_evento",
      documents: [
        { name: row.document_name, sha256: row.document_sha256, bytes: row.document_bytes },
        {
          name: "Motivo de la cancelación",
          sha256: createHash("sha256").update(motivo, "utf8").digest("hex"),
          bytes: Buffer.byteLength(motivo, "utf8"),
        },
      ],
    });
    expect(acuse?.eventAt.equals(f.now)).toBe(true);
    const events = await f.system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", act.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => [e.type, e.acuse_folio, e.actor_rfc])).toEqual([
      ["depositada", null, "CACX7605101P8"],
      ["cancelada", answer.acuse.folio, "CACX7605101P8"],
    ]);
    expect(events[1]?.data).toMatchObject({ motivo, via: "token_api" });
    expect((await outboxOf(act.id)).map((o) => [o.status, o.last_response])).toEqual([
      ["fallida", expect.stringMatching(/^retirado: /)],
      ["fallida", expect.stringMatching(/^retirado: /)],
    ]);
    // Monday 09:30 comes: nothing of this act is delivered.
    await delivery(() => at("2026-12-14T09:31:00-06:00")).deliverDue();
    expect(sent.filter((m) => m.text.includes(row.oficio) || m.sms.includes(row.oficio))).toEqual(
      [],
    );
    // Cancelling it again is refused.
    const again = await cancel(act.id, "otra vez");
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "illegal_transition" });
    expect(again.json().detail).toContain("ya estaba cancelado");
  });

  it("cancels a pending act whose avisos went out: those stay on record as sent", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    await delivery(() => at(MONDAY_1000).add({ minutes: 1 })).deliverDue();
    expect((await outboxOf(act.id)).map((o) => o.status)).toEqual(["enviada", "enviada"]);
    f.now = at("2026-12-14T12:00:00-06:00");
    // A notificador with session and CSRF token.
    const staff = await signInWith(f.system.app, f.notificador);
    const response = await cancel(
      act.id,
      "Se emitió por error.",
      { "x-csrf-token": staff.csrf },
      staff.cookie,
    );
    expect(response.statusCode, response.body).toBe(201);
    expect((await outboxOf(act.id)).map((o) => [o.status, o.last_response])).toEqual([
      ["enviada", "250 ok"],
      ["enviada", "250 ok"],
    ]);
    const who = await signInWith(f.system.app, f.moral);
    const detail = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    expect(detail.state).toBe("cancelada");
    expect(detail.timeline.map((e: { event: string }) => e.event)).toEqual([
      "depositada",
      "cancelada",
    ]);
    expect((await f.get(who, `/api/v1/notificaciones/${act.id}/documento`)).statusCode).toBe(410);

    // The correction: a new act naming the one it replaces.
    const correction = await f.depositAct(MORAL, { replaces: act.id });
    const followed = await f.system.app.inject({
      url: `/api/v1/staff/notificaciones?rfc=${MORAL}&limit=5`,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
    });
    expect(followed.json().items.find((i: { id: string }) => i.id === correction.id)).toMatchObject(
      { replaces: act.id, state: "pendiente" },
    );
  });

  it("refuses to cancel a notified act, and refuses anyone but a notificador or administrador", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-14T11:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const opened = await f.signAndOpen(who, act.id);
    expect(opened.statusCode, opened.body).toBe(201);
    const refused = await cancel(act.id, "Se emitió por error.");
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "illegal_transition" });
    expect(refused.json().detail).toContain("emite un nuevo acto que lo sustituya");

    // Notified by law (the fourth day): refused too.
    const late = await f.depositAct();
    f.now = at("2026-12-18T09:30:00-06:00");
    expect((await cancel(late.id, "Tarde.")).statusCode).toBe(409);

    // A particular, and staff without the role, get 403; no motive, 400; no act, 404.
    f.now = at("2026-12-14T12:00:00-06:00");
    const pending = await f.depositAct();
    const particular = await signInWith(f.system.app, f.moral);
    const byParticular = await cancel(
      pending.id,
      "No lo quiero.",
      { "x-csrf-token": particular.csrf },
      particular.cookie,
    );
    expect(byParticular.statusCode).toBe(403);
    const staff = await signInWith(f.system.app, f.notificador);
    const noCsrf = await cancel(pending.id, "Sin CSRF.", {}, staff.cookie);
    expect(noCsrf.statusCode).toBe(403);
    expect((await cancel(pending.id, "   ")).statusCode).toBe(400);
    expect((await cancel("00000000-0000-4000-8000-000000000000", "No existe.")).statusCode).toBe(
      404,
    );
    expect(await f.eventTypes(pending.id)).toEqual(["depositada"]);
  });

  it("an act on estrados is cancelled only before it is public: from its aviso instant the estrados page shows it", async () => {
    // Deposited Monday 19:00 to a mailbox not enabled: public on the estrados from Tuesday 09:30.
    f.now = at("2026-12-14T19:00:00-06:00");
    const early = await f.depositAct(SIN_BUZON);
    const late = await f.depositAct(SIN_BUZON);
    const before = await cancel(early.id, "Se emitió por error antes de publicarse.");
    expect(before.statusCode, before.body).toBe(201);
    // Ten seconds after its aviso instant, before the job sealed the publication: the public saw
    // it, so it stays (a correction is a new act that names it).
    f.now = at("2026-12-15T09:30:10-06:00");
    const listed = await f.system.app.inject({ url: "/api/v1/estrados" });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(late.id);
    const after = await cancel(late.id, "Demasiado tarde.");
    expect(after.statusCode, after.body).toBe(409);
    expect(after.json()).toMatchObject({ code: "illegal_transition" });
    expect(after.json().detail).toContain("publicado en los estrados");
    expect(await f.eventTypes(late.id)).toEqual(["depositada"]);
  });

  it("a notificador cancels only the acts they deposited or signed; an administrador, any", async () => {
    f.now = at("2026-12-14T12:00:00-06:00");
    // Deposited with the administrador's token, signed by the fixture's notificador.
    const signedByNora = await f.depositAct();
    const other = await issueFisicaEfirma(fisicaRfc("OTRO"), "OTONIEL ROBLES");
    await f.system.staff.set({ rfc: other.rfc, role: "notificador", name: "OTONIEL" }, "pruebas");
    const otherSession = await signInWith(f.system.app, other);
    const refused = await cancel(
      signedByNora.id,
      "No es mío.",
      { "x-csrf-token": otherSession.csrf },
      otherSession.cookie,
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.json()).toMatchObject({ code: "cancellation_not_authorized" });
    expect(refused.json().detail).toContain("Solo quien depositó este acto");
    expect(refused.json().detail).toContain(f.notificador.rfc);
    expect(await f.eventTypes(signedByNora.id)).toEqual(["depositada"]);
    expect(
      await f.system.database.db
        .selectFrom("acuses")
        .select("folio")
        .where("kind", "=", "cancelacion_notificacion")
        .where("actor_rfc", "=", other.rfc)
        .execute(),
    ).toEqual([]);

    // The signer cancels it.
    const nora = await signInWith(f.system.app, f.notificador);
    const bySigner = await cancel(
      signedByNora.id,
      "Lo firmé con un error.",
      { "x-csrf-token": nora.csrf },
      nora.cookie,
    );
    expect(bySigner.statusCode, bySigner.body).toBe(201);
    // The administrador (the token of the tests) cancels another's act.
    const another = await f.depositAct();
    expect((await cancel(another.id, "Supervisión.")).statusCode).toBe(201);
    expect(await f.eventTypes(another.id)).toEqual(["depositada", "cancelada"]);
  });

  it("the acuse of a cancellation before the aviso instant is not in «Mis acuses» (the act was never made available)", async () => {
    // Monday 14 Dec 19:00: the aviso waits until Tuesday 09:30; cancelled at 19:30.
    f.now = at("2026-12-14T19:00:00-06:00");
    const act = await f.depositAct();
    f.now = at("2026-12-14T19:30:00-06:00");
    const cancelled = await cancel(act.id, "Error en el oficio");
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    const folio = cancelled.json().acuse.folio as string;
    f.now = at("2026-12-15T12:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const page = await f.get(who, "/api/v1/buzon/acuses?limite=100");
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().acuses.map((a: { folio: string }) => a.folio)).not.toContain(folio);
  });
});
