import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { problemOf } from "../api/client.ts";
import { type DevAuth, devApi } from "../api/mailbox.ts";
import { currentSession } from "../api/session.ts";
import type { DemoClock, DemoClockNotice, DevMessage, ProblemDetails } from "../api/types.ts";
import { type FieldErrors, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { readInstant } from "./calculator.ts";
import { normalizeEmail, normalizePhone } from "./mailbox.ts";

/**
 * The demo's own pages («Bandeja de desarrollo», «Reloj de demostración»). Their API answers
 * only an administrator: the demo's administration token (printed by `serve --demo`, pasted
 * once or opened from the printed link's `#token=…`, kept in this tab's sessionStorage, sent as
 * a bearer token) or an administrator's own e.firma session. The banner on every page reads
 * only the clock's public notice (whether it runs ahead, and its instant).
 */

const TOKEN_KEY = "buzon.token-desarrollo";

/** The administration token kept in this tab, if any. */
export function devToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function keepDevToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the token lasts until the page reloads, as typed.
  }
}

/** The token of a `#token=…` fragment (the link `serve --demo` prints); never sent anywhere. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  return token ? token : undefined;
}

/**
 * Keeps the token of the printed link (`#token=…`) before a dev page's loader asks anything: the
 * loader runs before the page (DevTokenForm then drops the fragment from the address), and an
 * administrator's route asked with the person's session alone is a 403 in the console.
 */
function adoptTokenFromLink(): void {
  const token = typeof window === "undefined" ? undefined : tokenFromHash(window.location.hash);
  if (token) keepDevToken(token);
}

async function sessionAuth(): Promise<DevAuth> {
  const session = await currentSession();
  return session.autenticado ? { csrfToken: session.csrfToken } : {};
}

/** Whether the token this tab kept was refused (and forgotten) while answering a dev page. */
export interface TokenNote {
  tokenRefused: boolean;
}

/**
 * Calls the dev API as the administrator: with the token this tab keeps, else the session. A
 * kept token the server refuses (401: it expired, was revoked, or is from an earlier start) is
 * forgotten and the call made again with the session; `note` says so, for the page to tell.
 */
async function asAdministrator<T>(
  call: (auth: DevAuth) => Promise<T>,
  note: TokenNote,
): Promise<T> {
  const token = devToken();
  if (token) {
    try {
      return await call({ headers: { authorization: `Bearer ${token}` } });
    } catch (error) {
      if (problemOf(error).status !== 401) throw error;
      keepDevToken(undefined);
      note.tokenRefused = true;
    }
  }
  return call(await sessionAuth());
}

const DEMO_KEY = "buzon.demostracion";

/**
 * Whether this origin answered as a demo (`serve --demo`) before. The dev API is 404 on any
 * other server, and a refused request shows in the browser's console, so the banner only asks
 * the demo clock where a dev page has answered once (this is remembered per origin).
 */
export function knownDemo(): boolean {
  try {
    return localStorage.getItem(DEMO_KEY) === "si";
  } catch {
    return false;
  }
}

/** Answered, or refused for want of an administrator: either way the demo's routes exist here. */
const DEMO_ANSWERS = new Set([undefined, 401, 403, 429]);

function rememberDemo(problemStatus?: number): void {
  try {
    if (DEMO_ANSWERS.has(problemStatus)) localStorage.setItem(DEMO_KEY, "si");
    else if (problemStatus === 404) localStorage.removeItem(DEMO_KEY);
  } catch {
    // Without storage the banner shows only on the dev pages themselves.
  }
}

export const TOKEN_FIELD = "token";
export const RECIPIENT_FIELD = "para";

export type DevInboxData =
  /** `missing`: «Buscar» was pressed with no recipient written (`?para=` empty). */
  (
    | { status: "idle"; para: ""; withToken: boolean; missing: boolean }
    | { status: "loaded"; para: string; messages: DevMessage[]; withToken: boolean }
    | { status: "refused"; para: string; problem: ProblemDetails; withToken: boolean }
  ) &
    Partial<TokenNote>;

/** /desarrollo/bandeja?para=…: the messages the loopback sinks received for an address. */
export async function devInboxLoader({ request }: LoaderFunctionArgs): Promise<DevInboxData> {
  const asked = new URL(request.url).searchParams.get(RECIPIENT_FIELD);
  const typed = asked?.trim() ?? "";
  // As the means are kept: a phone as +52 and 10 digits, an e-mail in lower case.
  const para = typed.includes("@") ? normalizeEmail(typed) : (normalizePhone(typed) ?? typed);
  adoptTokenFromLink();
  const withToken = devToken() !== undefined;
  // The API answers one address at a time: nothing to ask until one is written.
  if (para === "") return { status: "idle", para, withToken, missing: asked !== null };
  const note: TokenNote = { tokenRefused: false };
  try {
    const messages = await asAdministrator(
      (auth) => devApi.mensajes(para, auth, request.signal),
      note,
    );
    // Newest first: the code to type is the last one sent.
    const sorted = [...messages].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
    rememberDemo();
    return {
      status: "loaded",
      para,
      messages: sorted,
      withToken: devToken() !== undefined,
      ...note,
    };
  } catch (error) {
    const problem = problemOf(error);
    rememberDemo(problem.status);
    return { status: "refused", para, problem, withToken: devToken() !== undefined, ...note };
  }
}

export type DevTokenAnswer = { status: "invalid"; errors: FieldErrors } | { status: "kept" };

/** «Usar token» and «Olvidar token» on the dev pages. */
export async function devTokenAction({ request }: ActionFunctionArgs): Promise<DevTokenAnswer> {
  const form = await request.formData();
  if (textOf(form, "intent") === "olvidar") {
    keepDevToken(undefined);
    return { status: "kept" };
  }
  const token = textOf(form, TOKEN_FIELD).trim();
  if (token === "") {
    return { status: "invalid", errors: { [TOKEN_FIELD]: es.devTools.errors.tokenMissing } };
  }
  keepDevToken(token);
  return { status: "kept" };
}

export type DemoClockData = (
  | { status: "loaded"; clock: DemoClock; realNow: number; withToken: boolean }
  | { status: "refused"; problem: ProblemDetails; withToken: boolean }
) &
  Partial<TokenNote>;

/** /desarrollo/reloj: the demo clock's instant, beside the real one. */
export async function demoClockLoader({ request }: LoaderFunctionArgs): Promise<DemoClockData> {
  adoptTokenFromLink();
  const note: TokenNote = { tokenRefused: false };
  try {
    const clock = await asAdministrator((auth) => devApi.reloj(auth, request.signal), note);
    rememberDemo();
    return {
      status: "loaded",
      clock,
      realNow: Date.now(),
      withToken: devToken() !== undefined,
      ...note,
    };
  } catch (error) {
    const problem = problemOf(error);
    rememberDemo(problem.status);
    return { status: "refused", problem, withToken: devToken() !== undefined, ...note };
  }
}

/**
 * Where the banner's fetcher reads the clock's public notice: a route with a loader and no page
 * of its own (not in PAGE_PATHS; visited, it is «no encontrada»). A fetcher, so React Router
 * asks again after every action, the clock's «Adelantar» among them.
 */
export const DEMO_CLOCK_NOTICE_ROUTE = "/desarrollo/aviso-reloj";

export type DemoClockNoticeData =
  | { status: "loaded"; notice: DemoClockNotice }
  | { status: "absent" };

/** Whether the demo clock runs ahead (GET /api/v1/demo/reloj: public, demo only). */
export async function demoClockNoticeLoader({
  request,
}: LoaderFunctionArgs): Promise<DemoClockNoticeData> {
  try {
    const notice = await devApi.avisoReloj(request.signal);
    rememberDemo();
    return { status: "loaded", notice };
  } catch (error) {
    rememberDemo(problemOf(error).status);
    return { status: "absent" };
  }
}

/** How far the demo clock runs ahead, in whole minutes: as the server says, else by the browser's. */
export function aheadOf(clock: DemoClock, realNow: number): number {
  if (typeof clock.offsetSeconds === "number") {
    return clock.moved === false ? 0 : Math.floor(clock.offsetSeconds / 60);
  }
  return minutesAhead(clock.now, realNow);
}

/** How far the demo clock runs ahead of the real one, in whole minutes (0 when not moved). */
export function minutesAhead(clockNow: string, realNow: number): number {
  const ahead = Date.parse(clockNow) - realNow;
  return Number.isNaN(ahead) || ahead < 60_000 ? 0 : Math.floor(ahead / 60_000);
}

/** "3 días, 1 hora y 5 minutos" — how far ahead, in words. */
export function describeAhead(minutes: number): string {
  const w = es.demoClock.units;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    days > 0 ? `${days} ${days === 1 ? w.day : w.days}` : "",
    hours > 0 ? `${hours} ${hours === 1 ? w.hour : w.hours}` : "",
    mins > 0 ? `${mins} ${mins === 1 ? w.minute : w.minutes}` : "",
  ].filter(Boolean);
  if (parts.length === 0) return `0 ${w.minutes}`;
  const last = parts.pop() as string;
  return parts.length > 0 ? `${parts.join(", ")} ${w.and} ${last}` : last;
}

/** The quick steps «Adelantar …» offers, in hours. */
export const QUICK_STEPS_HOURS = [24, 72, 73] as const;

export type DemoClockAnswer = (
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "moved"; clock: DemoClock }
) &
  Partial<TokenNote>;

/** The date-and-time group of «Mover a una fecha». */
export const CLOCK_FIELDS = {
  id: "reloj",
  legend: es.demoClock.form.legend,
  date: es.demoClock.form.date,
  time: es.demoClock.form.time,
};

/** The instant to move to: `current` plus some hours, or a typed Zona Centro date and time. */
export function targetOf(form: FormData, current: string, errors: FieldErrors): string | undefined {
  const hours = Number(textOf(form, "horas"));
  if (textOf(form, "horas") !== "") {
    if (!Number.isInteger(hours) || hours <= 0) return undefined;
    return new Date(Date.parse(current) + hours * 3_600_000).toISOString();
  }
  const at = readInstant(form, CLOCK_FIELDS, errors);
  if (at !== undefined && Date.parse(at) <= Date.parse(current)) {
    errors[`${CLOCK_FIELDS.id}-fecha`] = es.demoClock.errors.notForward;
  }
  return Object.keys(errors).length > 0 ? undefined : at;
}

/** «Adelantar»: moves the demo clock forward (the server runs the jobs due by then). */
export async function demoClockAction({ request }: ActionFunctionArgs): Promise<DemoClockAnswer> {
  const form = await request.formData();
  const errors: FieldErrors = {};
  const at = targetOf(form, textOf(form, "actual"), errors);
  if (at === undefined) return { status: "invalid", errors };
  const note: TokenNote = { tokenRefused: false };
  try {
    return {
      status: "moved",
      clock: await asAdministrator((auth) => devApi.moverReloj(at, auth), note),
      ...note,
    };
  } catch (error) {
    return { status: "refused", problem: problemOf(error), ...note };
  }
}
