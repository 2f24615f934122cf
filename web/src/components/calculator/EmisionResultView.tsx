import type { EmisionResult } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { CalculationResult } from "./CalculationResult.tsx";

const t = es.calculator.emision;

export function EmisionResultView({ result }: { result: EmisionResult }) {
  return (
    <CalculationResult
      rows={[
        { label: t.labels.at, value: formatInstant(result.at) },
        { label: t.labels.notifiedAt, value: formatInstant(result.notifiedAt), primary: true },
      ]}
      calendarAuthority={result.calendarAuthority}
      calendarVersion={result.calendarVersion}
      rulesVersion={result.rulesVersion}
      explanation={result.explanation}
    />
  );
}
