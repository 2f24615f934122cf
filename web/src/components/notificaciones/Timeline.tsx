import { Link } from "react-router";
import type { NotificacionTimelineEvent } from "../../api/types.ts";
import { acusePdfPath } from "../../data/acuses.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { acusePath } from "../activation/AcuseLink.tsx";

const t = es.notificaciones.detail;

/**
 * The act's events in the API's order, which is the legal one (views.ts, inLegalOrder: by
 * instant, ties in the order written), each with its instant and, when sealed, its acuse.
 */
export function Timeline({ events }: { events: NotificacionTimelineEvent[] }) {
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li className="timeline__event" key={`${event.event}-${event.at}`} data-event={event.event}>
          <p className="timeline__what">{t.events[event.event] ?? event.event}</p>
          <p className="timeline__when">
            <time dateTime={event.at}>{formatInstant(event.at)}</time>
          </p>
          {event.acuse && <FolioLink folio={event.acuse} codigo={event.acuseCodigo} />}
        </li>
      ))}
    </ol>
  );
}

/**
 * An acuse by its folio: with its code (the addressee's own acuses), the public verification
 * page opened on it and its PDF; without, the verification page, where the code printed on the
 * acuse and in the e-mail verifies and downloads it. `kind` (e.g. «acuse de notificación») joins
 * the folio in the links' names, where a page lists acuses of several kinds.
 */
export function FolioLink({
  folio,
  codigo,
  kind,
}: {
  folio: string;
  codigo?: string | undefined;
  kind?: string | undefined;
}) {
  const ref = codigo ? { folio, codigo } : undefined;
  const context = `${t.acuseContext(folio)}${kind ? ` (${kind})` : ""}`;
  return (
    <p className="timeline__acuse">
      {es.acuse.folio}: <span className="notif-filename">{folio}</span>{" "}
      <Link
        className="download-link"
        to={ref ? acusePath(ref) : `/verificacion/${encodeURIComponent(folio)}`}
      >
        {t.acuseLink}
        <span className="visually-hidden">{context}</span>
      </Link>
      {ref && (
        <>
          {" "}
          <a className="download-link" href={acusePdfPath(ref)} download>
            {es.acuse.pdf}
            <span className="visually-hidden">{context}</span>
          </a>
        </>
      )}
    </p>
  );
}
