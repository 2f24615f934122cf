import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/schema.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { evidenceKeys } from "../../testing/evidence-keys.ts";
import { verifyAcuseExport } from "../verification/offline.ts";
import { type AcuseInput, createEvidenceService } from "./service.ts";
import { createEvidenceStore } from "./store.ts";

/**
 * `issueAcuse(input, { record })`: the use case's decision is written in the acuse's own batch
 * transaction, so the two commit together or not at all (issue 8 §2). A scratch table stands
 * for the decision; a trigger that raises once stands for a failure after it.
 */
const EVENT = Temporal.Instant.from("2025-02-03T16:07:17.151Z");
const NOW = fixedClock("2025-02-03T16:07:18Z");

function input(i: number): AcuseInput {
  return promocionInput([{ name: `Escrito ${i}.pdf`, sha256: "ab".repeat(32), bytes: 100 + i }], {
    at: EVENT,
    calendarVersion: "IMSS:2025-1",
  });
}

const keys = evidenceKeys();

async function decisions(db: Db): Promise<string[]> {
  const { rows } = await sql<{ folio: string }>`select folio from decisions order by folio`.execute(
    db,
  );
  return rows.map((r) => r.folio);
}

const decide = (note: string) => async (tx: Db, sealed: { folio: string }) => {
  await sql`insert into decisions (folio, note) values (${sealed.folio}, ${note})`.execute(tx);
};

describe.each(ENGINES)("a decision recorded with its acuse, on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    // The owner creates it; the serving role writes it, with the rights granted by default.
    await sql`create table decisions (folio text primary key, note text not null)`.execute(
      database.asOwner,
    );
  });
  afterEach(async () => {
    await database.dispose();
  });

  const serviceOn = (db: Db) =>
    createEvidenceService({
      ...keys.serviceOn(db),
      clock: NOW,
    });

  it("commits the decision with the acuse, and the acuse verifies", async () => {
    const service = serviceOn(database.db);
    let seen: { folio: string; seal: string; cadenaOriginal: string } | undefined;
    const issued = await service.issueAcuse(input(1), {
      record: async (tx, sealed) => {
        seen = sealed;
        await decide("registro")(tx, sealed);
      },
    });
    expect(seen).toMatchObject({
      folio: issued.folio,
      seal: issued.seal,
      cadenaOriginal: issued.cadenaOriginal,
    });
    expect(await decisions(database.db)).toEqual([issued.folio]);
    const verdict = await verifyAcuseExport((await service.exportByFolio(issued.folio))!, {
      sealCertificates: service.sealCertificates(),
      logVerifierKey: service.verifierKey(),
      publicUrl: service.publicUrl(),
    });
    expect(verdict.verdict).toBe("autentico");
  });

  it("a record that refuses undoes its own writes and takes no leaf; the batch goes on", async () => {
    const service = serviceOn(database.db);
    const refusal = new AppError("conflict", "Ese medio de contacto ya está registrado.");
    const results = await Promise.allSettled([
      service.issueAcuse(input(1), { record: decide("uno") }),
      service.issueAcuse(input(2), {
        record: async (tx, sealed) => {
          await decide("dos")(tx, sealed);
          throw refusal;
        },
      }),
      service.issueAcuse(input(3), { record: decide("tres") }),
      service.issueAcuse(input(4)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(refusal);
    const issued = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    // No gap: the refused acuse took no leaf index.
    expect(issued.map((a) => a.leafIndex)).toEqual([0, 1, 2]);
    expect(await decisions(database.db)).toEqual([issued[0]!.folio, issued[1]!.folio]);
    expect((await createEvidenceStore(database.db).head()).size).toBe(3);
  });

  it("a refusal is told once its batch has ended: the refused caller reads the decision that another acuse of its batch took", async () => {
    const service = serviceOn(database.db);
    // The first acuse starts a batch of its own; the two that race for one decision queue
    // behind it and are issued together, the second's record seeing the first's write.
    const first = service.issueAcuse(input(1));
    const once = async (tx: Db, sealed: { folio: string }) => {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from decisions where note = 'una vez'`.execute(tx);
      if (rows[0]!.n > 0) throw new AppError("conflict", "Ya decidido.");
      await decide("una vez")(tx, sealed);
    };
    const winner = service.issueAcuse(input(2), { record: once });
    const loser = service.issueAcuse(input(3), { record: once }).then(
      () => ({ error: undefined, seen: [] as string[] }),
      async (error: unknown) => ({ error, seen: await decisions(database.db) }),
    );
    const [, won, lost] = await Promise.all([first, winner, loser]);
    expect(lost.error).toMatchObject({ code: "conflict" });
    expect(lost.seen).toEqual([won.folio]);
  });

  it("a group's record runs once for its members before sealing; a refused member takes no leaf, a throwing group refuses all of its own", async () => {
    const service = serviceOn(database.db);
    const seen: { notes: string[]; sealedBefore: boolean }[] = [];
    const members = ["a", "b", "c"].map((note, i) => ({ input: input(i), note }));
    const refusal = new AppError("conflict", "Ya resuelto.");
    const grouped = service.issueGroup(members, {
      record: async (tx, given) => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from acuses`.execute(
          tx,
        );
        seen.push({ notes: given.map((g) => g.member.note), sealedBefore: rows[0]!.n > 0 });
        const verdicts = given.map((g) => (g.member.note === "b" ? refusal : undefined));
        for (const [i, g] of given.entries()) {
          if (!verdicts[i]) await decide(g.member.note)(tx, g.acuse);
        }
        return verdicts;
      },
    });
    const failing = service.issueGroup([{ input: input(7) }, { input: input(8) }], {
      record: async (tx, given) => {
        await decide("roto")(tx, given[0]!.acuse);
        throw new AppError("internal", "fallo del grupo");
      },
    });
    const single = service.issueAcuse(input(9), { record: decide("solo") });
    const results = await Promise.allSettled([...grouped, ...failing, single]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(refusal);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: "internal" });
    // One call for the group's three members, in order, before anything of the batch was sealed.
    expect(seen).toEqual([{ notes: ["a", "b", "c"], sealedBefore: false }]);
    const issued = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(issued.map((a) => a.leafIndex)).toEqual([0, 1, 2]);
    // The throwing group's write was undone; the kept members' decisions name their folios.
    expect(await decisions(database.db)).toEqual(issued.map((a) => a.folio));
    for (const acuse of issued) {
      const verdict = await verifyAcuseExport((await service.exportByFolio(acuse.folio))!, {
        sealCertificates: service.sealCertificates(),
        logVerifierKey: service.verifierKey(),
        publicUrl: service.publicUrl(),
      });
      expect(verdict.verdict).toBe("autentico");
    }
  });

  it("when the batch fails after the record, neither the decision nor the acuse nor the seal certificate is written", async () => {
    // A failure injected by the owner: the serving role may create no trigger.
    await sql`create sequence test_fail_once`.execute(database.asOwner);
    await sql`
      create function test_fail_once() returns trigger language plpgsql as $$
      begin
        if nextval('test_fail_once') = 1 then raise exception 'fallo simulado del registro'; end if;
        return new;
      end $$`.execute(database.asOwner);
    await sql`create trigger test_fail_once before insert on log_leaves for each row execute function test_fail_once()`.execute(
      database.asOwner,
    );
    const service = serviceOn(database.db);
    await expect(service.issueAcuse(input(1), { record: decide("uno") })).rejects.toThrow(
      /fallo simulado/,
    );
    expect(await decisions(database.db)).toEqual([]);
    const counts = await sql<{ acuses: number; certificates: number }>`
      select (select count(*)::int from acuses) as acuses,
             (select count(*)::int from seal_certificates) as certificates`.execute(database.db);
    expect(counts.rows[0]).toEqual({ acuses: 0, certificates: 0 });

    // The next attempt registers the certificate in its own batch and commits everything.
    const issued = await service.issueAcuse(input(2), { record: decide("dos") });
    expect(await decisions(database.db)).toEqual([issued.folio]);
    const certificates = await sql<{
      number: string;
    }>`select number from seal_certificates`.execute(database.db);
    expect(certificates.rows).toEqual([{ number: keys.seal.certificateNumber }]);
    expect(issued.leafIndex).toBe(0);
  });
});
