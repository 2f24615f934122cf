import { Link } from "react-router";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

export const MIN_YEAR = 1990;
export const MAX_YEAR = 2200;

/** Links to the previous and the next year's calendar. */
export function YearNav({ year }: { year: number }) {
  return (
    <nav className="year-nav" aria-label={t.yearNav}>
      {year > MIN_YEAR && (
        <Link
          className="year-nav__link year-nav__link--previous"
          to={`/dias-inhabiles/${year - 1}`}
        >
          <span aria-hidden="true">←</span>
          {t.previous(year - 1)}
        </Link>
      )}
      {year < MAX_YEAR && (
        <Link className="year-nav__link year-nav__link--next" to={`/dias-inhabiles/${year + 1}`}>
          {t.next(year + 1)}
          <span aria-hidden="true">→</span>
        </Link>
      )}
    </nav>
  );
}
