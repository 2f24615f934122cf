import type { NotificacionResult } from "../../api/types.ts";
import { formatDate, formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { CalculationResult } from "./CalculationResult.tsx";
import type { SummaryRow } from "./ResultSummary.tsx";
import { WarningsList } from "./WarningsList.tsx";

const t = es.calculator.notificacion;

export function NotificacionResultView({ result }: { result: NotificacionResult }) {
  const rows: SummaryRow[] = [
    { label: t.labels.avisoAt, value: formatInstant(result.avisoAt) },
    ...(result.openedAt
      ? [{ label: t.labels.openedAt, value: formatInstant(result.openedAt) }]
      : []),
    { label: t.labels.openBy, value: formatDate(result.openBy) },
    { label: t.labels.deemedNotifiedAt, value: formatInstant(result.deemedNotifiedAt) },
    { label: t.labels.notifiedAt, value: formatInstant(result.notifiedAt), primary: true },
    { label: t.labels.notifiedBy, value: t.notifiedBy[result.notifiedBy] },
    // A knowledge that governs is the effect itself (CFF 135 ¶2): one row, saying so.
    ...(result.conocimiento && result.effectiveBy !== "conocimiento"
      ? [{ label: t.labels.conocimiento, value: formatDate(result.conocimiento) }]
      : []),
    {
      label:
        result.effectiveBy === "conocimiento"
          ? t.labels.effectiveOnByConocimiento
          : t.labels.effectiveOn,
      value: formatDate(result.effectiveOn),
      primary: true,
    },
    {
      label: t.labels.terms,
      value: t.terms(
        result.recursoInconformidadDays,
        result.juicioNulidadDays,
        result.sinMediosDeDefensa,
      ),
    },
    { label: t.labels.recursoInconformidadBy, value: formatDate(result.recursoInconformidadBy) },
    { label: t.labels.juicioNulidadBy, value: formatDate(result.juicioNulidadBy) },
    { label: t.labels.availableUntil, value: formatDate(result.availableUntil) },
  ];
  return (
    <CalculationResult
      rows={rows}
      calendarAuthority={result.calendarAuthority}
      calendarVersion={result.calendarVersion}
      otherCalendars={[
        es.calculator.nulidadCalendar(
          result.juicioNulidadCalendar.authority,
          result.juicioNulidadCalendar.version,
        ),
      ]}
      notes={<WarningsList warnings={result.warnings} result={result} />}
      rulesVersion={result.rulesVersion}
      explanation={result.explanation}
    />
  );
}
