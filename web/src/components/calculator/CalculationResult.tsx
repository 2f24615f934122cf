import { type ReactNode, useEffect, useId, useRef } from "react";
import type { ExplanationStep } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { CalendarStamp } from "./CalendarStamp.tsx";
import { ExplanationList } from "./ExplanationList.tsx";
import { ResultSummary, type SummaryRow } from "./ResultSummary.tsx";

interface CalculationResultProps {
  rows: SummaryRow[];
  /** What the person should weigh before relying on the dates, shown right under them. */
  notes?: ReactNode;
  calendarAuthority?: string | undefined;
  calendarVersion?: string | undefined;
  /** More calendars than the main one (the TFJA's for the juicio de nulidad), in words. */
  otherCalendars?: string[];
  rulesVersion: string;
  explanation: ExplanationStep[];
}

/** A finished computation. Focus moves to its heading so the answer is read out first. */
export function CalculationResult(props: CalculationResultProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const { calendarAuthority: authority, calendarVersion: version } = props;
  const calendars = [
    ...(authority && version ? [es.calculator.calendarVersion(authority, version)] : []),
    ...(props.otherCalendars ?? []),
  ];
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="result" aria-labelledby={titleId}>
      <h2 className="result__title" id={titleId} tabIndex={-1} ref={heading}>
        {es.calculator.resultTitle}
      </h2>
      <ResultSummary rows={props.rows} />
      {props.notes}
      <CalendarStamp calendars={calendars} rulesVersion={props.rulesVersion} />
      <ExplanationList steps={props.explanation} />
    </section>
  );
}
