import { randomUUID } from "node:crypto";
import { CompiledQuery, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import {
  type AclaracionesFilter,
  appendMailboxEvent,
  loadMailbox,
  selectAclaraciones,
} from "./store.ts";

const RFC = "AAA010101AAA";
const t0 = Temporal.Instant.from("2026-12-01T16:00:00Z");

describe.each(ENGINES)("mailbox events on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  async function insertMeans(id: string, kind: "correo" | "celular", value: string) {
    await database.db
      .insertInto("mailbox_means")
      .values({
        id,
        rfc: RFC,
        kind,
        value,
        scope: "rfc",
        status: "pendiente",
        registered_at: new Date(t0.epochMilliseconds),
        expires_at: new Date(t0.add({ hours: 72 }).epochMilliseconds),
        validated_at: null,
        ended_at: null,
        acuse_folio: "BI-20261201-100000000",
        replaces: null,
        code_hash: Buffer.alloc(32, 1),
        code_sent_at: null,
        locked_at: null,
      })
      .execute();
  }

  async function register(id: string, kind: "correo" | "celular", value: string) {
    await insertMeans(id, kind, value);
    return appendMailboxEvent(database.db, {
      type: "medio_registrado",
      rfc: RFC,
      at: t0,
      acuseFolio: "BI-20261201-100000000",
      data: { meansId: id, kind, value, scope: "rfc", expiresAt: t0.add({ hours: 72 }).toString() },
    });
  }

  it("appends events and keeps the mailboxes row and the means in step", async () => {
    const email = randomUUID();
    const phone = randomUUID();
    expect((await register(email, "correo", "ana@example.mx")).state).toBe("medios_pendientes");
    await register(phone, "celular", "+525512345678");
    const mailboxRow = () =>
      database.db
        .selectFrom("mailboxes")
        .selectAll()
        .where("rfc", "=", RFC)
        .executeTakeFirstOrThrow();
    expect((await mailboxRow()).state).toBe("medios_pendientes");

    for (const id of [email, phone]) {
      await appendMailboxEvent(database.db, {
        type: "medio_validado",
        rfc: RFC,
        at: t0.add({ hours: 1 }),
        data: { meansId: id },
      });
    }
    expect((await mailboxRow()).state).toBe("medios_validados");
    const means = await database.db.selectFrom("mailbox_means").selectAll().execute();
    expect(means.map((m) => [m.status, m.code_hash])).toEqual([
      ["validado", null],
      ["validado", null],
    ]);

    const after = await appendMailboxEvent(database.db, {
      type: "terminos_firmados",
      rfc: RFC,
      at: t0.add({ hours: 2 }),
      acuseFolio: "BI-20261201-120000000",
      data: { version: "2026-1", sha256: "b".repeat(64) },
    });
    expect(after).toMatchObject({
      state: "habilitado",
      provenance: "activacion",
      termsVersion: "2026-1",
    });
    expect(await mailboxRow()).toMatchObject({
      state: "habilitado",
      provenance: "activacion",
      terms_version: "2026-1",
      updated_at: new Date(t0.add({ hours: 2 }).epochMilliseconds),
    });
    expect((await loadMailbox(database.db, RFC)).state).toBe("habilitado");
    expect((await loadMailbox(database.db, "BBB010101BBB")).state).toBe("sin_medios");
  });

  it("rolls the event and the projection back together", async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await appendMailboxEvent(tx, {
          type: "habilitacion_2020",
          rfc: RFC,
          at: t0,
          data: { enabledAt: "2020-10-01T15:00:00Z", termsVersion: null },
        });
        throw new Error("falla después del evento");
      }),
    ).rejects.toThrow("falla después del evento");
    expect(await database.db.selectFrom("mailbox_events").selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom("mailboxes").selectAll().execute()).toEqual([]);
  });

  it("refuses to change or delete an event: the history is append-only", async () => {
    await appendMailboxEvent(database.db, {
      type: "habilitacion_2020",
      rfc: RFC,
      at: t0,
      data: { enabledAt: "2020-10-01T15:00:00Z", termsVersion: null },
    });
    await expect(sql`update mailbox_events set rfc = 'X'`.execute(database.db)).rejects.toThrow(
      /solo admite inserciones/,
    );
    await expect(sql`delete from mailbox_events`.execute(database.db)).rejects.toThrow(
      /solo admite inserciones/,
    );
    // Truncating takes a right the serving role lacks; even the owner meets the trigger.
    await expect(sql`truncate mailbox_events`.execute(database.asOwner)).rejects.toThrow(
      /solo admite inserciones/,
    );
  });

  it("keeps one live means per address and scope", async () => {
    await insertMeans(randomUUID(), "correo", "ana@example.mx");
    await expect(insertMeans(randomUUID(), "correo", "ana@example.mx")).rejects.toThrow();
  });
});

describe.runIf(ENGINES.includes("postgres"))("the aclaraciones' reads on postgres", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase("postgres");
  });
  afterEach(async () => {
    await database.dispose();
  });

  /** The plan PostgreSQL picks when scanning the table whole is off the table. */
  async function planOf(filter: AclaracionesFilter): Promise<string> {
    const compiled = selectAclaraciones(database.db, filter).compile();
    return database.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const { rows } = await tx.executeQuery<{ "QUERY PLAN": string }>(
        CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
      );
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it.each([
    [
      "one status, a page after a keyset",
      { estado: "abierta", after: { at: new Date(), id: randomUUID() }, limit: 50 },
      "mailbox_aclaraciones_queue",
    ],
    ["every status (the whole queue)", { limit: 50 }, "mailbox_aclaraciones_order"],
    ["one person's own", { rfc: RFC }, "mailbox_aclaraciones_rfc"],
  ] as const)(
    "reads %s in order from its index, never sorting the table",
    async (_, filter, index) => {
      const plan = await planOf(filter);
      expect(plan).toContain(index);
      expect(plan).not.toMatch(/\bSort\b/);
    },
  );
});
