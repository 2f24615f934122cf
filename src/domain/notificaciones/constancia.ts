/**
 * What the constancia of the fourth business day states (Lineamientos 7.5, 7.6; CFF 134-I), as
 * a text its acuse seals as one of its documents (the mechanism of ADR 0012): which act, when
 * its aviso counted, the three days to open, that no authenticated opening happened in them,
 * which day was the fourth and the calendar version that said so. The seal and the public log
 * then cover these facts, not only the event row that also records them.
 *
 * Canonical: UTF-8, NFC, LF line ends, one trailing LF, `Campo: valor` lines in a fixed order.
 */
import { internalError } from "../errors.ts";
import { spanishDate } from "../time/zona-centro.ts";

/** The document's name in the acuse (and of the file attached to its PDF). */
export const CONSTANCIA_STATEMENT_NAME = "constancia-cuarto-dia.txt";

export interface ConstanciaStatementInput {
  rfc: string;
  registroPatronal: string | null;
  actId: string;
  oficio: string;
  actType: string;
  documentName: string;
  documentSha256: string;
  /** Instants as the API writes them (-06:00). */
  avisoAt: string;
  openBy: Temporal.PlainDate;
  fourthBusinessDay: Temporal.PlainDate;
  notifiedAt: string;
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
}

export function constanciaStatement(input: ConstanciaStatementInput): string {
  const fields: [string, string][] = [
    ["RFC", input.rfc],
    ...(input.registroPatronal
      ? [["Registro patronal", input.registroPatronal] satisfies [string, string]]
      : []),
    ["Acto", input.actId],
    ["Oficio", input.oficio],
    ["Tipo de acto", input.actType],
    ["Documento", input.documentName],
    ["SHA-256 del documento", input.documentSha256],
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
  ];
  for (const [, value] of fields) {
    // One field, one line: a line break or a control character would forge another line.
    if (value === "" || /[\p{Cc}\u2028\u2029]/u.test(value)) {
      throw internalError("un dato de la constancia del cuarto día no es una sola línea de texto");
    }
  }
  const lines = [
    "Buzón IMSS — Constancia de notificación al cuarto día hábil",
    ...fields.map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\n").normalize("NFC")}\n`;
}
