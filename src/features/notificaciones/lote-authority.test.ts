import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { AppError, CodedError } from "../../domain/errors.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { ndjsonLines } from "../../testing/ndjson.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { loteStoppedError } from "../auth/guard.ts";
import { type BatchOutcome, depositBatch } from "./batch.ts";
import { type DepositInput, type Depositor, SIGNING_ROLES } from "./deposit.ts";
import { fisicaRfc, notificacionesFixture, signedActBody } from "./test-fixture.ts";

/**
 * A lote judges its depositor's authority again before each chunk: a session that ends, a token
 * revoked, a role removed while it runs deposits no more. The chunks already written stay and
 * are reported; every act not deposited answers why, and the same request again finishes it.
 */

const refusedStatus = (code: string) =>
  code === "unauthorized" ? 401 : code === "forbidden" ? 403 : 500;

describe("a lote stopped by its depositor's authority (the batch alone)", () => {
  const depositor: Depositor = { rfc: "NOTA800101AB1", via: "sesion" };
  const fake = (key: string) => ({ idempotencyKey: key, document: "" }) as DepositInput;

  it("finishes the chunks under way, starts no other, and refuses every item not deposited", async () => {
    let checks = 0;
    const deposited: string[] = [];
    const progress: number[] = [];
    const { results, counts } = await depositBatch(
      ["a", "b", "c", "d", "e", "f", "g"],
      (key) => ({ input: fake(key) }),
      depositor,
      async (inputs) => {
        // The second chunk («c», «d») is still being written when the third one's check refuses.
        const first = (inputs[0] as DepositInput).idempotencyKey;
        await new Promise((resolve) => setTimeout(resolve, first === "c" ? 20 : 0));
        return inputs.map((input) => {
          const key = (input as DepositInput).idempotencyKey;
          deposited.push(key);
          return {
            id: key,
            state: "pendiente" as const,
            depositedAt: "2026-12-14T16:00:00Z",
            avisoAt: "2026-12-14T16:00:00Z",
            created: true,
          };
        });
      },
      {
        chunkSize: 2,
        concurrency: 2,
        statusOf: refusedStatus,
        onProgress: (c) => progress.push(c.done),
        beforeChunk: async () => {
          checks++;
          if (checks >= 3) throw new AppError("unauthorized", "La sesión terminó.");
        },
      },
    );
    expect(deposited.sort()).toEqual(["a", "b", "c", "d"]);
    expect(results.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ["a", 201],
      ["b", 201],
      ["c", 201],
      ["d", 201],
      ["e", 401],
      ["f", 401],
      ["g", 401],
    ]);
    expect(results[4]).toMatchObject({
      index: 4,
      outcome: "rechazado",
      code: "unauthorized",
      detail: "La sesión terminó.",
    });
    expect(counts).toEqual({ total: 7, done: 7, deposited: 4, alreadyDeposited: 0, refused: 3 });
    expect(progress.at(-1)).toBe(7);
  });

  it("stops with the error itself when the check fails for a reason that is not a refusal", async () => {
    await expect(
      depositBatch(
        ["a"],
        (key) => ({ input: fake(key) }),
        depositor,
        async () => [],
        {
          statusOf: refusedStatus,
          beforeChunk: async () => {
            throw new TypeError("la base de datos no responde");
          },
        },
      ),
    ).rejects.toThrow(TypeError);
  });
});

describe.each(ENGINES)("a lote whose depositor loses authority midway, on %s", (engine) => {
  const f = notificacionesFixture(engine);
  const db = () => f.system.database.db;
  let people = 0;

  /** A depositor of their own (the fixture's notificador signs every act and keeps the role). */
  async function depositorWith(role: StaffRole): Promise<IssuedEfirma> {
    const efirma = await issueFisicaEfirma(
      fisicaRfc(`DEP${String.fromCharCode(65 + people++)}`),
      "DORA DEPOSITA",
    );
    await f.system.staff.set({ rfc: efirma.rfc, role, name: "DORA" }, "pruebas");
    return efirma;
  }

  const items = (n: number) =>
    Promise.all(Array.from({ length: n }, () => signedActBody(f.notificador)));

  async function actsWithKeys(keys: string[]) {
    return db()
      .selectFrom("notificaciones")
      .select(["idempotency_key", "deposited_by"])
      .where("idempotency_key", "in", keys)
      .execute();
  }

  /**
   * POST /api/v1/notificaciones/lote whose body arrives only after `meanwhile` ran: the guard
   * (onRequest) has passed before Fastify reads a byte of it, as with a large lote that takes
   * its time to upload. The first chunk's check then meets what `meanwhile` did.
   */
  function loteUploadedAfter(
    meanwhile: () => Promise<unknown>,
    body: object,
    auth: { session?: SignedIn; token?: string },
    ndjson = false,
    url = "/api/v1/notificaciones/lote",
  ) {
    async function* slowly() {
      await meanwhile();
      yield Buffer.from(JSON.stringify(body));
    }
    return f.system.app.inject({
      method: "POST",
      url,
      payload: Readable.from(slowly()),
      headers: {
        "content-type": "application/json",
        ...(ndjson ? { accept: "application/x-ndjson" } : {}),
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(auth.session ? { "x-csrf-token": auth.session.csrf } : {}),
      },
      ...(auth.session ? { cookies: { buzon_sesion: auth.session.cookie } } : {}),
    });
  }

  function expectAllRefused(results: BatchOutcome[], status: number, code: string, lead: string) {
    for (const result of results) {
      expect(result).toMatchObject({ status, outcome: "rechazado", code });
      expect(result.outcome === "rechazado" && result.detail).toContain(lead);
    }
  }

  it("deposits nothing after a logout while the lote was on its way, and the same lote again deposits it", async () => {
    const person = await depositorWith("notificador");
    const session = await signInWith(f.system.app, person);
    const lote = await items(3);
    const keys = lote.map((i) => i.idempotencyKey);
    const response = await loteUploadedAfter(
      () =>
        f.system.app.inject({
          method: "DELETE",
          url: "/api/v1/auth/sesion",
          cookies: { buzon_sesion: session.cookie },
          headers: { "x-csrf-token": session.csrf },
        }),
      { items: lote },
      { session },
    );
    expect(response.statusCode, response.body).toBe(207);
    const results: BatchOutcome[] = response.json().results;
    expect(results.map((r) => r.idempotencyKey)).toEqual(keys);
    expectAllRefused(
      results,
      401,
      "unauthorized",
      "La sesión terminó mientras se depositaba el lote: este acto no se depositó.",
    );
    expect(results[0]!.outcome === "rechazado" && results[0]!.detail).toContain(
      "los ya depositados no se repiten (misma clave de idempotencia)",
    );
    expect(await actsWithKeys(keys)).toEqual([]);

    // Signed in again, the same request deposits every act.
    const again = await signInWith(f.system.app, person);
    const second = await f.system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones/lote",
      payload: { items: lote },
      cookies: { buzon_sesion: again.cookie },
      headers: { "x-csrf-token": again.csrf },
    });
    expect(second.statusCode, second.body).toBe(207);
    expect(second.json().results.map((r: BatchOutcome) => r.status)).toEqual([201, 201, 201]);
    expect(await actsWithKeys(keys)).toHaveLength(3);
  });

  it("streams a report refusing every act once the depositor's staff role is removed (the session ends with it)", async () => {
    const person = await depositorWith("notificador");
    const session = await signInWith(f.system.app, person);
    const lote = await items(2);
    const response = await loteUploadedAfter(
      () => f.system.staff.remove(person.rfc, "pruebas"),
      { items: lote },
      { session },
      true,
    );
    const lines = ndjsonLines(response);
    expect(lines.at(-2).progreso).toEqual({
      total: 2,
      done: 2,
      deposited: 0,
      alreadyDeposited: 0,
      refused: 2,
    });
    const results: BatchOutcome[] = lines.at(-1).resultado.results;
    expectAllRefused(
      results,
      401,
      "unauthorized",
      "La sesión terminó mientras se depositaba el lote",
    );
    expect(await actsWithKeys(lote.map((i) => i.idempotencyKey))).toEqual([]);
  });

  it("deposits nothing more under a token revoked meanwhile, and logs why it refused", async () => {
    const person = await depositorWith("notificador");
    const { token, view } = await f.system.tokens.create(
      { rfc: person.rfc, name: "integración", roles: ["notificador"], days: 30 },
      "pruebas",
    );
    const lote = await items(2);
    const response = await loteUploadedAfter(
      () => f.system.tokens.revoke(view.id, "pruebas"),
      { items: lote },
      { token },
    );
    expect(response.statusCode, response.body).toBe(207);
    const results: BatchOutcome[] = response.json().results;
    expectAllRefused(
      results,
      401,
      "unauthorized",
      "El token de API dejó de valer mientras se depositaba el lote",
    );
    expect(await actsWithKeys(lote.map((i) => i.idempotencyKey))).toEqual([]);
    const refusals = await db()
      .selectFrom("auth_events")
      .select(["reason", "request_id"])
      .where("event", "=", "token_api")
      .where("outcome", "=", "rechazado")
      .where("rfc", "=", person.rfc)
      .execute();
    expect(refusals.map((r) => r.reason)).toEqual(["token_revocado"]);
  });

  it("answers 403 for each act once the token's holder holds a role that cannot deposit", async () => {
    const person = await depositorWith("notificador");
    // A token for both roles: moved to operador, the token is valid but cannot deposit.
    const { token } = await f.system.tokens.create(
      { rfc: person.rfc, name: "integración", roles: ["notificador", "operador"], days: 30 },
      "pruebas",
    );
    const lote = await items(2);
    const response = await loteUploadedAfter(
      () => f.system.staff.set({ rfc: person.rfc, role: "operador", name: "DORA" }, "pruebas"),
      { items: lote },
      { token },
    );
    expect(response.statusCode, response.body).toBe(207);
    expectAllRefused(
      response.json().results,
      403,
      "forbidden",
      "El rol de quien envió el lote cambió mientras se depositaba el lote: este acto no se depositó.",
    );
    expect(await actsWithKeys(lote.map((i) => i.idempotencyKey))).toEqual([]);
  });

  it("keeps the chunks written before the depositor's role was removed and refuses the rest (the service's chunks)", async () => {
    const person = await depositorWith("notificador");
    const lote = await items(5);
    const keys = lote.map((i) => i.idempotencyKey);
    let chunks = 0;
    const { results, counts } = await depositBatch(
      lote,
      (input) => ({ input }),
      { rfc: person.rfc, via: "linea_de_comandos" },
      async (inputs, depositor) => {
        const done = await f.system.notificaciones.depositMany(inputs, depositor);
        // Given de baja while the first chunk was being written.
        if (++chunks === 1) await f.system.staff.remove(person.rfc, "pruebas");
        return done;
      },
      {
        chunkSize: 2,
        concurrency: 1,
        statusOf: refusedStatus,
        beforeChunk: async () => {
          if ((await f.system.staff.roleOf(person.rfc)) === undefined) {
            throw new AppError("forbidden", "Ya no es personal activo.");
          }
        },
      },
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 403, 403, 403]);
    expect(counts).toMatchObject({ deposited: 2, refused: 3 });
    const written = await actsWithKeys(keys);
    expect(written.map((a) => a.idempotency_key).sort()).toEqual(keys.slice(0, 2).sort());
    expect(written.every((a) => a.deposited_by === person.rfc)).toBe(true);
    expect(results[2]).toMatchObject({ code: "forbidden", detail: "Ya no es personal activo." });
  });
  /** The request context of the tests' own checks (the log's fields). */
  const ctx = { ip: "127.0.0.1", userAgent: undefined, requestId: "prueba" };

  it("refuses a single deposit whose token was revoked while its body was uploading: judged in the deposit's transaction", async () => {
    const person = await depositorWith("notificador");
    const { token, view } = await f.system.tokens.create(
      { rfc: person.rfc, name: "integración", roles: ["notificador"], days: 30 },
      "pruebas",
    );
    const body = await signedActBody(f.notificador);
    const response = await loteUploadedAfter(
      () => f.system.tokens.revoke(view.id, "pruebas"),
      body,
      { token },
      false,
      "/api/v1/notificaciones",
    );
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ code: "unauthorized" });
    expect(await actsWithKeys([body.idempotencyKey])).toEqual([]);
  });

  it("refuses a single deposit whose session ended while its body was uploading", async () => {
    const person = await depositorWith("notificador");
    const session = await signInWith(f.system.app, person);
    const body = await signedActBody(f.notificador);
    const response = await loteUploadedAfter(
      () =>
        f.system.app.inject({
          method: "DELETE",
          url: "/api/v1/auth/sesion",
          cookies: { buzon_sesion: session.cookie },
          headers: { "x-csrf-token": session.csrf },
        }),
      body,
      { session },
      false,
      "/api/v1/notificaciones",
    );
    expect(response.statusCode, response.body).toBe(401);
    expect(await actsWithKeys([body.idempotencyKey])).toEqual([]);
  });

  it("refuses a chunk in its own transaction when the token was revoked after the chunk's check, and stops the lote", async () => {
    const person = await depositorWith("notificador");
    const { view } = await f.system.tokens.create(
      { rfc: person.rfc, name: "integración", roles: ["notificador"], days: 30 },
      "pruebas",
    );
    const request = {
      apiToken: { tokenId: view.id, rfc: person.rfc, role: "notificador" },
    } as FastifyRequest;
    const stopped = (error: unknown) =>
      error instanceof AppError
        ? loteStoppedError(request, error, {
            during: "se depositaba el lote",
            notDone: "este acto no se depositó",
            again: "los ya depositados no se repiten (misma clave de idempotencia)",
          })
        : error;
    const lote = await items(3);
    let formed = 0;
    const { results, counts } = await depositBatch(
      lote,
      (input) => {
        formed++;
        return { input };
      },
      { rfc: person.rfc, via: "token_api" },
      (inputs, depositor, hooks) => f.system.notificaciones.depositMany(inputs, depositor, hooks),
      {
        chunkSize: 2,
        concurrency: 1,
        statusOf: refusedStatus,
        // The check before the chunk passes; the revocation commits right after it.
        beforeChunk: async () => {
          await f.system.tokens.recheck(view.id, SIGNING_ROLES, ctx);
          await f.system.tokens.revoke(view.id, "pruebas");
        },
        authority: async (tx) => {
          try {
            await f.system.tokens.recheck(view.id, SIGNING_ROLES, ctx, tx);
          } catch (error) {
            throw stopped(error);
          }
        },
        describe: (input) => ({ idempotencyKey: input.idempotencyKey }),
      },
    );
    expect(counts).toEqual({ total: 3, done: 3, deposited: 0, alreadyDeposited: 0, refused: 3 });
    expect(results.map((r) => r.idempotencyKey)).toEqual(lote.map((i) => i.idempotencyKey));
    expectAllRefused(
      results,
      401,
      "unauthorized",
      "El token de API dejó de valer mientras se depositaba el lote (revocado, vencido, o su titular ya no tiene el rol): este acto no se depositó.",
    );
    // The third item was never formed: its key came from `describe`.
    expect(formed).toBe(2);
    expect(await actsWithKeys(lote.map((i) => i.idempotencyKey))).toEqual([]);
    // The refusal was logged in the chunk's transaction, which committed it.
    const refusals = await db()
      .selectFrom("auth_events")
      .select("reason")
      .where("event", "=", "token_api")
      .where("outcome", "=", "rechazado")
      .where("rfc", "=", person.rfc)
      .execute();
    expect(refusals.map((r) => r.reason)).toEqual(["token_revocado"]);
  });

  it.runIf(engine === "postgres")(
    "makes a revocation issued while a chunk's transaction is open wait for its commit, dated after its acts",
    async () => {
      const person = await depositorWith("notificador");
      const { view } = await f.system.tokens.create(
        { rfc: person.rfc, name: "integración", roles: ["notificador"], days: 30 },
        "pruebas",
      );
      const lote = await items(2);
      const depositor = { rfc: person.rfc, via: "token_api" } as const;
      const authority = async (tx: Db) => {
        await f.system.tokens.recheck(view.id, SIGNING_ROLES, ctx, tx);
      };
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const depositedAt = f.now;
      // The seam: the chunk's own authority hook, paused once its row is held.
      const chunk = f.system.notificaciones.depositMany(lote, depositor, {
        authority: async (tx) => {
          await authority(tx);
          entered();
          await gate;
        },
      });
      await inside;
      f.now = depositedAt.add({ seconds: 1 });
      let revoked = false;
      // Another connection of the pool.
      const revocation = f.system.tokens.revoke(view.id, "pruebas").then((v) => {
        revoked = true;
        return v;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(revoked).toBe(false);
      // Its instant is read once the row is its: after the chunk committed.
      f.now = depositedAt.add({ seconds: 2 });
      release();
      const outcomes = await chunk;
      const { revokedAt } = await revocation;
      f.now = depositedAt;
      expect(outcomes.map((o) => (o instanceof CodedError ? o.code : o.created))).toEqual([
        true,
        true,
      ]);
      expect(Date.parse(revokedAt!)).toBe(depositedAt.add({ seconds: 2 }).epochMilliseconds);
      const acts = await db()
        .selectFrom("notificaciones")
        .innerJoin(
          "notificacion_events",
          "notificacion_events.notificacion_id",
          "notificaciones.id",
        )
        .select(["notificaciones.deposited_at", "notificacion_events.recorded_at"])
        .where(
          "notificaciones.idempotency_key",
          "in",
          lote.map((i) => i.idempotencyKey),
        )
        .execute();
      expect(acts.length).toBeGreaterThanOrEqual(2);
      for (const act of acts) {
        expect(act.deposited_at.getTime()).toBeLessThan(Date.parse(revokedAt!));
        expect(act.recorded_at.getTime()).toBeLessThan(Date.parse(revokedAt!));
      }
      // The next chunk sees the revocation in its transaction, and writes nothing.
      const more = await items(1);
      const [refused] = await f.system.notificaciones.depositMany(more, depositor, { authority });
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe("unauthorized");
      expect(await actsWithKeys(more.map((i) => i.idempotencyKey))).toEqual([]);
    },
  );
});
