import { Link } from "react-router";
import { MAX_YEAR, MIN_YEAR } from "../../../src/domain/time/range.ts";
import type { Authority } from "../api/types.ts";
import { calendarPath, DEFAULT_AUTHORITY } from "../data/calendar.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

export { MAX_YEAR, MIN_YEAR };

/** Links to the previous and the next year's calendar of the same authority. */
export function YearNav({
  year,
  authority = DEFAULT_AUTHORITY,
}: {
  year: number;
  authority?: Authority;
}) {
  return (
    <nav className="year-nav" aria-label={t.yearNav}>
      {year > MIN_YEAR && (
        <Link
          className="year-nav__link year-nav__link--previous"
          to={calendarPath(year - 1, authority)}
        >
          <span aria-hidden="true">←</span>
          {t.previous(year - 1)}
        </Link>
      )}
      {year < MAX_YEAR && (
        <Link
          className="year-nav__link year-nav__link--next"
          to={calendarPath(year + 1, authority)}
        >
          {t.next(year + 1)}
          <span aria-hidden="true">→</span>
        </Link>
      )}
    </nav>
  );
}
