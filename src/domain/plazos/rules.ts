import type { NonBusinessDay } from "../calendar/cff-holidays.ts";

/**
 * The version of the rule set below. Bump it (and keep the old behaviour reachable) whenever a
 * rule changes, so a date computed under the old rules can still be explained.
 */
export const RULES_VERSION = "lineamientos-2024-08-06";

/** Every rule the engine applies, with its legal basis. Stored in results: renaming is a migration. */
export const RULES = {
  horario_notificacion: {
    basis: "Lineamientos 7.2; CFF arts. 12, 13 y 134-I",
    summary:
      "Las notificaciones se hacen de 09:30 a 18:00 (Zona Centro) en días hábiles; fuera de ese horario se tienen por hechas a las 09:30 del día hábil siguiente.",
  },
  plazo_apertura: {
    basis: "Lineamientos 7.4; CFF art. 134-I",
    summary:
      "Tres días hábiles para abrir el documento, contados a partir del día hábil siguiente al envío del aviso.",
  },
  cuarto_dia: {
    basis: "Lineamientos 7.5 y 7.6; CFF art. 134-I",
    summary:
      "Si no se abre, la notificación se tiene por hecha al cuarto día hábil, contado igual que el plazo de apertura.",
  },
  apertura: {
    basis: "Lineamientos 7.4 y 7.5; CFF art. 134-I",
    summary:
      "Si se abre antes, la notificación queda hecha en el momento de la apertura, ajustado al horario de notificación.",
  },
  surte_efectos: {
    basis: "CFF art. 135",
    summary: "La notificación surte efectos el día hábil siguiente a aquel en que fue hecha.",
  },
  recurso_inconformidad: {
    basis: "LSS art. 294; Reglamento del Recurso de Inconformidad art. 6",
    summary:
      "15 días hábiles, contados a partir del día hábil siguiente a aquel en que surte efectos la notificación.",
  },
  juicio_nulidad: {
    basis: "LFPCA art. 13, fracción I, inciso a)",
    summary:
      "30 días hábiles, contados a partir del día hábil siguiente a aquel en que surte efectos la notificación.",
  },
  recepcion_promocion: {
    basis: "Lineamientos 6.3",
    summary:
      "Las promociones se reciben de 00:00 a 23:59; en día inhábil se tienen por recibidas a la primera hora (00:00) del día hábil siguiente.",
  },
  validacion_medios: {
    basis: "Lineamientos 5.2",
    summary:
      "Los medios de contacto deben confirmarse dentro de las 72 horas siguientes a su registro.",
  },
  habilitacion: {
    basis: "Lineamientos, transitorio primero",
    summary:
      "180 días naturales para habilitar el Buzón IMSS, contando el día de entrada en vigor.",
  },
  conservacion: {
    basis: "Lineamientos 6.1 y 7.7",
    summary: "Acuses y notificaciones se pueden consultar e imprimir durante 5 años.",
  },
} as const;

export type RuleId = keyof typeof RULES;

/** One step of an explanation: which rule, what it did, and which days it stepped over. */
export interface ExplanationStep {
  rule: RuleId;
  basis: string;
  text: string;
  skippedDays: NonBusinessDay[];
}

export function step(
  rule: RuleId,
  text: string,
  skippedDays: NonBusinessDay[] = [],
): ExplanationStep {
  return { rule, basis: RULES[rule].basis, text, skippedDays };
}
