import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "kysely";
import type { Db } from "../db/schema.ts";

/**
 * Runs a job in at most one process at a time among all those sharing the database. A process
 * takes the job's lease (a row in job_leases) when nobody holds it or the holder's has expired,
 * runs the job with no transaction open — it may wait on the network — and gives it back. The
 * database's clock decides expiry, so processes on other machines agree. Both engines alike.
 */
export function createJobLeases(db: Db, holder = `${hostname()}:${process.pid}:${randomUUID()}`) {
  async function take(job: string, seconds: number): Promise<boolean> {
    const { rows } = await sql<{ holder: string }>`
      insert into job_leases (job, holder, expires_at)
      values (${job}, ${holder}, now() + make_interval(secs => ${seconds}))
      on conflict (job) do update
        set holder = excluded.holder, expires_at = excluded.expires_at
        where job_leases.expires_at < now() or job_leases.holder = excluded.holder
      returning holder
    `.execute(db);
    return rows.length === 1;
  }

  async function give(job: string): Promise<void> {
    await db.deleteFrom("job_leases").where("job", "=", job).where("holder", "=", holder).execute();
  }

  return {
    holder,
    /**
     * Runs `work` if this process gets the lease of `job` for `seconds` (longer than the job can
     * take: past it another process may start the same job); else answers `undefined` at once.
     */
    async run<T>(job: string, seconds: number, work: () => Promise<T>): Promise<T | undefined> {
      if (!(await take(job, seconds))) return undefined;
      try {
        return await work();
      } finally {
        await give(job);
      }
    },
  };
}

export type JobLeases = ReturnType<typeof createJobLeases>;
