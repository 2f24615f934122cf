import { Link } from "react-router";
import type { Authority } from "../api/types.ts";
import { AUTHORITIES, calendarPath } from "../data/calendar.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

/**
 * One tab per authority's calendar, as links (each is its own address, loaded by the route):
 * the current one is marked with aria-current, so it is announced and styled as selected.
 */
export function AuthorityNav({ year, authority }: { year: number; authority: Authority }) {
  return (
    <nav className="authority-nav" aria-label={t.authorityNav}>
      <ul className="authority-nav__list">
        {AUTHORITIES.map((each) => (
          <li key={each}>
            <Link
              className="authority-nav__link"
              to={calendarPath(year, each)}
              aria-current={each === authority ? "page" : undefined}
            >
              {t.authorities[each]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
