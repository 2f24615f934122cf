import { es } from "../../i18n/es.ts";

interface CalendarStampProps {
  /** Each calendar the result used, already in words («Calendario IMSS, versión 2024-1»). */
  calendars: string[];
  rulesVersion: string;
}

/** Which calendars and which rule set produced the result, so it can be reproduced. */
export function CalendarStamp({ calendars, rulesVersion }: CalendarStampProps) {
  return (
    <ul className="stamp" aria-label={es.calculator.calendarsLabel}>
      {calendars.map((calendar) => (
        <li className="stamp__item" key={calendar}>
          {calendar}
        </li>
      ))}
      <li className="stamp__item">{es.calculator.rulesVersion(rulesVersion)}</li>
    </ul>
  );
}
