import type { CalendarDay } from "../api/types.ts";
import { formatDayMonthYear } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.nonBusinessDays;

/** The year's non-business days, one row each; on phones each row becomes a card. */
export function NonBusinessDaysTable({ year, days }: { year: number; days: CalendarDay[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-label={t.tableScrollLabel} tabIndex={0}>
      <table className="table">
        <caption className="table__caption">{t.caption(year)}</caption>
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
          {days.map((day) => (
            <tr key={`${day.date}-${day.kind}-${day.reason}`}>
              <th scope="row" className="table__date" data-label={t.columns.date}>
                <time dateTime={day.date}>{formatDayMonthYear(day.date)}</time>
              </th>
              <td data-label={t.columns.weekday}>{day.weekday}</td>
              <td data-label={t.columns.reason}>{day.reason}</td>
              <td data-label={t.columns.source}>{day.source}</td>
              <td data-label={t.columns.kind}>
                <span className={`kind kind--${day.kind}`}>{t.kinds[day.kind] ?? day.kind}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
