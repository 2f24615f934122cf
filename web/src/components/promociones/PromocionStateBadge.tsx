import { es } from "../../i18n/es.ts";

/** The notifications' badge colours, by what each state means for the person. */
const LOOK: Record<string, string> = {
  recibida: "pendiente",
  en_atencion: "pendiente",
  respondida: "notificada",
  concluida: "cancelada",
};

/** A promoción's state in words. */
export function PromocionStateBadge({ state }: { state: string }) {
  return (
    <span className={`notif-state notif-state--${LOOK[state] ?? "cancelada"}`}>
      {es.promociones.states[state] ?? state}
    </span>
  );
}
