import { CodedError } from "../errors.ts";

/**
 * A promoción's life as a projection of its append-only events (issue 12 §1): `recibida` when
 * filed (its acuse), `en_atencion` when staff take it, then `respondida` (an answer delivered
 * as a notification or a comunicado) or `concluida` (closed without an answer of its own, e.g.
 * complemented by a later promoción). `concluida` is final; `respondida` is final unless the
 * act that answered it is cancelled before it is notified (`respuesta_cancelada`): then the
 * promoción is back `en_atencion`, with whoever attended it, to be answered again — a
 * cancelled act answers nothing. Pure: the store replays the events through
 * {@link projectPromocion}; every use case asks {@link checkPromocionTransition} before it
 * appends. A promoción's own content never changes: only events are added.
 */
export const PROMOCION_STATES = ["recibida", "en_atencion", "respondida", "concluida"] as const;
export type PromocionState = (typeof PROMOCION_STATES)[number];

export const PROMOCION_EVENT_TYPES = [
  /** Filed and received; carries the acuse de recibo. */
  "recibida",
  /** Staff took it (assignment); may repeat to reassign while en_atencion. */
  "en_atencion",
  /** An internal note: never shown to the particular, changes no state. */
  "nota_interna",
  /** The answer was delivered (data: the notification or comunicado). */
  "respondida",
  /** Closed without an answer of its own (data: why). */
  "concluida",
  /**
   * The act that answered it was cancelled (data: the notificacionId, the cancellation's
   * motive and acuse); back to en_atencion. Written in the cancellation's transaction.
   */
  "respuesta_cancelada",
] as const;
export type PromocionEventType = (typeof PROMOCION_EVENT_TYPES)[number];

/** From each state, the events allowed and the state each leads to. A final state allows none. */
export const PROMOCION_TRANSITIONS: Readonly<
  Record<PromocionState | "nueva", Partial<Record<PromocionEventType, PromocionState>>>
> = {
  nueva: { recibida: "recibida" },
  recibida: { en_atencion: "en_atencion", nota_interna: "recibida", concluida: "concluida" },
  en_atencion: {
    en_atencion: "en_atencion",
    nota_interna: "en_atencion",
    respondida: "respondida",
    concluida: "concluida",
  },
  respondida: { respuesta_cancelada: "en_atencion" },
  concluida: {},
};

export type PromocionLifecycleErrorCode = "promocion_transition_invalid";
export class PromocionLifecycleError extends CodedError<PromocionLifecycleErrorCode> {}

const LABELS: Record<PromocionState | "nueva", string> = {
  nueva: "sin presentar",
  recibida: "recibida",
  en_atencion: "en atención",
  respondida: "respondida",
  concluida: "concluida",
};

/** The state after `event` from `from`, or a 409 saying why it cannot happen. */
export function checkPromocionTransition(
  from: PromocionState | "nueva",
  event: PromocionEventType,
): PromocionState {
  const to = PROMOCION_TRANSITIONS[from][event];
  if (to) return to;
  throw new PromocionLifecycleError(
    "promocion_transition_invalid",
    `Una promoción ${LABELS[from]} no admite «${event}».`,
  );
}

/** The state of a promoción after its events, in the order written (a bad order is refused). */
export function projectPromocion(events: readonly { type: PromocionEventType }[]): PromocionState {
  let state: PromocionState | "nueva" = "nueva";
  for (const event of events) state = checkPromocionTransition(state, event.type);
  if (state === "nueva") {
    throw new PromocionLifecycleError(
      "promocion_transition_invalid",
      "Una promoción sin evento «recibida» no existe.",
    );
  }
  return state;
}
