import type { ActionFunctionArgs } from "react-router";
import { api, problemOf } from "../api/client.ts";
import type {
  EmisionResult,
  NotificacionResult,
  ProblemDetails,
  PromocionResult,
  ValidacionResult,
} from "../api/types.ts";
import { zonaCentroInstant } from "../format/dates.ts";
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
  if (Object.keys(errors).length > 0 || instant === undefined) return { status: "invalid", errors };
  const signal = request.signal;
  try {
    switch (kind) {
      case "notificacion":
        return { status: "done", kind, result: await api.notificacion(instant, opened, signal) };
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
