import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { AVISO_STATEMENT_NAME, maskAddress } from "../../domain/notificaciones/aviso.ts";
import {
  CANCELLATION_EFFECT,
  CANCELLED_AVISO_TITLE,
} from "../../domain/notificaciones/aviso-cancelado.ts";
import { buzonInProcess } from "../../testing/cli.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { createDelivery } from "../delivery/service.ts";
import type { RenderedMessage, SendResult, Transport } from "../delivery/transports.ts";
import { verifyAcuseExport } from "../verification/offline.ts";
import type { AcuseVerification } from "../verification/types.ts";
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

  /** The courier; `emailOnly` leaves the SMS avisos waiting (no SMS gateway). */
  function delivery(clock: () => Temporal.Instant, { emailOnly = false } = {}) {
    return createDelivery({
      db: f.system.database.db,
      clock,
      templates: notificacionTemplates,
      email: capture,
      ...(emailOnly ? {} : { sms: capture }),
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
  }

  async function outboxOf(id: string) {
    return f.system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "channel", "recipient", "status", "last_response"])
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
  it("an act cancelled after its aviso instant, before the sweep sealed the aviso, gets one aviso acuse with its own text: the cancellation, no term, what became of each aviso", async () => {
    // Monday 10:00: available at once; the e-mail aviso goes out at 10:01, the SMS one waits.
    f.now = at(MONDAY_1000);
    const act = await f.depositAct();
    await delivery(() => at("2026-12-14T10:01:00-06:00"), { emailOnly: true }).deliverDue();
    // (The deposit queues the SMS first: the outbox's order, which the statement keeps.)
    const byChannel = (rows: Awaited<ReturnType<typeof outboxOf>>) =>
      rows.map((o) => [o.channel, o.status, o.last_response]).sort();
    expect(byChannel(await outboxOf(act.id))).toEqual([
      ["correo", "enviada", "250 ok"],
      ["sms", "pendiente", null],
    ]);
    // Cancelled at 12:00, before any sweep ran: the SMS aviso is withdrawn, never sent.
    f.now = at("2026-12-14T12:00:00-06:00");
    const cancelled = await cancel(act.id, "El oficio cita otro registro patronal.");
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    const cancellationFolio = cancelled.json().acuse.folio as string;
    const outbox = await outboxOf(act.id);
    expect(byChannel(outbox)).toEqual([
      ["correo", "enviada", "250 ok"],
      ["sms", "fallida", expect.stringMatching(/^retirado: /)],
    ]);

    // The sweep comes at 12:01, twice: one aviso acuse, at the aviso's instant.
    f.now = at("2026-12-14T12:01:00-06:00");
    await f.system.notificacionSweeps.issueAvisos();
    await f.system.notificacionSweeps.issueAvisos();
    const events = await f.system.database.db
      .selectFrom("notificacion_events")
      .selectAll()
      .where("notificacion_id", "=", act.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.type)).toEqual(["depositada", "cancelada", "aviso_emitido"]);
    const avisoEvent = events[2]!;
    expect(avisoEvent.at.toISOString()).toBe("2026-12-14T16:00:00.000Z");
    // No term in its data either: the cancellation instead.
    expect(avisoEvent.data).toEqual({
      cancelledAt: "2026-12-14T12:00:00-06:00",
      cancellationFolio,
    });
    const folio = avisoEvent.acuse_folio!;
    const sealed = await f.system.database.db
      .selectFrom("acuses")
      .select(["folio", "kind", "event_at", "counts_at", "rule", "capacity"])
      .where("kind", "=", "aviso_notificacion")
      .where("folio", "in", [folio])
      .execute();
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toMatchObject({
      kind: "aviso_notificacion",
      rule: "horario_notificacion",
      capacity: "sistema",
    });
    expect(sealed[0]!.event_at.toISOString()).toBe("2026-12-14T16:00:00.000Z");
    expect(sealed[0]!.counts_at.toISOString()).toBe("2026-12-14T16:00:00.000Z");
    // Issued after the cancellation's (folios grow with issuance; the tests' clock went back).
    expect(folio > cancellationFolio).toBe(true);

    // The text it seals, kept verbatim and exported with it.
    const exported = (await f.system.evidence.exportByFolio(folio))!;
    expect(exported.statement?.name).toBe(AVISO_STATEMENT_NAME);
    const text = exported.statement!.text;
    expect(exported.acuse.documents[1]).toEqual({
      name: AVISO_STATEMENT_NAME,
      sha256: createHash("sha256").update(text, "utf8").digest("hex"),
      bytes: Buffer.byteLength(text, "utf8"),
    });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(CANCELLED_AVISO_TITLE);
    expect(lines).toContain(`RFC: ${MORAL}`);
    expect(lines).toContain(`Acto: ${act.id}`);
    expect(lines).toContain(
      "Disponible desde: 2026-12-14T10:00:00-06:00 (momento del aviso; Lineamientos 7.2 y 7.3)",
    );
    expect(lines).toContain(
      `Cancelado: 2026-12-14T12:00:00-06:00 por el Instituto, antes de notificarse (acuse de cancelación ${cancellationFolio}); desde entonces el documento no está a disposición`,
    );
    expect(lines.find((l) => l.startsWith("Efecto de la cancelación: "))).toContain(
      "no corren los tres días hábiles para abrirlo ni habrá notificación",
    );
    for (const field of ["Plazo: ", "Último día para abrir: ", "Notificada si no se abre: "]) {
      expect(
        lines.some((l) => l.startsWith(field)),
        field,
      ).toBe(false);
    }
    const email = outbox.find((o) => o.channel === "correo")!;
    const sms = outbox.find((o) => o.channel === "sms")!;
    const digest = (o: typeof email) =>
      createHash("sha256").update(`${o.idempotency_key} ${o.recipient}`, "utf8").digest("hex");
    const stated = {
      correo: `Aviso dirigido a: correo electrónico ${maskAddress("correo", email.recipient)}; huella ${digest(email)}: aceptado para su entrega el 2026-12-14T10:01:00-06:00`,
      sms: `Aviso dirigido a: celular (SMS) ${maskAddress("sms", sms.recipient)}; huella ${digest(sms)}: retirado por la cancelación el 2026-12-14T12:00:00-06:00; sin envío registrado`,
    };
    // In the order the deposit queued them.
    expect(lines.filter((l) => l.startsWith("Aviso dirigido a: "))).toEqual(
      outbox.map((o) => stated[o.channel as "correo" | "sms"]),
    );
    expect(text).not.toContain(email.recipient);
    expect(text).not.toContain(sms.recipient);

    // The act's timeline lists it, for the addressee (it was made available) and for staff, both
    // in legal order: the aviso (10:00, written last) before the cancellation (12:00); the
    // deposit and the aviso share 10:00 and keep the order they were written in.
    const who = await signInWith(f.system.app, f.moral);
    const detail = (await f.get(who, `/api/v1/notificaciones/${act.id}`)).json();
    expect(detail.state).toBe("cancelada");
    const inOrder = [
      ["depositada", "2026-12-14T10:00:00-06:00", undefined],
      ["aviso_emitido", "2026-12-14T10:00:00-06:00", folio],
      ["cancelada", "2026-12-14T12:00:00-06:00", cancellationFolio],
    ];
    type Entry = { event: string; at: string; acuse?: string };
    expect(detail.timeline.map((e: Entry) => [e.event, e.at, e.acuse])).toEqual(inOrder);
    const staff = await f.system.app.inject({
      url: `/api/v1/staff/notificaciones/${act.id}`,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
    });
    expect(staff.statusCode, staff.body).toBe(200);
    expect(staff.json().timeline.map((e: Entry) => [e.event, e.at, e.acuse])).toEqual(inOrder);

    // Its aviso's evidence states no term: the cancellation and its effect, as the sealed text.
    const evidence = await f.system.app.inject({
      url: `/api/v1/staff/notificaciones/${act.id}/aviso`,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
    });
    expect(evidence.statusCode, evidence.body).toBe(200);
    const aviso = evidence.json();
    expect(aviso).toMatchObject({
      availableAt: "2026-12-14T10:00:00-06:00",
      term: null,
      cancellation: {
        cancelledAt: "2026-12-14T12:00:00-06:00",
        acuseFolio: cancellationFolio,
        afterAviso: true,
        effect: CANCELLATION_EFFECT,
      },
      acuse: { folio, kind: "aviso_notificacion" },
    });
    expect(lines).toContain(`Efecto de la cancelación: ${aviso.cancellation.effect}`);
    expect(aviso.cancellation.statement).toBe(
      `El documento quedó a disposición en el Buzón IMSS el lunes 14 de diciembre de 2026 a las 10:00:00 (Zona Centro), momento del aviso. El Instituto canceló el acto el lunes 14 de diciembre de 2026 a las 12:00:00 (Zona Centro), antes de notificarse (acuse de cancelación ${cancellationFolio}): desde entonces el documento no está a disposición, y ${CANCELLATION_EFFECT}.`,
    );
    expect(evidence.body).not.toMatch(/openBy|deemedNotifiedAt|cuenta con tres días/);
    const mine = (await f.get(who, "/api/v1/buzon/acuses?limite=100")).json();
    expect(mine.acuses.map((a: { folio: string }) => a.folio)).toContain(folio);

    // The public verification page by folio and code: authentic, with the sealed text.
    const code = exported.verificationCode;
    const verified = await f.system.app.inject({
      url: `/api/v1/verificacion/acuses/${folio}?codigo=${encodeURIComponent(code)}`,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().verdict).toBe("autentico");
    expect(verified.json().acuse.statement).toEqual({ name: AVISO_STATEMENT_NAME, text });
    expect(verified.json().checks).toContainEqual(
      expect.objectContaining({ id: "texto_sellado", outcome: "ok" }),
    );

    // The evidence ZIP holds it and it verifies against the package's checkpoint; `buzon
    // verify` confirms its JSON and its PDF as every other acuse.
    await f.system.evidence.publishCheckpoint();
    const zip = await f.system.evidencePackages.packageOf(act.id, {
      via: "linea_de_comandos",
      by: "pruebas",
    });
    const files = unzipSync(new Uint8Array(zip.bytes));
    const base = zip.entries
      .find((n) => n.endsWith(`-aviso_notificacion-${folio}.json`))
      ?.replace(/\.json$/, "");
    expect(base).toBeDefined();
    const packaged = JSON.parse(Buffer.from(files[`${base}.json`]!).toString("utf8"));
    expect(packaged.statement).toEqual({ name: AVISO_STATEMENT_NAME, text });
    // Its aviso.json: the same evidence with the whole addresses, no term.
    const avisoJson = JSON.parse(Buffer.from(files["aviso.json"]!).toString("utf8"));
    expect(avisoJson).toMatchObject({
      format: "buzon-imss-aviso/2",
      term: null,
      cancellation: aviso.cancellation,
      acuse: { folio },
    });
    expect(avisoJson.deliveries.map((d: { address: string }) => d.address).sort()).toEqual(
      [email.recipient, sms.recipient].sort(),
    );
    expect(Buffer.from(files["LEEME.txt"]!).toString("utf8")).toContain("«cancellation»");
    const checkpoint = Buffer.from(files["checkpoint.txt"]!).toString("utf8");
    const offline = await verifyAcuseExport(packaged, {
      sealCertificates: f.system.evidence.sealCertificates(),
      logVerifierKey: f.system.evidence.verifierKey(),
      checkpoint,
    });
    expect(offline.checks.filter((c) => c.outcome === "failed")).toEqual([]);
    expect(offline.checks.find((c) => c.id === "texto_sellado")?.outcome).toBe("ok");
    const dir = mkdtempSync(join(tmpdir(), "buzon-aviso-cancelado-"));
    try {
      writeFileSync(join(dir, "acuse.json"), files[`${base}.json`]!);
      writeFileSync(join(dir, "acuse.pdf"), files[`${base}.pdf`]!);
      writeFileSync(join(dir, "checkpoint.txt"), checkpoint);
      writeFileSync(
        join(dir, "sello.pem"),
        f.system.evidence
          .sealCertificates()
          .map((c) => c.toString())
          .join("\n"),
      );
      for (const file of ["acuse.json", "acuse.pdf"]) {
        const { code: exit, stdout } = await buzonInProcess([
          "verify",
          join(dir, file),
          "--sello-cer",
          join(dir, "sello.pem"),
          "--verificador",
          f.system.evidence.verifierKey(),
          "--punto-de-control",
          join(dir, "checkpoint.txt"),
          "--json",
        ]);
        const result = JSON.parse(stdout) as AcuseVerification;
        expect(
          result.checks.filter((c) => c.outcome === "failed"),
          file,
        ).toEqual([]);
        expect(result.checks.find((c) => c.id === "texto_sellado")?.outcome, file).toBe("ok");
        expect(result.verdict, file).toBe("autentico");
        expect(exit, file).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an act cancelled before its aviso instant gets no aviso acuse, however often the sweep runs", async () => {
    // Monday 19:00: the aviso waits for Tuesday 09:30; cancelled at 19:30.
    f.now = at("2026-12-14T19:00:00-06:00");
    const act = await f.depositAct();
    f.now = at("2026-12-14T19:30:00-06:00");
    expect((await cancel(act.id, "Error en el oficio.")).statusCode).toBe(201);
    for (const when of ["2026-12-15T09:30:00-06:00", "2026-12-15T10:00:00-06:00"]) {
      f.now = at(when);
      await f.system.notificacionSweeps.issueAvisos();
    }
    expect(await f.eventTypes(act.id)).toEqual(["depositada", "cancelada"]);
    // Its aviso's evidence: never made available, no term, no acuse.
    const evidence = await f.system.app.inject({
      url: `/api/v1/staff/notificaciones/${act.id}/aviso`,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
    });
    expect(evidence.statusCode, evidence.body).toBe(200);
    const aviso = evidence.json();
    expect(aviso).toMatchObject({
      availableAt: "2026-12-15T09:30:00-06:00",
      term: null,
      cancellation: {
        cancelledAt: "2026-12-14T19:30:00-06:00",
        acuseFolio: expect.stringMatching(/^BI-/),
        afterAviso: false,
        effect: CANCELLATION_EFFECT,
      },
      acuse: null,
    });
    expect(aviso.cancellation.statement).toContain(
      "antes del momento de su aviso, el martes 15 de diciembre de 2026 a las 09:30:00 (Zona Centro)",
    );
    expect(aviso.cancellation.statement).toContain("no llegó a estar a disposición");
  });

  /**
   * A courier whose e-mail transport holds each send until the test answers it (`answer`), on
   * the fixture's clock: `taken` resolves once it has claimed a message and is sending it.
   */
  function slowCourier() {
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    let answer!: (result: SendResult) => void;
    const answered = new Promise<SendResult>((resolve) => {
      answer = resolve;
    });
    const courier = createDelivery({
      db: f.system.database.db,
      clock: () => f.now,
      templates: notificacionTemplates,
      email: {
        async send() {
          taken();
          return answered;
        },
      },
      maxAttempts: 3,
      backoffSeconds: 60,
      claimSeconds: 300,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
    return { courier, isTaken, answer };
  }

  /** The text the act's aviso acuse sealed. */
  async function sealedAvisoText(id: string): Promise<string> {
    const event = await f.system.database.db
      .selectFrom("notificacion_events")
      .select("acuse_folio")
      .where("notificacion_id", "=", id)
      .where("type", "=", "aviso_emitido")
      .executeTakeFirstOrThrow();
    return (await f.system.evidence.exportByFolio(event.acuse_folio!))!.statement!.text;
  }

  const avisoLine = (text: string, channel: string) =>
    text.split("\n").find((l) => l.startsWith(`Aviso dirigido a: ${channel}`));

  it("an aviso being sent when the act is cancelled: no aviso acuse while the courier holds it; once its send is recorded, the acuse says it was sent", async () => {
    // Wednesday (the sweep's watermark, in memory, is past the earlier tests' acts).
    f.now = at("2026-12-16T10:00:00-06:00");
    // The earlier tests' messages go out first: the slow courier is to take this act's alone.
    await delivery(() => f.now).deliverDue();
    const act = await f.depositAct();
    // 11:59: a courier takes the e-mail aviso (its lease to 12:04) and is sending it.
    f.now = at("2026-12-16T11:59:00-06:00");
    const { courier, isTaken, answer } = slowCourier();
    const delivering = courier.deliverDue();
    await isTaken;
    // 12:00: cancelled meanwhile; the withdrawal takes the message being sent too.
    f.now = at("2026-12-16T12:00:00-06:00");
    expect((await cancel(act.id, "Error en el oficio.")).statusCode).toBe(201);
    expect((await outboxOf(act.id)).map((o) => [o.channel, o.status]).sort()).toEqual([
      ["correo", "fallida"],
      ["sms", "fallida"],
    ]);
    // 12:01: the sweep may not state that aviso's outcome yet: no acuse, retried.
    f.now = at("2026-12-16T12:01:00-06:00");
    const held = await f.system.notificacionSweeps.issueAvisos();
    expect(held).toMatchObject({ done: 0, retry: 1 });
    expect(await f.eventTypes(act.id)).toEqual(["depositada", "cancelada"]);
    // 12:02: the send is accepted and recorded as it happened, the withdrawal kept beside it.
    f.now = at("2026-12-16T12:02:00-06:00");
    answer({ ok: true, response: "250 ok" });
    expect(await delivering).toBe(1);
    const email = (await outboxOf(act.id)).find((o) => o.channel === "correo")!;
    expect(email.status).toBe("enviada");
    expect(email.last_response).toMatch(/^250 ok \(retirado: .*, con este envío en curso\)$/);
    const attempts = await f.system.database.db
      .selectFrom("delivery_attempts")
      .select(["outcome", "response"])
      .where("idempotency_key", "=", email.idempotency_key)
      .execute();
    expect(attempts).toEqual([{ outcome: "enviado", response: email.last_response }]);
    // 12:03: the sweep seals it, saying the e-mail was sent and the SMS withdrawn.
    f.now = at("2026-12-16T12:03:00-06:00");
    expect(await f.system.notificacionSweeps.issueAvisos()).toMatchObject({ done: 1 });
    const text = await sealedAvisoText(act.id);
    expect(avisoLine(text, "correo")).toMatch(
      /: aceptado para su entrega el 2026-12-16T12:02:00-06:00$/,
    );
    expect(avisoLine(text, "celular")).toMatch(
      /: retirado por la cancelación el 2026-12-16T12:00:00-06:00; sin envío registrado$/,
    );
  });

  it("an aviso taken by a courier whose lease ran out with no result: the acuse says no result was recorded, never that it was not sent", async () => {
    f.now = at("2026-12-17T10:00:00-06:00");
    // The earlier tests' messages go out first: the slow courier is to take this act's alone.
    await delivery(() => f.now).deliverDue();
    const act = await f.depositAct();
    f.now = at("2026-12-17T11:59:00-06:00");
    const { courier, isTaken, answer } = slowCourier();
    const delivering = courier.deliverDue();
    await isTaken;
    f.now = at("2026-12-17T12:00:00-06:00");
    expect((await cancel(act.id, "Error en el oficio.")).statusCode).toBe(201);
    // 12:05: the lease (to 12:04) ran out and nothing was recorded: sealed, saying just that.
    f.now = at("2026-12-17T12:05:00-06:00");
    expect(await f.system.notificacionSweeps.issueAvisos()).toMatchObject({ done: 1 });
    const text = await sealedAvisoText(act.id);
    expect(avisoLine(text, "correo")).toMatch(
      /: retirado por la cancelación el 2026-12-17T12:00:00-06:00, con un intento de envío en curso; sin resultado registrado de ese intento$/,
    );
    expect(text).not.toContain("no se envió");
    // The late result is still recorded as it happened (the sealed text said only what was known).
    answer({ ok: true, response: "250 ok" });
    await delivering;
    expect((await outboxOf(act.id)).find((o) => o.channel === "correo")?.status).toBe("enviada");
  });
  it("an aviso whose earlier claim never came back, retried and waiting its backoff when the act is cancelled: sealed at once, no send said to be under way", async () => {
    f.now = at("2026-12-18T10:00:00-06:00");
    await delivery(() => f.now).deliverDue();
    const act = await f.depositAct();
    const email = (await outboxOf(act.id)).find((o) => o.channel === "correo")!;
    // 10:00: a courier claims the e-mail aviso (lease to 10:05) and dies: no result, ever.
    await f.system.database.db
      .updateTable("outbox")
      .set({
        attempts: 1,
        next_attempt_at: new Date(at("2026-12-18T10:05:00-06:00").epochMilliseconds),
      })
      .where("idempotency_key", "=", email.idempotency_key)
      .execute();
    // 10:06: another courier takes both avisos again; the providers answer «try later».
    f.now = at("2026-12-18T10:06:00-06:00");
    const later: Transport = {
      async send() {
        return { ok: false, permanent: false, response: "451 más tarde" };
      },
    };
    const courier = createDelivery({
      db: f.system.database.db,
      clock: () => f.now,
      templates: notificacionTemplates,
      email: later,
      sms: later,
      maxAttempts: 5,
      backoffSeconds: 600,
      claimSeconds: 300,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
    expect(await courier.deliverDue()).toBe(2);
    // 10:07: cancelled while both wait their backoff (the e-mail's next attempt at 10:26).
    f.now = at("2026-12-18T10:07:00-06:00");
    expect((await cancel(act.id, "Error en el oficio.")).statusCode).toBe(201);
    // 10:08: nothing is being sent: the sweep seals now, and says no send was under way.
    f.now = at("2026-12-18T10:08:00-06:00");
    expect(await f.system.notificacionSweeps.issueAvisos()).toMatchObject({ done: 1, retry: 0 });
    const text = await sealedAvisoText(act.id);
    expect(avisoLine(text, "correo")).toMatch(
      /: retirado por la cancelación el 2026-12-18T10:07:00-06:00; sin envío registrado/,
    );
    expect(text).not.toContain("en curso");
  });
});
