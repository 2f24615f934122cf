import type { NotificacionState } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";

/** The act's state in words, coloured by what it asks of the person. */
export function NotificacionStateBadge({ state }: { state: NotificacionState }) {
  return (
    <span className={`notif-state notif-state--${state}`}>
      {es.notificaciones.states[state] ?? state}
    </span>
  );
}
