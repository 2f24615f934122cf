import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { fisicaRfc } from "../../testing/acts.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { createCancelacion } from "../notificaciones/cancelacion.ts";
import { answerKeyOf } from "./atencion.ts";
import { reopenAnsweredBy } from "./respuesta-cancelada.ts";
import {
  answerActBody,
  expectEstadoFollowsEvents,
  filePromocion,
  particularWithMailbox,
  promocionEvents,
  type SessionRequests,
  sessionRequests,
  staffEfirma,
  staffUrl,
} from "./test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * A promoción answered by an act that is cancelled before it is notified goes back to atención
 * (`respuesta_cancelada`, written in the cancellation's transaction) and is answered again by a
 * new act; an act that answers nothing reopens nothing; a refused cancellation changes nothing.
 * Through HTTP on both engines.
 */
const at = (text: string) => Temporal.Instant.from(text);
/** Monday 14 Dec 2026, 10:00 Zona Centro: a business day, inside notification hours. */
const MONDAY = "2026-12-14T10:00:00-06:00";
const MOTIVO = "El oficio se numeró con el consecutivo de otra subdelegación.";

describe.each(ENGINES)("respuesta cancelada de una promoción on %s", (engine) => {
  let system: System;
  let now = at(MONDAY);
  let counter = 0;
  let operadorEfirma: IssuedEfirma;
  let operador: SignedIn;
  let notificadorEfirma: IssuedEfirma;
  let notificador: SignedIn;
  let get: SessionRequests["get"];
  let post: SessionRequests["post"];
  const tag = engine === "pglite" ? "R" : "S";

  beforeAll(async () => {
    system = await createTestSystem({ engine, trustDevCa: true, clock: () => now });
    ({ get, post } = sessionRequests(system.app));
    operadorEfirma = await staffEfirma(system, `OPC${tag}`, "operador", "OSCAR CRUZ");
    notificadorEfirma = await staffEfirma(system, `NOC${tag}`, "notificador", "NORA CANO");
  });

  /** Sessions at `now` (a jump of days ends the earlier ones by inactivity). */
  async function signInStaff() {
    operador = await signInWith(system.app, operadorEfirma);
    notificador = await signInWith(system.app, notificadorEfirma);
  }
  afterAll(async () => {
    await system?.app.close();
  });

  /** A particular with an enabled mailbox whose promoción the operador took. */
  async function taken() {
    await signInStaff();
    counter++;
    const who = await particularWithMailbox(
      system,
      fisicaRfc(`PC${tag}${String.fromCharCode(64 + counter)}`),
      now,
    );
    const { id } = await filePromocion(system.app, who, []);
    const take = await post(operador, staffUrl(id, "/atencion"), {});
    expect(take.statusCode, take.body).toBe(200);
    return { who, id };
  }

  const cancel = (actId: string, motivo = MOTIVO) =>
    post(notificador, `/api/v1/notificaciones/${actId}/cancelacion`, { motivo });

  const actBody = (rfc: string, text: string) => answerActBody(notificadorEfirma, rfc, text);

  async function answer(id: string, rfc: string, text: string): Promise<string> {
    const answered = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await actBody(rfc, text),
    );
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().state).toBe("respondida");
    return answered.json().answer.id;
  }

  const events = (id: string) => promocionEvents(system.database.db, id);

  async function keyOf(actId: string): Promise<string> {
    const row = await system.database.db
      .selectFrom("notificaciones")
      .select("idempotency_key")
      .where("id", "=", actId)
      .executeTakeFirstOrThrow();
    return row.idempotency_key;
  }

  it("the act of the answer cancelled: back en_atencion with its assignee, the event in both timelines, answered again by a new act", async () => {
    now = at(MONDAY);
    const { who, id } = await taken();
    const first = await answer(id, who.rfc, `${tag}0101`);

    now = at("2026-12-14T10:05:00-06:00");
    const cancelled = await cancel(first);
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    const folio = cancelled.json().acuse.folio;

    const written = await events(id);
    expect(written.map((e) => e.type)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
      "respuesta_cancelada",
    ]);
    expect(written.at(-1)).toMatchObject({
      actor_rfc: notificador.rfc,
      acuse_folio: null,
      data: { notificacionId: first, motivo: MOTIVO, cancelacionAcuse: folio, via: "sesion" },
    });

    // The staff: en atención with the same assignee, no answer, the step with act and motive.
    const staff = (await get(operador, staffUrl(id))).json();
    expect(staff).toMatchObject({ state: "en_atencion", assignee: operador.rfc, answer: null });
    expect(staff.timeline.at(-1)).toMatchObject({
      event: "respuesta_cancelada",
      at: "2026-12-14T10:05:00-06:00",
      actor: notificador.rfc,
      notificacionId: first,
      reason: MOTIVO,
    });
    const queue = await get(operador, `/api/v1/staff/promociones?rfc=${who.rfc}`);
    expect(queue.json()).toEqual([
      expect.objectContaining({ id, state: "en_atencion", assignee: operador.rfc }),
    ]);
    const filtered = await get(
      operador,
      `/api/v1/staff/promociones?rfc=${who.rfc}&estado=en_atencion&asignadoA=${operador.rfc}`,
    );
    expect(filtered.json().map((p: { id: string }) => p.id)).toEqual([id]);

    // The particular: the step, never the motive nor who on the staff acted.
    const own = await get(who, `/api/v1/promociones/${id}`);
    expect(own.json()).toMatchObject({ state: "en_atencion", answer: null });
    expect(own.json().timeline.map((e: { event: string }) => e.event)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
      "respuesta_cancelada",
    ]);
    expect(own.json().timeline.at(-1)).toEqual({
      event: "respuesta_cancelada",
      at: "2026-12-14T10:05:00-06:00",
    });
    expect(own.body).not.toContain(MOTIVO);
    expect(own.body).not.toContain(notificador.rfc);
    expect(own.body).not.toContain(operador.rfc);
    expect((await get(who, "/api/v1/promociones")).json()[0].state).toBe("en_atencion");

    // Answered again by a new act, under the next key; a double click answers the same.
    const body = await actBody(who.rfc, `${tag}0102`);
    const again = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(again.statusCode, again.body).toBe(200);
    const second = again.json().answer.id;
    expect(second).not.toBe(first);
    expect(again.json()).toMatchObject({ state: "respondida", assignee: operador.rfc });
    expect(await keyOf(first)).toBe(answerKeyOf(id));
    expect(await keyOf(second)).toBe(answerKeyOf(id, 1));
    const twice = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(twice.statusCode, twice.body).toBe(200);
    expect(twice.json().answer.id).toBe(second);
    expect((await get(who, `/api/v1/promociones/${id}`)).json()).toMatchObject({
      state: "respondida",
      answer: { kind: "notificacion", id: second },
    });

    // Cancelled again, the promoción reopens again; the third answer takes the third key.
    expect((await cancel(second)).statusCode).toBe(201);
    const third = await answer(id, who.rfc, `${tag}0103`);
    expect(await keyOf(third)).toBe(answerKeyOf(id, 2));
    expect((await events(id)).map((e) => e.type)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
      "respuesta_cancelada",
      "respondida",
      "respuesta_cancelada",
      "respondida",
    ]);
  });

  it("cancelling an act that answers no promoción changes none", async () => {
    now = at(MONDAY);
    const { who, id } = await taken();
    const answered = await answer(id, who.rfc, `${tag}0201`);
    const plain = await post(notificador, "/api/v1/notificaciones", {
      ...(await actBody(who.rfc, `${tag}0202`)),
      idempotencyKey: `prueba:${tag}:0202`,
    });
    expect(plain.statusCode, plain.body).toBe(201);
    const before = await system.database.db
      .selectFrom("promocion_events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();

    const cancelled = await cancel(plain.json().id);
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    const after = await system.database.db
      .selectFrom("promocion_events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await get(operador, staffUrl(id))).json()).toMatchObject({
      state: "respondida",
      answer: { kind: "notificacion", id: answered },
    });
  });

  it("the cancellation and the promoción's event commit together or not at all", async () => {
    now = at(MONDAY);
    const { who, id } = await taken();
    const answered = await answer(id, who.rfc, `${tag}0401`);
    // The system's own hook, then a refusal later in the same transaction.
    const cancelFailing = createCancelacion({
      db: system.database.db,
      clock: () => now,
      evidence: system.evidence,
      context: () => system.notificaciones.context(),
      hooks: {
        record: async (tx, cancelled) => {
          await reopenAnsweredBy(tx, cancelled);
          throw new AppError("conflict", "Falla simulada después de reabrir la promoción.");
        },
      },
    });
    await expect(
      cancelFailing(answered, { rfc: notificador.rfc, via: "sesion", role: "notificador" }, MOTIVO),
    ).rejects.toThrow(/Falla simulada/);
    expect((await events(id)).map((e) => e.type)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
    ]);
    const actEvents = await system.database.db
      .selectFrom("notificacion_events")
      .select("type")
      .where("notificacion_id", "=", answered)
      .orderBy("id")
      .execute();
    expect(actEvents.map((e) => e.type)).not.toContain("cancelada");
    const acuses = await system.database.db
      .selectFrom("acuses")
      .select("folio")
      .where("rfc", "=", who.rfc)
      .where("kind", "=", "cancelacion_notificacion")
      .execute();
    expect(acuses).toEqual([]);
    // Nothing half-done stands in the way: the real cancellation reopens it.
    expect((await cancel(answered)).statusCode).toBe(201);
    expect((await get(operador, staffUrl(id))).json()).toMatchObject({ state: "en_atencion" });
  });

  it("a refused cancellation (the act already notified) leaves the promoción respondida", async () => {
    now = at(MONDAY);
    const { who, id } = await taken();
    const answered = await answer(id, who.rfc, `${tag}0301`);
    // Notified by law on the fourth business day: no longer cancellable.
    now = at("2026-12-18T09:30:00-06:00");
    await signInStaff();
    const refused = await cancel(answered);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("illegal_transition");
    expect((await events(id)).map((e) => e.type)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
    ]);
    expect((await get(operador, staffUrl(id))).json()).toMatchObject({
      state: "respondida",
      answer: { kind: "notificacion", id: answered },
    });
  });
  it("the queue's projection follows every promoción's events (respuesta_cancelada back to en_atencion) and rebuilds the same", async () => {
    expect(await expectEstadoFollowsEvents(system.database)).toBeGreaterThan(2);
  });
});
