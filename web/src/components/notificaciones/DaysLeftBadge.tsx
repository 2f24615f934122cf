import { es } from "../../i18n/es.ts";

/**
 * «Quedan N días hábiles para abrir», as the API counts them (`businessDaysLeft`, on the legal
 * clock and the IMSS calendar in force): louder on the last day; nothing when it is null.
 */
export function DaysLeftBadge({ days }: { days: number | null }) {
  if (days === null) return null;
  return (
    <span className={days <= 1 ? "days-left days-left--last" : "days-left"}>
      {es.notificaciones.daysLeft(days)}
    </span>
  );
}
