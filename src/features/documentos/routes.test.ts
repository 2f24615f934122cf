import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { createFsBlobStore } from "../../platform/blobs/fs-blob-store.ts";
import { fisicaRfc, pdfOf } from "../../testing/acts.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma, issueTestEfirma } from "../../testing/efirma.ts";
import { ndjsonLines } from "../../testing/ndjson.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { padronWith } from "../notificaciones/test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/** Monday 7 December 2026, noon in Zona Centro: the clock of every publication here. */
const NOW = Temporal.Instant.from("2026-12-07T12:00:00-06:00");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe.each(ENGINES)("«Mis documentos» on %s", (engine) => {
  let system: System;
  let dataDir: string;
  let owner: SignedIn;
  let other: SignedIn;
  const tag = engine === "pglite" ? "G" : "Q";
  const REGISTRO = `B55${tag === "G" ? "1" : "2"}0768108`;
  const OTHER_REGISTRO = `C12${tag === "G" ? "1" : "2"}4567890`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "buzon-documentos-"));
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => NOW,
      env: { DATA_DIR: dataDir },
    });
    const ownerMoral = `DO${tag}010101A1${rfcCheckDigit(`DO${tag}010101A1`)}`;
    const otherMoral = `DX${tag}010101A1${rfcCheckDigit(`DX${tag}010101A1`)}`;
    await padronWith(
      system.database.db,
      [
        { rfc: ownerMoral, registros: [REGISTRO] },
        { rfc: otherMoral, registros: [OTHER_REGISTRO] },
      ],
      NOW,
    );
    owner = await signInWith(
      system.app,
      await issueTestEfirma({ rfc: ownerMoral, name: "DOCUMENTOS SA DE CV" }),
    );
    other = await signInWith(
      system.app,
      await issueTestEfirma({ rfc: otherMoral, name: "OTRA SA DE CV" }),
    );
  });
  afterAll(async () => {
    await system?.app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const publish = (body: object) =>
    system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos",
      headers: { authorization: `Bearer ${system.adminToken}` },
      payload: body,
    });
  const asParticular = (who: SignedIn, url: string) =>
    system.app.inject({ method: "GET", url, cookies: { buzon_sesion: who.cookie } });

  it("publishes an EMA propuesta once, lists it for its RFC only, downloads and verifies it", async () => {
    const pdf = pdfOf(`EMA ${engine} 2026-11`);
    const body = {
      rfc: owner.rfc,
      kind: "propuesta_cedula_ema",
      period: "2026-11",
      registroPatronal: REGISTRO,
      document: b64(pdf),
    };
    const first = await publish(body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ outcome: "publicado", sha256: sha256(pdf) });
    // The same document again: reported, not duplicated.
    const again = await publish(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: "ya_publicado", id: first.json().id });

    const list = await asParticular(owner, "/api/v1/documentos");
    expect(list.statusCode).toBe(200);
    const items = list.json() as { id: string; kind: string; period: string; sha256: string }[];
    expect(items.filter((d) => d.sha256 === sha256(pdf))).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: first.json().id,
      kind: "propuesta_cedula_ema",
      period: "2026-11",
      registroPatronal: REGISTRO,
      sha256: sha256(pdf),
      periodLabel: "noviembre de 2026",
    });
    // Another RFC sees none of it, and its id answers 404 to them.
    expect((await asParticular(other, "/api/v1/documentos")).json()).toEqual([]);
    const id = first.json().id as string;
    expect((await asParticular(other, `/api/v1/documentos/${id}`)).statusCode).toBe(404);
    expect((await asParticular(other, `/api/v1/documentos/${id}/archivo`)).statusCode).toBe(404);

    const file = await asParticular(owner, `/api/v1/documentos/${id}/archivo`);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(Buffer.compare(file.rawPayload, pdf)).toBe(0);

    // The public verification confirms kind and period, never whose it is.
    const verified = await system.app.inject({
      method: "GET",
      url: `/api/v1/verificacion/documentos/${sha256(pdf)}`,
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({
      verdict: "autentico",
      documento: { kind: "propuesta_cedula_ema", period: "2026-11" },
    });
    expect(verified.body).not.toContain(owner.rfc);
    expect(verified.body).not.toContain(REGISTRO);
  });

  it("filters by kind, period and registro patronal and pages by keyset", async () => {
    for (const period of ["2026-02", "2026-04", "2026-06"]) {
      const r = await publish({
        rfc: owner.rfc,
        kind: "propuesta_cedula_eba",
        period,
        registroPatronal: REGISTRO,
        document: b64(pdfOf(`EBA ${engine} ${period}`)),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const eba = await asParticular(owner, "/api/v1/documentos?kind=propuesta_cedula_eba&limite=2");
    expect(eba.json()).toHaveLength(2);
    const next = eba.headers["x-next-cursor"] as string;
    expect(next).toBeTruthy();
    const rest = await asParticular(
      owner,
      `/api/v1/documentos?kind=propuesta_cedula_eba&limite=2&antesDe=${next}`,
    );
    expect(rest.json()).toHaveLength(1);
    const seen = [...eba.json(), ...rest.json()].map((d: { period: string }) => d.period).sort();
    expect(seen).toEqual(["2026-02", "2026-04", "2026-06"]);
    const one = await asParticular(owner, "/api/v1/documentos?period=2026-04");
    expect(one.json()).toHaveLength(1);
    expect(one.json()[0].periodLabel).toBe("2.º bimestre de 2026 (marzo–abril)");
    const byRegistro = await asParticular(
      owner,
      `/api/v1/documentos?registroPatronal=${OTHER_REGISTRO}`,
    );
    expect(byRegistro.json()).toEqual([]);
    const bad = await asParticular(owner, "/api/v1/documentos?antesDe=basura");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("invalid_cursor");
  });

  it("refuses what does not fit: odd bimester, another RFC's registro, not a PDF, too large, same bytes as another", async () => {
    const refusal = async (body: object) => {
      const r = await publish({ rfc: owner.rfc, ...body });
      return { status: r.statusCode, code: r.json().code as string };
    };
    expect(
      await refusal({
        kind: "propuesta_cedula_eba",
        period: "2026-03",
        registroPatronal: REGISTRO,
        document: b64(pdfOf("impar")),
      }),
    ).toEqual({ status: 422, code: "documento_period_invalid" });
    expect(
      await refusal({
        kind: "propuesta_cedula_ema",
        period: "2026-10",
        registroPatronal: OTHER_REGISTRO,
        document: b64(pdfOf("ajeno")),
      }),
    ).toEqual({ status: 422, code: "registro_patronal_not_of_addressee" });
    expect(
      await refusal({
        kind: "constancia_semanas_cotizadas",
        period: "2026-12-01",
        registroPatronal: REGISTRO,
        document: b64(pdfOf("semanas")),
      }),
    ).toEqual({ status: 422, code: "documento_registro_invalid" });
    expect(
      await refusal({
        kind: "vigencia_derechos",
        period: "2026-12-01",
        document: b64(Buffer.from("no soy un PDF")),
      }),
    ).toEqual({ status: 422, code: "documento_not_pdf" });
    expect(
      await refusal({
        kind: "vigencia_derechos",
        period: "2026-12-31",
        document: b64(pdfOf("futuro")),
      }),
    ).toEqual({ status: 422, code: "documento_period_invalid" });
    expect(
      await refusal({ kind: "cedula_inventada", period: "2026-11", document: b64(pdfOf("x")) }),
    ).toEqual({ status: 422, code: "unknown_documento_kind" });
    const big = await publish({
      rfc: owner.rfc,
      kind: "vigencia_derechos",
      period: "2026-12-01",
      document: b64(pdfOf("grande", 10 * 1024 * 1024)),
    });
    expect([413]).toContain(big.statusCode);
    // The same bytes as a document already published as something else.
    const shared = pdfOf(`compartido ${engine}`);
    expect(
      (
        await publish({
          rfc: owner.rfc,
          kind: "vigencia_derechos",
          period: "2026-12-01",
          document: b64(shared),
        })
      ).statusCode,
    ).toBe(201);
    expect(
      await refusal({ kind: "vigencia_derechos", period: "2026-11-30", document: b64(shared) }),
    ).toEqual({ status: 409, code: "documento_hash_conflict" });
    // Not in the padrón.
    const outsider = `NP${tag}010101A1`;
    const r = await publish({
      rfc: `${outsider}${rfcCheckDigit(outsider)}`,
      kind: "vigencia_derechos",
      period: "2026-12-01",
      document: b64(pdfOf("fuera")),
    });
    expect(r.json().code).toBe("addressee_not_in_padron");
  });

  it("publishes a lote with a per-item report", async () => {
    const good = pdfOf(`lote ${engine}`);
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos/lote",
      headers: { authorization: `Bearer ${system.adminToken}` },
      payload: {
        items: [
          {
            rfc: owner.rfc,
            kind: "constancia_semanas_cotizadas",
            period: "2026-12-05",
            document: b64(good),
          },
          {
            rfc: owner.rfc,
            kind: "propuesta_cedula_eba",
            period: "2026-05",
            registroPatronal: REGISTRO,
            document: b64(pdfOf("lote impar")),
          },
          {
            rfc: owner.rfc,
            kind: "constancia_semanas_cotizadas",
            period: "2026-12-05",
            document: b64(good),
          },
        ],
      },
    });
    expect(response.statusCode).toBe(207);
    const { counts, results } = response.json();
    expect(counts).toEqual({ total: 3, done: 3, published: 1, alreadyPublished: 1, refused: 1 });
    // The two copies run concurrently: either may be the one that publishes.
    expect(results.map((r: { outcome: string }) => r.outcome).sort()).toEqual([
      "publicado",
      "rechazado",
      "ya_publicado",
    ]);
    expect(results[0].id ?? results[2].id).toBe(results[2].id ?? results[0].id);
    expect(results[1]).toMatchObject({ status: 422, code: "documento_period_invalid" });
  });

  it("streams a lote's progress and report as NDJSON when asked", async () => {
    const items = Array.from({ length: 4 }, (_, i) => ({
      rfc: owner.rfc,
      kind: "constancia_semanas_cotizadas",
      period: `2026-11-0${i + 1}`,
      document: b64(pdfOf(`ndjson ${i} ${engine}`)),
    }));
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos/lote",
      headers: { authorization: `Bearer ${system.adminToken}`, accept: "application/x-ndjson" },
      payload: { items },
    });
    const lines = ndjsonLines(response);
    expect(lines.length).toBeGreaterThan(1);
    const final = { total: 4, done: 4, published: 4, alreadyPublished: 0, refused: 0 };
    expect(lines.at(-2)).toEqual({ progreso: final });
    expect(lines.at(-1).resultado.counts).toEqual(final);
    expect(lines.at(-1).resultado.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      "publicado",
      "publicado",
      "publicado",
      "publicado",
    ]);
  });

  /**
   * POST /api/v1/staff/documentos/lote whose body arrives only after `meanwhile` ran: the guard
   * (onRequest) has passed before Fastify reads a byte of it, as with a large lote uploading.
   */
  function loteUploadedAfter(meanwhile: () => Promise<unknown>, body: object, who: SignedIn) {
    async function* slowly() {
      await meanwhile();
      yield Buffer.from(JSON.stringify(body));
    }
    return system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos/lote",
      payload: Readable.from(slowly()),
      headers: {
        "content-type": "application/json",
        accept: "application/x-ndjson",
        "x-csrf-token": who.csrf,
      },
      cookies: { buzon_sesion: who.cookie },
    });
  }

  const constancias = (day: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      rfc: owner.rfc,
      kind: "constancia_semanas_cotizadas",
      period: `2026-10-${String(day + i).padStart(2, "0")}`,
      document: b64(pdfOf(`autoridad ${day + i} ${engine}`)),
    }));

  const publishedIn = (periods: string[]) =>
    system.database.db
      .selectFrom("documentos")
      .select(["period", "published_by"])
      .where("rfc", "=", owner.rfc)
      .where("period", "in", periods)
      .orderBy("period")
      .execute();

  it("publishes nothing of a lote after a logout while it was on its way, and says so for each document", async () => {
    const staffer = await issueFisicaEfirma(fisicaRfc(`PUS${tag}`), "PAULA SESION");
    await system.staff.set({ rfc: staffer.rfc, role: "notificador", name: "PAULA" }, "pruebas");
    const session = await signInWith(system.app, staffer);
    const items = constancias(1, 2);
    const response = await loteUploadedAfter(
      () =>
        system.app.inject({
          method: "DELETE",
          url: "/api/v1/auth/sesion",
          cookies: { buzon_sesion: session.cookie },
          headers: { "x-csrf-token": session.csrf },
        }),
      { items },
      session,
    );
    const { resultado } = ndjsonLines(response).at(-1);
    expect(resultado.counts).toEqual({
      total: 2,
      done: 2,
      published: 0,
      alreadyPublished: 0,
      refused: 2,
    });
    for (const result of resultado.results) {
      expect(result).toMatchObject({ status: 401, outcome: "rechazado", code: "unauthorized" });
      expect(result.detail).toContain(
        "La sesión terminó mientras se publicaba el lote: este documento no se publicó.",
      );
    }
    expect(await publishedIn(items.map((i) => i.period))).toEqual([]);
  });

  it("refuses even the publications under way once the token is revoked before they commit, and the rest", async () => {
    const staffer = await issueFisicaEfirma(fisicaRfc(`PUT${tag}`), "PEDRO TOKEN");
    await system.staff.set({ rfc: staffer.rfc, role: "notificador", name: "PEDRO" }, "pruebas");
    const { token, view } = await system.tokens.create(
      { rfc: staffer.rfc, name: "integración", roles: ["notificador"], days: 30 },
      "pruebas",
    );
    const items = constancias(10, 6);
    // The lote publishes four at a time: once all four are publishing (each judged before it
    // started), the token is revoked, and only then do they go on. Each is judged again in its
    // own transaction, which sees the revocation: none of the four commits after it, and the
    // two left are never started.
    const original = system.documentos.publish;
    let calls = 0;
    let allIn = () => {};
    const four = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    system.documentos.publish = async (input, publisher, hooks) => {
      if (++calls === 4) {
        await system.tokens.revoke(view.id, "pruebas");
        allIn();
      }
      await four;
      return original(input, publisher, hooks);
    };
    try {
      const response = await system.app.inject({
        method: "POST",
        url: "/api/v1/staff/documentos/lote",
        headers: { authorization: `Bearer ${token}` },
        payload: { items },
      });
      expect(response.statusCode, response.body).toBe(207);
      const { counts, results } = response.json();
      expect(counts).toMatchObject({ total: 6, done: 6, published: 0, refused: 6 });
      expect(results.map((r: { status: number }) => r.status)).toEqual([
        401, 401, 401, 401, 401, 401,
      ]);
      for (const result of results) {
        expect(result.detail).toContain(
          "El token de API dejó de valer mientras se publicaba el lote",
        );
      }
    } finally {
      system.documentos.publish = original;
    }
    expect(calls).toBe(4);
    expect(await publishedIn(items.map((i) => i.period))).toEqual([]);
  });

  it("refuses a single publication whose token was revoked while its body was uploading", async () => {
    const staffer = await issueFisicaEfirma(fisicaRfc(`PUU${tag}`), "PIA UNO");
    await system.staff.set({ rfc: staffer.rfc, role: "notificador", name: "PIA" }, "pruebas");
    const { token, view } = await system.tokens.create(
      { rfc: staffer.rfc, name: "integración", roles: ["notificador"], days: 30 },
      "pruebas",
    );
    const [item] = constancias(20, 1);
    async function* slowly() {
      await system.tokens.revoke(view.id, "pruebas");
      yield Buffer.from(JSON.stringify(item));
    }
    // The guard passed on arrival; the publication's own transaction finds the token revoked.
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos",
      payload: Readable.from(slowly()),
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ code: "unauthorized" });
    expect(await publishedIn([item!.period])).toEqual([]);
  });

  it("refuses a particular publishing, and a tampered blob on download", async () => {
    const asOwner = await system.app.inject({
      method: "POST",
      url: "/api/v1/staff/documentos",
      cookies: { buzon_sesion: owner.cookie },
      headers: { "x-csrf-token": owner.csrf },
      payload: {
        rfc: owner.rfc,
        kind: "vigencia_derechos",
        period: "2026-12-01",
        document: "AA==",
      },
    });
    expect(asOwner.statusCode).toBe(403);

    const pdf = pdfOf(`alterado ${engine}`);
    const done = await publish({
      rfc: owner.rfc,
      kind: "vigencia_derechos",
      period: "2026-12-02",
      document: b64(pdf),
    });
    expect(done.statusCode).toBe(201);
    const path = createFsBlobStore(join(dataDir, "blobs")).pathOf(sha256(pdf));
    await chmod(path, 0o644);
    await writeFile(path, Buffer.concat([pdf, Buffer.from("x")]));
    const file = await asParticular(owner, `/api/v1/documentos/${done.json().id}/archivo`);
    expect(file.statusCode).toBe(500);
    expect(file.json().code).toBe("blob_corrupt");
    expect(file.body).not.toContain("%PDF");
  });
});
