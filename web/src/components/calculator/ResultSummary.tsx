export interface SummaryRow {
  label: string;
  value: string;
  /** Highlights the row that answers the question the person asked. */
  primary?: boolean;
}

/** The computed dates as a definition list: label, then the date in Spanish. */
export function ResultSummary({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl className="summary">
      {rows.map((row) => (
        <div
          className={row.primary ? "summary__row summary__row--primary" : "summary__row"}
          key={row.label}
        >
          <dt className="summary__label">{row.label}</dt>
          <dd className="summary__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
