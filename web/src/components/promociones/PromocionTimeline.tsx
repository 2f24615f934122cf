import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { FolioLink } from "../notificaciones/Timeline.tsx";

export interface PromocionTimelineEntry {
  event: string;
  at: string;
  acuse?: string | undefined;
  acuseCodigo?: string | undefined;
  /** What the step says (the conclusion's motive, the answer's reference; a note's text). */
  detalle?: string | undefined;
  /** Who took the step (staff's view only). */
  actor?: string | undefined;
  assignedTo?: string | undefined;
}

/** A promoción's steps in the order they happened, each with its instant and acuse. */
export function PromocionTimeline({ events }: { events: readonly PromocionTimelineEntry[] }) {
  const t = es.promociones.detail;
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li
          className="timeline__event"
          key={`${event.event}-${event.at}-${event.detalle ?? ""}`}
          data-event={event.event}
        >
          <p className="timeline__what">{t.events[event.event] ?? event.event}</p>
          <p className="timeline__when">
            <time dateTime={event.at}>{formatInstant(event.at)}</time>
            {event.actor && ` · ${event.actor}`}
            {event.assignedTo && ` → ${event.assignedTo}`}
          </p>
          {event.detalle && <p className="promocion-step">{event.detalle}</p>}
          {event.acuse && <FolioLink folio={event.acuse} codigo={event.acuseCodigo} />}
        </li>
      ))}
    </ol>
  );
}
