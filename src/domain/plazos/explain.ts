import type { NonBusinessDay } from "../calendar/cff-holidays.ts";
import { spanishDate } from "../time/zona-centro.ts";

const WEEKEND = new Set(["Sábado", "Domingo"]);

/**
 * «Días inhábiles que no se cuentan: sábado 12 de abril de 2025 y domingo 13 de abril de 2025
 * (fin de semana, CFF art. 12); jueves 17 de abril de 2025 (Jueves Santo; ACDO…).» — weekends
 * grouped so the holidays, which a reader checks, stand out. Empty when nothing was skipped.
 */
export function describeSkipped(skipped: NonBusinessDay[]): string {
  if (skipped.length === 0) return "";
  const text = (d: NonBusinessDay) => spanishDate(Temporal.PlainDate.from(d.date));
  const weekends = skipped.filter((d) => d.kind === "cff" && WEEKEND.has(d.reason));
  const others = skipped.filter((d) => !weekends.includes(d));
  const parts = others.map((d) => `${text(d)} (${d.reason}; ${d.source})`);
  if (weekends.length > 0) {
    parts.push(`${joinSpanish(weekends.map(text))} (fin de semana; ${weekends[0]!.source})`);
  }
  return ` Días inhábiles que no se cuentan: ${parts.join("; ")}.`;
}

export function joinSpanish(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} y ${items.at(-1)}`;
}
