import { Readable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { isPagePath } from "../../platform/http/page-paths.ts";
import { fisicaRfc, pdfOf } from "../../testing/acts.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import { enableMailbox, padronWith } from "../notificaciones/test-support.ts";
import { answerKeyOf } from "./atencion.ts";
import {
  answerActBody,
  expectEstadoFollowsEvents,
  expectKeptSignature,
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
 * «Atención de promociones» through HTTP on both engines: the staff's queue and detail, taking,
 * notes that never reach the particular, the conclusion and both kinds of answer, each decision
 * with its event in one transaction, races ending with one holder, and every refusal in Spanish.
 */
const at = (text: string) => Temporal.Instant.from(text);
/** Monday 14 Dec 2026, 10:00 Zona Centro: a business day, inside notification hours. */
const MONDAY = "2026-12-14T10:00:00-06:00";

describe.each(ENGINES)("atención de promociones on %s", (engine) => {
  let system: System;
  let now = at(MONDAY);
  let counter = 0;
  let operador: SignedIn;
  let otroOperador: SignedIn;
  let notificadorEfirma: IssuedEfirma;
  let notificador: SignedIn;
  let auditor: SignedIn;
  let get: SessionRequests["get"];
  let post: SessionRequests["post"];
  const tag = engine === "pglite" ? "G" : "Q";

  beforeAll(async () => {
    system = await createTestSystem({ engine, trustDevCa: true, clock: () => now });
    ({ get, post } = sessionRequests(system.app));
    operador = await signInWith(
      system.app,
      await staffEfirma(system, `OPA${tag}`, "operador", "OSCAR PRADO"),
    );
    otroOperador = await signInWith(
      system.app,
      await staffEfirma(system, `OPB${tag}`, "operador", "OLGA PEREZ"),
    );
    notificadorEfirma = await staffEfirma(system, `NOT${tag}`, "notificador", "NORA TAPIA");
    notificador = await signInWith(system.app, notificadorEfirma);
    auditor = await signInWith(
      system.app,
      await staffEfirma(system, `AUD${tag}`, "auditor", "ANA URIBE"),
    );
  });
  afterAll(async () => {
    await system?.app.close();
  });

  /** A particular in the padrón with an enabled mailbox, signed in, who filed one promoción. */
  async function filed(anexos = 1) {
    counter++;
    const rfc = fisicaRfc(`PA${tag}${String.fromCharCode(64 + counter)}`);
    const who = await particularWithMailbox(system, rfc, now);
    const files = Array.from({ length: anexos }, (_, i) => ({
      name: `anexo-${i + 1}.pdf`,
      bytes: pdfOf(`anexo ${rfc} ${i}`),
    }));
    const promocion = await filePromocion(system.app, who, files);
    return { who, id: promocion.id, files, acuse: promocion.acuse };
  }

  const answerBody = (rfc: string, text: string, signer = notificadorEfirma) =>
    answerActBody(signer, rfc, text);

  const eventTypes = async (id: string) =>
    (await promocionEvents(system.database.db, id)).map((e) => e.type);

  async function actsTo(rfc: string): Promise<number> {
    const rows = await system.database.db
      .selectFrom("notificaciones")
      .select("id")
      .where("rfc", "=", rfc)
      .execute();
    return rows.length;
  }

  it("refuses an answer whose signer's session ended while its body was uploading: judged in the deposit's transaction, nothing deposited", async () => {
    now = at(MONDAY);
    const { who, id } = await filed();
    expect((await post(operador, staffUrl(id, "/atencion"), {})).statusCode).toBe(200);
    const leaving = await signInWith(system.app, notificadorEfirma);
    const body = await answerBody(who.rfc, `${tag}0009`);
    // The body arrives only after the logout: the route's guard already let the request in.
    async function* afterLogout() {
      await system.app.inject({
        method: "DELETE",
        url: "/api/v1/auth/sesion",
        cookies: { buzon_sesion: leaving.cookie },
        headers: { "x-csrf-token": leaving.csrf },
      });
      yield Buffer.from(JSON.stringify(body));
    }
    const answered = await system.app.inject({
      method: "POST",
      url: staffUrl(id, "/respuesta/notificacion"),
      payload: Readable.from(afterLogout()),
      headers: { "content-type": "application/json", "x-csrf-token": leaving.csrf },
      cookies: { buzon_sesion: leaving.cookie },
    });
    expect(answered.statusCode, answered.body).toBe(401);
    expect(answered.headers["content-type"]).toContain("application/problem+json");
    expect(answered.json()).toMatchObject({ code: "unauthorized" });
    expect(await actsTo(who.rfc)).toBe(0);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion"]);
  });

  it("queue, take, note, answer with a notification: the particular sees the answer and never the note", async () => {
    now = at(MONDAY);
    const { who, id, files, acuse } = await filed(2);

    const queue = await get(operador, `/api/v1/staff/promociones?rfc=${who.rfc}`);
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json()).toEqual([
      expect.objectContaining({
        id,
        rfc: who.rfc,
        state: "recibida",
        assignee: null,
        attachments: 2,
        typeName: expect.stringContaining("ción"),
      }),
    ]);
    const ids = async (query: string) =>
      (await get(operador, `/api/v1/staff/promociones?${query}`))
        .json()
        .map((p: { id: string }) => p.id);
    expect(await ids(`rfc=${who.rfc}&estado=recibida&asignadoA=sin_asignar`)).toEqual([id]);
    expect(await ids(`rfc=${who.rfc}&estado=en_atencion`)).toEqual([]);
    expect(await ids(`rfc=${who.rfc}&tipo=icsoe`)).toEqual([]);
    expect(await ids(`rfc=${who.rfc}&recibidaDesde=2026-12-14&recibidaHasta=2026-12-14`)).toEqual([
      id,
    ]);
    expect(await ids(`rfc=${who.rfc}&recibidaDesde=2026-12-15`)).toEqual([]);

    // The detail: full content and each anexo's bytes.
    const detail = await get(operador, staffUrl(id));
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id, rfc: who.rfc, state: "recibida", assignee: null });
    const second = await get(operador, detail.json().attachments[1].download);
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(files[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(second.headers["content-disposition"]).toContain("anexo-2.pdf");
    expect((await get(operador, staffUrl(id, "/anexos/3"))).statusCode).toBe(404);
    // The e.firma's signature its acuse lists, to check it: the particular's very .p7s.
    await expectKeptSignature(system, detail.json(), acuse.folio);
    const particularView = await get(who, `/api/v1/promociones/${id}`);
    expect(particularView.json().p7s).toBe(detail.json().p7s);

    // Taken; taken again by the same person (a double click) changes nothing.
    const taken = await post(operador, staffUrl(id, "/atencion"), {});
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json()).toMatchObject({ state: "en_atencion", assignee: operador.rfc });
    expect((await post(operador, staffUrl(id, "/atencion"), {})).statusCode).toBe(200);
    expect(await ids(`rfc=${who.rfc}&asignadoA=${operador.rfc}`)).toEqual([id]);

    const NOTE = "Revisar el pago del 17 de noviembre con cobranza.";
    const noted = await post(operador, staffUrl(id, "/notas"), { text: `  ${NOTE} ` });
    expect(noted.statusCode, noted.body).toBe(200);
    expect(noted.json().timeline.at(-1)).toMatchObject({
      event: "nota_interna",
      text: NOTE,
      actor: operador.rfc,
    });

    // The answer: an act signed by the competent servant, deposited, and the promoción respondida.
    const body = await answerBody(who.rfc, `${tag}0001`);
    // An operador does not sign acts: the competent servant answers with their own e.firma.
    expect((await post(operador, staffUrl(id, "/respuesta/notificacion"), body)).statusCode).toBe(
      403,
    );
    const answered = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(answered.statusCode, answered.body).toBe(200);
    const answer = answered.json().answer;
    expect(answered.json().state).toBe("respondida");
    expect(answer).toMatchObject({ kind: "notificacion", label: body.oficio });
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion", "nota_interna", "respondida"]);
    const act = await system.database.db
      .selectFrom("notificaciones")
      .selectAll()
      .where("id", "=", answer.id)
      .executeTakeFirstOrThrow();
    expect(act).toMatchObject({
      rfc: who.rfc,
      idempotency_key: answerKeyOf(id),
      signer_rfc: notificadorEfirma.rfc,
      deposited_by: notificador.rfc,
      estrados: false,
    });

    // The same request again (a double click) answers the same; another act is refused.
    const again = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().answer.id).toBe(answer.id);
    const other = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await answerBody(who.rfc, `${tag}0002`),
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe("promocion_transition_invalid");
    expect(await actsTo(who.rfc)).toBe(1);

    // The particular: the answer and each public step, never the note nor who attends it.
    const own = await get(who, `/api/v1/promociones/${id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().state).toBe("respondida");
    expect(own.json().answer).toMatchObject({
      kind: "notificacion",
      id: answer.id,
      link: `/buzon/notificaciones/${answer.id}`,
      via: "buzon",
      estrados: null,
    });
    expect((await get(who, `/api/v1/notificaciones/${answer.id}`)).statusCode).toBe(200);
    expect(own.json().timeline.map((e: { event: string }) => e.event)).toEqual([
      "recibida",
      "en_atencion",
      "respondida",
    ]);
    expect(own.body).not.toContain(NOTE);
    expect(own.body).not.toContain("nota_interna");
    expect(own.body).not.toContain(operador.rfc);
    const list = await get(who, "/api/v1/promociones");
    expect(list.json()[0].state).toBe("respondida");
    expect(list.body).not.toContain(NOTE);
    const mine = await get(who, "/api/v1/notificaciones");
    expect(mine.statusCode).toBe(200);
    expect(mine.json().map((n: { id: string }) => n.id)).toContain(answer.id);

    // Final: no more notes, takes or answers.
    const late = await post(operador, staffUrl(id, "/notas"), { text: "Otra" });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: "promocion_transition_invalid" });
    expect(late.headers["content-type"]).toContain("application/problem+json");
    expect(late.json().detail).toMatch(/respondida no admite/);
    expect((await post(operador, staffUrl(id, "/conclusion"), { reason: "x" })).statusCode).toBe(
      409,
    );
  });

  it("an answer whose act went to estrados (the mailbox no longer enabled) links to its publication, not to «Mis notificaciones»", async () => {
    now = at(MONDAY);
    const { who, id } = await filed(0);
    // After filing, the particular removes the phone: the mailbox is no longer enabled.
    const phone = await system.database.db
      .selectFrom("mailbox_means")
      .select("id")
      .where("rfc", "=", who.rfc)
      .where("kind", "=", "celular")
      .executeTakeFirstOrThrow();
    await appendMailboxEvent(system.database.db, {
      type: "medio_eliminado",
      rfc: who.rfc,
      at: now,
      data: { meansId: phone.id },
    });
    await post(operador, staffUrl(id, "/atencion"), {});
    const body = await answerBody(who.rfc, `${tag}0030`);
    const answered = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(answered.statusCode, answered.body).toBe(200);
    const actId: string = answered.json().answer.id;
    const act = await system.database.db
      .selectFrom("notificaciones")
      .select(["estrados", "aviso_at"])
      .where("id", "=", actId)
      .executeTakeFirstOrThrow();
    expect(act.estrados).toBe(true);
    // The staff's detail says so too.
    expect(answered.json().answer).toMatchObject({ via: "estrados", link: `/estrados/${actId}` });

    // The act is not in «Mis notificaciones»: its page there is a 404…
    expect((await get(who, `/api/v1/notificaciones/${actId}`)).statusCode).toBe(404);
    // …so the particular's promoción points to its public publication, with its dates.
    const own = await get(who, `/api/v1/promociones/${id}`);
    expect(own.statusCode, own.body).toBe(200);
    const answer = own.json().answer;
    expect(answer).toMatchObject({
      kind: "notificacion",
      id: actId,
      label: body.oficio,
      via: "estrados",
      link: `/estrados/${actId}`,
      availableAt: MONDAY,
    });
    expect(own.body).not.toContain(`/buzon/notificaciones/${actId}`);
    expect(isPagePath(answer.link)).toBe(true);
    expect(isPagePath(`/buzon/notificaciones/${actId}`)).toBe(true);
    // The same dates as the public page, before and after the job seals the publication.
    const publicDates = async () => {
      const published = await get(undefined, `/api/v1/estrados/${actId}`);
      expect(published.statusCode, published.body).toBe(200);
      const p = published.json();
      return {
        publishedAt: p.publishedAt,
        firstPublicationDay: p.firstPublicationDay,
        lastPublicationDay: p.lastPublicationDay,
        notifiedOn: p.notifiedOn,
        effectiveOn: p.effectiveOn,
        listedUntil: Temporal.PlainDate.from(p.notifiedOn).add({ days: 30 }).toString(),
      };
    };
    expect(answer.estrados).toEqual({ ...(await publicDates()), status: "en_publicacion" });
    expect(answer.estrados).toMatchObject({
      publishedAt: MONDAY,
      firstPublicationDay: "2026-12-15",
    });
    expect((await system.estrados.runJobs()).published).toBeGreaterThanOrEqual(1);
    const sealed = (await get(who, `/api/v1/promociones/${id}`)).json().answer;
    expect(sealed.estrados).toEqual(answer.estrados);

    // After the ten days it is still listed, concluded; long after, no longer: the answer keeps
    // saying where and when it was published (the December session has ended: signed in again).
    const placeAt = async (instant: Temporal.Instant) => {
      now = instant;
      const again = await signInWith(system.app, who.efirma);
      const later = await get(again, `/api/v1/promociones/${id}`);
      expect(later.statusCode, later.body).toBe(200);
      return later.json().answer;
    };
    // Monday 4 January 2027: past the tenth day (29 December), within the listing.
    const concluded = await placeAt(at("2027-01-04T10:00:00-06:00"));
    expect((await get(undefined, `/api/v1/estrados/${actId}`)).statusCode).toBe(200);
    expect(concluded).toMatchObject({
      via: "estrados",
      link: `/estrados/${actId}`,
      estrados: { ...answer.estrados, status: "concluida" },
    });
    const gone = await placeAt(at(MONDAY).add({ hours: 24 * 90 }));
    expect((await get(undefined, `/api/v1/estrados/${actId}`)).statusCode).toBe(404);
    expect(gone).toMatchObject({
      via: "estrados",
      estrados: { ...answer.estrados, status: "fuera_de_listado" },
    });
    now = at(MONDAY);
  });

  it("answers with a comunicado to that one RFC; the particular reads it", async () => {
    now = at(MONDAY);
    const { who, id } = await filed(0);
    // Not before someone takes it.
    const early = await post(operador, staffUrl(id, "/respuesta/comunicado"), {
      rfc: who.rfc,
      title: "Respuesta",
      body: "Texto",
    });
    expect(early.statusCode).toBe(409);
    await post(operador, staffUrl(id, "/atencion"), {});
    const answered = await post(operador, staffUrl(id, "/respuesta/comunicado"), {
      rfc: who.rfc,
      title: "Respuesta a su aclaración",
      body: "Sus cuotas de noviembre están pagadas.",
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const answer = answered.json().answer;
    expect(answer).toMatchObject({ kind: "comunicado", label: "Respuesta a su aclaración" });
    const comunicados = await get(who, "/api/v1/comunicados");
    expect(comunicados.json().map((c: { id: string }) => c.id)).toContain(answer.id);
    const stranger = (await filed(0)).who;
    const theirs = await get(stranger, "/api/v1/comunicados");
    expect(theirs.json().map((c: { id: string }) => c.id)).not.toContain(answer.id);
    const own = await get(who, `/api/v1/promociones/${id}`);
    expect(own.json().answer).toMatchObject({
      kind: "comunicado",
      id: answer.id,
      link: `/buzon/comunicados?abierto=${answer.id}#comunicado-${answer.id}`,
      via: "buzon",
      estrados: null,
    });
    // A second answer, of either kind, is refused and publishes nothing.
    const twice = await post(operador, staffUrl(id, "/respuesta/comunicado"), {
      rfc: who.rfc,
      title: "Otra",
      body: "Otra",
    });
    expect(twice.statusCode).toBe(409);
    const byNotificacion = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await answerBody(who.rfc, `${tag}0003`),
    );
    expect(byNotificacion.statusCode).toBe(409);
    expect(await actsTo(who.rfc)).toBe(0);
  });

  it("concludes with a reason the particular sees; a concluded promoción takes no answer", async () => {
    now = at(MONDAY);
    const { who, id } = await filed(0);
    const concluded = await post(operador, staffUrl(id, "/conclusion"), {
      reason: "La complementa la promoción presentada el mismo día.",
    });
    expect(concluded.statusCode, concluded.body).toBe(200);
    expect(concluded.json()).toMatchObject({ state: "concluida" });
    const own = (await get(who, `/api/v1/promociones/${id}`)).json();
    expect(own.timeline.at(-1)).toEqual({
      event: "concluida",
      at: MONDAY,
      reason: "La complementa la promoción presentada el mismo día.",
    });
    const answer = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await answerBody(who.rfc, `${tag}0004`),
    );
    expect(answer.statusCode).toBe(409);
    expect(answer.json().detail).toMatch(/concluida no admite «respondida»/);
    expect(await actsTo(who.rfc)).toBe(0);
    expect((await post(operador, staffUrl(id, "/atencion"), {})).statusCode).toBe(409);
  });

  it("a note or a conclusion with U+0000 is a 400 at its field, and nothing is recorded", async () => {
    now = at(MONDAY);
    const { id } = await filed(0);
    await post(operador, staffUrl(id, "/atencion"), {});
    const before = await eventTypes(id);
    for (const [path, body, pointer] of [
      ["/notas", { text: "nota\u0000interna" }, "/text"],
      ["/conclusion", { reason: "motivo\u0000" }, "/reason"],
    ] as const) {
      const refused = await post(operador, staffUrl(id, path), body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json()).toMatchObject({
        code: "validation",
        detail: expect.stringContaining("U+0000"),
        errors: [{ pointer }],
      });
    }
    expect(await eventTypes(id)).toEqual(before);
  });

  it("an anexo is downloaded under its name without invisible characters, with the extension of what its bytes are", async () => {
    now = at(MONDAY);
    const { id } = await filed(2);
    // An anexo filed before names were checked, a PDF signed as «Comprobante\u202Efdp.exe»
    // (shown «Comprobanteexe.pdf»): written past the append-only trigger, as only its owner can.
    await system.database.asOwner.transaction().execute(async (tx) => {
      await sql`alter table promocion_attachments disable trigger promocion_attachments_append_only`.execute(
        tx,
      );
      await tx
        .updateTable("promocion_attachments")
        .set({ name: "Comprobante\u202Efdp.exe" })
        .where("promocion_id", "=", id)
        .where("position", "=", 2)
        .execute();
      await sql`alter table promocion_attachments enable trigger promocion_attachments_append_only`.execute(
        tx,
      );
    });
    const detail = (await get(operador, staffUrl(id))).json();
    expect(
      detail.attachments.map((a: { name: string; fileName: string }) => [a.name, a.fileName]),
    ).toEqual([
      ["anexo-1.pdf", "anexo-1.pdf"],
      ["Comprobante\u202Efdp.exe", "Comprobantefdp.exe.pdf"],
    ]);
    const legacy = await get(operador, detail.attachments[1].download);
    expect(legacy.statusCode).toBe(200);
    expect(legacy.headers["content-type"]).toBe("application/pdf");
    expect(legacy.headers["content-disposition"]).toBe(
      `attachment; filename="Comprobantefdp.exe.pdf"; filename*=UTF-8''Comprobantefdp.exe.pdf`,
    );
    const kept = await get(operador, detail.attachments[0].download);
    expect(kept.headers["content-disposition"]).toContain(`filename="anexo-1.pdf"`);
  });

  it("pages the queue by keyset, the first received first, stable under equal instants", async () => {
    now = at(MONDAY);
    const { who, id: first } = await filed(0);
    const more = [];
    for (const subject of ["Segunda", "Tercera"]) {
      more.push((await filePromocion(system.app, who, [], subject)).id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(
        operador,
        `/api/v1/staff/promociones?rfc=${who.rfc}&limite=1${cursor ? `&despuesDe=${cursor}` : ""}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().map((p: { id: string }) => p.id));
      cursor = page.headers["x-next-cursor"] as string | undefined;
    } while (cursor);
    // The same instant for all three (the clock stood still): their order is the ids'.
    expect(seen).toEqual([first, ...more].sort());
    expect(new Set(seen).size).toBe(3);
  });

  it("two staff members taking at once: one holds it, the other is told who; a double click is one event", async () => {
    now = at(MONDAY);
    const { id } = await filed(0);
    const [a, b] = await Promise.all([
      post(operador, staffUrl(id, "/atencion"), {}),
      post(otroOperador, staffUrl(id, "/atencion"), {}),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe("promocion_already_assigned");
    expect(loser.json().detail).toMatch(/ya la atiende/);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion"]);

    const { id: other } = await filed(0);
    await Promise.all([
      post(operador, staffUrl(other, "/atencion"), {}),
      post(operador, staffUrl(other, "/atencion"), {}),
      post(operador, staffUrl(other, "/atencion"), {}),
    ]);
    expect(await eventTypes(other)).toEqual(["recibida", "en_atencion"]);

    // Reassigned by naming who held it; to someone who is not an attendant, refused.
    const holder = a.statusCode === 200 ? operador : otroOperador;
    const next = holder === operador ? otroOperador : operador;
    const reassigned = await post(holder, staffUrl(id, "/atencion"), {
      assignee: next.rfc,
      from: holder.rfc,
    });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    expect(reassigned.json().assignee).toBe(next.rfc);
    expect(reassigned.json().timeline.at(-1)).toMatchObject({
      event: "en_atencion",
      assignee: next.rfc,
      actor: holder.rfc,
    });
    const toNotificador = await post(next, staffUrl(id, "/atencion"), {
      assignee: notificador.rfc,
      from: next.rfc,
    });
    expect(toNotificador.statusCode).toBe(422);
    expect(toNotificador.json().code).toBe("promocion_atencion_invalid");
  });

  it("answers and concludes at once: one decision wins, nothing of the other remains; a double click on the answer answers once", async () => {
    now = at(MONDAY);
    const comunicadosTo = async (rfc: string) =>
      (
        await system.database.db
          .selectFrom("comunicados")
          .select("id")
          .where("audience_rfc", "=", rfc)
          .execute()
      ).length;

    // The same answer twice at once (a double click): one act, both told the same answer.
    const clicked = await filed(0);
    await post(operador, staffUrl(clicked.id, "/atencion"), {});
    const body = await answerBody(clicked.who.rfc, `${tag}0010`);
    const clicks = await Promise.all([
      post(notificador, staffUrl(clicked.id, "/respuesta/notificacion"), body),
      post(notificador, staffUrl(clicked.id, "/respuesta/notificacion"), body),
    ]);
    for (const click of clicks) expect(click.statusCode, click.body).toBe(200);
    expect(clicks[0]?.json().answer.id).toBe(clicks[1]?.json().answer.id);
    expect(await actsTo(clicked.who.rfc)).toBe(1);
    expect(await eventTypes(clicked.id)).toEqual(["recibida", "en_atencion", "respondida"]);

    // An answer by notification and a conclusion at once.
    const raced = await filed(0);
    await post(operador, staffUrl(raced.id, "/atencion"), {});
    const [answered, concluded] = await Promise.all([
      post(
        notificador,
        staffUrl(raced.id, "/respuesta/notificacion"),
        await answerBody(raced.who.rfc, `${tag}0011`),
      ),
      post(operador, staffUrl(raced.id, "/conclusion"), { reason: "Se atendió por teléfono." }),
    ]);
    expect([answered.statusCode, concluded.statusCode].sort()).toEqual([200, 409]);
    const last = (await eventTypes(raced.id)).at(-1);
    expect(last).toBe(answered.statusCode === 200 ? "respondida" : "concluida");
    expect(await actsTo(raced.who.rfc)).toBe(answered.statusCode === 200 ? 1 : 0);

    // An answer by comunicado and a conclusion at once.
    const other = await filed(0);
    await post(operador, staffUrl(other.id, "/atencion"), {});
    const [informed, closed] = await Promise.all([
      post(operador, staffUrl(other.id, "/respuesta/comunicado"), {
        rfc: other.who.rfc,
        title: "Respuesta",
        body: "Sus cuotas están pagadas.",
      }),
      post(otroOperador, staffUrl(other.id, "/conclusion"), { reason: "Duplicada." }),
    ]);
    expect([informed.statusCode, closed.statusCode].sort()).toEqual([200, 409]);
    expect((await eventTypes(other.id)).at(-1)).toBe(
      informed.statusCode === 200 ? "respondida" : "concluida",
    );
    expect(await comunicadosTo(other.who.rfc)).toBe(informed.statusCode === 200 ? 1 : 0);
  });

  it("the key of a promoción's answer is refused on the general deposit routes; the answer itself uses it", async () => {
    now = at(MONDAY);
    const { who, id } = await filed(0);
    await post(operador, staffUrl(id, "/atencion"), {});
    const body = await answerBody(who.rfc, `${tag}0020`);
    // POST /api/v1/notificaciones and its lote: 400 in Spanish, nothing deposited.
    for (const idempotencyKey of [answerKeyOf(id), ` ${answerKeyOf(id)}`]) {
      const refused = await post(notificador, "/api/v1/notificaciones", {
        ...body,
        idempotencyKey,
      });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.headers["content-type"]).toContain("application/problem+json");
      expect(refused.json().detail).toBe(
        "Las claves que empiezan con «promocion:» son de las respuestas a promociones, que se depositan desde «Atención de promociones». Usa otra clave de idempotencia.",
      );
    }
    const lote = await post(notificador, "/api/v1/notificaciones/lote", {
      items: [{ ...body, idempotencyKey: answerKeyOf(id) }],
    });
    expect(lote.statusCode, lote.body).toBe(207);
    expect(lote.json().results).toMatchObject([
      { index: 0, status: 400, outcome: "rechazado", code: "validation" },
    ]);
    expect(await actsTo(who.rfc)).toBe(0);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion"]);

    // The answer deposits the same document under that key and records itself.
    const answered = await post(notificador, staffUrl(id, "/respuesta/notificacion"), body);
    expect(answered.statusCode, answered.body).toBe(200);
    expect(await actsTo(who.rfc)).toBe(1);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion", "respondida"]);
  });

  it("nobody attends their own promoción: not taking it, being assigned it, noting, concluding or answering it", async () => {
    now = at(MONDAY);
    // An operador who is also a particular with a mailbox files a promoción of her own.
    const efirma = await staffEfirma(system, `OPP${tag}`, "operador", "OFELIA PIÑA");
    await padronWith(system.database.db, [{ rfc: efirma.rfc }], now);
    await enableMailbox(system.database.db, efirma.rfc, now);
    const herself = await signInWith(system.app, efirma);
    const { id } = await filePromocion(system.app, herself, []);
    // She reads it in the queue like anyone who may read it…
    expect((await get(herself, staffUrl(id))).statusCode).toBe(200);
    // …but takes, notes, concludes or answers nothing of it.
    for (const [path, payload] of [
      ["/atencion", {}],
      ["/notas", { text: "la mía" }],
      ["/conclusion", { reason: "ya quedó" }],
      ["/respuesta/comunicado", { rfc: efirma.rfc, title: "Respuesta", body: "Atendida." }],
    ] as const) {
      const refused = await post(herself, staffUrl(id, path), payload);
      expect(refused.statusCode, path).toBe(403);
      expect(refused.headers["content-type"]).toContain("application/problem+json");
      expect(refused.json()).toMatchObject({ code: "promocion_own" });
      expect(refused.json().detail).toBe(
        `${efirma.rfc} presentó o firmó esta promoción: no puede atenderla. Otra persona del personal debe tomarla.`,
      );
    }
    // Nor can another assign it to her; another operador attends it.
    const assigned = await post(operador, staffUrl(id, "/atencion"), { assignee: efirma.rfc });
    expect(assigned.statusCode).toBe(403);
    expect(assigned.json()).toMatchObject({
      code: "promocion_own",
      errors: [{ pointer: "/assignee" }],
    });
    expect(await eventTypes(id)).toEqual(["recibida"]);
    expect((await post(otroOperador, staffUrl(id, "/atencion"), {})).statusCode).toBe(200);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion"]);
  });

  it("refuses what does not fit: roles, unknown ids, another RFC, a signer without the role, bad filters", async () => {
    now = at(MONDAY);
    const { who, id } = await filed(0);
    // A particular, and staff of another role: 403 in Spanish; nobody: 401.
    for (const caller of [who, auditor]) {
      const refused = await get(caller, "/api/v1/staff/promociones");
      expect(refused.statusCode).toBe(403);
      expect(refused.headers["content-type"]).toContain("application/problem+json");
      expect(refused.json().detail).toBe(
        "Esta función es solo para personal del Instituto con rol operador o notificador o administrador.",
      );
    }
    // Who answers with an act does not take or conclude; who attends does not sign acts.
    for (const [caller, path] of [
      [who, "/atencion"],
      [notificador, "/atencion"],
      [notificador, "/notas"],
      [notificador, "/conclusion"],
      [operador, "/respuesta/notificacion"],
      [notificador, "/respuesta/comunicado"],
    ] as const) {
      const refused = await post(caller, staffUrl(id, path), {});
      expect(refused.statusCode, path).toBe(403);
      expect(refused.json().detail).toMatch(/^Esta función es solo para personal del Instituto/);
    }
    expect((await get(undefined, "/api/v1/staff/promociones")).statusCode).toBe(401);
    // Without the session's CSRF token a change is refused.
    const noCsrf = await system.app.inject({
      method: "POST",
      url: staffUrl(id, "/atencion"),
      payload: {},
      cookies: { buzon_sesion: operador.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);

    for (const unknown of [crypto.randomUUID(), "no-es-un-id"]) {
      const missing = await get(operador, staffUrl(unknown));
      expect(missing.statusCode).toBe(404);
      expect(missing.json().detail).toBe("No encontramos esa promoción.");
      expect((await post(operador, staffUrl(unknown, "/notas"), { text: "x" })).statusCode).toBe(
        404,
      );
    }

    await post(operador, staffUrl(id, "/atencion"), {});
    // Addressed to another RFC: refused before anything is deposited.
    const stranger = fisicaRfc(`OTR${tag}`);
    const misaddressed = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await answerBody(stranger, `${tag}0005`),
    );
    expect(misaddressed.statusCode).toBe(422);
    expect(misaddressed.json()).toMatchObject({ code: "promocion_atencion_invalid" });
    expect(misaddressed.json().detail).toContain(`la presentó ${who.rfc}`);
    // Signed by someone without a signing role: the deposit's own refusal; nothing changes.
    const unsigned = await post(
      notificador,
      staffUrl(id, "/respuesta/notificacion"),
      await answerBody(who.rfc, `${tag}0006`, operador.efirma),
    );
    expect(unsigned.statusCode).toBe(403);
    expect(unsigned.json().code).toBe("signer_not_authorized");
    expect(await actsTo(who.rfc)).toBe(0);
    expect(await eventTypes(id)).toEqual(["recibida", "en_atencion"]);

    const blank = await post(operador, staffUrl(id, "/notas"), { text: "   " });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().detail).toBe("La nota interna no puede quedar en blanco.");
    for (const query of [
      "estado=abierta",
      "tipo=inexistente",
      "asignadoA=123",
      "recibidaDesde=2026-02-30",
      "recibidaDesde=2026-12-15&recibidaHasta=2026-12-14",
      "despuesDe=basura",
    ]) {
      const refused = await get(operador, `/api/v1/staff/promociones?${query}`);
      expect(refused.statusCode, query).toBe(400);
    }
  });
  it("the queue's projection follows every promoción's events (recibida, en_atencion, respondida, concluida) and rebuilds the same", async () => {
    expect(await expectEstadoFollowsEvents(system.database)).toBeGreaterThan(2);
    if (engine !== "postgres") return;
    // The server's own credentials read the projection and never write it: only the trigger
    // (its owner's) does, so nothing hides a promoción from the queue without an event.
    const db = system.database.db;
    const [row] = await db.selectFrom("promocion_estado").selectAll().limit(1).execute();
    await expect(
      db.updateTable("promocion_estado").set({ state: "concluida" }).execute(),
    ).rejects.toThrow(/permission denied/);
    await expect(db.deleteFrom("promocion_estado").execute()).rejects.toThrow(/permission denied/);
    await expect(
      db
        .insertInto("promocion_estado")
        .values({ ...row!, promocion_id: "00000000-0000-4000-8000-000000000000" })
        .execute(),
    ).rejects.toThrow(/permission denied/);
    await expect(sql`select promocion_estado_apply()`.execute(db)).rejects.toThrow(
      /trigger functions can only be called as triggers/,
    );
  });
});
