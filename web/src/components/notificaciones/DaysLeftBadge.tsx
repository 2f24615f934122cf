import type { NotificacionSummary } from "../../api/types.ts";
import { daysLeftBadge } from "../../data/notificaciones.ts";

/**
 * «Quedan N días hábiles para abrir», as the API counts them (`businessDaysLeft`, on the legal
 * clock and the IMSS calendar in force), or until when an opening is still accepted once no
 * business day is left (daysLeftBadge): louder on the last day; nothing when there is no count.
 */
export function DaysLeftBadge({
  act,
}: {
  act: Pick<NotificacionSummary, "businessDaysLeft" | "openable" | "deemedNotifiedAt">;
}) {
  const badge = daysLeftBadge(act);
  if (badge === null) return null;
  return (
    <span className={badge.last ? "days-left days-left--last" : "days-left"}>{badge.text}</span>
  );
}
