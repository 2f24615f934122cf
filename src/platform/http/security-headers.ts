import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/** A year: what browsers' HSTS preload lists ask for. */
const HSTS_SECONDS = 365 * 24 * 3600;

/**
 * The Content-Security-Policy of every answer, pages, API and API docs alike. The site loads
 * nothing foreign and the built app has no inline script or style, so everything is 'self';
 * `data:` images are the favicon placeholder and Swagger UI's icons. No page may frame ours
 * (clickjacking a signature is the attack to stop).
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[] | null> {
  return {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "script-src": ["'self'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],
    // Over plain http (the demo on 127.0.0.1) an upgrade would point the page at nothing.
    "upgrade-insecure-requests": https ? [] : null,
  };
}

/**
 * Security headers on every answer (helmet): CSP, X-Frame-Options DENY, nosniff, no referrer,
 * and HSTS when the site is served over https (its public address says so).
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicy(options.https),
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: options.https
      ? { maxAge: HSTS_SECONDS, includeSubDomains: true }
      : false,
  });
}

/**
 * Swagger UI (the API docs) sets inline styles as it renders; scripts stay the site's own files.
 * Only its routes get this, through the plugin's `transformStaticCSP`.
 */
export function relaxStylesForApiDocs(header: string): string {
  return header.replace(/style-src 'self'(?=;|$)/, "style-src 'self' 'unsafe-inline'");
}
