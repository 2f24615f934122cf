import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { enableMailbox, padronWith } from "../notificaciones/test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

const START = Temporal.Instant.from("2026-12-07T10:00:00-06:00");

describe.each(ENGINES)("«Mis comunicados» on %s", (engine) => {
  let system: System;
  let now = START;
  /** Holds a registro patronal with clave B55 (subdelegación 09 of the catalogue). */
  let centro: SignedIn;
  /** Holds one with clave E34 (subdelegación 19). */
  let norte: SignedIn;
  const tag = engine === "pglite" ? "G" : "Q";
  const rfcOf = (stem: string) => `${stem}${tag}010101A1${rfcCheckDigit(`${stem}${tag}010101A1`)}`;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => now,
      // The demo-like clock moves hours here; sessions are not what is tested.
      env: { SESSION_IDLE_MINUTES: "600", SESSION_MAX_HOURS: "12" },
    });
    const centroRfc = rfcOf("CE");
    const norteRfc = rfcOf("NO");
    await padronWith(
      system.database.db,
      [
        { rfc: centroRfc, registros: [`B55${tag === "G" ? 3 : 4}0768108`] },
        { rfc: norteRfc, registros: [`E34${tag === "G" ? 5 : 6}6789012`] },
      ],
      now,
    );
    await enableMailbox(system.database.db, centroRfc, now);
    centro = await signInWith(
      system.app,
      await issueTestEfirma({ rfc: centroRfc, name: "CENTRO SA DE CV" }),
    );
    norte = await signInWith(
      system.app,
      await issueTestEfirma({ rfc: norteRfc, name: "NORTE SA DE CV" }),
    );
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const staff = (method: "GET" | "POST", url: string, payload?: object) =>
    system.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${system.adminToken}` },
      ...(payload ? { payload } : {}),
    });
  const get = (who: SignedIn, url: string) =>
    system.app.inject({ method: "GET", url, cookies: { buzon_sesion: who.cookie } });
  const markRead = (who: SignedIn, id: string) =>
    system.app.inject({
      method: "POST",
      url: `/api/v1/comunicados/${id}/leido`,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
  const titles = async (who: SignedIn) =>
    ((await get(who, "/api/v1/comunicados")).json() as { title: string }[]).map((c) => c.title);

  it("reaches everyone, a subdelegación's RFCs or one RFC, as each reads", async () => {
    const general = await staff("POST", "/api/v1/staff/comunicados", {
      title: `General ${engine}`,
      body: "Nuevas facilidades de pago.\nConsulta los detalles.",
      audience: { kind: "general" },
    });
    expect(general.statusCode, general.body).toBe(201);
    now = now.add({ minutes: 1 });
    const segment = await staff("POST", "/api/v1/staff/comunicados", {
      title: `Subdelegación 09 ${engine}`,
      body: "Horario especial en la subdelegación.",
      audience: { kind: "subdelegacion", subdelegacion: "09" },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    now = now.add({ minutes: 1 });
    const one = await staff("POST", "/api/v1/staff/comunicados", {
      title: `Solo norte ${engine}`,
      body: "Para ti.",
      audience: { kind: "rfc", rfc: norte.rfc },
    });
    expect(one.statusCode).toBe(201);

    expect(await titles(centro)).toEqual([`Subdelegación 09 ${engine}`, `General ${engine}`]);
    expect(await titles(norte)).toEqual([`Solo norte ${engine}`, `General ${engine}`]);
    // Another RFC's comunicado is not found, to read or to mark.
    expect((await get(centro, `/api/v1/comunicados/${one.json().id}`)).statusCode).toBe(404);
    expect((await markRead(centro, one.json().id)).statusCode).toBe(404);

    // One row per comunicado, never a copy per recipient.
    const rows = await system.database.db
      .selectFrom("comunicados")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(3);
  });

  it("turns read once (idempotent) and keeps the unread count for the badge", async () => {
    const before = (await get(centro, "/api/v1/comunicados/sin-leer")).json();
    expect(before).toEqual({ unread: 2, capped: false });
    const [first] = (await get(centro, "/api/v1/comunicados")).json() as {
      id: string;
      read: boolean;
    }[];
    expect(first?.read).toBe(false);
    const id = first!.id;
    expect((await markRead(centro, id)).statusCode).toBe(204);
    const readAt = (await get(centro, `/api/v1/comunicados/${id}`)).json().readAt;
    now = now.add({ minutes: 5 });
    expect((await markRead(centro, id)).statusCode).toBe(204);
    const detail = (await get(centro, `/api/v1/comunicados/${id}`)).json();
    expect(detail).toMatchObject({ read: true, readAt });
    expect(detail.body).toContain("Horario especial");
    expect((await get(centro, "/api/v1/comunicados/sin-leer")).json()).toEqual({
      unread: 1,
      capped: false,
    });
    expect((await get(centro, "/api/v1/comunicados?leido=false")).json()).toHaveLength(1);
    expect((await get(centro, "/api/v1/comunicados?leido=true")).json()).toHaveLength(1);
    // Another reader's mark is theirs: norte still has the general one unread.
    expect((await get(norte, "/api/v1/comunicados/sin-leer")).json().unread).toBe(2);
    // Without the CSRF token, no mark.
    const noCsrf = await system.app.inject({
      method: "POST",
      url: `/api/v1/comunicados/${id}/leido`,
      cookies: { buzon_sesion: centro.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("previews without publishing, schedules, and shows a scheduled one only from its instant", async () => {
    const at = now.add({ hours: 2 });
    const draft = {
      title: `Programado ${engine}`,
      body: "Mantenimiento del sistema.",
      audience: { kind: "subdelegacion", subdelegacion: "09" },
      publishedAt: at.toString(),
      sendEmail: true,
    };
    const preview = await staff("POST", "/api/v1/staff/comunicados/vista-previa", draft);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ scheduled: true, reach: 1, sendEmail: true });
    expect(await titles(centro)).not.toContain(`Programado ${engine}`);

    const scheduled = await staff("POST", "/api/v1/staff/comunicados", draft);
    expect(scheduled.statusCode).toBe(201);
    expect(scheduled.json().scheduled).toBe(true);
    expect(await titles(centro)).not.toContain(`Programado ${engine}`);
    expect((await markRead(centro, scheduled.json().id)).statusCode).toBe(404);
    // Nothing is e-mailed before it is published.
    expect(await system.comunicados.enqueueDueEmails()).toBe(0);

    now = at;
    expect((await titles(centro))[0]).toBe(`Programado ${engine}`);
    // Published: one message to the one enabled mailbox it reaches, once.
    expect(await system.comunicados.enqueueDueEmails()).toBe(1);
    expect(await system.comunicados.enqueueDueEmails()).toBe(0);
    const mail = await system.database.db
      .selectFrom("outbox")
      .select(["recipient", "template"])
      .where("template", "=", "comunicado")
      .where("rfc", "=", centro.rfc)
      .execute();
    expect(mail).toEqual([
      { recipient: `${centro.rfc.toLowerCase()}@example.mx`, template: "comunicado" },
    ]);

    const list = (await staff("GET", "/api/v1/staff/comunicados")).json();
    expect(list[0]).toMatchObject({ title: `Programado ${engine}`, scheduled: false });
  });

  it("refuses bad compositions and particulars composing", async () => {
    const bad = async (body: object) => {
      const r = await staff("POST", "/api/v1/staff/comunicados", {
        title: "T",
        body: "B",
        audience: { kind: "general" },
        ...body,
      });
      return { status: r.statusCode, code: r.json().code };
    };
    expect(await bad({ title: "  " })).toEqual({ status: 422, code: "comunicado_invalid" });
    expect(await bad({ title: "dos\nlíneas" })).toEqual({
      status: 422,
      code: "comunicado_invalid",
    });
    expect(await bad({ audience: { kind: "subdelegacion", subdelegacion: "99" } })).toEqual({
      status: 422,
      code: "unknown_subdelegacion",
    });
    expect(await bad({ audience: { kind: "rfc", rfc: "NOESRFC" } })).toEqual({
      status: 422,
      code: "comunicado_invalid",
    });
    expect(await bad({ publishedAt: now.subtract({ hours: 1 }).toString() })).toEqual({
      status: 422,
      code: "comunicado_invalid",
    });
    const particular = await system.app.inject({
      method: "POST",
      url: "/api/v1/staff/comunicados",
      cookies: { buzon_sesion: centro.cookie },
      headers: { "x-csrf-token": centro.csrf },
      payload: { title: "T", body: "B", audience: { kind: "general" } },
    });
    expect(particular.statusCode).toBe(403);
  });
});
