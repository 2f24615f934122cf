import { formatInstant, spanishInstant } from "../time/zona-centro.ts";
import { type ExplanationStep, RULES_VERSION, step } from "./rules.ts";

export const VALIDATION_HOURS = 72;

export interface ValidacionResult {
  registeredAt: string;
  expiresAt: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/**
 * Rule g (Lineamientos 5.2): contact means must be confirmed within 72 hours of registration.
 * These are clock hours, business or not: elapsed time, not a count of days.
 */
export function computeValidacion(registeredAt: Temporal.Instant): ValidacionResult {
  const expiresAt = registeredAt.add({ hours: VALIDATION_HOURS });
  return {
    registeredAt: formatInstant(registeredAt),
    expiresAt: formatInstant(expiresAt),
    rulesVersion: RULES_VERSION,
    explanation: [
      step(
        "validacion_medios",
        // A person reads it (the registration's answer, the calculator): hh:mm, floored, so the
        // deadline is never shown later than it is; registeredAt/expiresAt keep the instant.
        `Registrados el ${spanishInstant(registeredAt, "minute")}; deben confirmarse dentro de ${VALIDATION_HOURS} horas naturales, a más tardar el ${spanishInstant(expiresAt, "minute")}. Si no, el registro se cancela y debe hacerse de nuevo.`,
      ),
    ],
  };
}
