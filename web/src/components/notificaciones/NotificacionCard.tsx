import { Link } from "react-router";
import { notificacionPath } from "../../../../src/platform/http/page-paths.ts";
import type { NotificacionSummary } from "../../api/types.ts";
import { formatDate, formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { DaysLeftBadge } from "./DaysLeftBadge.tsx";
import { NotificacionStateBadge } from "./StateBadge.tsx";

const t = es.notificaciones;

/** One act in «Mis notificaciones»: what it is, how it stands, and the way to its page. */
export function NotificacionCard({
  notificacion: n,
  typeName,
}: {
  notificacion: NotificacionSummary;
  typeName: string;
}) {
  return (
    <li className={`notif-card notif-card--${n.state}`}>
      <div className="notif-card__head">
        <h3 className="notif-card__title">
          <Link to={notificacionPath(n.id)}>
            {typeName}
            <span className="visually-hidden">{t.viewContext(n.oficio)}</span>
          </Link>
        </h3>
        <NotificacionStateBadge state={n.state} />
      </div>
      <p className="notif-card__oficio">{t.oficio(n.oficio)}</p>
      <dl className="notif-card__dates">
        {n.avisoAt && (
          <div>
            <dt>{t.avisoOn}</dt>
            <dd>{formatInstant(n.avisoAt)}</dd>
          </div>
        )}
        {n.state === "pendiente" && n.openBy && (
          <div>
            <dt>{t.openByOn}</dt>
            <dd>{formatDate(n.openBy)}</dd>
          </div>
        )}
        {n.notifiedAt && (
          <div>
            <dt>{t.notifiedOn}</dt>
            <dd>{formatInstant(n.notifiedAt)}</dd>
          </div>
        )}
      </dl>
      {n.state === "pendiente" && <DaysLeftBadge act={n} />}
    </li>
  );
}
