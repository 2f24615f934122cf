import type { ReactNode } from "react";

export interface Fact {
  label: string;
  value: ReactNode;
}

/** Label and value pairs as a definition list, drawn like the calculator's result. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <dl className="summary verification-facts">
      {facts.map((fact, index) => (
        // A label may repeat (one «Alcance» per registro patronal): the position keeps keys apart.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is static for one answer.
        <div className="summary__row" key={`${index}-${fact.label}`}>
          <dt className="summary__label">{fact.label}</dt>
          <dd className="summary__value">{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
