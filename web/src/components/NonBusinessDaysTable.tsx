import type { Authority, CalendarDay } from "../api/types.ts";
import { formatDayMonthYear } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

/**
 * One authority's non-business days of a year, one row each, with their CFF art. 12 kind and
 * who set them; on phones each row becomes a card.
 */
export function NonBusinessDaysTable({
  year,
  authority,
  days,
}: {
  year: number;
  authority: Authority;
  days: CalendarDay[];
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-label={t.tableScrollLabel} tabIndex={0}>
      <table className="table">
        <caption className="table__caption">{t.caption(year, authority)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.columns.date}</th>
            <th scope="col">{t.columns.weekday}</th>
            <th scope="col">{t.columns.reason}</th>
            <th scope="col">{t.columns.source}</th>
            <th scope="col">{t.columns.kind}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => {
            const dayKind = day.dayKind ?? "inhabil";
            return (
              <tr key={`${day.date}-${day.kind}-${day.reason}`}>
                <th scope="row" className="table__date" data-label={t.columns.date}>
                  <time dateTime={day.date}>{formatDayMonthYear(day.date)}</time>
                </th>
                <td data-label={t.columns.weekday}>{day.weekday}</td>
                <td data-label={t.columns.reason}>{day.reason}</td>
                <td data-label={t.columns.source}>{day.source}</td>
                <td data-label={t.columns.kind}>
                  <span className={`kind kind--${dayKind}`}>{t.dayKinds[dayKind]}</span>
                  <span className="kind-origin">
                    {day.kind === "cff" ? t.kinds.cff : t.declaredBy(authority)}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
