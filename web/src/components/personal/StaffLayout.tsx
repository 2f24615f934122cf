import { NavLink, Outlet, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../../src/platform/http/page-paths.ts";
import { ATTENDING_ROLES, SIGNING_ROLES } from "../../data/atencion.ts";
import type { StaffData } from "../../data/personal.ts";
import { es } from "../../i18n/es.ts";
import { DocumentTitle } from "../DocumentTitle.tsx";
import type { MailboxContext } from "../mailbox/mailboxContext.ts";
import { SessionBar } from "../mailbox/SessionBar.tsx";

const t = es.personal;
/** Who reads the promociones' queue (the API's own guard decides; an auditor does not). */
const READS_PROMOCIONES: readonly string[] = [...ATTENDING_ROLES, ...SIGNING_ROLES];

/**
 * Frame of the /personal pages: a session (else /acceso) with a staff role (else a plain
 * refusal; the API refuses too, each call by role).
 */
export function StaffLayout() {
  const { session, allowed } = useLoaderData<StaffData>();
  const context: MailboxContext = { session };
  return (
    <>
      <SessionBar session={session} />
      {allowed ? (
        <>
          <nav className="staff-nav" aria-label={t.nav.label}>
            <ul className="staff-nav__list">
              <li>
                <NavLink className="staff-nav__link" to={PAGE_PATHS.staffNotificaciones} end>
                  {t.nav.list}
                </NavLink>
              </li>
              <li>
                <NavLink className="staff-nav__link" to={PAGE_PATHS.staffCompose}>
                  {t.nav.compose}
                </NavLink>
              </li>
              {READS_PROMOCIONES.includes(session.staffRole ?? "") && (
                <li>
                  <NavLink className="staff-nav__link" to={PAGE_PATHS.staffPromociones}>
                    {es.promociones.staff.nav}
                  </NavLink>
                </li>
              )}
              <li>
                <NavLink className="staff-nav__link" to={PAGE_PATHS.staffComunicados}>
                  {es.expedientes.staff.menu}
                </NavLink>
              </li>
            </ul>
          </nav>
          <Outlet context={context} />
        </>
      ) : (
        <>
          <DocumentTitle title={t.areaTitle} />
          <h1>{t.areaTitle}</h1>
          <p className="notice__text">{t.notAllowed}</p>
        </>
      )}
    </>
  );
}
