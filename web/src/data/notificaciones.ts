import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { ApiError, isUnauthenticated, problemOf } from "../api/client.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import { efirmaFieldOf, openEfirma, SignInError, validateEfirmaFields } from "../api/signIn.ts";
import type {
  ActType,
  AperturaDone,
  ExplanationStep,
  NotificacionDetail,
  NotificacionSummary,
  ProblemDetails,
} from "../api/types.ts";
import { formatDate, zonaCentroDay } from "../format/dates.ts";
import { type FieldErrors, fileOf, parseDayMonthYear, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";
import { buzonLoader, type MailboxData } from "./mailbox.ts";

/**
 * «Mis notificaciones» (issue 11 §5): the particular's acts, their dates with the reasons the
 * time engine gives, and the opening with the e.firma. Listing and reading never open an act;
 * only the signed apertura notifies (CFF 134-I).
 */

const t = es.notificaciones;

export const TABS = ["pendientes", "notificadas", "todas"] as const;
export type NotificacionesTab = (typeof TABS)[number];

/** The list's filters, by input name (the form is a GET: they live in the address). */
export const FILTER_FIELDS = {
  tab: "ver",
  actType: "tipo",
  from: "desde",
  to: "hasta",
} as const;

export interface NotificacionesFilters {
  tab: NotificacionesTab;
  actType: string;
  /** Inclusive calendar days (AAAA-MM-DD) of the aviso, in Zona Centro. */
  from?: string;
  to?: string;
}

/** Reads the filters from the address: the tab, the act type and the dates (dd/mm/aaaa). */
export function readFilters(params: URLSearchParams): {
  filters: NotificacionesFilters;
  errors: FieldErrors;
} {
  const tab = params.get(FILTER_FIELDS.tab);
  const filters: NotificacionesFilters = {
    tab: TABS.includes(tab as NotificacionesTab) ? (tab as NotificacionesTab) : "pendientes",
    actType: params.get(FILTER_FIELDS.actType) ?? "",
  };
  const errors: FieldErrors = {};
  for (const [key, label] of [
    ["from", t.filters.from],
    ["to", t.filters.to],
  ] as const) {
    const text = params.get(FILTER_FIELDS[key])?.trim() ?? "";
    if (text === "") continue;
    const parsed = parseDayMonthYear(text, label);
    if (parsed.ok) filters[key] = parsed.value;
    else errors[FILTER_FIELDS[key]] = parsed.message;
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors[FILTER_FIELDS.to] = t.filters.toBeforeFrom;
  }
  return { filters, errors };
}

const IN_TAB: Record<NotificacionesTab, (n: NotificacionSummary) => boolean> = {
  pendientes: (n) => n.state === "pendiente" || n.state === "depositada",
  notificadas: (n) => n.state === "notificada",
  todas: () => true,
};

/** The acts of a tab that pass the filters, newest aviso first. */
export function filterNotificaciones(
  list: NotificacionSummary[],
  filters: NotificacionesFilters,
): NotificacionSummary[] {
  return list
    .filter(IN_TAB[filters.tab])
    .filter((n) => filters.actType === "" || n.actType === filters.actType)
    .filter((n) => {
      const day = zonaCentroDay(n.avisoAt ?? n.depositedAt);
      return (!filters.from || day >= filters.from) && (!filters.to || day <= filters.to);
    })
    .sort((a, b) => (b.avisoAt ?? b.depositedAt).localeCompare(a.avisoAt ?? a.depositedAt));
}

/** How many acts each tab holds (before the other filters). */
export function tabCounts(list: NotificacionSummary[]): Record<NotificacionesTab, number> {
  return {
    pendientes: list.filter(IN_TAB.pendientes).length,
    notificadas: list.filter(IN_TAB.notificadas).length,
    todas: list.length,
  };
}

/** What a pending act's days-left badge says, and whether it is the louder last-day one. */
export interface DaysLeftBadgeText {
  text: string;
  last: boolean;
}

/**
 * The days-left badge of a pending act, from what the server counted at the request
 * (`businessDaysLeft`, `openable`, `deemedNotifiedAt`); null when there is nothing to count.
 * With no business day left the period to open has ended only if the server refuses the
 * opening: between the last day to open and the fourth business day (a weekend or a holiday
 * after a Friday third day) it still accepts one, which counts at 09:30 of the fourth business
 * day (rule a; ADR 0002), so the badge says until when instead of «terminó».
 */
export function daysLeftBadge(
  act: Pick<NotificacionSummary, "businessDaysLeft" | "openable" | "deemedNotifiedAt">,
): DaysLeftBadgeText | null {
  const days = act.businessDaysLeft;
  if (days === null) return null;
  if (days <= 0 && act.openable && act.deemedNotifiedAt) {
    return { text: t.openableUntil(formatDate(act.deemedNotifiedAt)), last: true };
  }
  return { text: t.daysLeft(days), last: days <= 1 };
}

let typesCache: Promise<ActType[]> | undefined;

/** The catalogue of annex 7; empty when the server cannot say (the code is shown instead). */
export function actTypes(signal?: AbortSignal): Promise<ActType[]> {
  typesCache ??= notificacionesApi
    .catalogo(signal)
    .then((catalogue) => catalogue.types)
    .catch(() => {
      typesCache = undefined;
      return [];
    });
  return typesCache;
}

/** The act type's name: from the answer, else the catalogue, else its code. */
export function actTypeName(
  n: Pick<NotificacionSummary, "actType"> & { actTypeName?: string | null },
  types: ActType[],
) {
  return n.actTypeName || (types.find((type) => type.id === n.actType)?.name ?? n.actType);
}

export type NotificacionesData =
  | {
      status: "loaded";
      list: NotificacionSummary[];
      shown: NotificacionSummary[];
      counts: Record<NotificacionesTab, number>;
      types: ActType[];
      filters: NotificacionesFilters;
      errors: FieldErrors;
    }
  | { status: "refused"; problem: ProblemDetails };

/** /buzon/notificaciones — the list, filtered by the address. */
export async function notificacionesLoader({
  request,
}: LoaderFunctionArgs): Promise<NotificacionesData> {
  await signedInSession();
  const { filters, errors } = readFilters(new URL(request.url).searchParams);
  try {
    const [list, types] = await Promise.all([
      notificacionesApi.lista(request.signal),
      actTypes(request.signal),
    ]);
    // A refused date filters nothing: the list shows as if that date were empty.
    const shown = filterNotificaciones(list, filters);
    return {
      status: "loaded",
      list,
      shown,
      counts: tabCounts(list),
      types,
      filters,
      errors,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/**
 * The acts still to open, for the mailbox's home card («ábrelas antes de que termine el plazo»):
 * pending and openable now, as the server says (not on the fourth business day before 09:30,
 * when the term is over); none when the server cannot say.
 */
export async function pendingNotificaciones(signal?: AbortSignal): Promise<NotificacionSummary[]> {
  try {
    return (await notificacionesApi.lista(signal)).filter((n) => n.openable);
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return [];
  }
}

/** The dates a notification shows, in order, and the engine's rules that explain each. */
export const DATE_ROWS = [
  { key: "avisoAt", kind: "instant", rules: ["horario_notificacion"] },
  { key: "openBy", kind: "date", rules: ["plazo_apertura"] },
  { key: "deemedNotifiedAt", kind: "instant", rules: ["cuarto_dia"] },
  { key: "notifiedAt", kind: "instant", rules: ["apertura", "cuarto_dia"] },
  { key: "effectiveOn", kind: "date", rules: ["surte_efectos", "conocimiento"] },
  {
    key: "recursoInconformidadBy",
    kind: "date",
    rules: ["recurso_inconformidad", "medios_de_defensa"],
  },
  { key: "juicioNulidadBy", kind: "date", rules: ["juicio_nulidad", "medios_de_defensa"] },
] as const;

export type DateKey = (typeof DATE_ROWS)[number]["key"];

/**
 * Steps that complete the one before them rather than explain a date of their own: the extension
 * to the next business day (CFF art. 12), and the schedule (rule a) applied to an opening.
 */
const FOLLOWERS: readonly string[] = ["prorroga_ultimo_dia", "horario_notificacion"];

/**
 * The steps of the engine's explanation behind one date: the steps of its own rules, and those
 * that follow one of them (FOLLOWERS). The schedule step that opens the explanation is how the
 * deposit gave the aviso its instant (the aviso's row); one after an opening moves the opening's
 * instant (the notification's row).
 */
export function stepsFor(key: DateKey, explanation: ExplanationStep[]): ExplanationStep[] {
  const rules: readonly string[] = DATE_ROWS.find((row) => row.key === key)?.rules ?? [];
  const steps: ExplanationStep[] = [];
  let previousMatched = false;
  explanation.forEach((step, index) => {
    const follower = index > 0 && FOLLOWERS.includes(step.rule);
    const matches = follower ? previousMatched : rules.includes(step.rule);
    if (matches) steps.push(step);
    previousMatched = matches;
  });
  return steps;
}

export type NotificacionData =
  | {
      status: "loaded";
      detail: NotificacionDetail;
      types: ActType[];
    }
  | { status: "refused"; problem: ProblemDetails };

/**
 * /buzon/notificaciones/:id — the act with its dates and the time engine's explanation and
 * warnings (reading it opens nothing); the business days left to open it come with the act.
 */
export async function notificacionLoader({
  request,
  params,
}: LoaderFunctionArgs): Promise<NotificacionData> {
  await signedInSession();
  try {
    const [detail, types] = await Promise.all([
      notificacionesApi.detalle(params.id ?? "", request.signal),
      actTypes(request.signal),
    ]);
    return { status: "loaded", detail, types };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** The opening dialog's inputs, by id (and name). */
export const OPEN_FIELDS = {
  certificate: "apertura-certificado",
  privateKey: "apertura-llave",
  password: "apertura-contrasena",
} as const;

export type AperturaAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "opened"; done: AperturaDone };

/**
 * «Abrir con e.firma»: opens the e.firma here (the session's RFC, or its representative's),
 * asks the server for the text of the opening, signs it and sends certificate and signature.
 * The server notifies the act and issues the acuse de notificación.
 */
export async function aperturaAction({
  request,
  params,
}: ActionFunctionArgs): Promise<AperturaAnswer> {
  const form = await request.formData();
  const files = {
    certificate: fileOf(form, OPEN_FIELDS.certificate),
    privateKey: fileOf(form, OPEN_FIELDS.privateKey),
    password: textOf(form, OPEN_FIELDS.password),
  };
  const errors = validateEfirmaFields(files, OPEN_FIELDS);
  if (Object.keys(errors).length > 0) return { status: "invalid", errors };
  const session = await signedInSession();
  const id = params.id ?? "";
  try {
    // The challenge first: when opening is not possible now (the fourth business day before
    // 09:30, ADR 0002; an act cancelled meanwhile) the server says why before the key is opened.
    const challenge = await notificacionesApi.desafioApertura(id, session.csrfToken);
    // A persona moral opens with its representative's e.firma, whose certificate names the
    // company's RFC first; the server checks who may open.
    const efirma = await openEfirma(
      {
        certificate: files.certificate as File,
        privateKey: files.privateKey as File,
        password: files.password,
      },
      session.rfc,
      (certificateRfc) => t.open.errors.notSessionEfirma(certificateRfc, session.rfc),
    );
    const signature = await efirma.sign(challenge.toSign);
    const done = await notificacionesApi.abrir(
      id,
      { challengeId: challenge.challengeId, certificate: efirma.certificate, signature },
      session.csrfToken,
    );
    return { status: "opened", done };
  } catch (error) {
    if (error instanceof SignInError) {
      const field = efirmaFieldOf(error, OPEN_FIELDS);
      if (field) return { status: "invalid", errors: { [field]: error.problem.detail } };
      return { status: "refused", problem: error.problem };
    }
    if (isUnauthenticated(error)) throw sessionEnded();
    if (error instanceof ApiError) return { status: "refused", problem: error.problem };
    return { status: "refused", problem: problemOf(error) };
  }
}

/** /buzon — the mailbox, and the acts pending to open for the next-step card. */
export type MailboxHomeData = MailboxData & { pending: NotificacionSummary[] };

export async function mailboxHomeLoader(args: LoaderFunctionArgs): Promise<MailboxHomeData> {
  // The mailbox first: it checks the session without a refused request, and sends someone
  // whose session ended to sign in again before the acts are asked for (a 401 in the console).
  const mailbox = await buzonLoader(args);
  const pending = await pendingNotificaciones(args.request.signal);
  return { ...mailbox, pending };
}
