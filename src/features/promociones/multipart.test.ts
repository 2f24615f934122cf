import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerOptions } from "../../platform/log.ts";
import { pdfOf } from "../../testing/acts.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import type { SignedIn } from "../../testing/sign-in.ts";
import { type FilePart, multipart, newPersonaMoral, sha256, signedFiling } from "./test-support.ts";

/**
 * A filing whose body the multipart parser cannot read (cut short, without a boundary) or that is
 * not multipart at all is the caller's mistake: a Spanish 400 or 415, nothing stored, nothing
 * logged as an error, and the signed challenge still files the promoción once the whole body
 * arrives (it is spent only in the filing's transaction).
 */
describe.each(ENGINES)("a filing's malformed body on %s", (engine) => {
  const lines: string[] = [];
  let system: TestSystem;
  let counter = 0;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      clock: () => Temporal.Instant.from("2026-12-15T10:00:00-06:00"),
      logger: loggerOptions({ logLevel: "info" }, { write: (line) => lines.push(line) }),
    });
  });
  afterAll(async () => {
    await system?.app.close();
  });

  async function particular(): Promise<SignedIn> {
    return newPersonaMoral(system.app, `M${engine === "pglite" ? "G" : "Q"}P`, ++counter);
  }

  const signed = (who: SignedIn, files: FilePart[]) => signedFiling(system.app, who, files);

  function send(who: SignedIn, payload: Buffer | string, contentType: string) {
    return system.app.inject({
      method: "POST",
      url: "/api/v1/promociones",
      payload,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf, "content-type": contentType },
    });
  }

  /** What a refused filing may not leave: a promoción, an acuse, a recorded blob, a spent challenge. */
  async function nothingStored(who: SignedIn, challengeId: string, files: FilePart[]) {
    const { db } = system.database;
    const promociones = await db
      .selectFrom("promociones")
      .select("id")
      .where("rfc", "=", who.rfc)
      .execute();
    const acuses = await db
      .selectFrom("acuses")
      .select("folio")
      .where("rfc", "=", who.rfc)
      .execute();
    const challenge = await db
      .selectFrom("promocion_challenges")
      .select("used_at")
      .where("id", "=", challengeId)
      .executeTakeFirstOrThrow();
    expect({ promociones, acuses, usedAt: challenge.used_at }).toEqual({
      promociones: [],
      acuses: [],
      usedAt: null,
    });
    for (const f of files) {
      const recorded = await db
        .selectFrom("blobs")
        .select("sha256")
        .where("sha256", "=", sha256(f.bytes))
        .execute();
      expect(recorded, f.name).toEqual([]);
    }
  }

  const errorsLogged = () =>
    lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);

  it("a body cut short in the middle of an anexo: 400, nothing stored, and the same signature files it whole", async () => {
    const who = await particular();
    const files = [
      { name: "escrito.pdf", bytes: pdfOf(`escrito ${who.rfc}`) },
      { name: "pruebas.pdf", bytes: pdfOf(`pruebas ${who.rfc} ${"x".repeat(2000)}`) },
    ];
    const fields = await signed(who, files);
    const { payload, contentType } = multipart(fields, files);
    const second = files[1]?.bytes ?? Buffer.alloc(0);
    const cut = payload.indexOf(second) + 1000;
    const before = errorsLogged().length;

    const refused = await send(who, payload.subarray(0, cut), contentType);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.json()).toMatchObject({
      code: "validation",
      detail: expect.stringContaining("El cuerpo multipart está incompleto o mal formado"),
    });
    expect(await system.blobs.has(sha256(second))).toBe(false);
    await nothingStored(who, fields.challengeId, files);

    // Cut among the fields, before any anexo.
    const early = await send(
      who,
      payload.subarray(0, payload.indexOf("certificate") + 40),
      contentType,
    );
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json().code).toBe("validation");
    await nothingStored(who, fields.challengeId, files);
    expect(errorsLogged().length).toBe(before);

    const whole = await send(who, payload, contentType);
    expect(whole.statusCode, whole.body).toBe(201);
  });

  it("multipart without a boundary, or with another one: 400; JSON: 415; none of it logged as an error", async () => {
    const who = await particular();
    const files = [{ name: "escrito.pdf", bytes: pdfOf(`sin boundary ${who.rfc}`) }];
    const fields = await signed(who, files);
    const { payload } = multipart(fields, files);
    const before = errorsLogged().length;
    for (const contentType of ["multipart/form-data", "multipart/form-data; boundary=otra"]) {
      const refused = await send(who, payload, contentType);
      expect(refused.statusCode, contentType).toBe(400);
      expect(refused.json(), contentType).toMatchObject({
        code: "validation",
        detail: expect.stringContaining("incompleto o mal formado"),
      });
    }
    const json = await send(who, JSON.stringify(fields), "application/json");
    expect(json.statusCode, json.body).toBe(415);
    expect(json.json()).toMatchObject({
      code: "unsupported_media_type",
      detail: expect.stringContaining("multipart/form-data"),
    });
    expect(errorsLogged().length).toBe(before);
    await nothingStored(who, fields.challengeId, files);
    const { payload: good, contentType } = multipart(fields, files);
    expect((await send(who, good, contentType)).statusCode).toBe(201);
  });
});
