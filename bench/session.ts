// The browser's e.firma sign-in for benchmarks (src/testing/sign-in.ts does the same with
// vitest's expect, which a plain node script cannot load): challenge, signature, session.
import type { FastifyInstance } from "fastify";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { signLikeTheBrowser } from "../src/testing/efirma.ts";

export interface BenchSession {
  rfc: string;
  cookie: string;
  csrf: string;
}

/** A real session of `efirma` on `app` (its trust anchors must include the test CA). */
export async function signInOverHttp(
  app: Pick<FastifyInstance, "inject">,
  efirma: IssuedEfirma,
): Promise<BenchSession> {
  const desafio = await app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc: efirma.rfc },
  });
  if (desafio.statusCode !== 201) throw new Error(`desafío de acceso: ${desafio.body}`);
  const attempt = desafio.cookies.find((c) => c.name === "buzon_intento")?.value ?? "";
  const { challengeId, toSign } = desafio.json() as { challengeId: string; toSign: string };
  const sesion = await app.inject({
    method: "POST",
    url: "/api/v1/auth/sesion",
    payload: { challengeId, ...(await signLikeTheBrowser(efirma, toSign)) },
    cookies: { buzon_intento: attempt },
  });
  if (sesion.statusCode !== 201) throw new Error(`inicio de sesión: ${sesion.body}`);
  return {
    rfc: efirma.rfc,
    cookie: sesion.cookies.find((c) => c.name === "buzon_sesion")?.value ?? "",
    csrf: (sesion.json() as { csrfToken: string }).csrfToken,
  };
}
