import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { CodedError } from "../../domain/errors.ts";
import type { Db } from "../../platform/db/schema.ts";
import { ENGINES } from "../../testing/database.ts";
import type { DepositInput, Depositor } from "./deposit.ts";
import { notificacionesFixture, SIN_BUZON, signedActBody } from "./test-fixture.ts";

/**
 * The deposit of a chunk of acts (the batch's unit; one act is a chunk of one): each act keeps
 * the answer it would have had alone, and the chunk is written in one transaction or not at all.
 */
describe.each(ENGINES)("a chunk of deposits on %s", (engine) => {
  const f = notificacionesFixture(engine);
  const depositor = (): Depositor => ({ rfc: f.notificador.rfc, via: "linea_de_comandos" });

  const input = (overrides: Partial<DepositInput> = {}): Promise<DepositInput> =>
    signedActBody(f.notificador, overrides);

  const depositMany = (inputs: (DepositInput | CodedError)[]) =>
    f.system.notificaciones.depositMany(inputs, depositor());

  function created(result: unknown) {
    expect(result).not.toBeInstanceOf(CodedError);
    return result as { id: string; state: string; created: boolean };
  }

  function refused(result: unknown, code: string) {
    expect(result).toBeInstanceOf(CodedError);
    expect((result as CodedError).code).toBe(code);
    return result as CodedError;
  }

  const db = () => f.system.database.db;

  async function actsOf(ids: string[]) {
    if (ids.length === 0) return [];
    return db().selectFrom("notificaciones").selectAll().where("id", "in", ids).execute();
  }

  async function eventsOf(ids: string[]) {
    if (ids.length === 0) return [];
    return db()
      .selectFrom("notificacion_events")
      .select(["notificacion_id", "type", "data"])
      .where("notificacion_id", "in", ids)
      .orderBy("id")
      .execute();
  }

  async function avisosOf(ids: string[]) {
    const rows = await db()
      .selectFrom("outbox")
      .select(["idempotency_key", "recipient", "channel"])
      .orderBy("id")
      .execute();
    return rows.filter((r) =>
      ids.some((id) => r.idempotency_key.startsWith(`notificacion:${id}:`)),
    );
  }

  async function counts() {
    const n = async (table: "notificaciones" | "notificacion_events" | "outbox" | "blobs") =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db()))
          .rows[0]?.n,
      );
    return {
      acts: await n("notificaciones"),
      events: await n("notificacion_events"),
      outbox: await n("outbox"),
      blobs: await n("blobs"),
    };
  }

  it("deposits the other acts when some are refused: a bad signature, an RFC not in the padrón, a form that could not be read", async () => {
    const good = await input();
    const other = await input({ rfc: SIN_BUZON });
    const badSignature = await input({ signature: (await input()).signature });
    const outside = await input({ rfc: "BBB010101BB1" });
    const unreadable = new CodedError("validation", "No existe el documento «falta.pdf».");
    const results = await depositMany([good, badSignature, outside, unreadable, other]);

    const first = created(results[0]);
    expect(first).toMatchObject({ created: true, state: "pendiente" });
    expect(refused(results[1], "document_signature_invalid").detail).toMatch(/otro archivo/);
    expect(refused(results[2], "addressee_not_in_padron").detail).toMatch(/BBB010101BB1/);
    expect(results[3]).toBe(unreadable);
    const last = created(results[4]);
    expect(last).toMatchObject({ created: true, state: "estrados" });

    const acts = await actsOf([first.id, last.id]);
    expect(acts.map((a) => a.idempotency_key).sort()).toEqual(
      [good.idempotencyKey, other.idempotencyKey].sort(),
    );
    expect((await eventsOf([first.id, last.id])).map((e) => [e.notificacion_id, e.type])).toEqual(
      expect.arrayContaining([
        [first.id, "depositada"],
        [last.id, "depositada"],
      ]),
    );
    // The enabled mailbox's two means get the aviso; estrados gets none.
    expect(await avisosOf([first.id])).toHaveLength(2);
    expect(await avisosOf([last.id])).toEqual([]);
    const refusedKeys = [badSignature, outside].map((i) => i.idempotencyKey);
    expect(
      await db()
        .selectFrom("notificaciones")
        .select("id")
        .where("idempotency_key", "in", refusedKeys)
        .execute(),
    ).toEqual([]);
  });

  it("deposits two acts to the same RFC in one chunk, each with its own avisos, as two deposits would", async () => {
    const results = await depositMany([await input(), await input()]);
    const [a, b] = results.map(created);
    expect(a!.id).not.toBe(b!.id);
    expect([a!.state, b!.state]).toEqual(["pendiente", "pendiente"]);
    const avisosA = await avisosOf([a!.id]);
    const avisosB = await avisosOf([b!.id]);
    expect(avisosA).toHaveLength(2);
    expect(avisosB.map((m) => [m.channel, m.recipient])).toEqual(
      avisosA.map((m) => [m.channel, m.recipient]),
    );
    const events = await eventsOf([a!.id, b!.id]);
    expect(events.map((e) => e.type)).toEqual(["depositada", "depositada"]);
    expect(events.every((e) => (e.data as { estrados: boolean }).estrados === false)).toBe(true);
  });

  it("the same key twice in one chunk: the same content answers the first act, other content is a 409; the same document under another key is refused", async () => {
    const act = await input();
    const conflicting = { ...act, oficio: "otro oficio" };
    const sameDocument = { ...act, idempotencyKey: randomUUID() };
    const results = await depositMany([act, act, conflicting, sameDocument]);
    const first = created(results[0]);
    expect(first.created).toBe(true);
    expect(created(results[1])).toEqual({ ...first, created: false });
    expect(refused(results[2], "idempotency_conflict").detail).toMatch(act.idempotencyKey);
    expect(refused(results[3], "document_already_deposited").detail).toMatch(first.id);
    expect(await actsOf([first.id])).toHaveLength(1);
    expect(
      await db()
        .selectFrom("notificaciones")
        .select("id")
        .where("idempotency_key", "=", sameDocument.idempotencyKey)
        .execute(),
    ).toEqual([]);
    expect(await avisosOf([first.id])).toHaveLength(2);
  });

  it("two chunks at once with the same key: one deposits it, the other answers that act", async () => {
    const act = await input();
    const [one, two] = await Promise.all([
      depositMany([act, await input()]),
      depositMany([await input(), act]),
    ]);
    const a = created(one[0]);
    const b = created(two[1]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(
      await db()
        .selectFrom("notificaciones")
        .select("id")
        .where("idempotency_key", "=", act.idempotencyKey)
        .execute(),
    ).toEqual([{ id: a.id }]);
  });

  it("a failure mid-chunk (the outbox refuses its avisos) leaves nothing of the chunk written; the same chunk again deposits it all", async () => {
    const inputs = [await input(), await input({ rfc: SIN_BUZON }), await input()];
    const before = await counts();
    await failNextOutboxInsert(f.system.database.asOwner);
    try {
      await expect(depositMany(inputs)).rejects.toThrow(/fallo simulado/);
      // The documents' bytes may be in the store (content-addressed, named by nothing), but not
      // a row: no act, event, aviso or blob record of the chunk.
      expect(await counts()).toEqual(before);
    } finally {
      await sql`drop trigger if exists test_fail_once on outbox`.execute(f.system.database.asOwner);
    }
    const again = (await depositMany(inputs)).map(created);
    expect(again.map((r) => r.created)).toEqual([true, true, true]);
    expect(await actsOf(again.map((r) => r.id))).toHaveLength(3);
    expect(await avisosOf(again.map((r) => r.id))).toHaveLength(4);
  });
});

/**
 * Makes the next insert into the outbox fail, once (installed as the tables' owner): a trigger
 * raises while a sequence says it has not raised yet; sequences are not transactional, so the
 * rollback does not re-arm it.
 */
async function failNextOutboxInsert(asOwner: Db): Promise<void> {
  await sql`drop sequence if exists test_fail_once`.execute(asOwner);
  await sql`create sequence test_fail_once`.execute(asOwner);
  await sql`
    create or replace function test_fail_once() returns trigger language plpgsql as $$
    begin
      if nextval('test_fail_once') = 1 then
        raise exception 'fallo simulado al encolar %', new.idempotency_key;
      end if;
      return new;
    end $$`.execute(asOwner);
  await sql`drop trigger if exists test_fail_once on outbox`.execute(asOwner);
  await sql`create trigger test_fail_once before insert on outbox for each row execute function test_fail_once()`.execute(
    asOwner,
  );
}
