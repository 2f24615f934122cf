import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { enqueue, enqueueMany, type OutboxMessage, withdrawPending } from "./outbox.ts";
import { openSecret } from "./secret-box.ts";

const message = (n: number, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  key: `prueba:${n}`,
  channel: "correo",
  to: `persona${n}@example.com`,
  template: "prueba",
  data: { nombre: `Persona ${n}` },
  ...extra,
});

describe.each(ENGINES)("outbox on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("writes a message only if the caller's transaction commits", async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await enqueue(tx, message(1));
        throw new Error("la decisión se revierte");
      }),
    ).rejects.toThrow("la decisión se revierte");
    expect(await database.db.selectFrom("outbox").selectAll().execute()).toEqual([]);
    await database.db
      .transaction()
      .execute((tx) => enqueue(tx, message(2, { rfc: "AAA010101AAA" })));
    const rows = await database.db.selectFrom("outbox").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      idempotency_key: "prueba:2",
      channel: "correo",
      recipient: "persona2@example.com",
      data: { nombre: "Persona 2" },
      status: "pendiente",
      attempts: 0,
      secret: null,
      rfc: "AAA010101AAA",
    });
  });

  it("keeps one message per idempotency key and counts only the new ones", async () => {
    expect(await enqueueMany(database.db, [message(1), message(2)])).toBe(2);
    expect(await enqueueMany(database.db, [message(2), message(3), message(3)])).toBe(1);
    const keys = await database.db
      .selectFrom("outbox")
      .select("idempotency_key")
      .orderBy("id")
      .execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual(["prueba:1", "prueba:2", "prueba:3"]);
  });

  it("holds a message with notBefore until that instant (next_attempt_at)", async () => {
    const at = new Date("2026-12-14T15:30:00.000Z");
    await enqueueMany(database.db, [message(1, { notBefore: at }), message(2)]);
    const rows = await database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "next_attempt_at"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => [r.idempotency_key, r.next_attempt_at?.toISOString() ?? null])).toEqual([
      ["prueba:1", at.toISOString()],
      ["prueba:2", null],
    ]);
  });

  it("withdraws the RFC's pending messages of a key prefix; sent ones and others stay", async () => {
    const rfc = "EKU9003173C9";
    await enqueueMany(database.db, [
      message(1, { key: "acto:1:aviso:a", rfc, secret: { codigo: "123456" } }),
      message(2, { key: "acto:1:aviso:b", rfc }),
      message(3, { key: "acto:10:aviso:a", rfc }),
      message(4, { key: "acto:1:aviso:c", rfc: "AAA010101AAA" }),
      message(5, { key: "acto:1:aviso:d", rfc }),
    ]);
    const at = new Date("2026-12-12T18:00:00Z");
    await database.db
      .updateTable("outbox")
      .set({ status: "enviada", finished_at: at, last_response: "250 ok" })
      .where("idempotency_key", "=", "acto:1:aviso:d")
      .execute();
    expect(
      await withdrawPending(database.db, { rfc, keyPrefix: "acto:1:" }, "acto cancelado", at),
    ).toBe(2);
    const rows = await database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "status", "last_response", "secret", "finished_at"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => [r.idempotency_key, r.status, r.last_response])).toEqual([
      ["acto:1:aviso:a", "fallida", "retirado: acto cancelado"],
      ["acto:1:aviso:b", "fallida", "retirado: acto cancelado"],
      ["acto:10:aviso:a", "pendiente", null],
      ["acto:1:aviso:c", "pendiente", null],
      ["acto:1:aviso:d", "enviada", "250 ok"],
    ]);
    expect(rows[0]?.secret).toBeNull();
    expect(rows[0]?.finished_at?.getTime()).toBe(at.getTime());
    // Nothing is recorded as an attempt: none was made.
    expect(await database.db.selectFrom("delivery_attempts").selectAll().execute()).toEqual([]);
  });

  it("enqueues many messages in chunks", async () => {
    const many = Array.from({ length: 12_003 }, (_, n) =>
      message(n, { channel: "sms", to: `+52${String(5_500_000_000 + n)}` }),
    );
    expect(await enqueueMany(database.db, many)).toBe(12_003);
  });

  it("seals the secret: the code is not in the row, and opens only for its own message", async () => {
    await enqueue(database.db, message(1, { secret: { codigo: "493817" } }));
    const row = await database.db
      .selectFrom("outbox")
      .select(["secret", "data"])
      .executeTakeFirstOrThrow();
    const sealed = Buffer.from(row.secret as Uint8Array);
    expect(sealed.toString("latin1")).not.toContain("493817");
    expect(JSON.stringify(row.data)).not.toContain("493817");
    expect(openSecret(sealed, "prueba:1")).toEqual({ codigo: "493817" });
    expect(openSecret(sealed, "prueba:2")).toBeUndefined();
  });

  it("refuses a malformed message (a caller's bug)", async () => {
    await expect(enqueue(database.db, message(1, { to: "no es correo" }))).rejects.toThrow(
      /destinatario/,
    );
    await expect(
      enqueue(database.db, message(1, { channel: "sms", to: "5512345678" })),
    ).rejects.toThrow(/celular/);
    await expect(enqueue(database.db, message(1, { key: "" }))).rejects.toThrow(/clave/);
  });
});
