import type { ReactNode } from "react";

export interface FieldProps {
  /** The input's id and name; the hint and the error take it as prefix. */
  id: string;
  label: string;
  hint?: string | undefined;
  /** The app's own Spanish message for this field, shown next to it. */
  error?: string | undefined;
  /** Renders the input with the attributes that tie it to its label, hint and error. */
  children: (input: {
    id: string;
    name: string;
    "aria-invalid": true | undefined;
    "aria-describedby": string | undefined;
  }) => ReactNode;
}

/** Ids of a field's hint and error, so a summary can link to them and inputs describe themselves. */
export function errorIdOf(id: string): string {
  return `${id}-error`;
}

/**
 * A labelled field: label, hint, the error next to the input (never a browser bubble), and the
 * aria-invalid / aria-describedby that tell assistive technology about both.
 */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const hintId = hint ? `${id}-ayuda` : undefined;
  const errorId = error ? errorIdOf(id) : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {children({
        id,
        name: id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
    </div>
  );
}
