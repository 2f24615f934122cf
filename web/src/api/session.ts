import { authApi } from "./client.ts";
import type { SessionState } from "./types.ts";

/**
 * The signed-in session, asked for once per page load (GET /api/v1/auth/sesion answers 200
 * whether or not someone is signed in) and kept until something changes it: signing in or out,
 * closing this session, or an API call finding it ended. Loaders read it; nothing else probes.
 */
let current: Promise<SessionState> | undefined;

const SIGNED_OUT: SessionState = { autenticado: false };

export function currentSession(): Promise<SessionState> {
  current ??= authApi.sesion().catch(() => {
    // Without an answer the site still works, as for someone not signed in; ask again later.
    current = undefined;
    return SIGNED_OUT;
  });
  return current;
}

/** The session changed (signed in, signed out, found ended): the next loader asks again. */
export function forgetSession(): void {
  current = undefined;
}
