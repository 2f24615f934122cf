import { useCallback, useRef, useState } from "react";
import { Link, useLoaderData, useRouteLoaderData } from "react-router";
import { PAGE_PATHS, staffActPath } from "../../../src/platform/http/page-paths.ts";
import type { AcuseRef, StaffNotificacion } from "../api/types.ts";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { NotificacionStateBadge } from "../components/notificaciones/StateBadge.tsx";
import { TabLinks } from "../components/notificaciones/TabLinks.tsx";
import { CancelDialog } from "../components/personal/CancelDialog.tsx";
import { actTypeName } from "../data/notificaciones.ts";
import {
  cancellable,
  STAFF_STATES,
  STATE_FIELD,
  type StaffData,
  type StaffListData,
} from "../data/personal.ts";
import { formatDate, formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.personal.list;
const c = es.personal.cancel;
const a = es.personal.act;

/**
 * /personal/notificaciones — the acts the Institute deposited, by state (`?estado=`), each
 * with its dates and, while not yet notified, «Cancelar acto» (motive, confirmation).
 */
export function StaffNotificacionesPage() {
  const data = useLoaderData<StaffListData>();
  const session = useRouteLoaderData<StaffData>("staff")?.session;
  const [cancelling, setCancelling] = useState<StaffNotificacion | undefined>();
  const [cancelled, setCancelled] = useState<
    { act: StaffNotificacion; acuse: AcuseRef } | undefined
  >();
  const notice = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);

  const onClose = useCallback(() => {
    setCancelling(undefined);
    opener.current?.focus();
  }, []);
  const onCancelled = useCallback((act: StaffNotificacion, acuse: AcuseRef) => {
    setCancelling(undefined);
    setCancelled({ act, acuse });
    // The list reloads after the action; the notice takes the focus the button had.
    requestAnimationFrame(() => notice.current?.focus());
  }, []);

  const types = data.status === "loaded" ? data.types : [];
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p>
        <Link className="button" to={PAGE_PATHS.staffCompose}>
          {t.compose}
        </Link>
      </p>
      <TabLinks
        label={t.filterLabel}
        current={data.estado ?? "todos"}
        tabs={[
          { key: "todos", label: t.all, to: PAGE_PATHS.staffNotificaciones },
          ...STAFF_STATES.map((state) => ({
            key: state,
            label: t.states[state] ?? state,
            to: `${PAGE_PATHS.staffNotificaciones}?${STATE_FIELD}=${state}`,
          })),
        ]}
      />
      <div role="status">
        {cancelled && (
          <div className="registered" tabIndex={-1} ref={notice}>
            <p className="registered__title">{c.done(cancelled.act.oficio)}</p>
            <AcuseLink acuse={cancelled.acuse} />
          </div>
        )}
      </div>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" &&
        (data.items.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          <ul className="notif-cards" aria-label={t.caption}>
            {data.items.map((act) => (
              <li className={`notif-card notif-card--${act.state}`} key={act.id}>
                <div className="notif-card__head">
                  <h2 className="notif-card__title">
                    <Link to={staffActPath(act.id)}>
                      {actTypeName(act, types)}
                      <span className="visually-hidden">{a.viewContext(act.oficio)}</span>
                    </Link>
                  </h2>
                  <NotificacionStateBadge state={act.state} />
                </div>
                <p className="notif-card__oficio">
                  {es.notificaciones.oficio(act.oficio)} · {act.rfc}
                  {act.registroPatronal ? ` · ${act.registroPatronal}` : ""}
                </p>
                <dl className="notif-card__dates">
                  <div>
                    <dt>{t.deposited}</dt>
                    <dd>{formatInstant(act.depositedAt)}</dd>
                  </div>
                  {act.avisoAt && (
                    <div>
                      <dt>{t.aviso}</dt>
                      <dd>{formatInstant(act.avisoAt)}</dd>
                    </div>
                  )}
                  {act.state === "pendiente" && act.openBy && (
                    <div>
                      <dt>{t.openBy}</dt>
                      <dd>{formatDate(act.openBy)}</dd>
                    </div>
                  )}
                  {act.notifiedAt && (
                    <div>
                      <dt>{t.notified}</dt>
                      <dd>
                        {formatInstant(act.notifiedAt)}
                        {act.notifiedBy && ` (${t.notifiedBy[act.notifiedBy] ?? act.notifiedBy})`}
                      </dd>
                    </div>
                  )}
                </dl>
                {cancellable(act, session) && (
                  <p className="notif-card__actions">
                    <button
                      className="button button--secondary button--small"
                      type="button"
                      onClick={(event) => {
                        opener.current = event.currentTarget;
                        setCancelled(undefined);
                        setCancelling(act);
                      }}
                    >
                      {c.button}
                      <span className="visually-hidden">{c.buttonContext(act.oficio)}</span>
                    </button>
                  </p>
                )}
              </li>
            ))}
          </ul>
        ))}
      <CancelDialog act={cancelling} onClose={onClose} onCancelled={onCancelled} />
    </>
  );
}
