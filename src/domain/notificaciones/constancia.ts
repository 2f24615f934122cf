/**
 * What the constancia of the fourth business day states (Lineamientos 7.5, 7.6; CFF 134-I), as
 * a text its acuse seals as one of its documents (the mechanism of ADR 0012): which act and who
 * issued it, when its aviso counted, the three days to open, that no authenticated opening
 * happened in them, which day was the fourth and the calendar version that said so, and what
 * became of each aviso by the time it was sealed (the aviso's own acuse, sealed when it went
 * out, could only name the addresses). The seal and the public log then cover these facts, not
 * only the rows that also record them.
 *
 * Canonical: UTF-8, NFC, LF line ends, one trailing LF, `Campo: valor` lines in a fixed order.
 */
import { formatInstant, spanishDate } from "../time/zona-centro.ts";
import {
  ADDRESS_DIGEST_FIELD,
  avisoAddressText,
  oneLine,
  type StatedAct,
  statedActFields,
} from "./aviso.ts";

/** The document's name in the acuse (and of the file attached to its PDF). */
export const CONSTANCIA_STATEMENT_NAME = "constancia-cuarto-dia.txt";

export interface ConstanciaStatementInput extends StatedAct {
  /** Instants as the API writes them (-06:00). */
  avisoAt: string;
  openBy: Temporal.PlainDate;
  fourthBusinessDay: Temporal.PlainDate;
  notifiedAt: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  /** Each message the deposit queued for the aviso, and where its delivery stood when sealed. */
  avisos: readonly AvisoDelivery[];
}

/** An aviso's message and its delivery as the outbox records it. */
export interface AvisoDelivery {
  channel: "correo" | "sms";
  address: string;
  /** SHA-256 (hex) of avisoAddressDigestInput(key, address), as in the aviso's statement. */
  digest: string;
  status: "pendiente" | "enviada" | "fallida";
  /** When its final outcome was recorded (accepted or failed for good); null while pending. */
  finishedAt: Temporal.Instant | null;
  /** Delivery attempts recorded by then (a pending one's were all unsuccessful). */
  attempts: number;
}

/** «N intento(s) sin éxito», as the sealed statements count unsuccessful attempts. */
export const attemptsText = (n: number) => `${n} ${n === 1 ? "intento" : "intentos"} sin éxito`;

/** An aviso's address and where its delivery stood, as the sealed statements say it. */
export function avisoDeliveryText(a: AvisoDelivery): string {
  const finished = a.finishedAt ? formatInstant(a.finishedAt) : "";
  const outcome =
    a.status === "enviada"
      ? `aceptado para su entrega el ${finished}`
      : a.status === "fallida"
        ? `no se pudo entregar (fallido definitivamente el ${finished})`
        : a.attempts === 0
          ? "sin entregar aún"
          : `sin entregar aún (${attemptsText(a.attempts)})`;
  return `${avisoAddressText(a)}: ${outcome}`;
}

export function constanciaStatement(input: ConstanciaStatementInput): string {
  const fields: [string, string][] = [
    ...statedActFields(input),
    ["Aviso enviado", input.avisoAt],
    ["Último día para abrir", `${input.openBy.toString()} (${spanishDate(input.openBy)})`],
    ["Apertura con e.firma en el plazo", "no hubo"],
    [
      "Cuarto día hábil",
      `${input.fourthBusinessDay.toString()} (${spanishDate(input.fourthBusinessDay)})`,
    ],
    ["Notificada", `${input.notifiedAt} (Lineamientos 7.5; CFF art. 134, fracción I)`],
    ["Calendario", `${input.calendarAuthority} ${input.calendarVersion}`],
    ["Reglas", input.rulesVersion],
    ...(input.avisos.length === 0
      ? [["Aviso", "ninguna dirección registrada"] satisfies [string, string]]
      : [
          ...input.avisos.map((a): [string, string] => ["Aviso", avisoDeliveryText(a)]),
          ADDRESS_DIGEST_FIELD,
          [
            "Entrega de los avisos",
            "lo registrado al sellar esta constancia; cada intento consta en la evidencia del aviso",
          ] satisfies [string, string],
        ]),
  ];
  // Never throws: the job that seals it must not stall on one act's stored text (the deposit
  // refuses such text; older rows may hold it), so a control character is written as a space.
  const lines = [
    "Buzón IMSS — Constancia de notificación al cuarto día hábil",
    ...fields.map(([k, v]) => `${k}: ${oneLine(v)}`),
  ];
  return `${lines.join("\n").normalize("NFC")}\n`;
}
