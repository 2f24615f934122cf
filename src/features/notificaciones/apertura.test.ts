import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instantOfUuidV7 } from "../../domain/notificaciones/apertura.ts";
import { atLocalTime, toZonaCentro } from "../../domain/time/zona-centro.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import { DEV_CA_FILES, type IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { createDemoClock, type DemoClock } from "../../platform/demo-clock.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma, signLikeTheBrowser, testDevCa } from "../../testing/efirma.ts";
import { type OcspResponder, startOpensslResponder } from "../../testing/ocsp-responder.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { type DevSinks, startDevSinks } from "../delivery/dev-sinks.ts";
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
      "Fecha y hora del desafío: 2026-12-14T11:00:00-06:00",
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
      {
        event: "abierta",
        at: "2026-12-14T11:00:00-06:00",
        acuse: opened.acuse.folio,
        acuseCodigo: opened.acuse.codigo,
      },
    ]);
    const pdf = await f.get(who, `/api/v1/notificaciones/${act.id}/documento`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.equals(act.pdf)).toBe(true);
    // The evidence package carries the signed text and its .p7s.
    const zip = unzipSync(
      (
        await f.system.evidencePackages.packageOf(act.id, {
          via: "linea_de_comandos",
          by: "pruebas",
        })
      ).bytes,
    );
    expect(Buffer.from(zip["apertura/abierta-texto-firmado.txt"] ?? []).toString("utf8")).toBe(
      toSign,
    );
    expect(Buffer.from(zip["apertura/abierta-firma.p7s"] ?? []).equals(p7s)).toBe(true);

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

  it("a challenge signed in the text's first version («Fecha y hora») still opens; a forged label does not", async () => {
    f.now = at(MONDAY_1000);
    const act = await f.depositAct(FISICA);
    f.now = at("2026-12-14T12:00:00-06:00");
    const who = await signInWith(f.system.app, f.fisica);
    const asked = await f.challenge(who, act.id);
    expect(asked.statusCode, asked.body).toBe(201);
    const { challengeId, toSign } = asked.json();
    expect(toSign).not.toMatch(/^Fecha y hora: /m);
    // The page of a build before the change showed the first version of the same challenge.
    const legacy = toSign.replace("Fecha y hora del desafío: ", "Fecha y hora: ");
    expect(legacy).not.toBe(toSign);
    const forged = await f.challenge(who, act.id);
    const other = forged.json().toSign.replace("Fecha y hora del desafío: ", "Fecha y hora real: ");
    const refused = await f.open(who, act.id, {
      challengeId: forged.json().challengeId,
      ...(await signLikeTheBrowser(f.fisica, other)),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: "opening_signature_refused" });
    const opened = await f.open(who, act.id, {
      challengeId,
      ...(await signLikeTheBrowser(f.fisica, legacy)),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const event = await f.system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", act.id)
      .where("type", "=", "abierta")
      .executeTakeFirstOrThrow();
    // The event keeps what was signed, verbatim: the .p7s verifies against it.
    expect((event.data as { signedText: string }).signedText).toBe(legacy);
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

  it("an opening on the fourth day at 09:00 is refused: the term is over and the law notifies at 09:30 with its constancia (ADR 0002); after 09:30 it is an access that changes nothing; the detail and the list say so beforehand (openable)", async () => {
    f.now = at(MONDAY_1000);
    const early = await f.depositAct();
    const late = await f.depositAct();
    // Aviso Monday 14: open by Thursday 17, notified by law Friday 18 at 09:30.
    const engineDates = await f.engineFor(MONDAY_1000);
    expect(engineDates.deemedNotifiedAt).toBe("2026-12-18T09:30:00-06:00");
    /** What the detail and the list say about opening the act now (the legal clock's). */
    const opening = async (id: string) => {
      const who = await signInWith(f.system.app, f.moral);
      const detail = (await f.get(who, `/api/v1/notificaciones/${id}`)).json();
      const list = (await f.get(who, "/api/v1/notificaciones?limite=500")).json();
      const item = list.find((i: { id: string }) => i.id === id);
      expect({ openable: item.openable, openingRefusal: item.openingRefusal }).toEqual({
        openable: detail.openable,
        openingRefusal: detail.openingRefusal,
      });
      return detail;
    };
    // The third day at 23:00: an opening counts at 09:30 of the fourth day, by opening.
    f.now = at("2026-12-17T23:00:00-06:00");
    expect(await opening(early.id)).toMatchObject({
      state: "pendiente",
      openable: true,
      openingRefusal: null,
    });
    // The fourth day at 08:00: still pending, but the detail already says it cannot be opened,
    // and why, with the refusal's own text.
    f.now = at("2026-12-18T08:00:00-06:00");
    const closed = await opening(early.id);
    expect(closed).toMatchObject({ state: "pendiente", openable: false });
    f.now = at("2026-12-18T09:00:00-06:00");
    const who = await signInWith(f.system.app, f.moral);
    const refused = await f.challenge(who, early.id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: "illegal_transition" });
    expect(refused.json().detail).toBe(
      "El plazo de tres días hábiles para abrir este acto terminó el jueves 17 de diciembre de 2026: se tiene por notificado por ministerio de ley el viernes 18 de diciembre de 2026 a las 09:30 (Zona Centro) (Lineamientos 7.5), y desde ese momento puedes consultarlo aquí.",
    );
    expect(closed.openingRefusal).toBe(refused.json().detail);
    // A challenge asked at 23:58 on Thursday (an opening then counts on Friday at 09:30, by
    // opening: rule a) and signed at 00:01 on Friday is refused too, and nothing is written: at
    // 09:30 the sweep seals the constancia, the evidence a court asks for.
    f.now = at("2026-12-17T23:58:00-06:00");
    const thursday = await f.challenge(who, early.id);
    expect(thursday.statusCode, thursday.body).toBe(201);
    f.now = at("2026-12-18T00:01:00-06:00");
    const signed = await f.open(who, early.id, {
      challengeId: thursday.json().challengeId,
      ...(await signLikeTheBrowser(f.moral, thursday.json().toSign)),
    });
    expect(signed.statusCode, signed.body).toBe(409);
    expect(signed.json().detail).toContain("se tiene por notificado por ministerio de ley");
    f.now = at("2026-12-18T09:31:00-06:00");
    const swept = await f.system.notificacionSweeps.runAll();
    expect(swept.constancias.done).toBeGreaterThanOrEqual(1);
    expect(await f.eventTypes(early.id)).toEqual([
      "depositada",
      "aviso_emitido",
      "constancia_cuarto_dia",
    ]);
    // Notified by law: nothing left to open, nor a refusal to give.
    expect(await opening(early.id)).toMatchObject({
      state: "notificada",
      notifiedBy: "ministerio_de_ley",
      openable: false,
      openingRefusal: null,
    });

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
    // The download before it was the first access (recorded, no acuse); the signature still
    // records its own.
    expect(detail.timeline.map((e: { event: string }) => e.event)).toEqual([
      "depositada",
      "aviso_emitido",
      "constancia_cuarto_dia",
      "descarga_posterior",
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
    expect(await f.eventTypes(act.id)).toEqual(["depositada", "abierta"]);
  });
});

describe("apertura with a real OCSP responder and the demo clock", () => {
  let responder: OcspResponder;
  let sinks: DevSinks;
  let demo: DemoClock;
  let stateDir: string;
  beforeAll(async () => {
    responder = await startOpensslResponder((await testDevCa()).dir);
    sinks = await startDevSinks();
    stateDir = mkdtempSync(join(tmpdir(), "buzon-apertura-"));
    demo = createDemoClock(join(stateDir, "reloj-demo.json"));
  });
  // Asked again at every use: a certificate revoked after sign-in is seen at once; an answer
  // that cannot be used refuses (as in production).
  const f = notificacionesFixture("pglite", {
    env: () => ({
      OCSP_URL: responder.url,
      OCSP_CACHE_SECONDS: "0",
      REVOCATION_UNAVAILABLE: "refuse",
    }),
    demo: () => ({ sinks, clock: demo }),
  });
  afterAll(async () => {
    responder?.process.kill();
    await sinks?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("with legal time moved days ahead, refuses a certificate revoked after the session began and opens with a good one", async () => {
    // Legal time: 11:00 of the next business day; security time (sessions, challenges, OCSP
    // answers) stays real, so the responder's answers are fresh.
    const calendar = await f.system.calendars.calendar();
    let day = toZonaCentro(Temporal.Now.instant()).toPlainDate().add({ days: 1 });
    while (!calendar.isBusinessDay(day)) day = day.add({ days: 1 });
    demo.moveTo(atLocalTime(day, Temporal.PlainTime.from("11:00")));
    // The fixture's e.firmas were issued after the responder started: one query refreshes it.
    await touchIndex((await testDevCa()).dir);
    await askResponder(responder.url, f.notificador);
    const act = await f.depositAct();
    expect(act.state).toBe("pendiente");

    // A second e.firma of the same company, revoked once its session has begun.
    const revokedLater = await issueTestEfirma();
    await touchIndex((await testDevCa()).dir);
    await askResponder(responder.url, revokedLater);
    const who = await signInWith(f.system.app, revokedLater);
    await revokeInIndex((await testDevCa()).dir, revokedLater.serialHex);
    // OpenSSL's responder reads its index before waiting for a request: one query refreshes it.
    await askResponder(responder.url, revokedLater);
    const refused = await f.signAndOpen(who, act.id);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({
      code: "opening_signature_refused",
      detail: expect.stringContaining("revocado"),
      errors: [{ pointer: "/certificate" }],
    });
    expect(await f.eventTypes(act.id)).toEqual(["depositada"]);

    const good = await signInWith(f.system.app, f.moral);
    const asked = await f.challenge(good, act.id);
    expect(asked.statusCode, asked.body).toBe(201);
    // The text names the legal instant; the challenge expires five real minutes later.
    expect(asked.json().toSign).toContain(`Fecha y hora del desafío: ${day.toString()}T11:`);
    const expiresAt = Temporal.Instant.from(asked.json().expiresAt);
    const untilExpiry = expiresAt.since(Temporal.Now.instant()).total("seconds");
    expect(untilExpiry).toBeGreaterThan(200);
    expect(untilExpiry).toBeLessThanOrEqual(300);
    const opened = await f.open(good, act.id, {
      challengeId: asked.json().challengeId,
      ...(await signLikeTheBrowser(f.moral, asked.json().toSign)),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json().notifiedAt.startsWith(`${day.toString()}T11:`)).toBe(true);
  });
});

/** One OCSP query with OpenSSL's client (its answer does not matter). */
async function askResponder(url: string, efirma: IssuedEfirma): Promise<void> {
  const ca = await testDevCa();
  const pem = join(ca.dir, `consulta-${efirma.serialHex}.pem`);
  await writeFile(pem, new X509Certificate(await readFile(efirma.cerPath)).toString());
  await promisify(execFile)("openssl", [
    ...["ocsp", "-issuer", join(ca.dir, DEV_CA_FILES.certificatePem)],
    ...["-cert", pem, "-url", url, "-noverify", "-timeout", "5"],
  ]).catch(() => undefined);
}

/**
 * OpenSSL's responder reloads its index only when the file's mtime, in whole seconds, changes:
 * a certificate issued in the same second as its last read stays unknown to it (and the
 * sign-in, refusing an unknown status, answers 503). Each call moves the mtime to a new second.
 */
let indexBump = 10;
async function touchIndex(caDir: string): Promise<void> {
  indexBump += 7;
  const later = new Date(Date.now() + indexBump * 1000);
  await utimes(join(caDir, DEV_CA_FILES.index), later, later);
}

/** Marks a certificate revoked (an hour ago) in the development CA's OpenSSL index. */
async function revokeInIndex(caDir: string, serialHex: string): Promise<void> {
  const path = join(caDir, DEV_CA_FILES.index);
  const revokedAt = `${new Date(Date.now() - 3600_000)
    .toISOString()
    .replace(/[-:T]/g, "")
    .slice(2, 14)}Z`;
  const lines = (await readFile(path, "utf8")).split("\n").map((line) => {
    const [status, notAfter, , serial, ...rest] = line.split("\t");
    return status === "V" && serial === serialHex
      ? ["R", notAfter, revokedAt, serial, ...rest].join("\t")
      : line;
  });
  await writeFile(path, lines.join("\n"));
  // OpenSSL's responder reloads its index when the file's mtime (whole seconds) changes.
  const later = new Date(Date.now() + 5000);
  await utimes(path, later, later);
}
