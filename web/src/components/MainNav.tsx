import { NavLink, useRouteLoaderData } from "react-router";
import type { SessionState } from "../api/types.ts";
import { es } from "../i18n/es.ts";
import { MenuToggle, useCompactMenu } from "./MenuToggle.tsx";
import { SignOutButton } from "./SignOutButton.tsx";

const LINKS = [
  { to: "/", label: es.nav.home, end: true },
  { to: "/calculadora", label: es.nav.calculator, end: false },
  { to: "/dias-inhabiles", label: es.nav.nonBusinessDays, end: false },
  { to: "/verificacion", label: es.nav.verification, end: false },
  { to: "/estrados", label: es.nav.estrados, end: false },
] as const;

/**
 * The site's links, then who is signed in (to their mailbox) and «Salir», or «Ingresar». On a
 * phone they fold behind «Menú» (useCompactMenu), so the page's title is in sight.
 */
export function MainNav() {
  const session = useRouteLoaderData<SessionState>("root");
  const menu = useCompactMenu();
  return (
    <nav className="main-nav" aria-label={es.nav.label} onKeyDown={menu.onKeyDown}>
      <div className="container main-nav__toggle-bar">
        <MenuToggle menu={menu} label={es.compactMenu.site} className="main-nav__toggle" />
      </div>
      <ul
        className={`container main-nav__list compact-menu${menu.open ? " compact-menu--open" : ""}`}
        id={menu.listId}
      >
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink className="main-nav__link" to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          </li>
        ))}
        {session?.autenticado ? (
          <>
            <li>
              <NavLink className="main-nav__link" to="/buzon">
                <span className="visually-hidden">{es.nav.signedIn} </span>
                {session.name} <span className="main-nav__rfc">({session.rfc})</span>
              </NavLink>
            </li>
            <li>
              <SignOutButton
                label={es.nav.signOut}
                busyLabel={es.nav.signingOut}
                fetcherKey="salir-menu"
                className="main-nav__link main-nav__button"
              />
            </li>
          </>
        ) : (
          <li>
            <NavLink className="main-nav__link" to="/acceso">
              {es.nav.signIn}
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
