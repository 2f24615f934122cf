import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../domain/errors.ts";
import { formatInstant } from "../domain/time/zona-centro.ts";
import { type Clock, systemClock } from "./clock.ts";

/**
 * The demonstration's clock (`serve --demo` only): the real time plus an offset an
 * administrator moves forward, to show what happens 72 hours or four business days later.
 * The offset is kept in a file, so a restart does not take time back; it only grows, so
 * nothing recorded can end up in the future of the clock.
 */
export function createDemoClock(file: string, base: Clock = systemClock) {
  let offsetMs = 0;
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { offsetMs?: unknown };
    if (typeof saved.offsetMs === "number" && Number.isFinite(saved.offsetMs) && saved.offsetMs > 0)
      offsetMs = saved.offsetMs;
  } catch {
    // No file yet (or a damaged one): the real time.
  }
  const clock: Clock = () => base().add({ milliseconds: offsetMs });
  return {
    /** The business clock: deadlines, the 72 hours, jobs, acuse instants. */
    clock,
    /**
     * The real clock under it: security lifetimes (sessions, API tokens, sign-in challenges,
     * revocation answers) are measured on it, so moving the demo forward signs nobody out.
     */
    real: base,
    /** Whether the clock is ahead of the real time (the web shows a banner). */
    moved: () => offsetMs > 0,
    offsetSeconds: () => Math.floor(offsetMs / 1000),
    /** Moves the clock to `at`; refuses to go back. */
    moveTo(at: Temporal.Instant): Temporal.Instant {
      const now = clock();
      if (Temporal.Instant.compare(at, now) < 0) {
        throw new AppError(
          "validation",
          `El reloj de demostración solo avanza: ${formatInstant(at)} es anterior a la hora actual del sistema (${formatInstant(now)}).`,
          { pointer: "/at" },
        );
      }
      offsetMs += at.epochMilliseconds - now.epochMilliseconds;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs }), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return clock();
    },
  };
}

export type DemoClock = ReturnType<typeof createDemoClock>;
