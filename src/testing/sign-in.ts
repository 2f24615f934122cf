import { expect } from "vitest";
import type { IssuedEfirma } from "../platform/crypto/dev-ca.ts";
import { signLikeTheBrowser } from "./efirma.ts";
import type { TestSystem } from "./server.ts";

/** A signed-in person as HTTP tests hold them: the e.firma, its RFC, session cookie and CSRF token. */
export interface SignedIn {
  efirma: IssuedEfirma;
  rfc: string;
  cookie: string;
  csrf: string;
}

/**
 * The browser's sign-in through HTTP: challenge, signature, session. Asserts each step
 * answered 201 (tests of failing sign-ins call the routes themselves).
 */
export async function signInWith(app: TestSystem["app"], efirma: IssuedEfirma): Promise<SignedIn> {
  const challenge = await app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc: efirma.rfc },
  });
  expect(challenge.statusCode).toBe(201);
  const attempt = challenge.cookies.find((c) => c.name === "buzon_intento")?.value ?? "";
  const { challengeId, toSign } = challenge.json();
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/sesion",
    payload: { challengeId, ...(await signLikeTheBrowser(efirma, toSign)) },
    cookies: { buzon_intento: attempt },
  });
  expect(response.statusCode).toBe(201);
  const cookie = response.cookies.find((c) => c.name === "buzon_sesion")?.value ?? "";
  return { efirma, rfc: efirma.rfc, cookie, csrf: response.json().csrfToken };
}
