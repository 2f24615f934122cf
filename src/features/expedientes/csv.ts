import type { ExpedienteItem } from "./schemas.ts";

/**
 * The CSV of «Mis expedientes» (RFC 4180, UTF-8 with a byte-order mark so Excel reads the
 * accents): one line per item, its acuses' folios joined by spaces. Every cell is quoted, and a
 * cell that a spreadsheet would take for a formula (=, +, -, @, or a tab or carriage return
 * first) is prefixed with «'» (CSV injection, OWASP).
 */
export const CSV_BOM = "\uFEFF";

export const CSV_HEADER = [
  "clase",
  "fecha",
  "titulo",
  "tipo",
  "referencia",
  "registro_patronal",
  "estado",
  "acuses",
  "enlace",
] as const;

const CLASE_LABELS: Record<ExpedienteItem["clase"], string> = {
  notificacion: "Notificación",
  promocion: "Promoción",
  documento: "Documento",
  comunicado: "Comunicado",
};

/** One cell: neutralised when it could be a formula, quoted, inner quotes doubled. */
export function csvCell(value: string | null): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The item's line; `origin` makes its page's link absolute. */
export function csvLineOf(item: ExpedienteItem, origin: string): string {
  return csvLine([
    CLASE_LABELS[item.clase],
    item.date,
    item.title,
    item.typeName,
    item.reference,
    item.registroPatronal,
    item.state,
    item.acuses.map((a) => a.folio).join(" "),
    `${origin}${item.link}`,
  ]);
}
