/**
 * What the aviso of an act the Institute cancelled after its aviso instant states: the text its
 * acuse (`aviso_notificacion`, the same kind) seals instead of avisoStatement's when the sweep
 * reaches the act only after the cancellation (the sweep runs every 30 s by default; a
 * cancellation can fall in between). The act was made available and its avisos went out, so the aviso's
 * evidence is due (a court asks the authority to exhibit the aviso and the addresses it went
 * to); but avisoStatement would say the three days to open run and name as sent avisos the
 * cancellation withdrew (outside review). This text says what did happen:
 *
 * - the addressee, the act, the instant it was made available (the aviso's, fixed at deposit)
 *   and the calendar that computed it;
 * - when the Institute cancelled it, with the cancellation acuse's folio, and
 *   that therefore no term to open runs and no notification follows;
 * - each address the deposit queued the aviso to, masked with its digest as in avisoStatement,
 *   with what its delivery had recorded when this acuse was sealed: accepted, failed, or
 *   withdrawn by the cancellation with no send recorded. It says only what is recorded: the
 *   sweep seals it only once no aviso is being sent (a courier that took a message before the
 *   cancellation records its real result, even after the withdrawal), and a send taken whose
 *   courier never came back is said to have no recorded result, not to be unsent.
 *
 * Canonical as the others: UTF-8, NFC, LF line ends, one trailing LF, `Campo: valor` lines in a
 * fixed order. Its title line tells it from the ordinary aviso's, and so do its fields (no
 * `Plazo:`, `Último día para abrir:` nor `Notificada si no se abre:`; a `Cancelado:`), since the
 * PDF and the verification page show the fields without the title.
 */
import { formatInstant, spanishInstant } from "../time/zona-centro.ts";
import {
  ADDRESS_DIGEST_FIELD,
  avisoAddressText,
  type CalendarUsed,
  calendarText,
  oneLine,
  type StatedAct,
  statedActFields,
} from "./aviso.ts";
import { type AvisoDelivery, attemptsText, avisoDeliveryText } from "./constancia.ts";

export const CANCELLED_AVISO_TITLE = "Buzón IMSS — Aviso de notificación de un acto cancelado";

/**
 * What the cancellation of an act not yet notified does to the aviso's term: the sealed
 * `Efecto de la cancelación:` line, and the aviso's evidence of any cancelled act says the same.
 */
export const CANCELLATION_EFFECT =
  "no corren los tres días hábiles para abrirlo ni habrá notificación: ni por apertura con e.firma ni al cuarto día hábil (Lineamientos 7.3 a 7.5)";

/** An aviso's message, where its delivery stood, and whether it was withdrawn unsent. */
export interface CancelledAvisoDelivery extends AvisoDelivery {
  /**
   * Ended by a withdrawal (`fallida`, `retirado: …`), not by a send's result; by the
   * cancellation when `finishedAt` is its instant (withdrawPending writes it in the
   * cancellation's transaction).
   */
  withdrawn: boolean;
  /**
   * A courier took it to send (an attempt counted) and no result was recorded, its lease
   * expired: whether it left is unknown. The sweep never seals while such a lease runs.
   */
  sendUnrecorded: boolean;
}

export interface CancelledAvisoStatementInput extends StatedAct {
  /** The instant the document was made available: the aviso's (rule a, fixed at deposit). */
  availableAt: Temporal.Instant;
  /** What computed `availableAt`: the deposit's calendar and rules. */
  availableBy: CalendarUsed;
  /** The `cancelada` event's instant (its acuse's eventAt). */
  cancelledAt: Temporal.Instant;
  /**
   * The folio of the cancellation's acuse (`cancelacion_notificacion`); every cancellation has
   * one, but a statement is never held back for want of it.
   */
  cancellationFolio: string | null;
  /** Each message the deposit queued for the aviso, in the order it queued them. */
  avisos: readonly CancelledAvisoDelivery[];
}

/**
 * An aviso's address and its outcome; a withdrawn one is said withdrawn, never failed, and with
 * no send recorded rather than «not sent» (what the records show, no more).
 */
function deliveryText(a: CancelledAvisoDelivery, cancelledAt: Temporal.Instant): string {
  if (!a.withdrawn) return avisoDeliveryText(a);
  const when = a.finishedAt ? ` el ${formatInstant(a.finishedAt)}` : "";
  const byCancellation = a.finishedAt?.equals(cancelledAt) === true;
  const withdrawn = byCancellation ? `retirado por la cancelación${when}` : `retirado${when}`;
  if (a.sendUnrecorded) {
    const before = a.attempts > 0 ? ` (antes, ${attemptsText(a.attempts)})` : "";
    return `${avisoAddressText(a)}: ${withdrawn}, con un intento de envío en curso; sin resultado registrado de ese intento${before}`;
  }
  // Unordered against the withdrawal: a send already taken may fail after it.
  const tried = a.attempts > 0 ? ` (${attemptsText(a.attempts)})` : "";
  return `${avisoAddressText(a)}: ${withdrawn}; sin envío registrado${tried}`;
}

/**
 * The canonical statement. Never throws: the job that seals it must not stall on one act's
 * stored text, so a control character in a stored value is written as a space.
 */
export function cancelledAvisoStatement(input: CancelledAvisoStatementInput): string {
  const cancelledAt = formatInstant(input.cancelledAt);
  const fields: [string, string][] = [
    ...statedActFields(input),
    [
      "Disponible desde",
      `${formatInstant(input.availableAt)} (momento del aviso; Lineamientos 7.2 y 7.3)`,
    ],
    [
      "Calendario del aviso",
      `${calendarText(input.availableBy)} (el momento del aviso, calculado al depositar)`,
    ],
    [
      "Cancelado",
      `${cancelledAt} por el Instituto, antes de notificarse${input.cancellationFolio ? ` (acuse de cancelación ${input.cancellationFolio})` : ""}; desde entonces el documento no está a disposición`,
    ],
    ["Efecto de la cancelación", CANCELLATION_EFFECT],
    ...(input.avisos.length === 0
      ? [["Aviso dirigido a", "ninguna dirección registrada"] satisfies [string, string]]
      : [
          ...input.avisos.map((a): [string, string] => [
            "Aviso dirigido a",
            deliveryText(a, input.cancelledAt),
          ]),
          ADDRESS_DIGEST_FIELD,
          [
            "Entrega de los avisos",
            "lo registrado al sellar este acuse, después de la cancelación; cada intento consta en la evidencia del aviso",
          ] satisfies [string, string],
        ]),
  ];
  const lines = [CANCELLED_AVISO_TITLE, ...fields.map(([k, v]) => `${k}: ${oneLine(v)}`)];
  return `${lines.join("\n").normalize("NFC")}\n`;
}

export interface CancellationStatementInput {
  /** The aviso's instant, fixed at deposit: when the document was (or would have been) available. */
  availableAt: Temporal.Instant;
  /** The `cancelada` event's instant. */
  cancelledAt: Temporal.Instant;
  /** The cancellation acuse's folio (null never holds the statement back). */
  cancellationFolio: string | null;
  /**
   * Whether the aviso's acuse was sealed before the cancellation: its text then states the term
   * as it ran when sealed (true then), and this statement says that it no longer runs.
   */
  avisoSealedBefore: boolean;
}

/**
 * The aviso's evidence of a cancelled act, in place of termStatement's running term: when the
 * document was made available (or that it never was, cancelled before the aviso instant), the
 * cancellation with its acuse, and its effect in the words the variant's sealed text uses.
 */
export function cancellationStatement(input: CancellationStatementInput): string {
  const folio = input.cancellationFolio ? ` (acuse de cancelación ${input.cancellationFolio})` : "";
  const cancelled = spanishInstant(input.cancelledAt);
  const effect = `${CANCELLATION_EFFECT}.`;
  if (Temporal.Instant.compare(input.cancelledAt, input.availableAt) < 0) {
    return `El Instituto canceló el acto el ${cancelled}, antes del momento de su aviso, el ${spanishInstant(input.availableAt)}${folio}: el documento no llegó a estar a disposición en el Buzón IMSS y ${effect}`;
  }
  const sealed = input.avisoSealedBefore
    ? " El acuse del aviso se selló antes de la cancelación: declara el plazo como corría entonces."
    : "";
  return `El documento quedó a disposición en el Buzón IMSS el ${spanishInstant(input.availableAt)}, momento del aviso. El Instituto canceló el acto el ${cancelled}, antes de notificarse${folio}: desde entonces el documento no está a disposición, y ${effect}${sealed}`;
}
