import { Link } from "react-router";
import { MAX_YEAR, MIN_YEAR } from "../../../src/domain/time/range.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

export { MAX_YEAR, MIN_YEAR };

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
