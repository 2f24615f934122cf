import { Buffer } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { instantOfUuidV7 } from "../../domain/notificaciones/apertura.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma, signLikeTheBrowser } from "../../testing/efirma.ts";
import { signInWith } from "../../testing/sign-in.ts";
import {
  at,
  FISICA,
  MONDAY_1000,
  MORAL,
  notificacionesFixture,
  SIN_BUZON,
} from "./test-fixture.ts";

/**
 * The signed opening (CFF 134-I) through HTTP on both engines, with a clock the tests set: the
 * real system (padrón, mailbox, outbox, blob store, evidence, e.firmas of the test CA).
 */

describe.each(ENGINES)("apertura de notificaciones on %s", (engine) => {
  const f = notificacionesFixture(engine);

  it("opens inside the window: notified at that instant by apertura, with its acuse, the signature kept and the document served", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-14T11:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    // Before opening, the document waits.
    expect((await f.get(who, `/api/v1/notificaciones/${act.id}/documento`)).statusCode).toBe(403);
    const asked = await f.challenge(who, act.id);
    expect(asked.statusCode, asked.body).toBe(201);
    const { challengeId, toSign, expiresAt } = asked.json();
    expect(expiresAt).toBe("2026-12-14T11:05:00-06:00");
    expect(instantOfUuidV7(challengeId)?.equals(f.now)).toBe(true);
    const row = await f.system.database.db
      .selectFrom("notificaciones")
      .selectAll()
      .where("id", "=", act.id)
      .executeTakeFirstOrThrow();
    for (const part of [
      `RFC: ${MORAL}`,
      `Acto: ${act.id}`,
      `Oficio: ${row.oficio}`,
      "Tipo de acto: 7.1 ",
      "Documento: Resolución prima RT 2026.pdf",
      `SHA-256 del documento: ${row.document_sha256}`,
      "Fecha y hora: 2026-12-14T11:00:00-06:00",
      `Desafío: ${challengeId}`,
      "Nonce: ",
      "me doy por notificado",
      "CFF art. 134, fracción I",
    ]) {
      expect(toSign).toContain(part);
    }
    const signed = await signLikeTheBrowser(f.moral, toSign);
    const response = await f.open(who, act.id, { challengeId, ...signed });
    expect(response.statusCode, response.body).toBe(201);
    const opened = response.json();
    expect(opened).toEqual({
      acuse: { folio: expect.stringMatching(/^BI-/), codigo: expect.any(String) },
      notifiedAt: "2026-12-14T11:00:00-06:00",
      notifiedBy: "apertura",
    });

    const acuse = await f.system.evidence.acuseByFolio(opened.acuse.folio);
    const p7s = Buffer.from(
      detachedCmsOf(
        Buffer.from(signed.certificate, "base64"),
        Buffer.from(signed.signature, "base64"),
      ),
    );
    expect(acuse).toMatchObject({
      kind: "apertura_notificacion",
      parties: { rfc: MORAL, actorRfc: "VADA800927DJ3", capacity: "representante_legal" },
      rule: "apertura",
      calendarVersion: "test-1",
      documents: [
        { name: row.document_name, sha256: row.document_sha256, bytes: row.document_bytes },
        {
          name: "firma-apertura.p7s",
          sha256: createHash("sha256").update(p7s).digest("hex"),
          bytes: p7s.length,
        },
      ],
    });
    expect(acuse?.eventAt.equals(f.now)).toBe(true);
    expect(acuse?.countsAt.equals(f.now)).toBe(true);
    // The signature is in the blob store, the signed text and who opened in the event.
    expect((await f.system.blobs.get(acuse!.documents[1]!.sha256)).equals(p7s)).toBe(true);
    const event = await f.system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", act.id)
      .where("type", "=", "abierta")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ acuse_folio: opened.acuse.folio, actor_rfc: "VADA800927DJ3" });
    expect(event.data).toMatchObject({
      notifiedAt: "2026-12-14T11:00:00-06:00",
      notifiedBy: "apertura",
      capacity: "representante_legal",
      certificateNumber: expect.any(String),
      signedText: toSign,
    });

    const detail = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    expect(detail).toMatchObject({
      state: "notificada",
      notifiedBy: "apertura",
      notifiedAt: "2026-12-14T11:00:00-06:00",
    });
    expect(detail.timeline).toEqual([
      { event: "depositada", at: MONDAY_1000 },
      { event: "abierta", at: "2026-12-14T11:00:00-06:00", acuse: opened.acuse.folio },
    ]);
    const pdf = await f.get(who, `/api/v1/notificaciones/${act.id}/documento`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.equals(act.pdf)).toBe(true);

    // Opening twice: no new challenge, and the first opening's acuse is named.
    const twice = await f.challenge(who, act.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "already_opened" });
    expect(twice.json().detail).toContain(opened.acuse.folio);
    // The same signed challenge again: spent.
    const replay = await f.open(who, act.id, { challengeId, ...signed });
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: "opening_challenge_invalid" });
    expect(replay.json().detail).toContain("ya se usó");
    expect(await f.openingAcuses(MORAL)).toHaveLength(1);
  });

  it("an opening on Monday at 20:00 by the titular counts on Tuesday at 09:30 (rule a)", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct(FISICA);
    f.now = at("2026-12-14T20:00:00-06:00");
    const who = await signInWith(f.system.app, f.fisica);
    const response = await f.signAndOpen(who, act.id);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      notifiedAt: "2026-12-15T09:30:00-06:00",
      notifiedBy: "apertura",
    });
    const acuse = await f.system.evidence.acuseByFolio(response.json().acuse.folio);
    expect(acuse).toMatchObject({
      kind: "apertura_notificacion",
      parties: { rfc: FISICA, actorRfc: FISICA, capacity: "titular" },
      rule: "horario_notificacion",
    });
    expect(acuse?.eventAt.equals(f.now)).toBe(true);
    expect(acuse?.countsAt.equals(at("2026-12-15T09:30:00-06:00"))).toBe(true);
    const engineDates = await f.engineFor(MONDAY_1000, f.now);
    const item = (await f.get(who, "/api/v1/notificaciones"))
      .json()
      .find((i: { id: string }) => i.id === act.id);
    expect(item).toMatchObject({
      state: "notificada",
      notifiedAt: engineDates.notifiedAt,
      notifiedBy: "apertura",
      effectiveOn: engineDates.effectiveOn,
      recursoInconformidadBy: engineDates.recursoInconformidadBy,
    });
  });

  it("an opening on the fourth day at 09:00 counts at its 09:30 (ADR 0002, 0007); after 09:30 it is an access that changes nothing", async () => {
    f.now = at(MONDAY_1000);
    const early = await f.depositAct();
    const late = await f.depositAct();
    // Aviso Monday 14: open by Thursday 17, notified by law Friday 18 at 09:30.
    const engineDates = await f.engineFor(MONDAY_1000);
    expect(engineDates.deemedNotifiedAt).toBe("2026-12-18T09:30:00-06:00");
    f.now = at("2026-12-18T09:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const opened = await f.signAndOpen(who, early.id);
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({
      notifiedAt: "2026-12-18T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
    });
    const acuse = await f.system.evidence.acuseByFolio(opened.json().acuse.folio);
    expect(acuse).toMatchObject({ kind: "apertura_notificacion", rule: "cuarto_dia" });

    // After 09:30 of the fourth day: notified by law; the document is already served.
    f.now = at("2026-12-18T10:00:00-06:00");
    const after = await signInWith(f.system.app, f.moral);
    expect((await f.get(after, `/api/v1/notificaciones/${late.id}/documento`)).statusCode).toBe(
      200,
    );
    const asked = await f.challenge(after, late.id);
    expect(asked.statusCode).toBe(201);
    expect(asked.json().toSign).toContain("ya se tiene por notificado");
    const access = await f.open(after, late.id, {
      challengeId: asked.json().challengeId,
      ...(await signLikeTheBrowser(f.moral, asked.json().toSign)),
    });
    expect(access.statusCode, access.body).toBe(201);
    expect(access.json()).toMatchObject({
      notifiedAt: "2026-12-18T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
    });
    const accessAcuse = await f.system.evidence.acuseByFolio(access.json().acuse.folio);
    expect(accessAcuse).toMatchObject({
      kind: "acceso_posterior_notificacion",
      rule: "momento_del_evento",
    });
    expect(accessAcuse?.countsAt.equals(f.now)).toBe(true);
    const detail = (await f.get(after, `/api/v1/notificaciones/${late.id}`)).json();
    expect(detail).toMatchObject({
      state: "notificada",
      notifiedBy: "ministerio_de_ley",
      notifiedAt: engineDates.notifiedAt,
      effectiveOn: engineDates.effectiveOn,
    });
    expect(detail.timeline.map((e: { event: string }) => e.event)).toEqual([
      "depositada",
      "acceso_posterior",
    ]);
    // The first access only: a second is refused, naming the first.
    const again = await f.challenge(after, late.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "already_opened" });
    expect(again.json().detail).toContain(access.json().acuse.folio);
  });

  it("never opens someone else's act (404), nor with another e.firma, nor before its aviso, cancelled or on estrados", async () => {
    // Deposited Friday 11 Dec 18:01: available Monday 09:30.
    f.now = at("2026-12-11T18:01:00-06:00");
    const waiting = await f.depositAct();
    f.now = at("2026-12-12T12:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const early = await f.challenge(who, waiting.id);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "illegal_transition" });
    expect(early.json().detail).toContain("aún no está disponible");
    expect(early.json().detail).toContain("lunes 14 de diciembre de 2026");

    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    const acusesBefore = (await f.openingAcuses(MORAL)).length;
    const stranger = await signInWith(f.system.app, f.fisica);
    const foreign = await f.challenge(stranger, act.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().detail).toBe("No encontramos esa notificación en tu Buzón IMSS.");
    expect((await f.challenge(stranger, randomUUID())).statusCode).toBe(404);
    const mine = await signInWith(f.system.app, f.moral);
    const asked = (await f.challenge(mine, act.id)).json();
    const foreignOpen = await f.open(stranger, act.id, {
      challengeId: asked.challengeId,
      ...(await signLikeTheBrowser(f.fisica, asked.toSign)),
    });
    expect(foreignOpen.statusCode).toBe(404);

    // Another e.firma: of another RFC, and of the same RFC but not the session's.
    const other = await f.signAndOpen(mine, act.id, f.fisica);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: "opening_signer_mismatch" });
    const sibling = await issueTestEfirma();
    const same = await f.signAndOpen(mine, act.id, sibling);
    expect(same.statusCode).toBe(403);
    expect(same.json().detail).toContain("misma e.firma con la que iniciaste sesión");
    // A signature over another text.
    const fresh = (await f.challenge(mine, act.id)).json();
    const forged = await f.open(mine, act.id, {
      challengeId: fresh.challengeId,
      ...(await signLikeTheBrowser(f.moral, fresh.toSign.replace("Acto:", "Acto: otro"))),
    });
    expect(forged.statusCode).toBe(422);
    expect(forged.json()).toMatchObject({
      code: "opening_signature_refused",
      errors: [{ pointer: "/signature" }],
    });
    // An expired challenge (five minutes) and one of another act.
    const stale = (await f.challenge(mine, act.id)).json();
    f.now = f.now.add({ seconds: 301 });
    const expired = await f.open(mine, act.id, {
      challengeId: stale.challengeId,
      ...(await signLikeTheBrowser(f.moral, stale.toSign)),
    });
    expect(expired.statusCode).toBe(409);
    expect(expired.json()).toMatchObject({ code: "opening_challenge_invalid" });
    expect(await f.openingAcuses(MORAL)).toHaveLength(acusesBefore);

    // Cancelled: nothing to open.
    const cancelled = await f.depositAct();
    const cancel = await f.system.app.inject({
      method: "POST",
      url: `/api/v1/notificaciones/${cancelled.id}/cancelacion`,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
      payload: { motivo: "Error en el oficio." },
    });
    expect(cancel.statusCode, cancel.body).toBe(201);
    const again = await signInWith(f.system.app, f.moral);
    const refused = await f.challenge(again, cancelled.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain("canceló");

    // On estrados: not opened in the buzón.
    const estrados = await f.depositAct(SIN_BUZON);
    expect(estrados.state).toBe("estrados");
    const person = await signInWith(f.system.app, f.sinBuzon);
    const onEstrados = await f.challenge(person, estrados.id);
    expect(onEstrados.statusCode).toBe(409);
    expect(onEstrados.json().detail).toContain("estrados");
  });

  it("two openings at once (double click, or two challenges) give exactly one acuse", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    f.now = at("2026-12-14T12:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const first = (await f.challenge(who, act.id)).json();
    const second = (await f.challenge(who, act.id)).json();
    const body1 = {
      challengeId: first.challengeId,
      ...(await signLikeTheBrowser(f.moral, first.toSign)),
    };
    const body2 = {
      challengeId: second.challengeId,
      ...(await signLikeTheBrowser(f.moral, second.toSign)),
    };
    const before = (await f.openingAcuses(MORAL)).length;
    const answers = await Promise.all([
      f.open(who, act.id, body1),
      f.open(who, act.id, body1),
      f.open(who, act.id, body2),
    ]);
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([201, 409, 409]);
    const refusals = answers.filter((a) => a.statusCode === 409).map((a) => a.json().code);
    expect(refusals.sort()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(already_opened|opening_challenge_invalid)$/),
      ]),
    );
    expect((await f.openingAcuses(MORAL)).length).toBe(before + 1);
    const events = await f.system.database.db
      .selectFrom("notificacion_events")
      .select("type")
      .where("notificacion_id", "=", act.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(["depositada", "abierta"]);
  });
});
