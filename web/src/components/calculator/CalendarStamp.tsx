import { es } from "../../i18n/es.ts";

interface CalendarStampProps {
  authority?: string | undefined;
  version?: string | undefined;
  rulesVersion: string;
}

/** Which calendar and which rule set produced the result, so it can be reproduced. */
export function CalendarStamp({ authority, version, rulesVersion }: CalendarStampProps) {
  return (
    <p className="stamp">
      {authority && version && (
        <span className="stamp__item">{es.calculator.calendarVersion(authority, version)}</span>
      )}
      <span className="stamp__item">{es.calculator.rulesVersion(rulesVersion)}</span>
    </p>
  );
}
