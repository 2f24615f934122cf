import type { StaffTimelineEvent } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { FolioLink } from "../notificaciones/Timeline.tsx";

const t = es.personal.act;

/** Events whose actor the staff are told: a person who acted, not the system's own jobs. */
const NAMED_ACTOR = new Set(["depositada", "cancelada"]);

/**
 * One act's whole timeline as the staff follow it (issue 11 §5): each event in plain Spanish
 * with its instant in Zona Centro, who acted (the titular or the legal representative who
 * opened it, the staff member who deposited or cancelled it), when an opening counts, a
 * cancellation's motive, and the folio of the acuse that proves it with its links (the PDF only
 * with its code, which the roles that receive the evidence package get).
 */
export function StaffTimeline({ events }: { events: readonly StaffTimelineEvent[] }) {
  // In the API's order: the server gives them in legal order (views.ts, inLegalOrder), so an
  // API client reads the same order as this page.
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li
          className="timeline__event"
          key={`${event.event}-${event.at}-${event.acuse ?? ""}`}
          data-event={event.event}
        >
          <p className="timeline__what">{t.events[event.event] ?? event.event}</p>
          <p className="timeline__when">
            <time dateTime={event.at}>{formatInstant(event.at)}</time>
          </p>
          {event.actorRfc && event.capacity && (
            <p>{t.byCapacity(event.capacity, event.actorRfc)}</p>
          )}
          {event.actorRfc && !event.capacity && NAMED_ACTOR.has(event.event) && (
            <p>{t.by(event.actorRfc)}</p>
          )}
          {event.countsAt && event.countsAt !== event.at && (
            <p>{t.notifiedFrom(formatInstant(event.countsAt))}</p>
          )}
          {event.motivo && <p className="timeline__detail">{t.motivo(event.motivo)}</p>}
          {event.acuse && (
            <FolioLink
              folio={event.acuse}
              codigo={event.acuseCodigo}
              kind={t.acuseNames[event.event]}
            />
          )}
        </li>
      ))}
    </ol>
  );
}
