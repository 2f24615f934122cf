import type { FastifyRequest, FastifyServerOptions } from "fastify";
import type { Config } from "./config.ts";

/**
 * Query parameters that are secrets in a URL: an acuse's verification code lets anyone who
 * holds it read the acuse, so it never reaches a log.
 */
const SECRET_QUERY = /([?&](?:codigo|code|token)=)[^&#]*/gi;

/** The URL as logged: secret query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, "$1[oculto]");
}

/**
 * Structured JSON logs. Headers are never logged (the request serializer keeps method, url,
 * host and address only, like Fastify's own); the paths below are redacted if they ever appear,
 * and so are verification codes in URLs.
 */
export function loggerOptions(
  config: Pick<Config, "logLevel">,
  stream?: { write(line: string): void },
): FastifyServerOptions["logger"] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
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
