import { PassThrough } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { problemOfError } from "./problem.ts";
import { NDJSON } from "./schemas.ts";

/** Progress lines are written at most this often (the last counts always). */
const PROGRESS_INTERVAL_MS = 250;

/** Whether the caller asked to follow a batch while it runs (`Accept: application/x-ndjson`). */
export function wantsProgress(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "")
    .split(",")
    .some((value) => value.split(";")[0]?.trim().toLowerCase() === NDJSON);
}

/**
 * Answers a batch as newline-delimited JSON while it runs (issues 11 §1 and 12 §2: the API «with
 * progress and a report»): 200 at once, then `{"progreso": counts}` lines — at most every
 * quarter second, and the final counts — and last `{"resultado": body}`, the very body the
 * batch's 207 carries, or `{"error": problem}` if the batch stopped (what it did is kept: every
 * item is idempotent, so the same request again finishes it). Without that Accept the route
 * answers its 207 as before.
 */
export function streamProgress<C extends object, B>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (onProgress: (counts: C) => void) => Promise<B>,
): FastifyReply {
  const stream = new PassThrough();
  const line = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
  let written = 0;
  let unwritten: C | undefined;
  let latest: C | undefined;
  const onProgress = (counts: C) => {
    latest = { ...counts };
    // The batch keeps counting in the same object: each line is a copy.
    const now = Date.now();
    if (now - written >= PROGRESS_INTERVAL_MS) {
      written = now;
      unwritten = undefined;
      line({ progreso: { ...counts } });
    } else unwritten = { ...counts };
  };
  void run(onProgress)
    .then(
      (body) => {
        if (unwritten) line({ progreso: unwritten });
        line({ resultado: body });
        // The access log says 200 whatever the end: this says how it ended, and whether anyone
        // was still there to read it (the items are done either way; the same request again
        // answers them without doing anything twice).
        request.log.info(
          { progreso: latest ?? null, leido: !request.raw.destroyed },
          "lote terminado",
        );
      },
      (error: unknown) => {
        line({ error: problemOfError(request, error) });
      },
    )
    .finally(() => stream.end());
  return reply.code(200).type(`${NDJSON}; charset=utf-8`).send(stream);
}
