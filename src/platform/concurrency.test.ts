import { describe, expect, it } from "vitest";
import { BusyError, createLimiter } from "./concurrency.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("createLimiter", () => {
  it("never runs more than its limit, also when a newcomer arrives as a task ends", async () => {
    const run = createLimiter({ running: 2, waiting: 100, waitMs: 10_000 });
    let now = 0;
    let most = 0;
    const task = async () => {
      now++;
      most = Math.max(most, now);
      await tick();
      now--;
    };
    const all: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      // A newcomer calls the moment a task ends (same microtask turn as the hand-over).
      all.push(run(task).then(() => run(task)));
      if (i % 3 === 0) await tick();
    }
    await Promise.all(all);
    expect(most).toBe(2);
  });

  it("frees the slot when a task fails", async () => {
    const run = createLimiter({ running: 1, waiting: 10, waitMs: 10_000 });
    await expect(run(async () => Promise.reject(new Error("falla")))).rejects.toThrow("falla");
    expect(await run(async () => "después")).toBe("después");
  });

  it("refuses at once when the queue is full, and after waiting too long", async () => {
    const run = createLimiter({ running: 1, waiting: 1, waitMs: 50 });
    let release!: () => void;
    const blocker = run(() => new Promise<void>((resolve) => (release = resolve)));
    const queued = run(async () => "tarde");
    const refused = await run(async () => "de más").catch((e) => e);
    expect(refused).toBeInstanceOf(BusyError);
    expect(refused).toMatchObject({ code: "busy", message: "cola llena" });
    expect(refused.detail).toMatch(/^El servicio está ocupado/);
    await expect(queued).rejects.toBeInstanceOf(BusyError);
    release();
    await blocker;
    expect(await run(async () => "libre")).toBe("libre");
  });
});
