import type { ReactNode } from "react";

export interface Fact {
  label: string;
  value: ReactNode;
}

/** Label and value pairs as a definition list, drawn like the calculator's result. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <dl className="summary verification-facts">
      {facts.map((fact) => (
        <div className="summary__row" key={fact.label}>
          <dt className="summary__label">{fact.label}</dt>
          <dd className="summary__value">{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
