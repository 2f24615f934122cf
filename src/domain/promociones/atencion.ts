import { CodedError } from "../errors.ts";
import {
  checkPromocionTransition,
  type PromocionEventType,
  type PromocionState,
  projectPromocion,
} from "./lifecycle.ts";

/**
 * The staff's side of a promoción (issue 12 §1): who attends it, its internal notes, how it was
 * answered or why it was concluded — all a projection of the same append-only events as its
 * state. Pure: the store reads the events, the service asks these functions what may happen,
 * then appends under the promoción's lock.
 */

export type PromocionAtencionErrorCode =
  /** Someone else took it first (or it changed hands since the page was read). */
  | "promocion_already_assigned"
  /** A note, a reason or an answer that does not fit (the detail says which). */
  | "promocion_atencion_invalid"
  /** The staff member filed or signed it: nobody attends their own promoción. */
  | "promocion_own";
export class PromocionAtencionError extends CodedError<PromocionAtencionErrorCode> {}

/** What answered a promoción: a notification (an act deposited) or a comunicado to its RFC. */
export type PromocionAnswer =
  | { kind: "notificacion"; notificacionId: string }
  | { kind: "comunicado"; comunicadoId: string };

/** An event as the projection reads it (the store's row, narrowed). */
export interface AtencionEvent {
  type: PromocionEventType;
  actorRfc: string | null;
  data: Record<string, unknown>;
}

export interface Atencion {
  state: PromocionState;
  /** The staff member attending it (the last `en_atencion`), or null before anyone took it. */
  assignee: string | null;
  answer: PromocionAnswer | null;
  /** Why it was concluded (`concluida`), or null. */
  conclusion: string | null;
  /** Answers by notification cancelled so far: each new answer deposits under its own key. */
  cancelledAnswers: number;
}

/** The answer an event's data names, or null when it names none (a malformed event). */
export function answerOf(data: Record<string, unknown>): PromocionAnswer | null {
  if (data.kind === "notificacion" && typeof data.notificacionId === "string") {
    return { kind: "notificacion", notificacionId: data.notificacionId };
  }
  if (data.kind === "comunicado" && typeof data.comunicadoId === "string") {
    return { kind: "comunicado", comunicadoId: data.comunicadoId };
  }
  return null;
}

export function projectAtencion(events: readonly AtencionEvent[]): Atencion {
  const state = projectPromocion(events);
  let assignee: string | null = null;
  let answer: PromocionAnswer | null = null;
  let conclusion: string | null = null;
  let cancelledAnswers = 0;
  for (const event of events) {
    if (event.type === "en_atencion" && typeof event.data.assignee === "string") {
      assignee = event.data.assignee;
    } else if (event.type === "respondida") {
      answer = answerOf(event.data);
    } else if (event.type === "concluida" && typeof event.data.reason === "string") {
      conclusion = event.data.reason;
    } else if (event.type === "respuesta_cancelada") {
      // The history keeps the cancelled answer; the promoción no longer has one.
      answer = null;
      cancelledAnswers++;
    }
  }
  return { state, assignee, answer, conclusion, cancelledAnswers };
}

/**
 * Whether cancelling the act `notificacionId` reopens this promoción: only when that act is its
 * answer now. Any other case (answered by a comunicado or another act, already reopened,
 * concluded) changes nothing.
 */
export function isAnsweredBy(current: Atencion, notificacionId: string): boolean {
  return (
    current.state === "respondida" &&
    current.answer?.kind === "notificacion" &&
    current.answer.notificacionId === notificacionId
  );
}

/**
 * Whether taking (or reassigning) changes anything. `from` is the assignee the caller saw (null:
 * nobody); omitted, the caller only takes what nobody else holds. The same assignee again is
 * nothing to do (a double click); another holder than the one seen is a 409, so two staff
 * members taking at once end with one of them, never with a silent reassignment.
 */
export function decideTake(
  current: Atencion,
  request: { assignee: string; from?: string | null | undefined },
): "noop" | "take" {
  if (current.state === "en_atencion" && current.assignee === request.assignee) return "noop";
  checkPromocionTransition(current.state, "en_atencion");
  const seen = request.from === undefined ? null : request.from;
  if (current.assignee !== null && current.assignee !== seen) {
    throw new PromocionAtencionError(
      "promocion_already_assigned",
      `La promoción ya la atiende ${current.assignee}. Recarga la página; para reasignarla, indica a quién la tenía asignada.`,
      { pointer: "/from" },
    );
  }
  return "take";
}

/**
 * Nobody attends a promoción they filed or signed (as the particular or as its representative):
 * taking it, being assigned it, noting, concluding or answering it. Reading it stays open, as
 * the queue shows everything to whoever may read it.
 */
export function checkNotOwn(
  promocion: { rfc: string; signerRfc: string },
  staffRfc: string,
  pointer?: string,
): void {
  if (staffRfc !== promocion.rfc && staffRfc !== promocion.signerRfc) return;
  throw new PromocionAtencionError(
    "promocion_own",
    `${staffRfc} presentó o firmó esta promoción: no puede atenderla. Otra persona del personal debe tomarla.`,
    pointer ? { pointer } : {},
  );
}

/** Limits of a note and of a reason, in characters. */
export const NOTE_MAX = 4000;
export const REASON_MAX = 1000;

/** A note's or a reason's text as stored: NFC, trimmed, not empty, within `max`. */
export function cleanStaffText(text: string, pointer: string, what: string, max: number): string {
  const clean = text.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (clean === "") {
    throw new PromocionAtencionError(
      "promocion_atencion_invalid",
      `${what} no puede quedar en blanco.`,
      { pointer },
    );
  }
  if ([...clean].length > max) {
    throw new PromocionAtencionError(
      "promocion_atencion_invalid",
      `${what} admite hasta ${max.toLocaleString("es-MX")} caracteres.`,
      { pointer },
    );
  }
  return clean;
}

/** An answer must go to the promoción's own RFC: the composer names it, and it must match. */
export function checkAnswerAddressee(promocionRfc: string, addressee: string): void {
  if (addressee.trim().toUpperCase() === promocionRfc) return;
  throw new PromocionAtencionError(
    "promocion_atencion_invalid",
    `La respuesta va dirigida al RFC ${addressee.trim().toUpperCase()}, pero la promoción la presentó ${promocionRfc}: una promoción se responde a quien la presentó.`,
    { pointer: "/rfc" },
  );
}
