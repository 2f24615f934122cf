import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { loggerOptions } from "./log.ts";

describe("loggerOptions", () => {
  it("writes one JSON line per request and its answer, with the request id", async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: loggerOptions({ logLevel: "info" }, { write: (line) => lines.push(line) }),
    });
    app.get("/readyz", async () => ({ ok: true }));
    try {
      await app.inject({ url: "/readyz" });
    } finally {
      await app.close();
    }
    const logged = lines.map((line) => JSON.parse(line));
    const incoming = logged.find((l) => l.req?.url === "/readyz");
    expect(incoming?.reqId).toBeTruthy();
    expect(logged.find((l) => l.res?.statusCode === 200)?.reqId).toBe(incoming?.reqId);
  });

  it("writes nothing for requests at the demo's level (warn)", async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: loggerOptions({ logLevel: "warn" }, { write: (line) => lines.push(line) }),
    });
    app.get("/readyz", async () => ({ ok: true }));
    try {
      await app.inject({ url: "/readyz" });
    } finally {
      await app.close();
    }
    expect(lines).toEqual([]);
  });
});
