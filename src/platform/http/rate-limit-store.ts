import type { FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import { sql } from "kysely";
import type { Db } from "../db/schema.ts";

/** What @fastify/rate-limit hands a store's `incr` and `read` callbacks. */
interface Count {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, count?: Count) => void;

/** A limit's options as @fastify/rate-limit passes them to `child`. */
interface LimitParams {
  groupId?: string;
  routeInfo?: { method?: string | string[]; url?: string };
}

/** Where counts live: this process's memory, or a table every process shares. */
export interface Counters {
  incr(key: string, windowMs: number): Promise<Count>;
  read(key: string): Promise<Count>;
}

/**
 * A @fastify/rate-limit store whose limits share one set of counters, named by the limit: a
 * `groupId` (sign-in's challenge and session count together), else the route. On PostgreSQL
 * the counters are a table, so every process counts against the same budget; PGlite is one
 * process, and keeps them in memory.
 */
export function rateLimitStore(counters: Counters) {
  const storeFor = (namespace: string) => ({
    incr(key: string, callback: Callback, timeWindow: number) {
      counters.incr(`${namespace}|${key}`, timeWindow).then(
        (count) => callback(null, count),
        (error: Error) => callback(error),
      );
    },
    read(key: string, callback: Callback) {
      counters.read(`${namespace}|${key}`).then(
        (count) => callback(null, count),
        (error: Error) => callback(error),
      );
    },
    child(params: LimitParams) {
      const route = params.routeInfo;
      return storeFor(
        params.groupId ?? (route?.url ? `${String(route.method)} ${route.url}` : "limite"),
      );
    },
  });
  // The plugin instantiates the store class it is given with its global options.
  const global = storeFor("global");
  return function store() {
    return global;
  } as unknown as FastifyRateLimitStoreCtor;
}

/** Counters in this process's memory (PGlite, tests). */
export function memoryCounters(): Counters {
  const counts = new Map<string, { hits: number; endsAt: number }>();
  return {
    async incr(key, windowMs) {
      const now = Date.now();
      let entry = counts.get(key);
      if (!entry || entry.endsAt <= now) {
        entry = { hits: 0, endsAt: now + windowMs };
        counts.set(key, entry);
        // Keep the map small: drop windows that ended.
        if (counts.size > 10_000) {
          for (const [k, v] of counts) if (v.endsAt <= now) counts.delete(k);
        }
      }
      entry.hits++;
      return { current: entry.hits, ttl: entry.endsAt - now };
    },
    async read(key) {
      const entry = counts.get(key);
      const now = Date.now();
      if (!entry || entry.endsAt <= now) return { current: 0, ttl: 0 };
      return { current: entry.hits, ttl: entry.endsAt - now };
    },
  };
}

/**
 * Counters in the rate_limit_counters table, one atomic statement per hit, timed by the
 * database's clock so every process agrees on when a window ends.
 */
export function tableCounters(db: Db): Counters {
  let hitsSinceSweep = 0;
  return {
    async incr(key, windowMs) {
      const { rows } = await sql<{ hits: number; ttl: number }>`
        insert into rate_limit_counters as c (key, hits, window_ends_at)
        values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
        on conflict (key) do update set
          hits = case when c.window_ends_at <= now() then 1 else c.hits + 1 end,
          window_ends_at = case
            when c.window_ends_at <= now() then excluded.window_ends_at
            else c.window_ends_at
          end
        returning hits, (extract(epoch from (window_ends_at - now())) * 1000)::float8 as ttl
      `.execute(db);
      if (++hitsSinceSweep >= 1000) {
        hitsSinceSweep = 0;
        await sql`delete from rate_limit_counters where window_ends_at < now()`.execute(db);
      }
      const row = rows[0] ?? { hits: 1, ttl: windowMs };
      return { current: row.hits, ttl: Math.max(0, row.ttl) };
    },
    async read(key) {
      const { rows } = await sql<{ hits: number; ttl: number }>`
        select hits, (extract(epoch from (window_ends_at - now())) * 1000)::float8 as ttl
        from rate_limit_counters where key = ${key} and window_ends_at > now()
      `.execute(db);
      const row = rows[0];
      return row ? { current: row.hits, ttl: row.ttl } : { current: 0, ttl: 0 };
    },
  };
}
