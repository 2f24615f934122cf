import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "react-router";
import { authApi, isUnauthenticated, problemOf } from "../api/client.ts";
import { currentSession, forgetSession } from "../api/session.ts";
import { SIGN_IN_FIELDS, SignInError, signIn, validateSignIn } from "../api/signIn.ts";
import type { CurrentSession, ProblemDetails, SessionState, SessionSummary } from "../api/types.ts";
import type { SignInNoticeKind } from "../components/signin/SignInNotice.tsx";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";

/** /acceso with a notice to show (signed out, session ended). */
export function signInPath(notice?: SignInNoticeKind): string {
  return notice ? `/acceso?aviso=${notice}` : "/acceso";
}

/** The root route's data: who is signed in, asked once and kept (see api/session.ts). */
export function rootLoader(): Promise<SessionState> {
  return currentSession();
}

/** The /buzon pages need a session; without one, /acceso says so. */
export async function mailboxLoader(): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session.autenticado) throw redirect(signInPath("sessionEnded"));
  return session;
}

/** A 401 from a mailbox call: the session ended elsewhere (another device, expiry). */
export function sessionEnded(): Response {
  forgetSession();
  return redirect(signInPath("sessionEnded"));
}

/**
 * The session an action acts in (for its CSRF token), or a mailbox page's loader waits for
 * before its own call: loaders run side by side, and without this a page's API call would meet
 * a 401 while the layout's loader is still finding the session gone. Without one, /acceso.
 */
export async function signedInSession(): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session.autenticado) throw sessionEnded();
  return session;
}

export type SignInAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails };

/** The «Mantener la sesión» checkbox's name; unchecked, the session ends with the browser. */
export const KEEP_SIGNED_IN = "mantener";

/** «Validación FIEL»: the files are opened and the challenge signed here, in the browser. */
export async function signInAction({
  request,
}: ActionFunctionArgs): Promise<SignInAnswer | Response> {
  const form = await request.formData();
  const input = {
    rfc: textOf(form, SIGN_IN_FIELDS.rfc),
    certificate: fileOf(form, SIGN_IN_FIELDS.certificate),
    privateKey: fileOf(form, SIGN_IN_FIELDS.privateKey),
    password: textOf(form, SIGN_IN_FIELDS.password),
    remember: form.get(KEEP_SIGNED_IN) === "si",
  };
  const errors = validateSignIn(input);
  if (Object.keys(errors).length > 0) return { status: "invalid", errors };
  try {
    await signIn(input);
  } catch (error) {
    if (error instanceof SignInError && error.field) {
      return { status: "invalid", errors: { [SIGN_IN_FIELDS[error.field]]: error.problem.detail } };
    }
    if (error instanceof SignInError) return { status: "refused", problem: error.problem };
    return { status: "refused", problem: problemOf(error) };
  }
  forgetSession();
  return redirect("/buzon");
}

/** «Salir»: closes this session (already gone is fine) and says so on /acceso. */
export async function signOutAction(): Promise<Response | { problem: ProblemDetails }> {
  const session = await currentSession();
  if (session.autenticado) {
    try {
      await authApi.cerrarSesion(session.csrfToken);
    } catch (error) {
      if (!isUnauthenticated(error)) return { problem: problemOf(error) };
    }
  }
  forgetSession();
  return redirect(signInPath("signedOut"));
}

export type SessionsData = { sessions: SessionSummary[] } | { problem: ProblemDetails };

/** /buzon/sesiones: the person's open sessions. */
export async function sessionsLoader({ request }: LoaderFunctionArgs): Promise<SessionsData> {
  try {
    return await authApi.sesiones(request.signal);
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { problem: problemOf(error) };
  }
}

export type CloseSessionAnswer = { closed: true } | { problem: ProblemDetails };

/** Closes one of the person's sessions; closing this one signs out. */
export async function closeSessionAction({
  request,
}: ActionFunctionArgs): Promise<CloseSessionAnswer | Response> {
  const form = await request.formData();
  const id = textOf(form, "id");
  const session = await currentSession();
  if (!session.autenticado) throw sessionEnded();
  try {
    await authApi.cerrarOtraSesion(id, session.csrfToken);
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { problem: problemOf(error) };
  }
  if (id === session.id) {
    forgetSession();
    return redirect(signInPath("signedOut"));
  }
  return { closed: true };
}
