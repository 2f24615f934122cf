import { useId } from "react";
import { Link, useLoaderData } from "react-router";
import { AuthorityNav } from "../components/AuthorityNav.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { NonBusinessDaysTable } from "../components/NonBusinessDaysTable.tsx";
import { YearNav } from "../components/YearNav.tsx";
import type { CalendarYearData } from "../data/calendar.ts";
import { currentYearInZonaCentro } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

/** What each CFF art. 12 kind of day does to a term, once under the table. */
function DayKindsLegend() {
  const titleId = useId();
  return (
    <section className="day-kinds" aria-labelledby={titleId}>
      <h2 className="day-kinds__title" id={titleId}>
        {t.dayKindsTitle}
      </h2>
      <dl className="day-kinds__list">
        {(["inhabil", "vacaciones_generales", "oficinas_cerradas"] as const).map((kind) => (
          <div className="day-kinds__row" key={kind}>
            <dt>
              <span className={`kind kind--${kind}`}>{t.dayKinds[kind]}</span>
            </dt>
            <dd>{t.dayKindEffects[kind]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * /dias-inhabiles/:year?autoridad= — the non-business days of one year on one authority's
 * calendar (calendarYearLoader), one tab per authority.
 */
export function NonBusinessDaysPage() {
  const data = useLoaderData<CalendarYearData>();

  if (data.status === "invalid-year") {
    const current = currentYearInZonaCentro();
    return (
      <>
        <DocumentTitle title={es.nav.nonBusinessDays} />
        <h1>{es.nav.nonBusinessDays}</h1>
        <p>{t.invalidYear}</p>
        <p>
          <Link to={`/dias-inhabiles/${current}`}>{t.goToCurrent(current)}</Link>
        </p>
      </>
    );
  }

  const { year, authority } = data;
  return (
    <>
      <DocumentTitle title={`${t.title(year)} · ${authority}`} />
      <h1>{t.title(year)}</h1>
      <p className="lead">{t.lead}</p>
      <AuthorityNav year={year} authority={authority} />
      <p className="note">{t.authorityLeads[authority]}</p>
      <p className="note">{t.weekendNote}</p>
      {data.status === "loaded" && (
        <p className="stamp">
          <span className="stamp__item">
            {t.calendar(data.calendar.authority, data.calendar.version)}
          </span>
        </p>
      )}
      {data.status === "loaded" && !data.calendar.declared && (
        <p className="note note--gap">
          {t.undeclared(data.calendar.authority, data.calendar.version, year)}
        </p>
      )}
      <ErrorAlert problem={data.status === "refused" ? data.problem : undefined} />
      {data.status === "loaded" &&
        (data.calendar.days.length > 0 ? (
          <NonBusinessDaysTable year={year} authority={authority} days={data.calendar.days} />
        ) : (
          <p>{t.empty}</p>
        ))}
      {data.status === "loaded" && <DayKindsLegend />}
      <YearNav year={year} authority={authority} />
    </>
  );
}
