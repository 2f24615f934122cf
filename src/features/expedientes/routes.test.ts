import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_LENGTH } from "../../domain/comunicados/comunicado.ts";
import { ENGINES } from "../../testing/database.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import {
  at,
  FISICA,
  MONDAY_1000,
  MORAL,
  notificacionesFixture,
  type System,
} from "../notificaciones/test-fixture.ts";
import { pdfOf } from "../notificaciones/test-support.ts";
import { filePromocion as filePromocionAs } from "../promociones/test-support.ts";
import type { ExpedienteItem } from "./schemas.ts";

/**
 * «Mis expedientes» through HTTP on both engines: the four classes of one person in one list,
 * never another's; search, filters, keyset pages stable under ties, the CSV, and bad input.
 * The clock is the fixture's (`f.now`), moved forward as things are created.
 */

/**
 * Files an aclaración u orientación for the signed-in person as the browser does (desafío,
 * firma, multipart), with one PDF per name in `files`.
 */
function filePromocion(
  system: System,
  who: SignedIn,
  content: { subject: string; text: string; files: string[] },
) {
  const pdfs = content.files.map((name) => ({ name, bytes: pdfOf(`${name} ${randomUUID()}`) }));
  return filePromocionAs(system.app, who, pdfs, content.subject, content.text);
}

describe.each(ENGINES)("«Mis expedientes» on %s", (engine) => {
  const f = notificacionesFixture(engine);
  let owner: SignedIn;
  let other: SignedIn;
  const ids = {
    act: "",
    promocion: "",
    promocionFolio: "",
    constancia: "",
    vigencia: "",
    general: "",
    formula: "",
    otherAct: "",
    otherDoc: "",
    otherComunicado: "",
  };
  const oficio = `09 53 01 9200/${engine === "pglite" ? 4711 : 4712}`;

  const admin = (url: string, payload: object) =>
    f.system.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${f.system.adminToken}` },
      payload,
    });
  const get = (who: SignedIn | undefined, url: string) =>
    f.system.app.inject({ url, ...(who ? { cookies: { buzon_sesion: who.cookie } } : {}) });
  const list = async (who: SignedIn, query = "") => {
    const response = await get(who, `/api/v1/expedientes${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ExpedienteItem[];
  };

  async function publish(rfc: string, kind: string, period: string) {
    const response = await admin("/api/v1/staff/documentos", {
      rfc,
      kind,
      period,
      document: pdfOf(`${kind} ${rfc} ${period} ${randomUUID()}`).toString("base64"),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  async function comunicado(title: string, audience: object) {
    const response = await admin("/api/v1/staff/comunicados", {
      title,
      body: "Texto del comunicado.",
      audience,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  beforeAll(async () => {
    f.now = at(MONDAY_1000);
    ids.act = (await f.depositAct(MORAL, { oficio })).id;
    ids.otherAct = (await f.depositAct(FISICA)).id;
    f.now = f.now.add({ hours: 1 });
    // Sessions end after inactivity on this moving clock: sign in when it is needed.
    const filed = await filePromocion(f.system, await signInWith(f.system.app, f.moral), {
      subject: "Aclaración de cuotas de noviembre",
      text: "Solicito la aclaración de las cuotas.",
      files: ["escrito.pdf"],
    });
    ids.promocion = filed.id;
    ids.promocionFolio = filed.acuse.folio;
    f.now = f.now.add({ hours: 1 });
    // Two documents at the same instant: the order of a tie is still one order.
    ids.constancia = await publish(MORAL, "constancia_semanas_cotizadas", "2026-12-14");
    ids.vigencia = await publish(MORAL, "vigencia_derechos", "2026-12-14");
    ids.otherDoc = await publish(FISICA, "vigencia_derechos", "2026-12-14");
    f.now = f.now.add({ hours: 1 });
    ids.general = await comunicado("Mantenimiento del Buzón IMSS", { kind: "general" });
    ids.formula = await comunicado('=HYPERLINK("http://example.com","clic") cuotas', {
      kind: "rfc",
      rfc: MORAL,
    });
    ids.otherComunicado = await comunicado("Solo para la persona física", {
      kind: "rfc",
      rfc: FISICA,
    });
    f.now = f.now.add({ hours: 1 });
    owner = await signInWith(f.system.app, f.moral);
    other = await signInWith(f.system.app, f.fisica);
  });

  it("lists the person's notifications, promociones, documents and comunicados newest first, each with its page and acuses", async () => {
    const items = await list(owner);
    expect(items.map((i) => i.clase)).toEqual([
      "comunicado",
      "comunicado",
      "documento",
      "documento",
      "promocion",
      "notificacion",
    ]);
    const act = items.find((i) => i.id === ids.act);
    expect(act).toMatchObject({
      clase: "notificacion",
      reference: oficio,
      state: "pendiente",
      date: MONDAY_1000,
      link: `/buzon/notificaciones/${ids.act}`,
    });
    const promocion = items.find((i) => i.id === ids.promocion);
    expect(promocion).toMatchObject({
      title: "Aclaración de cuotas de noviembre",
      reference: ids.promocionFolio,
      state: "recibida",
      date: "2026-12-14T11:00:00-06:00",
      link: `/buzon/promociones/${ids.promocion}`,
    });
    expect(promocion?.acuses).toHaveLength(1);
    const acuse = promocion?.acuses[0];
    expect(acuse?.folio).toBe(ids.promocionFolio);
    expect(acuse?.verification).toBe(
      `/verificacion/${acuse?.folio}?codigo=${encodeURIComponent(acuse?.codigo ?? "")}`,
    );
    // Every acuse listed downloads.
    const pdf = await get(owner, acuse?.pdf ?? "");
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    const doc = items.find((i) => i.id === ids.constancia);
    expect(doc).toMatchObject({ state: null, reference: "2026-12-14", acuses: [] });
    expect((await get(owner, doc?.download ?? "")).statusCode).toBe(200);
    const general = items.find((i) => i.id === ids.general);
    expect(general).toMatchObject({
      state: "sin_leer",
      link: `/buzon/comunicados?abierto=${ids.general}`,
    });
  });

  it("never shows another RFC's items, to either of them", async () => {
    const mine = (await list(owner)).map((i) => i.id);
    for (const id of [ids.otherAct, ids.otherDoc, ids.otherComunicado])
      expect(mine).not.toContain(id);
    const theirs = (await list(other)).map((i) => i.id);
    expect(new Set(theirs)).toEqual(
      new Set([ids.otherAct, ids.otherDoc, ids.otherComunicado, ids.general]),
    );
    // A search for the other's words finds nothing of theirs either.
    expect(await list(owner, "?q=persona%20fisica")).toEqual([]);
  });

  it("searches by oficio, subject without accents, type name, folio and file name", async () => {
    const idsOf = async (q: string) =>
      (await list(owner, `?q=${encodeURIComponent(q)}`)).map((i) => i.id);
    expect(await idsOf(oficio.split("/")[1] ?? "")).toEqual([ids.act]);
    expect(await idsOf("ACLARACION cuotas")).toEqual([ids.promocion]);
    expect(await idsOf(ids.promocionFolio)).toEqual([ids.promocion]);
    expect(await idsOf("semanas cotiz")).toEqual([ids.constancia]);
    expect(await idsOf("Resolución prima")).toEqual([ids.act]);
    expect(await idsOf("mantenimiento")).toEqual([ids.general]);
    expect(await idsOf("cuotas")).toEqual([ids.formula, ids.promocion]);
    expect(await idsOf("zzzz")).toEqual([]);
    // Punctuation alone is no search: the whole list.
    expect(await idsOf("¿?")).toHaveLength(6);
  });

  it("filters by class, Zona Centro days and registro patronal", async () => {
    expect((await list(owner, "?clase=documento")).map((i) => i.id).sort()).toEqual(
      [ids.constancia, ids.vigencia].sort(),
    );
    expect(await list(owner, "?clase=promocion&q=cuotas")).toHaveLength(1);
    expect(await list(owner, "?desde=2026-12-14&hasta=2026-12-14")).toHaveLength(6);
    expect(await list(owner, "?hasta=2026-12-13")).toEqual([]);
    expect(await list(owner, "?desde=2026-12-15")).toEqual([]);
    // Promociones and comunicados have no registro patronal: none of them match one.
    expect(await list(owner, "?registroPatronal=Z9999999999")).toEqual([]);
  });

  it("pages by keyset with x-next-cursor, each item once, ties included", async () => {
    const whole = (await list(owner)).map((i) => i.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const response = await get(
        owner,
        `/api/v1/expedientes?limite=1${cursor ? `&antesDe=${cursor}` : ""}`,
      );
      expect(response.statusCode).toBe(200);
      seen.push(...(response.json() as ExpedienteItem[]).map((x) => x.id));
      cursor = response.headers["x-next-cursor"] as string | undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(whole);
    // Two at a time ends on the last page without a cursor.
    const first = await get(owner, "/api/v1/expedientes?limite=4");
    const next = first.headers["x-next-cursor"] as string;
    const second = await get(owner, `/api/v1/expedientes?limite=4&antesDe=${next}`);
    expect((second.json() as ExpedienteItem[]).map((x) => x.id)).toEqual(whole.slice(4));
    expect(second.headers["x-next-cursor"]).toBeUndefined();
  });

  it("exports the whole list as CSV: UTF-8 with BOM, quoted, formulas neutralised", async () => {
    const response = await get(owner, "/api/v1/expedientes.csv");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toContain("attachment");
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString("utf8"), { columns: true }) as Record<
      string,
      string
    >[];
    const items = await list(owner);
    expect(rows).toHaveLength(items.length);
    expect(rows.map((r) => r.titulo)).toEqual(
      items.map((i) => (i.title.startsWith("=") ? `'${i.title}` : i.title)),
    );
    const formula = rows.find((r) => r.titulo?.includes("HYPERLINK"));
    expect(formula?.titulo).toBe(`'=HYPERLINK("http://example.com","clic") cuotas`);
    const promocion = rows.find((r) => r.clase === "Promoción");
    expect(promocion).toMatchObject({
      acuses: ids.promocionFolio,
      fecha: "2026-12-14T11:00:00-06:00",
      enlace: expect.stringMatching(new RegExp(`/buzon/promociones/${ids.promocion}$`)),
    });
    // The same filters as the list.
    const filtered = await get(owner, "/api/v1/expedientes.csv?clase=notificacion");
    expect(parse(filtered.rawPayload.subarray(3).toString("utf8"), { columns: true })).toHaveLength(
      1,
    );
  });

  it("refuses bad input with a problem in Spanish", async () => {
    const refused = async (url: string, code = "validation") => {
      const response = await get(owner, url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      const problem = response.json();
      expect(problem.code).toBe(code);
      expect(problem.detail).toMatch(/[a-záéíóúñ]/);
      return problem.detail as string;
    };
    expect(await refused("/api/v1/expedientes?antesDe=no!valido", "invalid_cursor")).toContain(
      "cursor",
    );
    const forged = Buffer.from(`v1|2026-12-14T00:00:00.000Z|otra|${randomUUID()}`).toString(
      "base64url",
    );
    await refused(`/api/v1/expedientes?antesDe=${forged}`, "invalid_cursor");
    const badDate = Buffer.from(`v1|ayer|documento|${randomUUID()}`).toString("base64url");
    await refused(`/api/v1/expedientes?antesDe=${badDate}`, "invalid_cursor");
    expect(await refused("/api/v1/expedientes?desde=2026-02-30")).toContain("no existe");
    await refused("/api/v1/expedientes?desde=14/12/2026");
    expect(await refused("/api/v1/expedientes?desde=2026-12-15&hasta=2026-12-14")).toContain(
      "anterior",
    );
    await refused(`/api/v1/expedientes?q=${"a".repeat(201)}`);
    await refused("/api/v1/expedientes?clase=expediente");
    await refused("/api/v1/expedientes?limite=0");
    await refused("/api/v1/expedientes?registroPatronal=123");
    await refused("/api/v1/expedientes.csv?desde=2026-13-01");
    expect((await get(undefined, "/api/v1/expedientes")).statusCode).toBe(401);
    expect((await get(undefined, "/api/v1/expedientes.csv")).statusCode).toBe(401);
  });

  it("shows a notification only as «Mis notificaciones» does: not before its aviso, never if cancelled before it", async () => {
    f.now = at("2026-12-14T18:30:00-06:00");
    owner = await signInWith(f.system.app, f.moral);
    const late = (await f.depositAct(MORAL)).id;
    const cancelled = (await f.depositAct(MORAL)).id;
    expect((await list(owner)).map((i) => i.id)).not.toContain(late);
    const cancel = await admin(`/api/v1/notificaciones/${cancelled}/cancelacion`, {
      motivo: "Depositado por error",
    });
    expect(cancel.statusCode, cancel.body).toBe(201);
    f.now = at("2026-12-15T10:00:00-06:00");
    owner = await signInWith(f.system.app, f.moral);
    const shown = (await list(owner, "?clase=notificacion")).map((i) => i.id);
    const notificaciones = (await get(owner, "/api/v1/notificaciones")).json() as { id: string }[];
    expect(shown).toEqual(notificaciones.map((n) => n.id));
    expect(shown).toContain(late);
    expect(shown).not.toContain(cancelled);
    // A page that skips the cancelled act still pages: one at a time reaches the oldest.
    const one = await get(owner, "/api/v1/expedientes?clase=notificacion&limite=1");
    expect((one.json() as ExpedienteItem[]).map((i) => i.id)).toEqual([late]);
    const rest = await get(
      owner,
      `/api/v1/expedientes?clase=notificacion&limite=1&antesDe=${one.headers["x-next-cursor"]}`,
    );
    expect((rest.json() as ExpedienteItem[]).map((i) => i.id)).toEqual([ids.act]);
  });
});

/**
 * The search reads the whole escrito and the whole comunicado (migration 0039; 0032 indexed only
 * their first 2,000 characters) and the names of a promoción's anexos (from its signed manifest).
 */
describe.each(ENGINES)("«Mis expedientes» search over long texts on %s", (engine) => {
  const f = notificacionesFixture(engine);
  let owner: SignedIn;
  const ids = { promocion: "", comunicado: "", short: "" };
  /** Filler without the words searched; `word` ends the text, `length` characters in all. */
  const longText = (length: number, word: string) => {
    const tail = ` ${word} fin.`;
    const filler = "Solicito la aclaracion de las cuotas obrero patronales del periodo. ";
    return filler.repeat(Math.ceil(length / filler.length)).slice(0, length - tail.length) + tail;
  };

  beforeAll(async () => {
    f.now = at(MONDAY_1000);
    const moral = await signInWith(f.system.app, f.moral);
    // The catalogue's largest escrito for this type, the word 12 characters before its end.
    const text = longText(20_000, "zarzaparrilla");
    expect(text).toHaveLength(20_000);
    expect(text.indexOf("zarzaparrilla")).toBeGreaterThan(19_980);
    ids.promocion = (
      await filePromocion(f.system, moral, {
        subject: "Escrito extenso",
        text,
        files: ["escrito.pdf", "balance-2026.pdf"],
      })
    ).id;
    ids.short = (
      await filePromocion(f.system, moral, {
        subject: "Escrito breve",
        text: "Solicito orientación.",
        files: ["escrito.pdf"],
      })
    ).id;
    // A comunicado to the RFC as long as one can be (MAX_BODY_LENGTH), its word at the end.
    const sent = await f.system.app.inject({
      method: "POST",
      url: "/api/v1/staff/comunicados",
      headers: { authorization: `Bearer ${f.system.adminToken}` },
      payload: {
        title: "Aviso extenso",
        body: longText(MAX_BODY_LENGTH, "frambuesa"),
        audience: { kind: "rfc", rfc: MORAL },
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    ids.comunicado = sent.json().id;
    f.now = f.now.add({ hours: 1 });
    owner = await signInWith(f.system.app, f.moral);
  });

  const idsOf = async (q: string) => {
    const response = await f.system.app.inject({
      url: `/api/v1/expedientes?q=${encodeURIComponent(q)}`,
      cookies: { buzon_sesion: owner.cookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as ExpedienteItem[]).map((i) => i.id);
  };

  it("finds a word at the end of a 20,000-character escrito and of a 20,000-character comunicado", async () => {
    expect(await idsOf("zarzaparrilla")).toEqual([ids.promocion]);
    expect(await idsOf("Zarzapa extenso")).toEqual([ids.promocion]);
    expect(await idsOf("frambuesa")).toEqual([ids.comunicado]);
    expect(await idsOf("frambuesa zarzaparrilla")).toEqual([]);
  });

  it("finds a promoción by the name of an anexo, not by another's", async () => {
    expect(await idsOf("balance-2026.pdf")).toEqual([ids.promocion]);
    expect(await idsOf("balance")).toEqual([ids.promocion]);
    expect((await idsOf("escrito.pdf")).sort()).toEqual([ids.promocion, ids.short].sort());
    // The manifest's other words (its hashes, «bytes», «anexo») are not searched.
    expect(await idsOf("bytes")).toEqual([]);
    expect(await idsOf("sha")).toEqual([]);
  });
});
