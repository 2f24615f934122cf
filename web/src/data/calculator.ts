import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { api, problemOf } from "../api/client.ts";
import type {
  EmisionResult,
  ExplanationStep,
  NotificacionQuery,
  NotificacionResult,
  PlazoWarning,
  ProblemDetails,
  PromocionResult,
  ValidacionResult,
} from "../api/types.ts";
import { formatDate, formatInstant, zonaCentroInstant } from "../format/dates.ts";
import { type FieldErrors, parseDayMonthYear, parseTime24, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";

/**
 * The calculator's action: each tab's form posts here through its own fetcher (field
 * `tipo`); the answer is the result, the API's refusal, or every field error at once.
 */

export const CALCULATIONS = ["notificacion", "promocion", "emision", "validacion"] as const;
export type Calculation = (typeof CALCULATIONS)[number];

export type CalculatorAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "done"; kind: "notificacion"; result: NotificacionResult }
  | { status: "done"; kind: "promocion"; result: PromocionResult }
  | { status: "done"; kind: "emision"; result: EmisionResult }
  | { status: "done"; kind: "validacion"; result: ValidacionResult };

/** The notification tab's options besides its instants: names of their inputs. */
export const OPTION_FIELDS = {
  sinMediosDeDefensa: "sin-medios-de-defensa",
  conocimiento: "conocimiento",
  calendarioTfja: "calendario-tfja",
} as const;

/** The value the «sin medios de defensa» check box sends when checked. */
export const CHECKED = "si";

/**
 * Reads the notification's options: the check box, the optional date of declared knowledge
 * (dd/mm/aaaa, CFF art. 135 ¶2) and the TFJA calendar version (empty: the one in force),
 * adding a malformed date to `errors`. Only what was given goes into the query.
 */
export function readNotificacionOptions(
  form: FormData,
  errors: FieldErrors,
): Pick<NotificacionQuery, "sinMediosDeDefensa" | "conocimiento" | "calendarioTfja"> {
  const options: Pick<NotificacionQuery, "sinMediosDeDefensa" | "conocimiento" | "calendarioTfja"> =
    {};
  if (textOf(form, OPTION_FIELDS.sinMediosDeDefensa) === CHECKED) options.sinMediosDeDefensa = true;
  const known = textOf(form, OPTION_FIELDS.conocimiento);
  if (known.trim() !== "") {
    const date = parseDayMonthYear(known, c.notificacion.conocimiento);
    if (date.ok) options.conocimiento = date.value;
    else errors[OPTION_FIELDS.conocimiento] = date.message;
  }
  const version = textOf(form, OPTION_FIELDS.calendarioTfja).trim();
  if (version !== "") options.calendarioTfja = version;
  return options;
}

/** The page's data: the TFJA calendar versions a person may choose (none when unknown). */
export interface CalculatorData {
  tfjaVersions: string[];
}

/**
 * /calculadora — the TFJA calendar's versions, for the juicio de nulidad. The page works
 * without them (the API uses the one in force), so a failure only hides the choice.
 */
export async function calculatorLoader({ request }: LoaderFunctionArgs): Promise<CalculatorData> {
  try {
    const { versions } = await api.versionesCalendario("TFJA", request.signal);
    return { tfjaVersions: versions.map((v) => v.version) };
  } catch {
    return { tfjaVersions: [] };
  }
}

/** One date-and-time group of a form: the prefix of its inputs and its Spanish labels. */
export interface InstantFields {
  id: string;
  legend: string;
  date: string;
  time: string;
}

const c = es.calculator;

/** The date-and-time groups of each calculation, in the order of the form. */
export const INSTANT_FIELDS = {
  notificacion: [
    {
      id: "aviso",
      legend: c.notificacion.avisoLegend,
      date: c.notificacion.avisoDate,
      time: c.notificacion.avisoTime,
    },
    {
      id: "apertura",
      legend: c.notificacion.openedLegend,
      date: c.notificacion.openedDate,
      time: c.notificacion.openedTime,
    },
  ],
  promocion: [{ id: "envio", ...c.promocion }],
  emision: [{ id: "acto", ...c.emision }],
  validacion: [{ id: "registro", ...c.validacion }],
} satisfies Record<Calculation, InstantFields[]>;

/**
 * Reads one date-and-time group into a Zona Centro instant, adding its errors to `errors`.
 * An optional group left empty is undefined; half filled, it is an error.
 */
export function readInstant(
  form: FormData,
  fields: InstantFields,
  errors: FieldErrors,
  optional = false,
): string | undefined {
  const dateId = `${fields.id}-fecha`;
  const timeId = `${fields.id}-hora`;
  const dateText = textOf(form, dateId);
  const timeText = textOf(form, timeId);
  if (optional && dateText.trim() === "" && timeText.trim() === "") return undefined;
  const date = parseDayMonthYear(dateText, fields.date);
  const time = parseTime24(timeText, fields.time);
  if (!date.ok) errors[dateId] = date.message;
  if (!time.ok) errors[timeId] = time.message;
  return date.ok && time.ok ? zonaCentroInstant(date.value, time.value) : undefined;
}

export async function calculatorAction({ request }: ActionFunctionArgs): Promise<CalculatorAnswer> {
  const form = await request.formData();
  const kind = textOf(form, "tipo") as Calculation;
  if (!CALCULATIONS.includes(kind)) {
    return { status: "refused", problem: problemOf(new Error("tipo desconocido")) };
  }
  const errors: FieldErrors = {};
  const [first, second] = INSTANT_FIELDS[kind];
  const instant = readInstant(form, first!, errors);
  const opened = second ? readInstant(form, second, errors, true) : undefined;
  const options = kind === "notificacion" ? readNotificacionOptions(form, errors) : {};
  if (Object.keys(errors).length > 0 || instant === undefined) return { status: "invalid", errors };
  const signal = request.signal;
  try {
    switch (kind) {
      case "notificacion":
        return {
          status: "done",
          kind,
          result: await api.notificacion({ aviso: instant, abierto: opened, ...options }, signal),
        };
      case "promocion":
        return { status: "done", kind, result: await api.promocion(instant, signal) };
      case "emision":
        return { status: "done", kind, result: await api.emision(instant, signal) };
      case "validacion":
        return { status: "done", kind, result: await api.validacion(instant, signal) };
    }
  } catch (error) {
    return { status: "refused", problem: problemOf(error) };
  }
}

/** A label and its value in Spanish, as the result's definition lists show them. */
export interface LabelledValue {
  label: string;
  value: string;
}

/**
 * The dates a warning's other reading would give, only those that differ from the result's:
 * a person compares the two at a glance. None when the warning has no other reading.
 */
/** The dates a warning's other reading is compared with, and the warnings themselves. */
export type ReadingDates = Pick<NotificacionResult, "warnings"> & {
  [K in "notifiedAt" | "effectiveOn" | "recursoInconformidadBy" | "juicioNulidadBy"]: string | null;
};

export function otherReadingRows(warning: PlazoWarning, result: ReadingDates): LabelledValue[] {
  const other = warning.otherReading;
  if (!other) return [];
  const labels = c.notificacion.labels;
  const rows: LabelledValue[] = [];
  if (other.notifiedAt !== result.notifiedAt) {
    rows.push({ label: labels.notifiedAt, value: formatInstant(other.notifiedAt) });
  }
  const dates = [
    ["effectiveOn", labels.effectiveOn],
    ["recursoInconformidadBy", labels.recursoInconformidadBy],
    ["juicioNulidadBy", labels.juicioNulidadBy],
  ] as const;
  for (const [key, label] of dates) {
    if (other[key] !== result[key]) rows.push({ label, value: formatDate(other[key]) });
  }
  return rows;
}

/**
 * One «Fundamento» per step: a step that skipped days ends its text with the days' own sources
 * («… Fundamento: Acuerdo …; CFF art. 12.»), and the page prints the rule's basis under it.
 * Both go on one line, the rule's basis first, each source once.
 */
export function stepWithOneBasis(step: ExplanationStep): { text: string; basis: string } {
  const match = / Fundamento: (.*)\.$/s.exec(step.text);
  if (!match) return { text: step.text, basis: step.basis };
  const parts = [step.basis, ...match[1]!.split("; ")];
  return {
    text: step.text.slice(0, match.index),
    basis: [...new Set(parts)].join("; "),
  };
}
