import type { NonBusinessDay } from "../calendar/cff-holidays.ts";
import { spanishDate } from "../time/zona-centro.ts";

/** «se omiten: sábado 12 de abril de 2025 (Sábado), …» or an empty string. */
export function describeSkipped(skipped: NonBusinessDay[]): string {
  if (skipped.length === 0) return "";
  const items = skipped.map(
    (d) => `${spanishDate(Temporal.PlainDate.from(d.date))} (${d.reason}; ${d.source})`,
  );
  return ` Días inhábiles que no se cuentan: ${items.join(", ")}.`;
}
