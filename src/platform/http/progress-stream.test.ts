import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { streamProgress, wantsProgress } from "./progress-stream.ts";

/** A batch that counts three items, then ends as `end` says. */
function appWith(end: "ok" | "coded" | "bug") {
  const app = Fastify();
  app.post("/lote", async (request, reply) => {
    if (!wantsProgress(request)) return { plain: true };
    return streamProgress(request, reply, async (onProgress: (c: { done: number }) => void) => {
      const counts = { done: 0 };
      for (let i = 0; i < 3; i++) {
        counts.done++;
        onProgress(counts);
      }
      if (end === "coded") throw new AppError("unavailable", "El padrón no responde.");
      if (end === "bug") throw new TypeError("x is undefined");
      return { results: [1, 2, 3] };
    });
  });
  return app;
}

const lines = (body: string) =>
  body
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("a batch's progress as NDJSON", () => {
  it("writes the first and the last counts (copies, not the live object) and then the body", async () => {
    const response = await appWith("ok").inject({
      method: "POST",
      url: "/lote",
      headers: { accept: "application/x-ndjson" },
    });
    expect(response.statusCode).toBe(200);
    // The second count falls inside the quarter second: skipped; the last is always written.
    expect(lines(response.body)).toEqual([
      { progreso: { done: 1 } },
      { progreso: { done: 3 } },
      { resultado: { results: [1, 2, 3] } },
    ]);
  });

  it("ends with the problem when the batch stops: a coded error its own, a bug as internal", async () => {
    const coded = await appWith("coded").inject({
      method: "POST",
      url: "/lote",
      headers: { accept: "application/x-ndjson" },
    });
    expect(lines(coded.body).at(-1)).toEqual({
      error: expect.objectContaining({
        status: 503,
        code: "unavailable",
        detail: "El padrón no responde.",
        instance: "/lote",
      }),
    });
    const bug = await appWith("bug").inject({
      method: "POST",
      url: "/lote",
      headers: { accept: "application/x-ndjson" },
    });
    const last = lines(bug.body).at(-1);
    expect(last.error).toMatchObject({ status: 500, code: "internal" });
    // Never the exception's own words.
    expect(JSON.stringify(last)).not.toContain("undefined");
  });

  it("answers as before without that Accept (or with another type)", async () => {
    for (const accept of [undefined, "application/json", "application/x-ndjsonx"]) {
      const response = await appWith("ok").inject({
        method: "POST",
        url: "/lote",
        ...(accept ? { headers: { accept } } : {}),
      });
      expect(response.json()).toEqual({ plain: true });
    }
  });
});
