import { Buffer } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalendarData } from "../../domain/calendar/calendar.ts";
import { AVISO_STATEMENT_NAME, maskAddress } from "../../domain/notificaciones/aviso.ts";
import { CANCELLED_AVISO_TITLE } from "../../domain/notificaciones/aviso-cancelado.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import { fixedClock } from "../../platform/clock.ts";
import { loadConfig } from "../../platform/config.ts";
import { openDatabase } from "../../platform/db/database.ts";
import type { Db } from "../../platform/db/schema.ts";
import { createDemoClock } from "../../platform/demo-clock.ts";
import { buildSystem } from "../../system.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { startDevSinks } from "../delivery/dev-sinks.ts";
import { enqueueMany, withdrawPending } from "../delivery/outbox.ts";
import {
  appendNotificacionEvent,
  eventsOf,
  listNotificaciones,
  listNotificacionesWithEvents,
  notificacionesWithEvents,
} from "./store.ts";
import { avisoTerm, createNotificacionSweeps } from "./sweeps.ts";
import { AVISO_TEMPLATE } from "./templates.ts";
import { signTerms, validatedMeans } from "./test-support.ts";

/**
 * The notifications' jobs on both engines with a clock the tests set (issue 11 §2–3, §7):
 * across a weekend, a CFF holiday (25 Dec, 1 Jan) and a day the IMSS declared (24 Dec 2026);
 * late, twice, in two processes at once, racing an opening; the aviso's evidence with every
 * address and what became of it on real loopback SMTP and SMS servers (one refusing).
 */

const at = (text: string) => Temporal.Instant.from(text);
const CALENDAR: CalendarData = {
  authority: "IMSS",
  version: "pruebas-barrido-1",
  years: [2026, 2027],
  days: [{ date: "2026-12-24", reason: "Día declarado de prueba", source: "ACDO de prueba" }],
};
const RFC = "EKU9003173C9";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/** An SMTP server on loopback that refuses for good any recipient starting with «rechazo». */
async function refusingSmtp() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith("rechazo")) return callback();
      const error = new Error("5.1.1 Buzón inexistente") as Error & { responseCode: number };
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An act as the deposit writes it: the row, `depositada`, the avisos held until avisoAt. */
async function insertAct(
  db: Db,
  avisoAt: Temporal.Instant,
  means: readonly { id: string; kind: "correo" | "celular"; value: string }[],
  calendarVersion = CALENDAR.version,
): Promise<string> {
  const id = randomUUID();
  const pdf = Buffer.from(`%PDF-1.7\n% ${id}\n%%EOF\n`, "latin1");
  const sha256 = createHash("sha256").update(pdf).digest("hex");
  const depositedAt = avisoAt.subtract({ minutes: 30 });
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("notificaciones")
      .values({
        id,
        idempotency_key: id,
        request_sha256: sha256,
        rfc: RFC,
        registro_patronal: null,
        act_type: "7.1",
        oficio: `09 53 01 9200/${id.slice(0, 4)}`,
        issuing_unit: "Subdelegación Centro",
        document_name: "Resolución.pdf",
        document_sha256: sha256,
        document_bytes: pdf.byteLength,
        signature: Buffer.from([0x30, 0x00]),
        signer_rfc: "NOTI800101AB1",
        signer_certificate_number: "30001000000500003416",
        deposited_by: "NOTI800101AB1",
        deposited_at: new Date(depositedAt.epochMilliseconds),
        aviso_at: new Date(avisoAt.epochMilliseconds),
        estrados: false,
        calendar_version: calendarVersion,
        rules_version: RULES_VERSION,
        replaces_id: null,
      })
      .execute();
    await appendNotificacionEvent(tx, {
      notificacionId: id,
      type: "depositada",
      at: depositedAt,
      recordedAt: depositedAt,
      // As deposits wrote it before they used formatInstant (UTC, `Z`): read back all the same.
      data: { avisoAt: avisoAt.toString(), estrados: false, calendarVersion },
    });
    await enqueueMany(
      tx,
      means.map((m) => ({
        key: `notificacion:${id}:aviso:${m.id}`,
        channel: m.kind === "correo" ? "correo" : "sms",
        to: m.value,
        template: AVISO_TEMPLATE,
        data: {
          destinatario: `el RFC ${RFC}`,
          acto: "Resolución",
          oficio: "1",
          unidad: "Subdelegación",
          disponible: "hoy",
          abrirHasta: "mañana",
          abrirHastaCorto: "01/01/2027",
          notificadaEl: "después",
          enlace: "https://buzon.example/",
        },
        rfc: RFC,
        notBefore: new Date(avisoAt.epochMilliseconds),
      })),
    );
  });
  return id;
}

describe.each(ENGINES)("notification sweeps on %s", (engine) => {
  let system: System;
  let now = at("2026-12-21T09:00:00-06:00");
  let smtp: Awaited<ReturnType<typeof refusingSmtp>>;
  let sinks: Awaited<ReturnType<typeof startDevSinks>>;
  const means: { id: string; kind: "correo" | "celular"; value: string }[] = [];

  beforeAll(async () => {
    smtp = await refusingSmtp();
    sinks = await startDevSinks();
    system = await createTestSystem({
      engine,
      calendar: CALENDAR,
      clock: () => now,
      env: {
        SMTP_URL: smtp.url,
        SMS_GATEWAY_URL: sinks.smsUrl,
        SMS_GATEWAY_TOKEN: "demo",
        NOTIFICACION_SWEEP_BATCH: "7",
        // Only the tests run the jobs: no timer racing them.
        NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0",
        DELIVERY_INTERVAL_SECONDS: "0",
      },
    });
    for (const [kind, value] of [
      ["correo", "titular@example.mx"],
      ["correo", "rechazo@example.mx"],
      ["celular", "+525512345678"],
    ] as const) {
      means.push({
        id: await validatedMeans(system.database.db, RFC, kind, value, now),
        kind,
        value,
      });
    }
    await signTerms(system.database.db, RFC, now);
  });
  afterAll(async () => {
    await system?.app.close();
    await smtp?.close();
    await sinks?.close();
  });

  /** An act as the deposit writes it: the row, `depositada`, the avisos held until avisoAt. */
  const depositAct = (avisoAt: Temporal.Instant, db = system.database.db) =>
    insertAct(db, avisoAt, means);

  /** The statement an acuse keeps verbatim (acuse_statements), if any. */
  const keptStatement = (folio: string) =>
    system.database.db
      .selectFrom("acuse_statements")
      .selectAll()
      .where("folio", "=", folio)
      .executeTakeFirst();

  async function eventsOfAct(id: string) {
    return (await eventsOf(system.database.db, [id])).get(id) ?? [];
  }

  async function acusesOf(kind: string, folios: (string | null)[]) {
    return system.database.db
      .selectFrom("acuses")
      .selectAll()
      .where("kind", "=", kind)
      .where(
        "folio",
        "in",
        folios.filter((f): f is string => f !== null),
      )
      .execute();
  }

  it("counts the term as the engine does, across the declared day, the holiday and the weekend", async () => {
    const calendar = await system.calendars.calendar();
    expect(calendar.version).toBe(CALENDAR.version);
    for (const aviso of ["2026-12-23T10:00:00-06:00", "2026-12-31T17:59:00-06:00"]) {
      const engine = computeNotificacion(calendar, { avisoAt: at(aviso) });
      const term = avisoTerm(calendar, Temporal.PlainDate.from(aviso.slice(0, 10)));
      expect(term.openBy.toString()).toBe(engine.openBy);
      expect(term.deemedNotifiedAt.equals(at(engine.deemedNotifiedAt))).toBe(true);
    }
    // 24 Dec declared, 25 Dec CFF holiday, then the weekend: Mon 28, Tue 29, Wed 30; the 4th is
    // Thursday 31 at 09:30.
    const term = avisoTerm(calendar, Temporal.PlainDate.from("2026-12-23"));
    expect(term.openBy.toString()).toBe("2026-12-30");
    expect(term.deemedNotifiedAt.toString()).toBe("2026-12-31T15:30:00Z");
  });

  it("seals the aviso at its instant, sends the second aviso on the last day, and the constancia a week late, once", async () => {
    const sweeps = system.notificacionSweeps;
    now = at("2026-12-23T09:30:00-06:00");
    const avisoAt = at("2026-12-23T10:00:00-06:00");
    const id = await depositAct(avisoAt);

    // Before the aviso's instant: nothing.
    expect((await sweeps.runAll()).avisos.done).toBe(0);

    now = at("2026-12-23T10:07:00-06:00");
    const first = await sweeps.runAll();
    expect(first.avisos.done).toBe(1);
    expect((await sweeps.issueAvisos()).done).toBe(0);
    const aviso = (await eventsOfAct(id)).find((e) => e.type === "aviso_emitido")!;
    expect(aviso.at.toISOString()).toBe("2026-12-23T16:00:00.000Z");
    const [avisoAcuse] = await acusesOf("aviso_notificacion", [aviso.acuse_folio]);
    expect(avisoAcuse).toMatchObject({
      rfc: RFC,
      capacity: "sistema",
      rule: "horario_notificacion",
      calendar_version: CALENDAR.version,
    });
    // The legal instant is the aviso's; the folio is when the job sealed it (later).
    expect(avisoAcuse!.event_at.toISOString()).toBe("2026-12-23T16:00:00.000Z");
    expect(avisoAcuse!.counts_at.toISOString()).toBe("2026-12-23T16:00:00.000Z");
    expect(avisoAcuse!.folio).toBe("BI-20261223-100700000");
    // Its event's instants in Zona Centro, as the API writes them.
    expect(aviso.data).toEqual({
      openBy: "2026-12-30",
      deemedNotifiedAt: "2026-12-31T09:30:00-06:00",
      calendarVersion: CALENDAR.version,
      rulesVersion: RULES_VERSION,
    });

    // It seals what the aviso states besides the act's PDF: the statement, exact hash and size,
    // kept verbatim beside the acuse and given with its export.
    const kept = await keptStatement(aviso.acuse_folio!);
    expect(kept?.name).toBe(AVISO_STATEMENT_NAME);
    const avisoText = kept!.text;
    const avisoExport = await system.evidence.exportByFolio(aviso.acuse_folio!);
    expect(avisoExport?.statement).toEqual({ name: AVISO_STATEMENT_NAME, text: avisoText });
    expect(avisoExport?.acuse.documents).toEqual([
      expect.objectContaining({ name: "Resolución.pdf" }),
      {
        name: AVISO_STATEMENT_NAME,
        sha256: createHash("sha256").update(avisoText, "utf8").digest("hex"),
        bytes: Buffer.byteLength(avisoText, "utf8"),
      },
    ]);
    const lines = avisoText.trimEnd().split("\n");
    expect(lines[0]).toBe("Buzón IMSS — Aviso de notificación");
    expect(lines).toContain(`RFC: ${RFC}`);
    expect(lines).toContain(`Acto: ${id}`);
    expect(lines).toContain("Unidad emisora: Subdelegación Centro");
    expect(lines).toContain(
      "Disponible desde: 2026-12-23T10:00:00-06:00 (momento del aviso; Lineamientos 7.2 y 7.3)",
    );
    expect(lines.find((l) => l.startsWith("Plazo: "))).toContain("tres días hábiles");
    expect(lines).toContain(
      "Último día para abrir: 2026-12-30 (miércoles 30 de diciembre de 2026)",
    );
    expect(lines.find((l) => l.startsWith("Notificada si no se abre: "))).toContain(
      "2026-12-31T09:30:00-06:00",
    );
    expect(lines).toContain(
      `Calendario: IMSS ${CALENDAR.version}, reglas ${RULES_VERSION} (el momento del aviso y el plazo)`,
    );
    // Each address the deposit queued the aviso to, masked, with the digest that binds it whole.
    const digest = (meansId: string, value: string) =>
      createHash("sha256")
        .update(`notificacion:${id}:aviso:${meansId} ${value}`, "utf8")
        .digest("hex");
    const channelText = (kind: string) =>
      kind === "correo" ? "correo electrónico" : "celular (SMS)";
    expect(lines.filter((l) => l.startsWith("Aviso dirigido a: ")).sort()).toEqual(
      means
        .map(
          (m) =>
            `Aviso dirigido a: ${channelText(m.kind)} ${maskAddress(m.kind === "correo" ? "correo" : "sms", m.value)}; huella ${digest(m.id, m.value)}`,
        )
        .sort(),
    );
    for (const m of means) expect(avisoText).not.toContain(m.value);

    // The last day to open, before 09:30: no second aviso yet; at 11:00, one per means.
    now = at("2026-12-30T09:29:00-06:00");
    expect((await sweeps.runAll()).segundosAvisos.done).toBe(0);
    now = at("2026-12-30T11:00:00-06:00");
    expect((await sweeps.runAll()).segundosAvisos.done).toBe(1);
    expect((await sweeps.sendSegundosAvisos()).done).toBe(0);
    const second = await system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "next_attempt_at", "template"])
      .where("idempotency_key", "like", `notificacion:${id}:segundo-aviso:%`)
      .execute();
    expect(second).toHaveLength(3);
    expect(second.every((m) => m.template === "notificacion_segundo_aviso")).toBe(true);
    expect(second[0]!.next_attempt_at?.toISOString()).toBe("2026-12-30T15:30:00.000Z");
    expect((await eventsOfAct(id)).filter((e) => e.type === "segundo_aviso")).toHaveLength(1);

    // A minute before the fourth day: nothing. A week late: the constancia at Thursday 09:30.
    now = at("2026-12-31T09:29:00-06:00");
    expect((await sweeps.runAll()).constancias.done).toBe(0);
    now = at("2027-01-08T12:00:00-06:00");
    expect((await sweeps.runAll()).constancias.done).toBe(1);
    expect((await sweeps.runAll()).constancias.done).toBe(0);
    const constancia = (await eventsOfAct(id)).find((e) => e.type === "constancia_cuarto_dia")!;
    expect(constancia.at.toISOString()).toBe("2026-12-31T15:30:00.000Z");
    expect(constancia.data).toMatchObject({
      fourthBusinessDay: "2026-12-31",
      openBy: "2026-12-30",
      calendarVersion: CALENDAR.version,
      aperturaAutenticada: false,
    });
    const acuses = await system.database.db
      .selectFrom("acuses")
      .selectAll()
      .where("kind", "=", "constancia_cuarto_dia")
      .where("folio", "=", constancia.acuse_folio!)
      .execute();
    expect(acuses).toHaveLength(1);
    expect(acuses[0]).toMatchObject({ rule: "cuarto_dia", calendar_version: CALENDAR.version });
    expect(acuses[0]!.event_at.toISOString()).toBe("2026-12-31T15:30:00.000Z");
    expect(acuses[0]!.counts_at.toISOString()).toBe("2026-12-31T15:30:00.000Z");
    expect(acuses[0]!.folio.startsWith("BI-20270108-")).toBe(true);
    // The acuse seals what it states (its statement), kept verbatim and shown on its export.
    const exported = await system.evidence.exportByFolio(constancia.acuse_folio!);
    expect(exported?.statement?.name).toBe("constancia-cuarto-dia.txt");
    const stated = exported?.statement?.text ?? "";
    expect(stated).toContain("Apertura con e.firma en el plazo: no hubo");
    expect(stated).toContain("Cuarto día hábil: 2026-12-31 (");
    expect(stated).toContain(`Calendario: IMSS ${CALENDAR.version}`);
    expect(exported?.acuse.documents.map((d) => d.name)).toContain("constancia-cuarto-dia.txt");

    // The particular's detail shows both in the timeline with their acuses.
    const detail = await system.notificaciones.detail(RFC, id);
    expect(detail.state).toBe("notificada");
    expect(detail.notifiedBy).toBe("ministerio_de_ley");
    expect(detail.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: "aviso_emitido", acuse: aviso.acuse_folio }),
        expect.objectContaining({ event: "segundo_aviso" }),
        expect.objectContaining({ event: "constancia_cuarto_dia", acuse: constancia.acuse_folio }),
      ]),
    );
  });

  it("issues no constancia for an act opened in the term, nor for a cancelled one; the scheduler runs the sweeps", async () => {
    now = at("2027-01-11T09:00:00-06:00");
    // Aviso Mon 11 Jan: Tue 12, Wed 13, Thu 14 to open; notified Fri 15 at 09:30.
    const opened = await depositAct(at("2027-01-11T10:00:00-06:00"));
    const cancelled = await depositAct(at("2027-01-11T10:00:00-06:00"));
    const unopened = await depositAct(at("2027-01-11T10:00:00-06:00"));
    now = at("2027-01-14T17:00:00-06:00");
    await appendNotificacionEvent(system.database.db, {
      notificacionId: opened,
      type: "abierta",
      at: now,
      recordedAt: now,
      data: { notifiedAt: now.toString() },
    });
    await appendNotificacionEvent(system.database.db, {
      notificacionId: cancelled,
      type: "cancelada",
      at: now,
      recordedAt: now,
    });
    now = at("2027-01-15T09:30:00-06:00");
    await system.scheduler.runAll();
    const types = async (id: string) => (await eventsOfAct(id)).map((e) => e.type);
    expect(await types(opened)).not.toContain("constancia_cuarto_dia");
    expect(await types(cancelled)).not.toContain("constancia_cuarto_dia");
    expect(await types(unopened)).toContain("constancia_cuarto_dia");
    // The aviso of the opened act is still evidenced (late run); so is the cancelled one's: it
    // was cancelled after its aviso instant, so its acuse seals what happened instead of a term.
    expect(await types(opened)).toContain("aviso_emitido");
    const cancelledAviso = (await eventsOfAct(cancelled)).find((e) => e.type === "aviso_emitido");
    expect((await keptStatement(cancelledAviso!.acuse_folio!))?.text).toMatch(
      new RegExp(`^${CANCELLED_AVISO_TITLE}\n`),
    );
    // A list page reads acts and timelines in one statement: the very rows and events (dates,
    // data, folios, order) that reading them apart gives.
    const db = system.database.db;
    const page = await listNotificacionesWithEvents(db, { rfc: RFC, limit: 500 });
    expect(page.rows).toEqual(await listNotificaciones(db, { rfc: RFC, limit: 500 }));
    const apart = await eventsOf(
      db,
      page.rows.map((r) => r.id),
    );
    expect(page.rows.map((r) => r.id)).toEqual(
      expect.arrayContaining([opened, cancelled, unopened]),
    );
    // Ids as text on both engines (PGlite reads a bigint as a number).
    const withTextIds = (events: Map<string, { id: unknown }[]>) =>
      new Map([...events].map(([k, v]) => [k, v.map((e) => ({ ...e, id: String(e.id) }))]));
    expect(withTextIds(page.events)).toEqual(withTextIds(apart));
    // And by ids («Mis expedientes»): the same acts and timelines.
    const byIds = await notificacionesWithEvents(db, [unopened, opened]);
    expect(byIds.rows.map((r) => r.id).sort()).toEqual([opened, unopened].sort());
    expect(byIds.rows).toEqual(
      expect.arrayContaining(page.rows.filter((r) => r.id === opened || r.id === unopened)),
    );
    expect(withTextIds(byIds.events)).toEqual(
      withTextIds(new Map([...apart].filter(([id]) => id === opened || id === unopened))),
    );
    expect(page.events.get(opened)?.map((e) => e.type)).toContain("abierta");
  });

  it("an opening racing the sweep: exactly one of them wins each act", async () => {
    now = at("2027-01-18T09:00:00-06:00");
    // Aviso Mon 18 Jan: notified Fri 22 at 09:30.
    const ids = await Promise.all(
      Array.from({ length: 12 }, () => depositAct(at("2027-01-18T10:00:00-06:00"))),
    );
    now = at("2027-01-22T09:30:00-06:00");
    const openedAt = at("2027-01-22T09:29:59-06:00");
    /** An opening as a use case writes it: under the act's lock, if nothing settled it first. */
    const open = (id: string) =>
      system.database.db.transaction().execute(async (tx) => {
        // The opening's lock (store.ts): the act's row, for update.
        await sql`select id from notificaciones where id = ${id} for update`.execute(tx);
        const events = (await eventsOf(tx, [id])).get(id) ?? [];
        if (events.some((e) => e.type === "constancia_cuarto_dia")) return false;
        return appendNotificacionEvent(tx, {
          notificacionId: id,
          type: "abierta",
          at: openedAt,
          recordedAt: now,
          data: { notifiedAt: openedAt.toString() },
        });
      });
    await Promise.all([
      system.notificacionSweeps.issueConstancias(),
      ...ids.filter((_, i) => i % 2 === 0).map(open),
    ]);
    await system.notificacionSweeps.issueConstancias();
    for (const [i, id] of ids.entries()) {
      const events = await eventsOfAct(id);
      const constancias = events.filter((e) => e.type === "constancia_cuarto_dia");
      const opened = events.filter((e) => e.type === "abierta");
      expect(constancias.length + opened.length, `acto ${i}`).toBe(1);
      if (i % 2 === 1) expect(constancias).toHaveLength(1);
    }
    const folios = (await Promise.all(ids.map(eventsOfAct)))
      .flat()
      .map((e) => e.acuse_folio)
      .filter((f) => f !== null);
    const sealed = await system.database.db
      .selectFrom("acuses")
      .select(["folio"])
      .where("kind", "=", "constancia_cuarto_dia")
      .where("event_at", "=", new Date(at("2027-01-22T09:30:00-06:00").epochMilliseconds))
      .execute();
    // Every constancia sealed is the one its act records: none thrown away half-written.
    expect(sealed.map((s) => s.folio).sort()).toEqual(
      folios.filter((f) => sealed.some((s) => s.folio === f)).sort(),
    );
  });

  it("two sweeps at once seal exactly one constancia per act", async () => {
    now = at("2027-01-25T09:00:00-06:00");
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => depositAct(at("2027-01-25T12:00:00-06:00"))),
    );
    now = at("2027-02-01T08:00:00-06:00");
    const other = createNotificacionSweeps({
      db: system.database.db,
      clock: () => now,
      calendar: () => system.calendars.calendar(),
      evidence: system.evidence,
      catalogue: system.notificaciones.catalogue(),
      publicUrl: "https://buzon.example",
      batchSize: 5,
    });
    await Promise.all([
      system.notificacionSweeps.issueConstancias(),
      other.issueConstancias(),
      other.issueConstancias(),
    ]);
    const acuses = await system.database.db
      .selectFrom("acuses")
      .select(["folio"])
      .where("kind", "=", "constancia_cuarto_dia")
      .where("event_at", "=", new Date(at("2027-01-29T09:30:00-06:00").epochMilliseconds))
      .execute();
    expect(acuses).toHaveLength(ids.length);
    for (const id of ids) {
      const events = (await eventsOfAct(id)).filter((e) => e.type === "constancia_cuarto_dia");
      expect(events).toHaveLength(1);
      expect(acuses.map((a) => a.folio)).toContain(events[0]!.acuse_folio);
    }
  });

  it("the aviso's evidence lists every address and what became of it, with the acuse and the term", async () => {
    // Monday 1 February 2027 is a holiday (CFF art. 12: first Monday of February).
    now = at("2027-02-02T09:00:00-06:00");
    const id = await depositAct(at("2027-02-02T10:00:00-06:00"));
    now = at("2027-02-02T10:00:30-06:00");
    // Every message due (earlier tests' avisos too), until the outbox has none left to try.
    while ((await system.delivery.deliverDue()) > 0) {}
    await system.notificacionSweeps.issueAvisos();
    const shown = await system.notificacionSweeps.avisoEvidence(id);
    expect(shown).toMatchObject({
      addressee: { rfc: RFC, registroPatronal: null },
      availableAt: "2027-02-02T10:00:00-06:00",
      term: { openBy: "2027-02-05", deemedNotifiedAt: "2027-02-08T09:30:00-06:00" },
      cancellation: null,
      acuse: { kind: "aviso_notificacion", eventAt: "2027-02-02T10:00:00-06:00" },
    });
    expect(shown!.term!.statement).toContain("tres días hábiles");
    expect(shown!.acuse!.cadenaOriginal).toContain("|aviso_notificacion|");
    expect(
      shown!.deliveries.map((d) => [d.channel, d.address, d.status]),
      JSON.stringify(shown!.deliveries),
    ).toEqual([
      ["correo", maskAddress("correo", "titular@example.mx"), "enviada"],
      ["correo", maskAddress("correo", "rechazo@example.mx"), "fallida"],
      ["sms", maskAddress("sms", "+525512345678"), "enviada"],
    ]);
    expect(shown!.deliveries.every((d) => d.aviso === "primero" && d.attempts.length === 1)).toBe(
      true,
    );
    expect(shown!.deliveries[1]!.attempts[0]).toMatchObject({ outcome: "fallido" });
    expect(shown!.deliveries[1]!.attempts[0]!.response).toContain("550");
    expect(JSON.stringify(shown)).not.toContain("titular@example.mx");
    const full = await system.notificacionSweeps.avisoEvidence(id, { full: true });
    expect(full!.deliveries.map((d) => d.address)).toEqual([
      "titular@example.mx",
      "rechazo@example.mx",
      "+525512345678",
    ]);
    expect(sinks.messages("+525512345678").length).toBeGreaterThan(0);

    // Unopened, the constancia of the fourth day (Monday 8 February 09:30) states what became
    // of each aviso by then: sealed, masked, with the same digests as the aviso's statement.
    now = at("2027-02-08T10:00:00-06:00");
    await system.notificacionSweeps.issueConstancias();
    const constancia = (await eventsOfAct(id)).find((e) => e.type === "constancia_cuarto_dia")!;
    const stated = (await keptStatement(constancia.acuse_folio!))!.text;
    const avisoStated = (await keptStatement(
      (await eventsOfAct(id)).find((e) => e.type === "aviso_emitido")!.acuse_folio!,
    ))!.text;
    expect(stated).toContain("\nUnidad emisora: Subdelegación Centro\n");
    const lines = stated.trimEnd().split("\n");
    const huellas = avisoStated
      .split("\n")
      .filter((l) => l.startsWith("Aviso dirigido a: "))
      .map((l) => l.slice("Aviso dirigido a: ".length));
    expect(lines.filter((l) => l.startsWith("Aviso: "))).toEqual([
      `Aviso: ${huellas[0]}: aceptado para su entrega el 2027-02-02T10:00:30-06:00`,
      `Aviso: ${huellas[1]}: no se pudo entregar (fallido definitivamente el 2027-02-02T10:00:30-06:00)`,
      `Aviso: ${huellas[2]}: aceptado para su entrega el 2027-02-02T10:00:30-06:00`,
    ]);
    for (const value of ["titular@example.mx", "rechazo@example.mx", "+525512345678"]) {
      expect(stated).not.toContain(value);
    }
  });

  it("names the deposit's calendar and the one that counted the term when they differ", async () => {
    now = at("2027-02-10T09:00:00-06:00");
    // Deposited when an earlier version was in force: it fixed the aviso's instant (rule a).
    const id = await insertAct(
      system.database.db,
      at("2027-02-10T10:00:00-06:00"),
      means,
      "pruebas-barrido-0",
    );
    now = at("2027-02-10T10:05:00-06:00");
    await system.notificacionSweeps.issueAvisos();
    const aviso = (await eventsOfAct(id)).find((e) => e.type === "aviso_emitido")!;
    const [acuse] = await acusesOf("aviso_notificacion", [aviso.acuse_folio]);
    expect(acuse?.calendar_version).toBe("pruebas-barrido-0");
    expect(aviso.data).toMatchObject({ calendarVersion: CALENDAR.version });
    const stated = (await keptStatement(aviso.acuse_folio!))!.text;
    expect(stated).not.toContain("\nCalendario: ");
    expect(stated).toContain(
      `\nCalendario del aviso: IMSS pruebas-barrido-0, reglas ${RULES_VERSION} (el momento del aviso, calculado al depositar)\n`,
    );
    expect(stated).toContain(
      `\nCalendario del plazo: IMSS ${CALENDAR.version}, reglas ${RULES_VERSION} (el último día para abrir y el cuarto día hábil)\n`,
    );
  });

  it("a cancellation racing the aviso's sweep: one aviso acuse per act, whose text is the one the order of events calls for", async () => {
    now = at("2027-02-15T09:00:00-06:00");
    const ids = await Promise.all(
      Array.from({ length: 12 }, () => depositAct(at("2027-02-15T10:00:00-06:00"))),
    );
    now = at("2027-02-15T10:05:00-06:00");
    /** A cancellation as the use case writes it: under the act's lock, withdrawing its avisos. */
    const cancel = (id: string) =>
      system.database.db.transaction().execute(async (tx) => {
        await sql`select id from notificaciones where id = ${id} for update`.execute(tx);
        const events = (await eventsOf(tx, [id])).get(id) ?? [];
        if (events.some((e) => e.type === "cancelada")) return;
        await appendNotificacionEvent(tx, {
          notificacionId: id,
          type: "cancelada",
          at: now,
          recordedAt: now,
          data: { motivo: "carrera", via: "token_api" },
        });
        await withdrawPending(
          tx,
          { rfc: RFC, keyPrefix: `notificacion:${id}:` },
          "el Instituto canceló el acto",
          new Date(now.epochMilliseconds),
        );
      });
    await Promise.all([
      system.notificacionSweeps.issueAvisos(),
      ...ids.filter((_, i) => i % 2 === 0).map(cancel),
    ]);
    await system.notificacionSweeps.issueAvisos();
    expect((await system.notificacionSweeps.issueAvisos()).done).toBe(0);
    for (const [i, id] of ids.entries()) {
      const types = (await eventsOfAct(id)).map((e) => e.type);
      expect(
        types.filter((t) => t === "aviso_emitido"),
        `acto ${i}`,
      ).toHaveLength(1);
      const aviso = (await eventsOfAct(id)).find((e) => e.type === "aviso_emitido")!;
      const text = (await keptStatement(aviso.acuse_folio!))!.text;
      // Sealed after the cancellation: its own text; before it (or never cancelled): the term.
      const cancelledFirst =
        types.includes("cancelada") && types.indexOf("cancelada") < types.indexOf("aviso_emitido");
      expect(text.split("\n")[0], `acto ${i}`).toBe(
        cancelledFirst ? CANCELLED_AVISO_TITLE : "Buzón IMSS — Aviso de notificación",
      );
      if (i % 2 === 1) expect(types).toEqual(["depositada", "aviso_emitido"]);
      if (cancelledFirst) {
        expect(text).not.toMatch(/\nPlazo: /);
        // Every aviso of a cancelled act was withdrawn before going out, and is said so.
        expect(text.split("\n").filter((l) => l.startsWith("Aviso dirigido a: "))).toHaveLength(
          means.length,
        );
        expect(text).not.toContain("aceptado para su entrega");
        expect(text.match(/retirado por la cancelación/g)).toHaveLength(means.length);
      }
    }
  });

  it("an act cancelled after the sweep read it, before its lock: left for the next run, which seals the cancelled text", async () => {
    now = at("2027-02-17T09:00:00-06:00");
    const id = await depositAct(at("2027-02-17T10:00:00-06:00"));
    now = at("2027-02-17T10:05:00-06:00");
    // The sweep writes the ordinary text (the act is pending when read); the cancellation commits
    // before the issuance takes the act's lock.
    const cancelFirst = async () => {
      await system.database.db.transaction().execute(async (tx) => {
        await sql`select id from notificaciones where id = ${id} for update`.execute(tx);
        await appendNotificacionEvent(tx, {
          notificacionId: id,
          type: "cancelada",
          at: now,
          recordedAt: now,
          data: { motivo: "entre la lectura y el candado", via: "token_api" },
        });
      });
    };
    const evidence = system.evidence;
    const late = createNotificacionSweeps({
      db: system.database.db,
      clock: () => now,
      calendar: () => system.calendars.calendar(),
      evidence: {
        ...evidence,
        issueGroup: (members, group) => {
          const issued = cancelFirst().then(() => evidence.issueGroup(members, group));
          return members.map((_, i) => issued.then((all) => all[i]!));
        },
      },
      catalogue: system.notificaciones.catalogue(),
      publicUrl: "https://buzon.example",
    });
    const first = await late.issueAvisos();
    expect(first).toMatchObject({ done: 0, retry: 1 });
    expect((await eventsOfAct(id)).map((e) => e.type)).toEqual(["depositada", "cancelada"]);
    const next = await system.notificacionSweeps.issueAvisos();
    expect(next.done).toBe(1);
    const aviso = (await eventsOfAct(id)).find((e) => e.type === "aviso_emitido")!;
    // The ordinary text was never sealed: the act's one aviso acuse is the one its event names.
    const sealed = await system.database.db
      .selectFrom("acuses")
      .select("folio")
      .where("kind", "=", "aviso_notificacion")
      .where("event_at", "=", new Date(at("2027-02-17T10:00:00-06:00").epochMilliseconds))
      .execute();
    expect(sealed.map((a) => a.folio)).toEqual([aviso.acuse_folio]);
    expect((await keptStatement(aviso.acuse_folio!))!.text.split("\n")[0]).toBe(
      CANCELLED_AVISO_TITLE,
    );
    expect(aviso.data).toEqual({ cancelledAt: "2027-02-17T10:05:00-06:00" });
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl) console.log("SKIP: barrido en dos procesos (TEST_DATABASE_URL no está definida)");

describe.skipIf(!baseUrl)("the fourth-day sweep in two processes on PostgreSQL", () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.dispose();
  });

  it("two servers on one database, sweeping at once, seal one constancia per act", async () => {
    database = await createTestDatabase("postgres");
    let now = at("2027-03-01T09:00:00-06:00");
    const server = () =>
      buildSystem({
        config: loadConfig({
          BUZON_ENV: "test",
          LOG_LEVEL: "silent",
          DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-barrido-")),
          CHECKPOINT_INTERVAL_SECONDS: "0",
          NOTIFICACION_SWEEP_BATCH: "4",
          NOTIFICACION_SWEEP_INTERVAL_SECONDS: "0",
          DELIVERY_INTERVAL_SECONDS: "0",
          ...database.env,
        }),
        database: openDatabase({ engine: "postgres", url: database.url as string, poolSize: 3 }),
        initialCalendar: CALENDAR,
        trustAnchors: [],
        clock: () => now,
        worker: false,
      });
    const first = await server();
    const second = await server();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const id = randomUUID();
        ids.push(id);
        const avisoAt = at("2027-03-01T10:00:00-06:00");
        await database.db.transaction().execute(async (tx) => {
          await tx
            .insertInto("notificaciones")
            .values({
              id,
              idempotency_key: id,
              request_sha256: "b".repeat(64),
              rfc: RFC,
              registro_patronal: null,
              act_type: "7.1",
              oficio: `oficio ${i}`,
              issuing_unit: "Subdelegación Centro",
              document_name: "Resolución.pdf",
              document_sha256: "c".repeat(64),
              document_bytes: 10,
              signature: Buffer.from([0x30, 0x00]),
              signer_rfc: "NOTI800101AB1",
              signer_certificate_number: "30001000000500003416",
              deposited_by: "NOTI800101AB1",
              deposited_at: new Date(avisoAt.epochMilliseconds),
              aviso_at: new Date(avisoAt.epochMilliseconds),
              estrados: false,
              calendar_version: CALENDAR.version,
              rules_version: "lineamientos-2024-08-06.4",
              replaces_id: null,
            })
            .execute();
          await appendNotificacionEvent(tx, {
            notificacionId: id,
            type: "depositada",
            at: avisoAt,
            recordedAt: avisoAt,
            data: { avisoAt: avisoAt.toString(), estrados: false },
          });
        });
      }
      now = at("2027-03-08T10:00:00-06:00");
      const reports = await Promise.all([
        first.notificacionSweeps.runAll(),
        second.notificacionSweeps.runAll(),
      ]);
      expect(reports[0].constancias.done + reports[1].constancias.done).toBe(ids.length);
      expect(reports[0].avisos.done + reports[1].avisos.done).toBe(ids.length);
      const counts = await database.db
        .selectFrom("acuses")
        .select(["kind", (eb) => eb.fn.countAll<string>().as("n")])
        .groupBy("kind")
        .execute();
      expect(Object.fromEntries(counts.map((c) => [c.kind, Number(c.n)]))).toMatchObject({
        aviso_notificacion: ids.length,
        constancia_cuarto_dia: ids.length,
      });
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });
});

describe("the demo clock", () => {
  let system: TestSystem;
  let sinks: Awaited<ReturnType<typeof startDevSinks>>;
  beforeAll(async () => {
    sinks = await startDevSinks();
    const file = join(mkdtempSync(join(tmpdir(), "buzon-reloj-")), "reloj-demo.json");
    system = await createTestSystem({
      adminToken: true,
      // Monday 1 March 2027, 10:00 Zona Centro.
      demo: { sinks, clock: createDemoClock(file, fixedClock("2027-03-01T16:00:00Z")) },
      env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
    });
  });
  afterAll(async () => {
    await system?.app.close();
    await sinks?.close();
  });

  it("moved past the fourth business day, seals the constancia before it answers", async () => {
    // Aviso Monday 10:00: Tue 2, Wed 3, Thu 4 to open; notified Friday 5 at 09:30.
    const id = await insertAct(system.database.db, at("2027-03-01T10:00:00-06:00"), []);
    const moved = await system.app.inject({
      method: "POST",
      url: "/api/v1/dev/reloj",
      headers: { authorization: `Bearer ${system.adminToken}` },
      payload: { at: "2027-03-05T09:31:00-06:00" },
    });
    expect(moved.statusCode).toBe(200);
    const events = (await eventsOf(system.database.db, [id])).get(id) ?? [];
    expect(events.map((e) => e.type)).toEqual([
      "depositada",
      "aviso_emitido",
      "constancia_cuarto_dia",
    ]);
    expect(events[2]!.at.toISOString()).toBe("2027-03-05T15:30:00.000Z");
    expect(events[2]!.acuse_folio).toMatch(/^BI-20270305-093/);
  });
});
