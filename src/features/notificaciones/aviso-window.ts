import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { toZonaCentro } from "../../domain/time/zona-centro.ts";
import type { HoldPolicy } from "../delivery/service.ts";
import { SEGUNDO_AVISO_TEMPLATE } from "./aviso.ts";
import { AVISO_TEMPLATE } from "./templates.ts";

/**
 * The delivery rule of the avisos (issue 11 §2: «the aviso goes out only inside the
 * notification window»), for the message itself: its legal instant was fixed when the act was
 * deposited, but an aviso found due outside 09:30–18:00 of a business day (the worker was down
 * all afternoon, a retry's backoff ended at night) waits for 09:30 of the next business day
 * (rule a, the same `notificationInstant` that dated the aviso). The second aviso says «hoy es
 * el último día para abrir»: one that could only leave after that day (`ultimoDia` in its data)
 * is withdrawn instead, never sent when it would be false. Every other message (a validation
 * code, a comunicado) goes at once.
 */
export function avisoHoldPolicy(calendar: BusinessCalendar): HoldPolicy {
  return (message, at) => {
    if (message.template !== AVISO_TEMPLATE && message.template !== SEGUNDO_AVISO_TEMPLATE) {
      return undefined;
    }
    const { instant } = notificationInstant(calendar, at);
    const lastDay = message.data.ultimoDia;
    if (message.template === SEGUNDO_AVISO_TEMPLATE && lastDay) {
      const leaves = toZonaCentro(instant).toPlainDate();
      if (Temporal.PlainDate.compare(leaves, Temporal.PlainDate.from(lastDay)) > 0) {
        return { withdraw: `ya no era el último día para abrir (${lastDay})` };
      }
    }
    return Temporal.Instant.compare(instant, at) > 0 ? { until: instant } : undefined;
  };
}
