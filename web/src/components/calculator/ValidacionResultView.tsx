import type { ValidacionResult } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { CalculationResult } from "./CalculationResult.tsx";

const t = es.calculator.validacion;

export function ValidacionResultView({ result }: { result: ValidacionResult }) {
  return (
    <CalculationResult
      rows={[
        { label: t.labels.registeredAt, value: formatInstant(result.registeredAt) },
        { label: t.labels.expiresAt, value: formatInstant(result.expiresAt), primary: true },
      ]}
      rulesVersion={result.rulesVersion}
      explanation={result.explanation}
    />
  );
}
