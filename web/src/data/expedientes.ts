import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { clientProblem, isUnauthenticated, problemOf } from "../api/client.ts";
import {
  type ComposeRequest,
  type ComunicadoDetail,
  type ComunicadoItem,
  type ComunicadoPreview,
  comunicadosApi,
  type Documento,
  type DocumentoKinds,
  documentosApi,
  type StaffComunicado,
  type Subdelegaciones,
  type Unread,
} from "../api/expedientes.ts";
import type { ProblemDetails } from "../api/types.ts";
import { zonaCentroInstant } from "../format/dates.ts";
import { type FieldErrors, parseDayMonthYear, parseTime24, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";

/**
 * «Mis documentos» and «Mis comunicados» (issue 12 §2–3), the particular's side, and the staff's
 * composer of comunicados. Filters and pages travel in the address (GET forms), so a list can be
 * bookmarked and the browser's back button works.
 */

export const NEXT_PAGE_PARAM = "antesDe";
export const DOCUMENTO_FILTERS = {
  kind: "tipo",
  period: "periodo",
  registroPatronal: "registro",
} as const;

let kindsCache: Promise<DocumentoKinds> | undefined;

function kinds(signal?: AbortSignal): Promise<DocumentoKinds> {
  kindsCache ??= documentosApi.tipos(signal).catch((error: unknown) => {
    kindsCache = undefined;
    throw error;
  });
  return kindsCache;
}

export type DocumentosData =
  | {
      status: "loaded";
      items: Documento[];
      next: string | null;
      first: boolean;
      kinds: DocumentoKinds["kinds"];
      filters: { kind: string; period: string; registroPatronal: string };
      filtered: boolean;
    }
  | { status: "refused"; problem: ProblemDetails };

const PERIOD = /^\d{4}-\d{2}(-\d{2})?$/;
const REGISTRO = /^[A-Za-z]\d{10}$/;

/** /buzon/documentos — the person's documents, a page at a time, with the filters given. */
export async function documentosLoader({ request }: LoaderFunctionArgs): Promise<DocumentosData> {
  await signedInSession();
  const params = new URL(request.url).searchParams;
  const filters = {
    kind: params.get(DOCUMENTO_FILTERS.kind)?.trim() ?? "",
    period: params.get(DOCUMENTO_FILTERS.period)?.trim() ?? "",
    registroPatronal: params.get(DOCUMENTO_FILTERS.registroPatronal)?.trim().toUpperCase() ?? "",
  };
  const t = es.expedientes.documentos;
  // A malformed filter is said here, in Spanish, instead of the API's 400.
  if (filters.period && !PERIOD.test(filters.period)) {
    return { status: "refused", problem: clientProblem(t.periodInvalid, 400) };
  }
  if (filters.registroPatronal && !REGISTRO.test(filters.registroPatronal)) {
    return { status: "refused", problem: clientProblem(t.registroInvalid, 400) };
  }
  const cursor = params.get(NEXT_PAGE_PARAM) ?? undefined;
  try {
    const [page, catalogue] = await Promise.all([
      documentosApi.lista(
        {
          ...(filters.kind ? { kind: filters.kind } : {}),
          ...(filters.period ? { period: filters.period } : {}),
          ...(filters.registroPatronal ? { registroPatronal: filters.registroPatronal } : {}),
          ...(cursor ? { antesDe: cursor } : {}),
        },
        request.signal,
      ),
      kinds(request.signal),
    ]);
    return {
      status: "loaded",
      items: page.items,
      next: page.next,
      first: cursor === undefined,
      kinds: catalogue.kinds,
      filters,
      filtered: Boolean(filters.kind || filters.period || filters.registroPatronal),
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export const COMUNICADO_FILTER = "ver";
export const COMUNICADO_OPEN = "abierto";
export type ComunicadoFilter = "todos" | "sin_leer" | "leidos";

export type ComunicadosData =
  | {
      status: "loaded";
      items: ComunicadoItem[];
      next: string | null;
      first: boolean;
      filter: ComunicadoFilter;
      open: ComunicadoDetail | null;
    }
  | { status: "refused"; problem: ProblemDetails };

/** /buzon/comunicados — those that reach the person, newest first; `?abierto=` shows one whole. */
export async function comunicadosLoader({ request }: LoaderFunctionArgs): Promise<ComunicadosData> {
  await signedInSession();
  const params = new URL(request.url).searchParams;
  const raw = params.get(COMUNICADO_FILTER);
  const filter: ComunicadoFilter = raw === "sin_leer" || raw === "leidos" ? raw : "todos";
  const cursor = params.get(NEXT_PAGE_PARAM) ?? undefined;
  const openId = params.get(COMUNICADO_OPEN);
  try {
    const [page, open] = await Promise.all([
      comunicadosApi.lista(
        {
          ...(filter === "todos" ? {} : { leido: filter === "leidos" ? "true" : "false" }),
          ...(cursor ? { antesDe: cursor } : {}),
        },
        request.signal,
      ),
      openId ? comunicadosApi.detalle(openId, request.signal) : Promise.resolve(null),
    ]);
    return {
      status: "loaded",
      items: page.items,
      next: page.next,
      first: cursor === undefined,
      filter,
      open,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export const COMUNICADO_ID_FIELD = "comunicado";

export type MarkReadAnswer = { status: "done" } | { status: "refused"; problem: ProblemDetails };

/** «Marcar como leído»: once; the list and the menu's badge revalidate after it. */
export async function comunicadosAction({
  request,
}: ActionFunctionArgs): Promise<MarkReadAnswer | Response> {
  const session = await signedInSession();
  const form = await request.formData();
  try {
    await comunicadosApi.marcarLeido(textOf(form, COMUNICADO_ID_FIELD), session.csrfToken);
    return { status: "done" };
  } catch (error) {
    if (isUnauthenticated(error)) return sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** Data only, for the menu's badge (a fetcher): not a page. */
export const UNREAD_ROUTE = "/buzon-sin-leer";

export type UnreadData = { status: "loaded"; unread: Unread } | { status: "absent" };

export async function unreadLoader({ request }: LoaderFunctionArgs): Promise<UnreadData> {
  try {
    return { status: "loaded", unread: await comunicadosApi.sinLeer(request.signal) };
  } catch {
    // No badge rather than an error on every page: the list says what is wrong.
    return { status: "absent" };
  }
}

/* The staff's composer. */

export const COMPOSE_FIELDS = {
  title: "comunicado-titulo",
  body: "comunicado-texto",
  audience: "comunicado-destinatarios",
  subdelegacion: "comunicado-subdelegacion",
  rfc: "comunicado-rfc",
  sendEmail: "comunicado-correo",
  /** DateTimeFields' prefix: `comunicado-publicar-fecha`, `comunicado-publicar-hora`. */
  when: "comunicado-publicar",
  intent: "intencion",
} as const;

export type StaffComunicadosData =
  | {
      status: "loaded";
      items: StaffComunicado[];
      subdelegaciones: Subdelegaciones;
    }
  | { status: "refused"; problem: ProblemDetails };

/** /personal/comunicados — the composer and the comunicados published and scheduled. */
export async function staffComunicadosLoader({
  request,
}: LoaderFunctionArgs): Promise<StaffComunicadosData> {
  await signedInSession();
  try {
    const [page, subdelegaciones] = await Promise.all([
      comunicadosApi.staffLista(request.signal),
      comunicadosApi.subdelegaciones(request.signal),
    ]);
    return { status: "loaded", items: page.items, subdelegaciones };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export type ComposeAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "preview"; preview: ComunicadoPreview }
  | { status: "published"; comunicado: StaffComunicado };

/** The form as the API takes it, or every field error at once. */
export function composeRequestOf(
  form: FormData,
): { ok: true; body: ComposeRequest } | { ok: false; errors: FieldErrors } {
  const F = COMPOSE_FIELDS;
  const t = es.expedientes.staff;
  const errors: FieldErrors = {};
  const title = textOf(form, F.title).trim();
  const body = textOf(form, F.body).trim();
  const kind = textOf(form, F.audience);
  if (!title) errors[F.title] = t.titleMissing;
  if (!body) errors[F.body] = t.bodyMissing;
  const audience: ComposeRequest["audience"] =
    kind === "rfc"
      ? { kind: "rfc", rfc: textOf(form, F.rfc).trim().toUpperCase() }
      : kind === "subdelegacion"
        ? { kind: "subdelegacion", subdelegacion: textOf(form, F.subdelegacion) }
        : { kind: "general" };
  if (audience.kind === "rfc" && !audience.rfc) errors[F.rfc] = t.rfcMissing;
  if (audience.kind === "subdelegacion" && !audience.subdelegacion) {
    errors[F.subdelegacion] = t.subdelegacionMissing;
  }
  // Both empty: now. Otherwise both, as the notifications' forms take them.
  const dateId = `${F.when}-fecha`;
  const timeId = `${F.when}-hora`;
  const dateText = textOf(form, dateId);
  const timeText = textOf(form, timeId);
  let publishedAt: string | undefined;
  if (dateText.trim() || timeText.trim()) {
    const date = parseDayMonthYear(dateText, t.date);
    const time = parseTime24(timeText, t.time);
    if (!date.ok) errors[dateId] = date.message;
    if (!time.ok) errors[timeId] = time.message;
    if (date.ok && time.ok) publishedAt = zonaCentroInstant(date.value, time.value);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      title,
      body,
      audience,
      sendEmail: form.get(F.sendEmail) === "si",
      ...(publishedAt ? { publishedAt } : {}),
    },
  };
}

export async function staffComunicadosAction({
  request,
}: ActionFunctionArgs): Promise<ComposeAnswer | Response> {
  const session = await signedInSession();
  const form = await request.formData();
  const parsed = composeRequestOf(form);
  if (!parsed.ok) return { status: "invalid", errors: parsed.errors };
  try {
    if (form.get(COMPOSE_FIELDS.intent) === "publicar") {
      return {
        status: "published",
        comunicado: await comunicadosApi.publicar(parsed.body, session.csrfToken),
      };
    }
    return {
      status: "preview",
      preview: await comunicadosApi.vistaPrevia(parsed.body, session.csrfToken),
    };
  } catch (error) {
    if (isUnauthenticated(error)) return sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}
