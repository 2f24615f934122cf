import type { PromocionResult } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { CalculationResult } from "./CalculationResult.tsx";

const t = es.calculator.promocion;

export function PromocionResultView({ result }: { result: PromocionResult }) {
  return (
    <CalculationResult
      rows={[
        { label: t.labels.sentAt, value: formatInstant(result.sentAt) },
        { label: t.labels.receivedAt, value: formatInstant(result.receivedAt), primary: true },
      ]}
      calendarAuthority={result.calendarAuthority}
      calendarVersion={result.calendarVersion}
      rulesVersion={result.rulesVersion}
      explanation={result.explanation}
    />
  );
}
