import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { createJobLeases } from "./leases.ts";

describe.each(ENGINES)("job leases on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  /** Runs a job under `leases` that waits until `finish()`; resolves `started` once it runs. */
  function holdJob(leases: ReturnType<typeof createJobLeases>, job: string) {
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const done = leases.run(job, 60, () => {
      started();
      return new Promise<string>((resolve) => (finish = () => resolve("hecho")));
    });
    return { running, done, finish: () => finish() };
  }

  it("runs a job in one process at a time and lets the next take it when it ends", async () => {
    const a = createJobLeases(database.db, "a");
    const b = createJobLeases(database.db, "b");
    const held = holdJob(a, "sellos_de_tiempo");
    await held.running;
    let ran = false;
    expect(await b.run("sellos_de_tiempo", 60, async () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    // Another job is not held by it.
    expect(await b.run("otra_tarea", 60, async () => "sí")).toBe("sí");
    held.finish();
    expect(await held.done).toBe("hecho");
    expect(await b.run("sellos_de_tiempo", 60, async () => "b")).toBe("b");
  });

  it("gives the lease back when the job fails", async () => {
    const a = createJobLeases(database.db, "a");
    await expect(
      a.run("sellos_de_tiempo", 60, async () => {
        throw new Error("la TSA no contestó");
      }),
    ).rejects.toThrow("la TSA no contestó");
    expect(await createJobLeases(database.db, "b").run("sellos_de_tiempo", 60, async () => 1)).toBe(
      1,
    );
  });

  it("waits for a crashed holder's lease to expire, not longer", async () => {
    const b = createJobLeases(database.db, "b");
    // A holder killed mid-job leaves its row behind.
    await database.db
      .insertInto("job_leases")
      .values({
        job: "sellos_de_tiempo",
        holder: "muerto",
        expires_at: new Date(Date.now() + 60_000),
      })
      .execute();
    expect(await b.run("sellos_de_tiempo", 60, async () => 1)).toBeUndefined();
    await database.db
      .updateTable("job_leases")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("holder", "=", "muerto")
      .execute();
    expect(await b.run("sellos_de_tiempo", 60, async () => 2)).toBe(2);
  });
});
