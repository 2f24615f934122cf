export { businessDaysLeftToOpen } from "./days-left.ts";
export {
  computeEstrados,
  ESTRADOS_PUBLICATION_DAYS,
  type EstradosOptions,
  type EstradosResult,
} from "./estrados.ts";
export { computeHabilitacion, type HabilitacionResult } from "./habilitacion.ts";
export { notificationInstant } from "./horario.ts";
export {
  computeEmision,
  computeNotificacion,
  type EmisionResult,
  type NotificacionInput,
  type NotificacionResult,
} from "./notificacion.ts";
export { computePromocion, type PromocionResult } from "./promocion.ts";
export { type ExplanationStep, RULES, RULES_VERSION, type RuleId } from "./rules.ts";
export { computeValidacion, type ValidacionResult } from "./validacion.ts";
