import type { FastifyServerOptions } from "fastify";
import type { Config } from "./config.ts";

/**
 * Structured JSON logs. Headers are never logged (Fastify's default request serializer keeps
 * method, url, host and address only); the paths below are redacted if they ever appear.
 */
export function loggerOptions(config: Pick<Config, "logLevel">): FastifyServerOptions["logger"] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "headers.cookie",
        "*.password",
        "*.token",
        "*.privateKey",
      ],
      censor: "[oculto]",
    },
  };
}
