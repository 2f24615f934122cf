import { NavLink } from "react-router";
import { PAGE_PATHS } from "../../../../src/platform/http/page-paths.ts";
import type { CurrentSession } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { UnreadBadge } from "../expedientes/UnreadBadge.tsx";
import { MenuToggle, useCompactMenu } from "../MenuToggle.tsx";
import { SignOutButton } from "../SignOutButton.tsx";

const t = es.mailbox;

/**
 * Who is signed in, the mailbox's own links, and "Cerrar sesión". On a phone the links fold
 * behind a button (useCompactMenu); who is signed in stays in sight.
 */
export function SessionBar({ session }: { session: CurrentSession }) {
  const menu = useCompactMenu();
  return (
    <section className="session-bar" aria-label={t.signedInLabel} onKeyDown={menu.onKeyDown}>
      <p className="session-bar__who">
        <span className="session-bar__label">{t.signedInAs}</span> <strong>{session.name}</strong>{" "}
        <span className="session-bar__rfc">({session.rfc})</span>
      </p>
      <MenuToggle menu={menu} label={es.compactMenu.mailbox} className="session-bar__toggle" />
      <div
        className={`session-bar__actions compact-menu${menu.open ? " compact-menu--open" : ""}`}
        id={menu.listId}
      >
        <NavLink className="session-bar__link" to="/buzon" end>
          {t.home}
        </NavLink>
        <NavLink className="session-bar__link" to={PAGE_PATHS.notificaciones}>
          {t.notificaciones}
        </NavLink>
        <NavLink className="session-bar__link" to={PAGE_PATHS.expedientes}>
          {es.expedientes.menu.expedientes}
        </NavLink>
        <NavLink className="session-bar__link" to={PAGE_PATHS.documentos}>
          {es.expedientes.menu.documentos}
        </NavLink>
        <NavLink className="session-bar__link" to={PAGE_PATHS.comunicados}>
          {es.expedientes.menu.comunicados}
          <UnreadBadge />
        </NavLink>
        <NavLink className="session-bar__link" to={PAGE_PATHS.promociones}>
          {es.promociones.menu}
        </NavLink>
        <NavLink className="session-bar__link" to="/buzon/medios">
          {t.contactMeans}
        </NavLink>
        <NavLink className="session-bar__link" to="/buzon/activacion">
          {t.activation}
        </NavLink>
        <NavLink className="session-bar__link" to="/buzon/acuses">
          {t.ownAcuses}
        </NavLink>
        <NavLink className="session-bar__link" to="/buzon/sesiones">
          {t.sessions}
        </NavLink>
        {session.staffRole && (
          <NavLink className="session-bar__link" to={PAGE_PATHS.staffNotificaciones}>
            {t.staffNotificaciones}
          </NavLink>
        )}
        <SignOutButton label={t.signOut} busyLabel={t.signingOut} fetcherKey="salir-barra" />
      </div>
    </section>
  );
}
