import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { ENGINES } from "../../testing/database.ts";
import {
  issueFisicaEfirma,
  issueTestEfirma,
  signDocumentLikeTheBrowser,
} from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { TFJA } from "../calendario/service.ts";
import { createDelivery } from "../delivery/service.ts";
import type { RenderedMessage, Transport } from "../delivery/transports.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import { createPadronStore, type PadronEntry } from "../padron/store.ts";
import { appendNotificacionEvent } from "./store.ts";
import { notificacionTemplates } from "./templates.ts";
import { enableMailbox, fisicaRfc, padronWith, pdfOf } from "./test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * Deposit, «Mis notificaciones», the detail and the document through HTTP on both engines, with
 * a clock the tests set: the real system (padrón, mailbox, outbox, blob store, e.firmas of the
 * test CA, whose certificates are valid from a day before the real present for four years).
 */

const at = (text: string) => Temporal.Instant.from(text);
/** Friday 11 Dec 2026, 18:01 Zona Centro: after the window, the aviso waits until Monday. */
const FRIDAY_EVENING = at("2026-12-11T18:01:00-06:00");
const MONDAY_0930 = "2026-12-14T09:30:00-06:00";

const MORAL = "EKU9003173C9";
const RP_1 = "Y5412345108";
const RP_OTHER = "B5510768108";
const SIN_BUZON = "AAA010101AAA";
const FUERA_DEL_PADRON = "BBB010101BB1";
const MAX_BYTES = 64 * 1024;

function entry(rfc: string, registros: string[]): PadronEntry {
  return {
    rfc,
    name: `PARTICULAR ${rfc}`,
    persona: rfc.length === 12 ? "moral" : "fisica",
    registrosPatronales: registros,
    emailOnFile: null,
    habilitacion2020: null,
  };
}

describe.each(ENGINES)("notificaciones on %s", (engine) => {
  let system: System;
  let now = FRIDAY_EVENING;
  let notificador: IssuedEfirma;
  let operador: IssuedEfirma;
  let outsider: IssuedEfirma;
  let moralEfirma: IssuedEfirma;
  const sent: RenderedMessage[] = [];
  const capture: Transport = {
    async send(message) {
      sent.push(message);
      return { ok: true, response: "250 ok" };
    },
  };

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => now,
      env: { NOTIFICACION_MAX_BYTES: String(MAX_BYTES) },
    });
    await padronWith(
      system.database.db,
      [
        { rfc: MORAL, registros: [RP_1] },
        { rfc: SIN_BUZON, registros: [RP_OTHER] },
      ],
      now,
    );
    await enableMailbox(system.database.db, MORAL, now);
    notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
    operador = await issueFisicaEfirma(fisicaRfc("OPER"), "OSCAR PEREZ");
    outsider = await issueFisicaEfirma(fisicaRfc("AJEN"), "ANA JENKINS");
    await system.staff.set({ rfc: notificador.rfc, role: "notificador", name: "NORA" }, "pruebas");
    await system.staff.set({ rfc: operador.rfc, role: "operador", name: "OSCAR" }, "pruebas");
    moralEfirma = await issueTestEfirma();
  });
  afterAll(async () => {
    await system?.app.close();
  });

  async function body(overrides: Record<string, unknown> = {}, signer = notificador) {
    const pdf = pdfOf(randomUUID());
    return {
      idempotencyKey: randomUUID(),
      rfc: MORAL,
      actType: "7.1",
      oficio: `09 53 01 9200/${Math.floor(Math.random() * 10000)}`,
      issuingUnit: "Subdelegación Centro",
      documentName: "Resolución prima RT 2026.pdf",
      document: pdf.toString("base64"),
      signature: await signDocumentLikeTheBrowser(signer, pdf),
      ...overrides,
    };
  }

  function deposit(payload: object) {
    return system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      payload,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
  }

  async function particular(): Promise<SignedIn> {
    return signInWith(system.app, moralEfirma);
  }

  function get(who: SignedIn, url: string) {
    return system.app.inject({ url, cookies: { buzon_sesion: who.cookie } });
  }

  it("deposits on Friday 18:01 with its aviso at Monday 09:30, held by the outbox until then", async () => {
    now = FRIDAY_EVENING;
    const response = await deposit(await body());
    expect(response.statusCode, response.body).toBe(201);
    const answer = response.json();
    expect(answer).toEqual({
      id: expect.any(String),
      state: "depositada",
      depositedAt: "2026-12-11T18:01:00-06:00",
      avisoAt: MONDAY_0930,
    });
    const row = await system.database.db
      .selectFrom("notificaciones")
      .selectAll()
      .where("id", "=", answer.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      rfc: MORAL,
      act_type: "7.1",
      estrados: false,
      signer_rfc: notificador.rfc,
      deposited_by: "CACX7605101P8",
      calendar_version: "test-1",
    });
    expect(row.aviso_at.getTime()).toBe(at(MONDAY_0930).epochMilliseconds);
    const events = await system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", answer.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        "depositada",
        // In Zona Centro, as the API writes instants.
        expect.objectContaining({ avisoAt: "2026-12-14T09:30:00-06:00", estrados: false }),
      ],
    ]);
    const outbox = await system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "channel", "recipient", "next_attempt_at", "template"])
      .where("idempotency_key", "like", `notificacion:${answer.id}:aviso:%`)
      .orderBy("channel")
      .execute();
    expect(outbox.map((o) => [o.channel, o.recipient])).toEqual([
      ["correo", "eku9003173c9@example.mx"],
      ["sms", "+525512345678"],
    ]);
    for (const o of outbox) {
      expect(o.next_attempt_at?.getTime()).toBe(at(MONDAY_0930).epochMilliseconds);
    }
    // The blob is stored and recorded.
    expect(
      await system.database.db
        .selectFrom("blobs")
        .select("sha256")
        .where("sha256", "=", row.document_sha256)
        .executeTakeFirst(),
    ).toBeDefined();

    // Nothing leaves before Monday 09:30; at 09:30 both avisos go.
    const ours = (m: RenderedMessage) => m.text.includes(row.oficio) || m.sms.includes(row.oficio);
    let clock = at("2026-12-12T12:00:00-06:00");
    const delivery = createDelivery({
      db: system.database.db,
      clock: () => clock,
      templates: notificacionTemplates,
      email: capture,
      sms: capture,
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
    await delivery.deliverDue();
    clock = at("2026-12-14T09:29:59-06:00");
    await delivery.deliverDue();
    expect(sent.filter(ours)).toEqual([]);
    clock = at(MONDAY_0930);
    await delivery.deliverDue();
    const mine = sent.filter(ours);
    expect(mine.map((m) => m.channel).sort()).toEqual(["correo", "sms"]);
    const email = mine.find((m) => m.channel === "correo")!;
    expect(email.subject).toBe("Aviso de notificación — Buzón IMSS");
    // Three business days to open: Tue 15, Wed 16, Thu 17; notified Fri 18 at 09:30.
    expect(email.text).toContain("tres días hábiles");
    expect(email.text).toContain("jueves 17 de diciembre de 2026");
    expect(email.text).toContain("viernes 18 de diciembre de 2026");
    expect(email.text).not.toContain("%PDF");
    expect(email.text).toContain(`/buzon/notificaciones/${answer.id}`);
    expect(email.html).toContain("Aviso de notificación — Buzón IMSS");
    expect(mine.find((m) => m.channel === "sms")!.sms).toContain("17/12/2026");
  });

  it("inside the window the act is available at once; a holiday moves it to the next business day", async () => {
    now = at("2026-12-14T10:00:00-06:00");
    const inside = await deposit(await body());
    expect(inside.statusCode).toBe(201);
    expect(inside.json()).toMatchObject({
      state: "pendiente",
      depositedAt: "2026-12-14T10:00:00-06:00",
      avisoAt: "2026-12-14T10:00:00-06:00",
    });
    // Thursday 24 Dec 18:30 → 25 Dec (CFF 12), weekend → Monday 28 at 09:30.
    now = at("2026-12-24T18:30:00-06:00");
    const holiday = await deposit(await body());
    expect(holiday.statusCode).toBe(201);
    expect(holiday.json().avisoAt).toBe("2026-12-28T09:30:00-06:00");
  });

  it("answers a replay with the same act and another use of the key with 409", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const payload = await body();
    const first = await deposit(payload);
    const again = await deposit(payload);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const rows = await system.database.db
      .selectFrom("notificaciones")
      .select("id")
      .where("idempotency_key", "=", payload.idempotencyKey)
      .execute();
    expect(rows).toHaveLength(1);
    const other = await deposit({ ...payload, oficio: "otro oficio" });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: "idempotency_conflict" });
  });

  it("refuses a signature over other bytes, a signer who is not staff or lacks the role", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const other = pdfOf("otro documento");
    const mismatch = await deposit(
      await body({ signature: await signDocumentLikeTheBrowser(notificador, other) }),
    );
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json()).toMatchObject({
      code: "document_signature_invalid",
      errors: [{ pointer: "/signature" }],
    });
    const notStaff = await deposit(await body({}, outsider));
    expect(notStaff.statusCode).toBe(403);
    expect(notStaff.json()).toMatchObject({ code: "signer_not_authorized" });
    expect(notStaff.json().detail).toContain("no forma parte del personal activo");
    const wrongRole = await deposit(await body({}, operador));
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().detail).toContain("rol operador");
    const company = await deposit(await body({}, moralEfirma));
    expect(company.statusCode).toBe(403);
  });

  it("refuses an RFC outside the padrón, another RFC's registro patronal, an unknown act type", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const outside = await deposit(await body({ rfc: FUERA_DEL_PADRON }));
    expect(outside.statusCode, outside.body).toBe(422);
    expect(outside.json()).toMatchObject({ code: "addressee_not_in_padron" });
    const foreign = await deposit(await body({ registroPatronal: RP_OTHER }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ code: "registro_patronal_not_of_addressee" });
    const own = await deposit(await body({ registroPatronal: RP_1 }));
    expect(own.statusCode).toBe(201);
    const unknown = await deposit(await body({ actType: "7.19" }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: "unknown_act_type" });
    expect(unknown.json().detail).toContain("anexo 7");
  });

  it("refuses what is not a PDF and a PDF over the limit", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const text = Buffer.from("no soy un PDF", "utf8");
    const notPdf = await deposit(
      await body({
        document: text.toString("base64"),
        signature: await signDocumentLikeTheBrowser(notificador, text),
      }),
    );
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.json()).toMatchObject({ code: "not_pdf" });
    const big = pdfOf("grande", MAX_BYTES);
    const oversized = await deposit(
      await body({
        document: big.toString("base64"),
        signature: await signDocumentLikeTheBrowser(notificador, big),
      }),
    );
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({ code: "pdf_too_large" });
  });

  it("refuses an oficio, issuing unit or document name made only of blanks, naming each field", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const blank = await deposit(await body({ oficio: "   ", documentName: " \t " }));
    expect(blank.statusCode, blank.body).toBe(400);
    expect(blank.json()).toMatchObject({ code: "validation" });
    expect(blank.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      "/oficio",
      "/documentName",
    ]);
    expect(blank.json().detail).toMatch(/oficio no puede estar vacío/);
    const unit = await deposit(await body({ issuingUnit: "  " }));
    expect(unit.statusCode).toBe(400);
    expect(unit.json().errors).toEqual([
      { pointer: "/issuingUnit", detail: expect.stringMatching(/unidad emisora/) },
    ]);
  });

  it("refuses an idempotency key made only of blanks with a 400 naming it, alone and in a lote without losing the others", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const blank = await deposit(await body({ idempotencyKey: "   " }));
    expect(blank.statusCode, blank.body).toBe(400);
    expect(blank.json()).toMatchObject({
      code: "validation",
      errors: [
        { pointer: "/idempotencyKey", detail: expect.stringMatching(/clave de idempotencia/) },
      ],
    });
    const good = await body();
    const lote = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones/lote",
      payload: { items: [good, await body({ idempotencyKey: " \t " })] },
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(lote.statusCode, lote.body).toBe(207);
    expect(lote.json().results.map((r: { status: number }) => r.status)).toEqual([201, 400]);
    expect(lote.json().results[1]).toMatchObject({ outcome: "rechazado", code: "validation" });
    // The good act was deposited: the same key again answers that act, not a new one.
    const replay = await deposit(good);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(lote.json().results[0].id);
  });

  it("refuses a line break or a control character in the oficio, the unit or the document's name (each is one line of the acuses' statements)", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const forged = await deposit(
      await body({
        oficio: "09/2026\nApertura con e.firma en el plazo: sí",
        issuingUnit: "Subdelegación\u2028Centro",
        documentName: "Resolución\u0007.pdf",
      }),
    );
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json()).toMatchObject({ code: "validation" });
    expect(forged.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      "/oficio",
      "/issuingUnit",
      "/documentName",
    ]);
    expect(forged.json().detail).toMatch(/una sola línea de texto/);
    // A bidirectional override would reorder how the line reads in the acuses: refused too.
    const reordered = await deposit(await body({ oficio: "09/2026/\u202E77" }));
    expect(reordered.statusCode, reordered.body).toBe(400);
    expect(reordered.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(["/oficio"]);
    // A trailing line break is only a blank: trimmed, accepted.
    const trailing = await deposit(await body({ oficio: "09/2026/77\n" }));
    expect(trailing.statusCode, trailing.body).toBe(201);
  });

  it("dates the deposit after the checks and the stored document: a store that finishes after 18:00 moves the aviso to 09:30 of the next business day", async () => {
    // Monday 14 Dec 2026, 17:59:58: the request arrives inside the window…
    now = at("2026-12-14T17:59:58-06:00");
    const payload = await body();
    const put = system.blobs.put;
    system.blobs.put = async (bytes) => {
      // …and the document is stored (after OCSP and the padrón) at 18:00:03.
      now = at("2026-12-14T18:00:03-06:00");
      return put.call(system.blobs, bytes);
    };
    try {
      const response = await deposit(payload);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({
        state: "depositada",
        depositedAt: "2026-12-14T18:00:03-06:00",
        avisoAt: "2026-12-15T09:30:00-06:00",
      });
    } finally {
      system.blobs.put = put;
    }
  });

  it("refuses the same signed document as a second live act (another key or RFC) with 409 naming the first; once cancelled, it may be deposited again", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const payload = await body();
    const first = await deposit(payload);
    expect(first.statusCode, first.body).toBe(201);
    const again = await deposit({ ...payload, idempotencyKey: randomUUID(), oficio: "otro" });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({ code: "document_already_deposited" });
    expect(again.json().detail).toContain(first.json().id);
    // The replay of the first request still answers the first act.
    expect((await deposit(payload)).json().id).toBe(first.json().id);
    await appendNotificacionEvent(system.database.db, {
      notificacionId: first.json().id,
      type: "cancelada",
      at: now,
      recordedAt: now,
      actorRfc: notificador.rfc,
    });
    const corrected = await deposit({
      ...payload,
      idempotencyKey: randomUUID(),
      replaces: first.json().id,
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
  });

  it("requires a depositing role: a particular's session or an operador is refused", async () => {
    now = at("2026-12-14T11:00:00-06:00");
    const who = await particular();
    const refused = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      payload: await body(),
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
    expect(refused.statusCode).toBe(403);
    // A notificador signs and deposits their own act, with session and CSRF token.
    const own = await signInWith(system.app, notificador);
    const deposited = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      payload: await body(),
      cookies: { buzon_sesion: own.cookie },
      headers: { "x-csrf-token": own.csrf },
    });
    expect(deposited.statusCode, deposited.body).toBe(201);
    const noCsrf = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      payload: await body(),
      cookies: { buzon_sesion: own.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("sends the act to estrados when the addressee's mailbox is not enabled", async () => {
    now = at("2026-12-14T12:00:00-06:00");
    const response = await deposit(await body({ rfc: SIN_BUZON }));
    expect(response.statusCode).toBe(201);
    expect(response.json().state).toBe("estrados");
    const { id } = response.json();
    const row = await system.database.db
      .selectFrom("notificaciones")
      .select("estrados")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.estrados).toBe(true);
    const event = await system.database.db
      .selectFrom("notificacion_events")
      .select("data")
      .where("notificacion_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ estrados: true, estradosReason: "buzon_no_habilitado" });
    // The staff follow-up shows it without days left to open: the Buzón has no term for it.
    const followed = await system.app.inject({
      url: `/api/v1/staff/notificaciones?rfc=${SIN_BUZON}`,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(followed.json().items.find((i: { id: string }) => i.id === id)).toMatchObject({
      state: "estrados",
      openBy: null,
      businessDaysLeft: null,
    });
    const outbox = await system.database.db
      .selectFrom("outbox")
      .select("id")
      .where("idempotency_key", "like", `notificacion:${id}:%`)
      .execute();
    expect(outbox).toEqual([]);
  });

  it("lists and details the particular's acts with the engine's dates; another's is a 404; the document waits for notification", async () => {
    // A fresh act deposited Tuesday 15 Dec at 11:00, inside the window.
    now = at("2026-12-15T11:00:00-06:00");
    const payload = await body({ actType: "7.6" });
    const { id } = (await deposit(payload)).json();
    // Not yet available: a deposit at 19:00 is not listed until its aviso.
    now = at("2026-12-15T19:00:00-06:00");
    const later = (await deposit(await body())).json();
    expect(later.state).toBe("depositada");
    const who = await particular();
    const list = await get(who, "/api/v1/notificaciones");
    expect(list.statusCode).toBe(200);
    const ids = list.json().map((i: { id: string }) => i.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(later.id);
    const item = list.json().find((i: { id: string }) => i.id === id);
    const calendar = await system.calendars.calendar();
    const tfja = await system.calendars.calendar(undefined, TFJA);
    const engine = computeNotificacion(calendar, {
      avisoAt: at("2026-12-15T11:00:00-06:00"),
      tfja,
    });
    expect(item).toEqual({
      id,
      actType: "7.6",
      actTypeName: "Oficio de requerimiento de información faltante en el trámite",
      oficio: payload.oficio,
      issuingUnit: "Subdelegación Centro",
      documentName: "Resolución prima RT 2026.pdf",
      registroPatronal: null,
      state: "pendiente",
      depositedAt: "2026-12-15T11:00:00-06:00",
      avisoAt: "2026-12-15T11:00:00-06:00",
      openBy: engine.openBy,
      // Tue 15 Dec 19:00, the aviso's own day: Wed 16, Thu 17 and Fri 18 are all ahead.
      businessDaysLeft: 3,
      deemedNotifiedAt: engine.deemedNotifiedAt,
      notifiedAt: null,
      notifiedBy: null,
      effectiveOn: null,
      recursoInconformidadBy: null,
      juicioNulidadBy: null,
      recurrible: false,
      sinMediosDeDefensa: false,
      // The versions that counted openBy and the days left; the TFJA's only once a term runs.
      calendarVersion: "test-1",
      juicioNulidadCalendar: null,
      rulesVersion: engine.rulesVersion,
      // Pending, within the three days: an opening now would be accepted and notify.
      openable: true,
      openingRefusal: null,
    });
    expect(await get(who, `/api/v1/notificaciones/${later.id}`)).toMatchObject({
      statusCode: 404,
    });
    const document = await get(who, `/api/v1/notificaciones/${id}/documento`);
    expect(document.statusCode).toBe(403);
    expect(document.json()).toMatchObject({ code: "not_yet_notified" });
    expect(document.json().detail).toContain("e.firma");

    // Someone else's act is a 404, never a 403.
    const stranger = await signInWith(system.app, notificador);
    expect((await get(stranger, `/api/v1/notificaciones/${id}`)).statusCode).toBe(404);
    expect((await get(stranger, `/api/v1/notificaciones/${id}/documento`)).statusCode).toBe(404);
    expect((await get(stranger, `/api/v1/notificaciones/${randomUUID()}`)).statusCode).toBe(404);

    // After the 4th business day at 09:30 it is notified by law: every date from the engine.
    now = at(engine.deemedNotifiedAt).add({ minutes: 1 });
    const again = await particular();
    const detail = await get(again, `/api/v1/notificaciones/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      state: "notificada",
      businessDaysLeft: null,
      notifiedAt: engine.notifiedAt,
      notifiedBy: "ministerio_de_ley",
      effectiveOn: engine.effectiveOn,
      recursoInconformidadBy: engine.recursoInconformidadBy,
      juicioNulidadBy: engine.juicioNulidadBy,
      calendarVersion: "test-1",
      juicioNulidadCalendar: engine.juicioNulidadCalendar,
      rulesVersion: engine.rulesVersion,
      availableUntil: engine.availableUntil,
      timeline: [{ event: "depositada", at: "2026-12-15T11:00:00-06:00" }],
    });
    // First how the deposit at 11:00 gave the aviso its instant (rule a), then the clock.
    expect(detail.json().explanation).toEqual([
      notificationInstant(calendar, at("2026-12-15T11:00:00-06:00")).step,
      ...engine.explanation,
    ]);
    const pdf = await get(again, `/api/v1/notificaciones/${id}/documento`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toBe(
      "attachment; filename=\"Resoluci_n prima RT 2026.pdf\"; filename*=UTF-8''Resoluci%C3%B3n%20prima%20RT%202026.pdf",
    );
    expect(pdf.rawPayload.equals(Buffer.from(payload.document, "base64"))).toBe(true);
  });

  it("explains an aviso deposited before hours by the engine's rule a step, then the clock", async () => {
    // Monday 14 Dec 2026 at 01:18: outside 09:30–18:00, the aviso waits until Tuesday 09:30.
    now = at("2026-12-14T01:18:00-06:00");
    const { id, avisoAt } = (await deposit(await body())).json();
    expect(avisoAt).toBe("2026-12-15T09:30:00-06:00");
    now = at("2026-12-15T10:00:00-06:00");
    const detail = await get(await particular(), `/api/v1/notificaciones/${id}`);
    expect(detail.statusCode).toBe(200);
    const calendar = await system.calendars.calendar();
    const tfja = await system.calendars.calendar(undefined, TFJA);
    const rule = notificationInstant(calendar, at("2026-12-14T01:18:00-06:00"));
    expect(rule.instant.toString()).toBe(at(avisoAt).toString());
    const [first, ...clock] = detail.json().explanation;
    expect(first).toEqual(rule.step);
    expect(first.rule).toBe("horario_notificacion");
    expect(first.text).toContain("01:18");
    expect(first.text).toContain("15 de diciembre");
    expect(clock).toEqual(
      computeNotificacion(calendar, { avisoAt: at(avisoAt), tfja }).explanation,
    );
  });

  it("counts the business days left to open on the legal clock, across Christmas and a weekend; null once notified", async () => {
    // Thursday 24 Dec 2026, 11:00: Fri 25 is a CFF art. 12 day, so the term is Mon 28, Tue 29
    // and Wed 30; notified by law on Thu 31 at 09:30.
    now = at("2026-12-24T11:00:00-06:00");
    const { id } = (await deposit(await body())).json();
    const calendar = await system.calendars.calendar();
    const engine = computeNotificacion(calendar, { avisoAt: at("2026-12-24T11:00:00-06:00") });
    expect(engine.openBy).toBe("2026-12-30");
    const daysLeftAt = async (instant: string) => {
      now = at(instant);
      // A session of its own at each instant: an idle one would have ended.
      const who = await particular();
      const list = await get(who, "/api/v1/notificaciones");
      const detail = await get(who, `/api/v1/notificaciones/${id}`);
      expect([list.statusCode, detail.statusCode]).toEqual([200, 200]);
      const item = list.json().find((i: { id: string }) => i.id === id);
      expect(detail.json().businessDaysLeft).toBe(item.businessDaysLeft);
      expect(detail.json().state).toBe(item.state);
      return { state: item.state, days: item.businessDaysLeft, openBy: item.openBy };
    };
    // On the aviso's own day all three are ahead; Christmas and the weekend take none.
    expect(await daysLeftAt("2026-12-24T18:00:00-06:00")).toEqual({
      state: "pendiente",
      days: 3,
      openBy: "2026-12-30",
    });
    expect((await daysLeftAt("2026-12-25T12:00:00-06:00")).days).toBe(3);
    expect((await daysLeftAt("2026-12-27T12:00:00-06:00")).days).toBe(3);
    expect((await daysLeftAt("2026-12-28T08:00:00-06:00")).days).toBe(3);
    expect((await daysLeftAt("2026-12-29T12:00:00-06:00")).days).toBe(2);
    // The last day, to its last minute in Zona Centro (already the 31st in UTC).
    expect((await daysLeftAt("2026-12-30T23:59:00-06:00")).days).toBe(1);
    // Past openBy and before 09:30 of the 4th day: still pending, nothing left.
    expect(await daysLeftAt("2026-12-31T09:29:00-06:00")).toEqual({
      state: "pendiente",
      days: 0,
      openBy: "2026-12-30",
    });
    // Notified by law: no days left to count.
    expect(await daysLeftAt("2026-12-31T09:31:00-06:00")).toEqual({
      state: "notificada",
      days: null,
      openBy: "2026-12-30",
    });
  });

  it("an opening recorded by the apertura makes it notified by apertura, with the engine's dates; a cancelled act keeps only its deposit", async () => {
    now = at("2026-12-16T10:00:00-06:00");
    const opened = (await deposit(await body())).json();
    const cancelled = (await deposit(await body())).json();
    // 20:00 the same day: rule a counts the opening at 09:30 of the next business day.
    const openedAt = at("2026-12-16T20:00:00-06:00");
    const calendar = await system.calendars.calendar();
    const tfja = await system.calendars.calendar(undefined, TFJA);
    const engine = computeNotificacion(calendar, {
      avisoAt: at("2026-12-16T10:00:00-06:00"),
      openedAt,
      tfja,
    });
    await appendNotificacionEvent(system.database.db, {
      notificacionId: opened.id,
      type: "abierta",
      at: openedAt,
      recordedAt: openedAt,
      actorRfc: MORAL,
      data: { notifiedAt: engine.notifiedAt },
    });
    // A second opening is a no-op: the first one stays.
    expect(
      await appendNotificacionEvent(system.database.db, {
        notificacionId: opened.id,
        type: "abierta",
        at: openedAt.add({ hours: 1 }),
        recordedAt: openedAt.add({ hours: 1 }),
      }),
    ).toBe(false);
    await appendNotificacionEvent(system.database.db, {
      notificacionId: cancelled.id,
      type: "cancelada",
      at: at("2026-12-16T12:00:00-06:00"),
      recordedAt: at("2026-12-16T12:00:00-06:00"),
      actorRfc: notificador.rfc,
    });
    now = at("2026-12-17T12:00:00-06:00");
    const who = await particular();
    const items = (await get(who, "/api/v1/notificaciones")).json();
    expect(items.find((i: { id: string }) => i.id === opened.id)).toMatchObject({
      state: "notificada",
      notifiedBy: "apertura",
      notifiedAt: engine.notifiedAt,
      openBy: engine.openBy,
      businessDaysLeft: null,
      deemedNotifiedAt: engine.deemedNotifiedAt,
      effectiveOn: engine.effectiveOn,
      recursoInconformidadBy: engine.recursoInconformidadBy,
      juicioNulidadBy: engine.juicioNulidadBy,
    });
    expect(engine.notifiedAt).toBe("2026-12-17T09:30:00-06:00");
    const detail = (await get(who, `/api/v1/notificaciones/${opened.id}`)).json();
    expect(detail.timeline.map((e: { event: string }) => e.event)).toEqual([
      "depositada",
      "abierta",
    ]);
    expect(detail.warnings).toEqual(engine.warnings);
    expect((await get(who, `/api/v1/notificaciones/${opened.id}/documento`)).statusCode).toBe(200);
    expect(items.find((i: { id: string }) => i.id === cancelled.id)).toMatchObject({
      state: "cancelada",
      depositedAt: "2026-12-16T10:00:00-06:00",
      avisoAt: "2026-12-16T10:00:00-06:00",
      openBy: null,
      businessDaysLeft: null,
      deemedNotifiedAt: null,
      notifiedAt: null,
    });
    const document = await get(who, `/api/v1/notificaciones/${cancelled.id}/documento`);
    expect(document.statusCode).toBe(410);
    expect(document.json()).toMatchObject({ code: "act_cancelled" });
    expect(document.json().detail).toMatch(/canceló/);
  });

  it("an act cancelled before its aviso instant was never made available: not listed, its detail a 404", async () => {
    // Wednesday 16 Dec 19:00: the aviso waits until Thursday 09:30; cancelled at 20:00.
    now = at("2026-12-16T19:00:00-06:00");
    const early = (await deposit(await body())).json();
    await appendNotificacionEvent(system.database.db, {
      notificacionId: early.id,
      type: "cancelada",
      at: at("2026-12-16T20:00:00-06:00"),
      recordedAt: at("2026-12-16T20:00:00-06:00"),
      actorRfc: notificador.rfc,
    });
    now = at("2026-12-17T12:00:00-06:00");
    const who = await particular();
    const items = (await get(who, "/api/v1/notificaciones")).json();
    expect(items.map((i: { id: string }) => i.id)).not.toContain(early.id);
    expect((await get(who, `/api/v1/notificaciones/${early.id}`)).statusCode).toBe(404);
    expect((await get(who, `/api/v1/notificaciones/${early.id}/documento`)).statusCode).toBe(404);
  });

  it("a 2020 mailbox is enabled at deposit: its e-mail on file gets the aviso; without one, estrados", async () => {
    now = at("2026-12-16T11:00:00-06:00");
    const withEmail = fisicaRfc("VEIN");
    const withoutEmail = fisicaRfc("SINC");
    const padron = createPadronStore(system.database.db);
    const importId = randomUUID();
    await padron.beginImport({
      id: importId,
      fileName: "padron-2020.csv",
      sha256: "1".repeat(64),
      actor: "pruebas",
      startedAt: new Date(now.epochMilliseconds),
    });
    const enabled = { at: new Date("2021-03-01T16:00:00Z") };
    await padron.write(
      [
        { ...entry(withEmail, []), emailOnFile: "veinte@example.mx", habilitacion2020: enabled },
        { ...entry(withoutEmail, []), habilitacion2020: enabled },
      ],
      importId,
      new Date(now.epochMilliseconds),
    );
    const carried = await deposit(await body({ rfc: withEmail }));
    expect(carried.statusCode, carried.body).toBe(201);
    expect(carried.json().state).toBe("pendiente");
    const outbox = await system.database.db
      .selectFrom("outbox")
      .select(["recipient"])
      .where("idempotency_key", "like", `notificacion:${carried.json().id}:aviso:%`)
      .execute();
    expect(outbox.map((o) => o.recipient)).toEqual(["veinte@example.mx"]);
    const none = await deposit(await body({ rfc: withoutEmail }));
    expect(none.json().state).toBe("estrados");
    const event = await system.database.db
      .selectFrom("notificacion_events")
      .select("data")
      .where("notificacion_id", "=", none.json().id)
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ estrados: true, estradosReason: "sin_medios_validados" });
  });

  it("sends the aviso to the registro patronal's own means when the act names it", async () => {
    now = at("2026-12-16T11:30:00-06:00");
    const id = randomUUID();
    const value = "registro@example.mx";
    await system.database.db
      .insertInto("mailbox_means")
      .values({
        id,
        rfc: MORAL,
        kind: "correo",
        value,
        scope: RP_1,
        status: "pendiente",
        registered_at: new Date(now.epochMilliseconds),
        expires_at: new Date(now.add({ hours: 72 }).epochMilliseconds),
        validated_at: null,
        ended_at: null,
        acuse_folio: "BI-20261201-100000001",
        code_hash: Buffer.alloc(32, 2),
        code_sent_at: null,
        locked_at: null,
      })
      .execute();
    await appendMailboxEvent(system.database.db, {
      type: "medio_registrado",
      rfc: MORAL,
      at: now,
      data: {
        meansId: id,
        kind: "correo",
        value,
        scope: RP_1,
        expiresAt: now.add({ hours: 72 }).toString(),
      },
    });
    await appendMailboxEvent(system.database.db, {
      type: "medio_validado",
      rfc: MORAL,
      at: now,
      data: { meansId: id },
    });
    const recipients = async (depositId: string) =>
      (
        await system.database.db
          .selectFrom("outbox")
          .select("recipient")
          .where("idempotency_key", "like", `notificacion:${depositId}:aviso:%`)
          .orderBy("recipient")
          .execute()
      ).map((o) => o.recipient);
    const named = (await deposit(await body({ registroPatronal: RP_1 }))).json();
    expect(await recipients(named.id)).toEqual(["+525512345678", "eku9003173c9@example.mx", value]);
    const unnamed = (await deposit(await body())).json();
    expect(await recipients(unnamed.id)).toEqual(["+525512345678", "eku9003173c9@example.mx"]);
  });

  it("lets staff follow the acts by RFC, state and act type, page by page", async () => {
    now = at("2026-12-16T12:00:00-06:00");
    const token = { authorization: `Bearer ${system.adminToken}` };
    const estrados = await system.app.inject({
      url: `/api/v1/staff/notificaciones?state=estrados&rfc=${SIN_BUZON}`,
      headers: token,
    });
    expect(estrados.statusCode).toBe(200);
    expect(estrados.json().items.length).toBeGreaterThan(0);
    for (const i of estrados.json().items)
      expect(i).toMatchObject({ rfc: SIN_BUZON, state: "estrados", estrados: true });
    const first = await system.app.inject({
      url: `/api/v1/staff/notificaciones?rfc=${MORAL}&limit=2`,
      headers: token,
    });
    expect(first.json().items).toHaveLength(2);
    const next = await system.app.inject({
      url: `/api/v1/staff/notificaciones?rfc=${MORAL}&limit=2&cursor=${first.json().next}`,
      headers: token,
    });
    const seen = [...first.json().items, ...next.json().items].map((i: { id: string }) => i.id);
    expect(new Set(seen).size).toBe(seen.length);
    const byType = await system.app.inject({
      url: "/api/v1/staff/notificaciones?actType=7.6",
      headers: token,
    });
    for (const i of byType.json().items) expect(i.actType).toBe("7.6");
    const particularAsks = await particular();
    expect((await get(particularAsks, "/api/v1/staff/notificaciones")).statusCode).toBe(403);
  });

  // Runs last: it publishes a calendar version declaring a day non-business.
  it("a calendar published after the constancia keeps the act notified at the sealed instant; «Mis notificaciones» still answers", async () => {
    const avisoAt = at("2026-12-28T10:00:00-06:00");
    now = avisoAt;
    const deposited = await deposit(await body());
    expect(deposited.statusCode, deposited.body).toBe(201);
    const { id } = deposited.json();
    const old = await system.calendars.calendar();
    const tfja = await system.calendars.calendar(undefined, TFJA);
    const sealed = computeNotificacion(old, { avisoAt, tfja });
    const deemed = at(sealed.deemedNotifiedAt);
    await appendNotificacionEvent(system.database.db, {
      notificacionId: id,
      type: "constancia_cuarto_dia",
      at: deemed,
      recordedAt: deemed,
      acuseFolio: "BI-20270115-093000000",
      data: {
        notifiedAt: deemed.toString(),
        openBy: sealed.openBy,
        calendarVersion: old.version,
      },
    });
    // Then the Institute declares the last day to open non-business (a later version).
    await system.calendars.declareDay(
      { date: sealed.openBy, reason: "Suspensión de labores", source: "ACDO de prueba" },
      { id: "prueba", note: "día declarado después" },
    );
    const newer = await system.calendars.calendar();
    expect(newer.version).not.toBe(old.version);
    expect(computeNotificacion(newer, { avisoAt, tfja }).deemedNotifiedAt).not.toBe(
      sealed.deemedNotifiedAt,
    );
    now = deemed.add({ hours: 3 });
    const who = await particular();
    const list = await get(who, "/api/v1/notificaciones");
    expect(list.statusCode, list.body).toBe(200);
    const expected = computeNotificacion(newer, {
      avisoAt,
      tfja,
      sealed: { notifiedAt: deemed, openBy: Temporal.PlainDate.from(sealed.openBy) },
    });
    expect(list.json().find((i: { id: string }) => i.id === id)).toMatchObject({
      state: "notificada",
      notifiedBy: "ministerio_de_ley",
      notifiedAt: sealed.notifiedAt,
      deemedNotifiedAt: sealed.deemedNotifiedAt,
      openBy: sealed.openBy,
      effectiveOn: expected.effectiveOn,
      recursoInconformidadBy: expected.recursoInconformidadBy,
      // The terms were counted on the calendar in force; the sealed dates keep the old one
      // (the detail's explanation names it).
      calendarVersion: newer.version,
      juicioNulidadCalendar: { authority: tfja.authority, version: tfja.version },
    });
    expect(expected.effectiveOn).toBe(sealed.effectiveOn);
    const detail = await get(who, `/api/v1/notificaciones/${id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().notifiedAt).toBe(sealed.notifiedAt);
    const staff = await system.app.inject({
      url: `/api/v1/staff/notificaciones?rfc=${MORAL}`,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(staff.statusCode, staff.body).toBe(200);
  });
});
