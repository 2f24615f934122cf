import type { NotificacionDetail } from "../../api/types.ts";
import { DATE_ROWS, stepsFor } from "../../data/notificaciones.ts";
import { formatDate, formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { ExplanationList } from "../calculator/ExplanationList.tsx";

const t = es.notificaciones.detail;

/**
 * Every date of the act as the API gives it, each with «¿Por qué esta fecha?»: the time
 * engine's own steps behind it (the calculator's explanation, one date at a time).
 */
export function DatesList({ detail }: { detail: NotificacionDetail }) {
  return (
    <dl className="notif-dates">
      {DATE_ROWS.map((row) => {
        const value = detail[row.key];
        const steps = stepsFor(row.key, detail.explanation);
        const label = t.dates[row.key];
        // Once notified, the «Notificada» row says when and the deemed date adds nothing.
        if (row.key === "deemedNotifiedAt" && detail.notifiedBy !== null) return null;
        return (
          <div className="notif-dates__row" key={row.key} data-date={row.key}>
            <dt>{label}</dt>
            <dd>
              <p className="notif-dates__value">
                {value ? (
                  <time dateTime={value}>
                    {row.kind === "instant" ? formatInstant(value) : formatDate(value)}
                  </time>
                ) : (
                  <span className="notif-dates__unknown">{t.pendingDate}</span>
                )}
              </p>
              {value && (
                <details className="why">
                  <summary className="why__summary">
                    {t.why}
                    <span className="visually-hidden">{t.whyContext(label)}</span>
                  </summary>
                  {steps.length > 0 ? (
                    <ExplanationList
                      steps={steps}
                      title={t.explanationTitle}
                      context={t.whyContext(label)}
                    />
                  ) : (
                    <p className="why__none">{t.noWhy}</p>
                  )}
                </details>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
