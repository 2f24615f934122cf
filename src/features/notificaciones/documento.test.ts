import { describe, expect, it } from "vitest";
import { ENGINES } from "../../testing/database.ts";
import { signLikeTheBrowser } from "../../testing/efirma.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { at, FISICA, MONDAY_1000, MORAL, notificacionesFixture } from "./test-fixture.ts";

/**
 * The first access after an act was notified by law (issue 11 §2): a plain download records
 * `descarga_posterior` once and changes nothing, and never takes the signed access (with its
 * acuse, ADR 0014) away. Both paths together, in both orders, on both engines.
 */

// Aviso Monday 14 Dec 10:00: open by Thursday 17, notified by law Friday 18 at 09:30.
const DEEMED = "2026-12-18T09:30:00-06:00";

describe.each(ENGINES)("primer acceso por descarga on %s", (engine) => {
  const f = notificacionesFixture(engine);

  async function eventsOf(id: string) {
    return f.system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", id)
      .orderBy("id")
      .execute();
  }

  const download = (who: Awaited<ReturnType<typeof signInWith>>, id: string) =>
    f.get(who, `/api/v1/notificaciones/${id}/documento`);

  it("download, download again, then the signed access: one record of each, nothing changes", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-18T10:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const before = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    expect(before).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });

    const first = await download(who, act.id);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.rawPayload.equals(act.pdf)).toBe(true);
    f.now = at("2026-12-18T10:05:00-06:00");
    expect((await download(who, act.id)).statusCode).toBe(200);

    const events = await eventsOf(act.id);
    expect(events.map((e) => e.type)).toEqual(["depositada", "descarga_posterior"]);
    const recorded = events[1]!;
    expect(recorded.at.toISOString()).toBe("2026-12-18T16:00:00.000Z");
    expect(recorded.acuse_folio).toBeNull();
    // A persona moral's representative signed in: that is who accessed.
    expect(recorded.actor_rfc).toBe("VADA800927DJ3");
    expect(recorded.data).toMatchObject({
      notifiedAt: DEEMED,
      notifiedBy: "ministerio_de_ley",
      capacity: "representante_legal",
      sessionId: expect.any(String),
    });

    // The dates, the state and the notification do not move; the timeline shows it.
    const after = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    const { timeline: _t1, ...beforeRest } = before;
    const { timeline, ...afterRest } = after;
    expect(afterRest).toEqual(beforeRest);
    expect(timeline).toEqual([
      { event: "depositada", at: MONDAY_1000 },
      { event: "descarga_posterior", at: "2026-12-18T10:00:00-06:00" },
    ]);

    // The signed access still works, with its own acuse, and is the only one.
    const access = await f.signAndOpen(who, act.id);
    expect(access.statusCode, access.body).toBe(201);
    expect(access.json()).toMatchObject({ notifiedAt: DEEMED, notifiedBy: "ministerio_de_ley" });
    const acuse = await f.system.evidence.acuseByFolio(access.json().acuse.folio);
    expect(acuse?.kind).toBe("acceso_posterior_notificacion");
    expect((await f.challenge(who, act.id)).json()).toMatchObject({ code: "already_opened" });
    expect((await download(who, act.id)).statusCode).toBe(200);
    expect((await eventsOf(act.id)).map((e) => e.type)).toEqual([
      "depositada",
      "descarga_posterior",
      "acceso_posterior",
    ]);
  });

  it("the signed access first: a later download records nothing more", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-18T11:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const access = await f.signAndOpen(who, act.id);
    expect(access.statusCode, access.body).toBe(201);
    expect((await download(who, act.id)).statusCode).toBe(200);
    expect((await download(who, act.id)).statusCode).toBe(200);
    expect((await eventsOf(act.id)).map((e) => e.type)).toEqual(["depositada", "acceso_posterior"]);
  });

  it("an act opened in time, or the constancia's: downloads record the first access only when notified by law", async () => {
    f.now = at(MONDAY_1000);
    const opened = await f.depositAct(FISICA);
    const byLaw = await f.depositAct(FISICA);
    f.now = at("2026-12-15T12:00:00-06:00");
    const who = await signInWith(f.system.app, f.fisica);
    expect((await f.signAndOpen(who, opened.id)).statusCode).toBe(201);
    expect((await download(who, opened.id)).statusCode).toBe(200);
    // Pending: refused, nothing written.
    expect((await download(who, byLaw.id)).statusCode).toBe(403);
    expect((await eventsOf(opened.id)).map((e) => e.type)).toEqual(["depositada", "abierta"]);
    expect((await eventsOf(byLaw.id)).map((e) => e.type)).toEqual(["depositada"]);

    // The fourth day's sweep seals the constancia; the download after it is recorded.
    f.now = at("2026-12-18T12:00:00-06:00");
    await f.system.notificacionSweeps.runAll();
    const later = await signInWith(f.system.app, f.fisica);
    expect((await download(later, byLaw.id)).statusCode).toBe(200);
    const events = await eventsOf(byLaw.id);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["constancia_cuarto_dia", "descarga_posterior"]),
    );
    const recorded = events.find((e) => e.type === "descarga_posterior");
    expect(recorded).toMatchObject({ actor_rfc: FISICA });
    expect(recorded?.data).toMatchObject({ capacity: "titular", notifiedAt: DEEMED });
    expect((await download(later, opened.id)).statusCode).toBe(200);
    expect((await eventsOf(opened.id)).map((e) => e.type)).not.toContain("descarga_posterior");
  });

  it("downloads at once (double click, two tabs): exactly one record", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-18T13:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const other = await signInWith(f.system.app, f.moral);
    const answers = await Promise.all([
      download(who, act.id),
      download(other, act.id),
      download(who, act.id),
      download(other, act.id),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await eventsOf(act.id)).map((e) => e.type)).toEqual([
      "depositada",
      "descarga_posterior",
    ]);
    const detail = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    expect(detail).toMatchObject({ state: "notificada", notifiedAt: DEEMED });
  });

  it("a signed access racing downloads: its acuse is issued; a download records only if it came first", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-18T13:30:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const asked = await f.challenge(who, act.id);
    expect(asked.statusCode, asked.body).toBe(201);
    const signed = await signLikeTheBrowser(f.moral, asked.json().toSign);
    const answers = await Promise.all([
      download(who, act.id),
      f.open(who, act.id, { challengeId: asked.json().challengeId, ...signed }),
      download(who, act.id),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 201, 200]);
    const types = (await eventsOf(act.id)).map((e) => e.type);
    expect(types.filter((t) => t === "acceso_posterior")).toHaveLength(1);
    // Under the act's lock: either the download was the first access, or nothing was recorded.
    expect([
      ["depositada", "acceso_posterior"],
      ["depositada", "descarga_posterior", "acceso_posterior"],
    ]).toContainEqual(types);
  });

  it("another person's act is 404 and records nothing", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct(MORAL);
    f.now = at("2026-12-18T14:00:00-06:00");
    const stranger = await signInWith(f.system.app, f.fisica);
    expect((await download(stranger, act.id)).statusCode).toBe(404);
    expect((await eventsOf(act.id)).map((e) => e.type)).toEqual(["depositada"]);
  });
});
