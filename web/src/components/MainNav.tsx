import { NavLink } from "react-router";
import { es } from "../i18n/es.ts";

const LINKS = [
  { to: "/", label: es.nav.home, end: true },
  { to: "/calculadora", label: es.nav.calculator, end: false },
  { to: "/dias-inhabiles", label: es.nav.nonBusinessDays, end: false },
  { to: "/verificacion", label: es.nav.verification, end: false },
  { to: "/acceso", label: es.nav.signIn, end: false },
] as const;

export function MainNav() {
  return (
    <nav className="main-nav" aria-label={es.nav.label}>
      <ul className="container main-nav__list">
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink className="main-nav__link" to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
