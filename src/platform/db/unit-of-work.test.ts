import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import type { Db } from "./schema.ts";
import { transactional } from "./unit-of-work.ts";

const challenge = (id: string) => ({
  id,
  rfc: "EKU9003173C9",
  nonce: "n",
  attempt_hash: Buffer.from("h"),
  created_at: new Date(),
  expires_at: new Date(),
});

describe.each(ENGINES)("transactional on %s", (engine) => {
  let database: TestDatabase;
  const ids = async () =>
    (await database.db.selectFrom("auth_challenges").select("id").orderBy("id").execute()).map(
      (r) => r.id,
    );
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database.dispose());

  it("commits every write of the work together, or none when it throws", async () => {
    const run = transactional(database.db, (executor: Db) => executor);
    await run(async (tx) => {
      await tx
        .insertInto("auth_challenges")
        .values(challenge("00000000-0000-4000-8000-000000000001"))
        .execute();
      await tx
        .insertInto("auth_challenges")
        .values(challenge("00000000-0000-4000-8000-000000000002"))
        .execute();
    });
    await expect(
      run(async (tx) => {
        await tx
          .insertInto("auth_challenges")
          .values(challenge("00000000-0000-4000-8000-000000000003"))
          .execute();
        throw new TypeError("the second write failed");
      }),
    ).rejects.toThrow("the second write failed");
    expect(await ids()).toEqual([
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
    ]);
  });

  it("joins an open transaction instead of waiting for a second one", async () => {
    const outer = transactional(database.db, (executor: Db) => executor);
    await expect(
      outer(async (tx) => {
        // Called with the transaction (as a store bound to it would be), it runs inside it: on
        // PGlite's single connection a nested BEGIN would wait for the outer one forever.
        await transactional(
          tx,
          (executor: Db) => executor,
        )(async (joined) => {
          expect(joined).toBe(tx);
          await joined
            .insertInto("auth_challenges")
            .values(challenge("00000000-0000-4000-8000-000000000004"))
            .execute();
        });
        throw new TypeError("rolled back as one");
      }),
    ).rejects.toThrow("rolled back as one");
    expect(await ids()).not.toContain("00000000-0000-4000-8000-000000000004");
  });
});
