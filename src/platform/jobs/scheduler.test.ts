import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/database.ts";
import { createJobLeases } from "./leases.ts";
import { createScheduler } from "./scheduler.ts";

describe("scheduler", () => {
  let database: TestDatabase;
  const errors: object[] = [];
  const log = { error: (data: object) => errors.push(data) };
  beforeEach(async () => {
    database = await createTestDatabase("pglite");
    errors.length = 0;
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("runs every job on runAll, logs a failing one and goes on", async () => {
    const scheduler = createScheduler({ leases: createJobLeases(database.db), log });
    const ran: string[] = [];
    scheduler.add({
      name: "falla",
      everySeconds: 0,
      run: async () => {
        throw new Error("sin conexión");
      },
    });
    scheduler.add({ name: "cuenta", everySeconds: 0, run: async () => void ran.push("cuenta") });
    await scheduler.runAll();
    await scheduler.runAll();
    expect(ran).toEqual(["cuenta", "cuenta"]);
    expect(errors).toEqual([
      { job: "falla", err: "sin conexión" },
      { job: "falla", err: "sin conexión" },
    ]);
    expect(() => scheduler.add({ name: "cuenta", everySeconds: 0, run: async () => {} })).toThrow();
  });

  it("runs an exclusive job in one process at a time; a shared one in both", async () => {
    const one = createScheduler({ leases: createJobLeases(database.db, "uno"), log });
    const two = createScheduler({ leases: createJobLeases(database.db, "dos"), log });
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    one.add({
      name: "exclusiva",
      everySeconds: 0,
      run: async () => {
        ran.push("uno");
        started();
        await held;
      },
    });
    two.add({ name: "exclusiva", everySeconds: 0, run: async () => void ran.push("dos") });
    one.add({
      name: "compartida",
      everySeconds: 0,
      exclusive: false,
      run: async () => void ran.push("uno:c"),
    });
    two.add({
      name: "compartida",
      everySeconds: 0,
      exclusive: false,
      run: async () => void ran.push("dos:c"),
    });
    const first = one.runAll();
    await running;
    await two.runAll(); // the lease is taken: "exclusiva" is skipped here, "compartida" runs
    release();
    await first;
    expect(ran).toEqual(["uno", "dos:c", "uno:c"]);
    await two.runAll(); // the lease is free again
    expect(ran.slice(3)).toEqual(["dos", "dos:c"]);
  });

  it("runAll waits for a run in progress and runs once more", async () => {
    const scheduler = createScheduler({ leases: createJobLeases(database.db), log });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    scheduler.add({
      name: "lenta",
      everySeconds: 0,
      run: async () => {
        runs += 1;
        if (runs === 1) {
          started();
          await gate;
        }
      },
    });
    const first = scheduler.runAll();
    await running;
    // Asked while the first run is in progress: that run may have read the state already.
    const second = scheduler.runAll();
    release();
    await Promise.all([first, second]);
    expect(runs).toBe(2);
  });

  it("runs jobs on their timers once started, and stops", async () => {
    const scheduler = createScheduler({ leases: createJobLeases(database.db), log });
    let tick!: () => void;
    const ticked = new Promise<void>((resolve) => {
      tick = resolve;
    });
    scheduler.add({ name: "cada-segundo", everySeconds: 1, run: async () => tick() });
    scheduler.start();
    await ticked;
    await scheduler.stop();
    expect(scheduler.names()).toEqual(["cada-segundo"]);
  });
});
