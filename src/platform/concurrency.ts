import { CodedError, type CodedErrorOptions } from "../domain/errors.ts";

export type BusyErrorCode = "busy";

/** What the person reads when the limiter says no, unless its owner says it better. */
const BUSY_DETAIL = "El servicio está ocupado. Intenta de nuevo en unos segundos.";

/** Why a task was not run: too many were waiting, or it waited too long (503 for HTTP). */
export class BusyError extends CodedError<BusyErrorCode> {
  constructor(detail: string = BUSY_DETAIL, options?: CodedErrorOptions) {
    super("busy", detail, options);
  }
}

export interface LimiterOptions {
  /** Tasks running at once. */
  running: number;
  /** Tasks allowed to wait for a turn; one more is refused at once. */
  waiting: number;
  /** How long a task may wait for its turn before it is refused. */
  waitMs: number;
  /** The refusal's Spanish detail, for the person who asked (what was busy, what to do). */
  busyDetail?: string;
}

/**
 * Runs at most `running` tasks at once; the next ones wait in order, within bounds (a full
 * queue, or a turn that does not come in time, is a {@link BusyError}, not an unbounded pile of
 * requests holding their bodies). A finished task hands its slot straight to the next waiter,
 * so no newcomer can slip in between.
 */
export function createLimiter(options: LimiterOptions) {
  let active = 0;
  const queue: { start(): void }[] = [];
  return async function run<T>(work: () => Promise<T>): Promise<T> {
    if (active < options.running) {
      active++;
    } else {
      if (queue.length >= options.waiting)
        throw new BusyError(options.busyDetail, { internal: "cola llena" });
      await new Promise<void>((resolve, reject) => {
        const entry = {
          start() {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(entry), 1);
          reject(new BusyError(options.busyDetail, { internal: "espera agotada" }));
        }, options.waitMs);
        queue.push(entry);
      });
      // The slot was handed over by the task that finished: `active` already counts it.
    }
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next.start();
      else active--;
    }
  };
}
