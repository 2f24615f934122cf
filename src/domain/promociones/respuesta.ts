import type { BusinessCalendar } from "../calendar/calendar.ts";
import { termEnd } from "../plazos/notificacion.ts";
import { toZonaCentro } from "../time/zona-centro.ts";

/** What the act a respuesta a requerimiento answers says of its term, when it is received. */
export interface AnsweredTerm {
  /** The act type's plazoRespuestaDiasHabiles (catalogos/actos-anexo-7.json); null: none. */
  plazoRespuestaDiasHabiles: number | null;
  /**
   * Where the act stands: `pendiente` (its aviso counts, not yet notified: unopened and before
   * 09:30 of the fourth business day), `notificada`, or `otro` (cancelled, on estrados).
   */
  stage: "pendiente" | "notificada" | "otro";
  /**
   * When the notification takes effect (CFF 135), a Zona Centro date: once notified, the day
   * it took effect; while pending, the day it would if notified by law on the fourth business
   * day (Lineamientos 7.5), the engine's clock of the unopened act. Null when unknown.
   */
  effectiveOn: string | null;
}

export interface RespuestaTerm {
  plazoDiasHabiles: number | null;
  /** The term's last day on the IMSS calendar; null when unknown. */
  venceEl: string | null;
  /** Whether it was received within the term; null when that cannot be known. */
  enTiempo: boolean | null;
}

/**
 * The term of a respuesta a requerimiento and whether it came in time: `plazoRespuestaDiasHabiles`
 * business days after the notification took effect (termEnd, with CFF 12's extension), compared
 * with the Zona Centro date of `receivedAt`. An answer received before the act is notified is in
 * time whatever its term (the term has not begun); its `venceEl` is the one the act would give
 * notified by law on the fourth business day — the latest it can be, as opening the act earlier
 * would bring it forward.
 */
export function respuestaTermOf(
  calendar: BusinessCalendar,
  act: AnsweredTerm,
  receivedAt: Temporal.Instant,
): RespuestaTerm {
  const days = act.plazoRespuestaDiasHabiles;
  if (days === null || act.stage === "otro") {
    return { plazoDiasHabiles: days, venceEl: null, enTiempo: null };
  }
  const due =
    act.effectiveOn === null
      ? null
      : termEnd(calendar, Temporal.PlainDate.from(act.effectiveOn), days, new Set()).date;
  if (act.stage === "pendiente") {
    return { plazoDiasHabiles: days, venceEl: due?.toString() ?? null, enTiempo: true };
  }
  if (due === null) return { plazoDiasHabiles: days, venceEl: null, enTiempo: null };
  const receivedOn = toZonaCentro(receivedAt).toPlainDate();
  return {
    plazoDiasHabiles: days,
    venceEl: due.toString(),
    enTiempo: Temporal.PlainDate.compare(receivedOn, due) <= 0,
  };
}
