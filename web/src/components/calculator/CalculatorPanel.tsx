import type { ReactNode } from "react";

/** One tab's content: what the computation answers, then its form. */
export function CalculatorPanel({ description, form }: { description: string; form: ReactNode }) {
  return (
    <>
      <p className="panel-description">{description}</p>
      {form}
    </>
  );
}
