import { Link, useParams } from "react-router";
import { useCalendarYear } from "../api/useCalendarYear.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { LoadingMessage } from "../components/LoadingMessage.tsx";
import { NonBusinessDaysTable } from "../components/NonBusinessDaysTable.tsx";
import { MAX_YEAR, MIN_YEAR, YearNav } from "../components/YearNav.tsx";
import { currentYearInZonaCentro } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

function parseYear(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

/** /dias-inhabiles/:year — the non-business days of one year. */
export function NonBusinessDaysPage() {
  const { year: yearParam } = useParams();
  const year = parseYear(yearParam);
  const state = useCalendarYear(year);

  if (year === undefined) {
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

  return (
    <>
      <DocumentTitle title={t.title(year)} />
      <h1>{t.title(year)}</h1>
      <p className="lead">{t.lead}</p>
      <p className="note">{t.weekendNote}</p>
      {state.status === "success" && (
        <p className="stamp">
          <span className="stamp__item">
            {t.calendar(state.data.authority, state.data.version)}
          </span>
        </p>
      )}
      <ErrorAlert problem={state.status === "error" ? state.problem : undefined} />
      {state.status === "loading" && <LoadingMessage />}
      {state.status === "success" &&
        (state.data.days.length > 0 ? (
          <NonBusinessDaysTable year={year} days={state.data.days} />
        ) : (
          <p>{t.empty}</p>
        ))}
      <YearNav year={year} />
    </>
  );
}
