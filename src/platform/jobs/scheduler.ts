import type { JobLeases } from "./leases.ts";

export interface Job {
  /** Stable name: also the job's lease in job_leases. */
  name: string;
  /** Seconds between runs in this process; 0 registers the job for runAll() only. */
  everySeconds: number;
  run(): Promise<void>;
  /**
   * Seconds the lease lasts: longer than a run can take, or another process may start the same
   * job meanwhile. Default: 300.
   */
  leaseSeconds?: number;
  /**
   * False for a job that is safe to run in several processes at once (delivery claims its
   * messages with SKIP LOCKED): it runs without a lease, so workers share the load.
   */
  exclusive?: boolean;
}

export interface SchedulerLog {
  error(data: object, message: string): void;
}

export interface Scheduler {
  add(job: Job): void;
  /** Runs every job once now, after any run in progress: what is due by now is done after. */
  runAll(): Promise<void>;
  /** Starts each job's timer (the worker: `serve` without --no-worker, `buzon worker`). */
  start(options?: { keepAlive?: boolean }): void;
  /** Stops the timers and waits for the runs in progress. */
  stop(): Promise<void>;
  names(): string[];
}

const DEFAULT_LEASE_SECONDS = 300;

/**
 * The periodic jobs of a process. Each job runs once at a time per process; an exclusive job
 * (the default) runs under its lease (leases.ts), so in one database only one process runs it
 * at a time, and a process that does not get the lease skips that turn. A failing run is
 * logged and the next one tries again.
 */
export function createScheduler({
  leases,
  log,
}: {
  leases: JobLeases;
  log: SchedulerLog;
}): Scheduler {
  const jobs = new Map<string, { job: Job; running?: Promise<void>; timer?: NodeJS.Timeout }>();
  let started: { keepAlive?: boolean } | undefined;

  function runOnce(name: string): Promise<void> {
    const entry = jobs.get(name);
    if (!entry) return Promise.resolve();
    if (entry.running) return entry.running;
    const { job } = entry;
    entry.running = (async () => {
      try {
        if (job.exclusive === false) await job.run();
        else await leases.run(job.name, job.leaseSeconds ?? DEFAULT_LEASE_SECONDS, job.run);
      } catch (error) {
        log.error(
          { job: job.name, err: error instanceof Error ? error.message : String(error) },
          "falló una tarea periódica",
        );
      } finally {
        entry.running = undefined;
      }
    })();
    return entry.running;
  }

  function arm(name: string) {
    const entry = jobs.get(name);
    if (!entry || !started || entry.job.everySeconds <= 0 || entry.timer) return;
    entry.timer = setInterval(() => void runOnce(name), entry.job.everySeconds * 1000);
    if (!started.keepAlive) entry.timer.unref();
  }

  return {
    add(job) {
      if (jobs.has(job.name)) throw new TypeError(`la tarea «${job.name}» ya está registrada`);
      jobs.set(job.name, { job });
      arm(job.name);
    },
    async runAll() {
      for (const [name, entry] of jobs) {
        // A run that began before the caller's change may not see it: wait, then run again.
        await entry.running;
        await runOnce(name);
      }
    },
    start(options = {}) {
      started = options;
      for (const name of jobs.keys()) arm(name);
    },
    async stop() {
      started = undefined;
      for (const entry of jobs.values()) {
        if (entry.timer) clearInterval(entry.timer);
        entry.timer = undefined;
      }
      await Promise.all([...jobs.values()].map((e) => e.running));
    },
    names: () => [...jobs.keys()],
  };
}
