import { Link, useLoaderData } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { NonBusinessDaysTable } from "../components/NonBusinessDaysTable.tsx";
import { YearNav } from "../components/YearNav.tsx";
import type { CalendarYearData } from "../data/calendar.ts";
import { currentYearInZonaCentro } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

/** /dias-inhabiles/:year — the non-business days of one year (calendarYearLoader). */
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

  const { year } = data;
  return (
    <>
      <DocumentTitle title={t.title(year)} />
      <h1>{t.title(year)}</h1>
      <p className="lead">{t.lead}</p>
      <p className="note">{t.weekendNote}</p>
      {data.status === "loaded" && (
        <p className="stamp">
          <span className="stamp__item">
            {t.calendar(data.calendar.authority, data.calendar.version)}
          </span>
        </p>
      )}
      <ErrorAlert problem={data.status === "refused" ? data.problem : undefined} />
      {data.status === "loaded" &&
        (data.calendar.days.length > 0 ? (
          <NonBusinessDaysTable year={year} days={data.calendar.days} />
        ) : (
          <p>{t.empty}</p>
        ))}
      <YearNav year={year} />
    </>
  );
}
