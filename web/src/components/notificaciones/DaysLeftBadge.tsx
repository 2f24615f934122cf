import { es } from "../../i18n/es.ts";

/** «Quedan N días hábiles para abrir»: louder on the last day. */
export function DaysLeftBadge({ days }: { days: number | undefined }) {
  if (days === undefined) return null;
  return (
    <span className={days <= 1 ? "days-left days-left--last" : "days-left"}>
      {es.notificaciones.daysLeft(days)}
    </span>
  );
}
