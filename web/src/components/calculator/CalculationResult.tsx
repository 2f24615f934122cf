import { useEffect, useId, useRef } from "react";
import type { ExplanationStep } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { CalendarStamp } from "./CalendarStamp.tsx";
import { ExplanationList } from "./ExplanationList.tsx";
import { ResultSummary, type SummaryRow } from "./ResultSummary.tsx";

interface CalculationResultProps {
  rows: SummaryRow[];
  calendarAuthority?: string | undefined;
  calendarVersion?: string | undefined;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/** A finished computation. Focus moves to its heading so the answer is read out first. */
export function CalculationResult(props: CalculationResultProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="result" aria-labelledby={titleId}>
      <h2 className="result__title" id={titleId} tabIndex={-1} ref={heading}>
        {es.calculator.resultTitle}
      </h2>
      <ResultSummary rows={props.rows} />
      <CalendarStamp
        authority={props.calendarAuthority}
        version={props.calendarVersion}
        rulesVersion={props.rulesVersion}
      />
      <ExplanationList steps={props.explanation} />
    </section>
  );
}
