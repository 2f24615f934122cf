import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTITUTE_RFC } from "../../domain/notificaciones/estrados.ts";
import { loadConfig } from "../../platform/config.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { openDatabase } from "../../platform/db/database.ts";
import type { Db } from "../../platform/db/schema.ts";
import { buildSystem } from "../../system.ts";
import { fisicaRfc, pdfOf, seedPadron } from "../../testing/acts.ts";
import { createTestDatabase, ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma, signDocumentLikeTheBrowser, testDevCa } from "../../testing/efirma.ts";
import { createTestSystem, TEST_CALENDAR } from "../../testing/server.ts";
import type { PadronEntry } from "../padron/store.ts";

/**
 * The estrados electrónicos end to end in-process (CFF 139; issue 11 §4): the real deposit sends
 * the act of an addressee without an enabled mailbox to estrados; the job seals its publication
 * at the aviso instant and its end on the eleventh business day, once each; the public listing
 * and the document. Fixed clock; certificates of the test CA are valid from a day before the
 * real present, so the instants are in December 2026.
 *
 * Mon 7 Dec 2026 10:00 → days Tue 8 … Mon 21 Dec (ten), notified Tue 22 Dec 00:00, effect
 * Wed 23 Dec (test calendar: CFF days only).
 */

const at = (text: string) => Temporal.Instant.from(text);
const MONDAY_10 = at("2026-12-07T10:00:00-06:00");

const SIN_BUZON = "AAA010101AA1";
const SIN_BUZON_NAME = "COMERCIALIZADORA SIN BUZON SA DE CV";
const HABILITADA = fisicaRfc("HABI");

const ENTRIES: PadronEntry[] = [
  {
    rfc: SIN_BUZON,
    name: SIN_BUZON_NAME,
    persona: "moral",
    registrosPatronales: ["Y5412345108"],
    emailOnFile: null,
    habilitacion2020: null,
  },
  {
    rfc: HABILITADA,
    name: "HILDA BIBIANA HERRERA",
    persona: "fisica",
    registrosPatronales: [],
    emailOnFile: "hilda@example.mx",
    // Enabled under the 2020 Lineamientos (5.4): the deposit projects it, with its e-mail.
    habilitacion2020: { at: new Date("2021-03-01T12:00:00Z") },
  },
];

const seed = (db: Db, now: Temporal.Instant) =>
  seedPadron(db, ENTRIES, new Date(now.epochMilliseconds));

type System = Awaited<ReturnType<typeof createTestSystem>>;

describe.each(ENGINES)("estrados electrónicos on %s", (engine) => {
  let system: System;
  let now = MONDAY_10;
  let notificador: IssuedEfirma;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => now,
    });
    await seed(system.database.db, now);
    notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
    await system.staff.set({ rfc: notificador.rfc, role: "notificador", name: "NORA" }, "pruebas");
  });
  afterAll(async () => {
    await system?.app.close();
  });

  async function deposit(rfc: string, actType = "7.1") {
    const pdf = pdfOf(randomUUID());
    const answer = await system.notificaciones.deposit(
      {
        idempotencyKey: randomUUID(),
        rfc,
        actType,
        oficio: `09 53 01 9200/${Math.floor(Math.random() * 100000)}`,
        issuingUnit: "Subdelegación Centro",
        documentName: "Resolución prima RT 2026.pdf",
        document: pdf.toString("base64"),
        signature: await signDocumentLikeTheBrowser(notificador, pdf),
      },
      { rfc: notificador.rfc, via: "token_api" },
    );
    return { id: answer.id, pdf };
  }

  const get = (url: string) => system.app.inject({ method: "GET", url });

  const acusesOf = (rfc: string, kind: string) =>
    system.database.db
      .selectFrom("acuses")
      .selectAll()
      .where("rfc", "=", rfc)
      .where("kind", "=", kind)
      .orderBy("folio")
      .execute();

  it("lists an act on estrados from its aviso instant, seals its publication once, and never lists an enabled mailbox's act", async () => {
    now = MONDAY_10;
    const act = await deposit(SIN_BUZON);
    const enabled = await deposit(HABILITADA);
    const rows = await system.database.db
      .selectFrom("notificaciones")
      .select(["id", "estrados"])
      .where("id", "in", [act.id, enabled.id])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.estrados]))).toEqual({
      [act.id]: true,
      [enabled.id]: false,
    });

    // Before the job: on the page (published at the aviso instant), its acuse not yet sealed.
    const before = (await get("/api/v1/estrados")).json();
    expect(before.items.map((i: { id: string }) => i.id)).toEqual([act.id]);
    expect(before.items[0].publicationAcuse).toBeNull();

    now = MONDAY_10.add({ seconds: 30 });
    expect(await system.estrados.runJobs()).toEqual({ published: 1, ended: 0 });
    // Twice: nothing more.
    expect(await system.estrados.runJobs()).toEqual({ published: 0, ended: 0 });
    const [acuse, ...others] = await acusesOf(SIN_BUZON, "publicacion_estrados");
    expect(others).toEqual([]);
    expect(acuse).toMatchObject({
      actor_rfc: INSTITUTE_RFC,
      capacity: "sistema",
      rule: "estrados",
      calendar_version: "test-1",
      rules_version: "lineamientos-2024-08-06.4",
    });
    expect(acuse!.event_at.getTime()).toBe(MONDAY_10.epochMilliseconds);
    expect(acuse!.counts_at.getTime()).toBe(MONDAY_10.epochMilliseconds);
    expect(acuse!.documents).toEqual([
      {
        name: "Resolución prima RT 2026.pdf",
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        bytes: act.pdf.byteLength,
      },
    ]);
    expect(await acusesOf(HABILITADA, "publicacion_estrados")).toEqual([]);

    const listing = await get("/api/v1/estrados");
    expect(listing.statusCode).toBe(200);
    const [item, ...rest] = listing.json().items;
    expect(rest).toEqual([]);
    expect(item).toEqual({
      id: act.id,
      actType: "7.1",
      actTypeName: "Resolución de Determinación de la Prima en el Seguro de Riesgos de Trabajo",
      oficio: expect.stringMatching(/^09 53 01 9200\//),
      issuingUnit: "Subdelegación Centro",
      addressee: { name: SIN_BUZON_NAME, rfc: "AAA******AA1" },
      status: "en_publicacion",
      publishedAt: "2026-12-07T10:00:00-06:00",
      firstPublicationDay: "2026-12-08",
      lastPublicationDay: "2026-12-21",
      notifiedOn: "2026-12-22",
      notifiedAt: "2026-12-22T00:00:00-06:00",
      effectiveOn: "2026-12-23",
      publicationAcuse: acuse!.folio,
      endAcuse: null,
      document: {
        url: `/api/v1/estrados/${act.id}/documento`,
        sha256: acuse!.documents && (acuse!.documents as { sha256: string }[])[0]!.sha256,
        bytes: act.pdf.byteLength,
      },
      calendarVersion: "test-1",
      rulesVersion: "lineamientos-2024-08-06.4",
    });
    // Personal data: the padrón name and the RFC without its date; nothing else of the person.
    const text = listing.body;
    expect(text).not.toContain(SIN_BUZON);
    expect(text).not.toContain("Y5412345108");
    expect(text).not.toContain("Resolución prima RT 2026.pdf");
    expect(text).not.toContain(HABILITADA);

    const document = await get(`/api/v1/estrados/${act.id}/documento`);
    expect(document.statusCode).toBe(200);
    expect(document.headers["content-type"]).toBe("application/pdf");
    expect(document.rawPayload.equals(act.pdf)).toBe(true);
    // An enabled mailbox's act is not on the estrados, by id either.
    expect((await get(`/api/v1/estrados/${enabled.id}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/estrados/${enabled.id}/documento`)).statusCode).toBe(404);
    expect((await get("/api/v1/estrados/no-es-un-id")).statusCode).toBe(404);

    const detail = (await get(`/api/v1/estrados/${act.id}`)).json();
    expect(detail.publicationDays).toHaveLength(10);
    expect(detail.explanation[0]).toMatchObject({
      rule: "estrados",
      basis: "CFF art. 139; Lineamientos 7.8; LSS art. 286-M",
    });
    expect(detail.recursoInconformidadBy).toMatch(/^2027-01-/);

    // Its aviso's evidence states no Buzón term (CFF 139: ten days published, notified the
    // eleventh): the publication's dates instead, in the route and in aviso.json.
    const evidence = await system.app.inject({
      url: `/api/v1/staff/notificaciones/${act.id}/aviso`,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(evidence.statusCode, evidence.body).toBe(200);
    const publication = {
      publishedAt: "2026-12-07T10:00:00-06:00",
      lastPublicationDay: "2026-12-21",
      notifiedAt: "2026-12-22T00:00:00-06:00",
      acuseFolio: acuse!.folio,
    };
    expect(evidence.json()).toMatchObject({
      format: "buzon-imss-aviso/2",
      term: null,
      cancellation: null,
      estradosPublication: publication,
    });
    const zip = await system.evidencePackages.packageOf(act.id, {
      via: "linea_de_comandos",
      by: "pruebas",
    });
    const aviso = JSON.parse(
      Buffer.from(unzipSync(new Uint8Array(zip.bytes))["aviso.json"]!).toString("utf8"),
    );
    expect(aviso).toMatchObject({
      format: "buzon-imss-aviso/2",
      estrados: true,
      term: null,
      estradosPublication: publication,
    });
  });

  it("publishes an act deposited after hours at 09:30 of the next business day, even when the job runs late", async () => {
    now = at("2026-12-11T19:00:00-06:00"); // Friday after 18:00
    const act = await deposit(SIN_BUZON);
    expect(await system.estrados.publishDue()).toBe(0); // its aviso is Monday 09:30
    expect(
      (await get("/api/v1/estrados")).json().items.map((i: { id: string }) => i.id),
    ).not.toContain(act.id);
    now = at("2026-12-16T12:00:00-06:00"); // the job ran late: Wednesday
    expect(await system.estrados.publishDue()).toBe(1);
    const item = (await get("/api/v1/estrados"))
      .json()
      .items.find((i: { id: string }) => i.id === act.id);
    expect(item).toMatchObject({
      publishedAt: "2026-12-14T09:30:00-06:00",
      firstPublicationDay: "2026-12-15",
      // 15–18 (4), 21–24 (8), 25 Dec CFF, 28, 29 (10); Wed 30 Dec (11).
      lastPublicationDay: "2026-12-29",
      notifiedOn: "2026-12-30",
    });
    const [acuse] = (await acusesOf(SIN_BUZON, "publicacion_estrados")).filter(
      (a) => a.folio === item.publicationAcuse,
    );
    expect(acuse!.event_at.getTime()).toBe(at("2026-12-14T09:30:00-06:00").epochMilliseconds);
  });

  it("seals the end of the publication on the eleventh day at 00:00, once; the act is notified por estrados and its document leaves the page", async () => {
    const [first] = (await get("/api/v1/estrados"))
      .json()
      .items.filter((i: { publishedAt: string }) => i.publishedAt === "2026-12-07T10:00:00-06:00");
    now = at("2026-12-21T23:59:59-06:00"); // the tenth day still
    expect(await system.estrados.retireDue()).toBe(0);
    expect((await get(`/api/v1/estrados/${first.id}/documento`)).statusCode).toBe(200);

    now = at("2026-12-22T00:00:00-06:00");
    const ended = await system.estrados.retireDue();
    expect(ended).toBe(1);
    expect(await system.estrados.retireDue()).toBe(0);
    const [retiro, ...more] = await acusesOf(SIN_BUZON, "retiro_estrados");
    expect(more).toEqual([]);
    expect(retiro).toMatchObject({ rule: "estrados", capacity: "sistema" });
    expect(retiro!.event_at.getTime()).toBe(at("2026-12-22T00:00:00-06:00").epochMilliseconds);
    expect(retiro!.counts_at.getTime()).toBe(at("2026-12-22T00:00:00-06:00").epochMilliseconds);

    const { view } = await system.notificaciones.actView(first.id);
    expect(view.projection).toMatchObject({ state: "notificada", notifiedBy: "estrados" });
    const item = (await get(`/api/v1/estrados/${first.id}`)).json();
    expect(item).toMatchObject({ status: "concluida", endAcuse: retiro!.folio, document: null });
    const gone = await get(`/api/v1/estrados/${first.id}/documento`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ code: "publicacion_concluida" });
    expect(gone.json().detail).toContain("lunes 21 de diciembre de 2026");

    // Run late, the end of the act published on Mon 14 Dec (tenth Tue 29, eleventh Wed 30).
    now = at("2027-01-04T00:00:00-06:00");
    expect(await system.estrados.retireDue()).toBe(1);
    const late = (await acusesOf(SIN_BUZON, "retiro_estrados")).at(-1)!;
    expect(late.event_at.getTime()).toBe(at("2026-12-30T00:00:00-06:00").epochMilliseconds);
    expect(late.counts_at.getTime()).toBe(at("2026-12-30T00:00:00-06:00").epochMilliseconds);
  });

  it("lists an ended act for 30 days after its notification, then not at all", async () => {
    now = at("2027-01-21T12:00:00-06:00"); // 22 Dec + 30 = 21 Jan: still listed
    const ids = (await get("/api/v1/estrados")).json().items.map((i: { id: string }) => i.id);
    expect(ids.length).toBe(2);
    now = at("2027-01-22T00:00:00-06:00");
    const later = (await get("/api/v1/estrados")).json().items;
    expect(later).toHaveLength(1);
    expect((await get(`/api/v1/estrados/${ids.at(-1)}`)).statusCode).toBe(404);
  });

  it("pages with a keyset cursor and refuses a forged one; an end with a weekend before the eleventh day counts on Monday", async () => {
    // Thu 28 Jan 2027: Fri 29 (1), Mon 1 Feb CFF, 2–5 (5), 8–12 (10); eleventh Mon 15 Feb.
    now = at("2027-01-28T10:00:00-06:00");
    for (let i = 0; i < 3; i++) await deposit(SIN_BUZON);
    // The three new ones, then the act notified on 30 Dec (listed until 29 Jan).
    const first = (await get("/api/v1/estrados?limite=3")).json();
    expect(first.items).toHaveLength(3);
    expect(first.next).toEqual(expect.any(String));
    const second = (await get(`/api/v1/estrados?limite=3&despues=${first.next}`)).json();
    expect(second.items.map((i: { notifiedOn: string }) => i.notifiedOn)).toEqual(["2026-12-30"]);
    expect(second.next).toBeNull();
    const seen = [...first.items, ...second.items].map((i: { id: string }) => i.id);
    expect(new Set(seen).size).toBe(4);
    const bad = await get("/api/v1/estrados?despues=Zm9v");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain("cursor");
    expect((await get("/api/v1/estrados?limite=101")).statusCode).toBe(400);

    now = at("2027-01-28T10:05:00-06:00");
    expect(await system.estrados.publishDue()).toBe(3);
    expect(first.items[0]).toMatchObject({
      lastPublicationDay: "2027-02-12",
      notifiedOn: "2027-02-15",
    });
    now = at("2027-02-15T08:00:00-06:00");
    expect(await system.estrados.retireDue()).toBe(3);
    const ends = (await acusesOf(SIN_BUZON, "retiro_estrados")).slice(-3);
    for (const end of ends) {
      expect(end.event_at.getTime()).toBe(at("2027-02-13T00:00:00-06:00").epochMilliseconds);
      expect(end.counts_at.getTime()).toBe(at("2027-02-15T00:00:00-06:00").epochMilliseconds);
    }
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl) console.log("SKIP: estrados en dos procesos (TEST_DATABASE_URL no está definida)");

describe.skipIf(!baseUrl)("estrados jobs in two processes on PostgreSQL", () => {
  it("seals one publication and one end per act when two servers run the jobs at once", async () => {
    const database = await createTestDatabase("postgres");
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-estrados-"));
    let now = MONDAY_10;
    const server = async () =>
      buildSystem({
        config: loadConfig({
          BUZON_ENV: "test",
          LOG_LEVEL: "silent",
          DATA_DIR: dataDir,
          CHECKPOINT_INTERVAL_SECONDS: "0",
          ...database.env,
        }),
        database: openDatabase({ engine: "postgres", url: database.url as string, poolSize: 2 }),
        initialCalendar: TEST_CALENDAR,
        trustAnchors: [(await testDevCa()).certificate],
        clock: () => now,
        worker: false,
      });
    const first = await server();
    const second = await server();
    try {
      await seed(database.db, now);
      const notificador = await issueFisicaEfirma(fisicaRfc("NOTA"), "NORMA TAPIA");
      await first.staff.set({ rfc: notificador.rfc, role: "notificador", name: "N" }, "pruebas");
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const pdf = pdfOf(randomUUID());
        const answer = await first.notificaciones.deposit(
          {
            idempotencyKey: randomUUID(),
            rfc: SIN_BUZON,
            actType: "7.1",
            oficio: `OF-${i}`,
            issuingUnit: "Subdelegación Centro",
            documentName: `acto-${i}.pdf`,
            document: pdf.toString("base64"),
            signature: await signDocumentLikeTheBrowser(notificador, pdf),
          },
          { rfc: notificador.rfc, via: "token_api" },
        );
        ids.push(answer.id);
      }
      now = MONDAY_10.add({ minutes: 1 });
      const published = await Promise.all([
        first.estrados.publishDue(),
        second.estrados.publishDue(),
        first.estrados.publishDue(),
      ]);
      expect(published.reduce((a, b) => a + b, 0)).toBe(5);
      now = at("2026-12-22T00:00:01-06:00");
      const ended = await Promise.all([first.estrados.retireDue(), second.estrados.retireDue()]);
      expect(ended.reduce((a, b) => a + b, 0)).toBe(5);
      const counts = await database.db
        .selectFrom("acuses")
        .select(["kind", (eb) => eb.fn.countAll<string>().as("n")])
        .where("rfc", "=", SIN_BUZON)
        .groupBy("kind")
        .orderBy("kind")
        .execute();
      expect(counts.map((c) => [c.kind, Number(c.n)])).toEqual([
        ["publicacion_estrados", 5],
        ["retiro_estrados", 5],
      ]);
      const events = await database.db
        .selectFrom("notificacion_events")
        .select(["type", (eb) => eb.fn.countAll<string>().as("n")])
        .where("notificacion_id", "in", ids)
        .where("type", "in", ["publicada_en_estrados", "notificada_por_estrados"])
        .groupBy("type")
        .execute();
      expect(events.map((e) => Number(e.n))).toEqual([5, 5]);
    } finally {
      await first.app.close();
      await second.app.close();
      await database.dispose();
    }
  });
});
