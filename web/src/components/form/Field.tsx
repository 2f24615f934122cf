import type { ReactNode } from "react";

export interface FieldProps {
  /** The input's id and name; the hint and the error take it as prefix. */
  id: string;
  label: string;
  hint?: string | undefined;
  /** The app's own Spanish message for this field, shown next to it. */
  error?: string | undefined;
  /** Renders the input with the attributes that tie it to its label, hint and error. */
  children: (input: FieldTie) => ReactNode;
}

/** The attributes that tie an input to its label, hint and error. */
export interface FieldTie {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** Ids of a field's hint and error, so a summary can link to them and inputs describe themselves. */
export function errorIdOf(id: string): string {
  return `${id}-error`;
}

/** What an input (or fieldset) named `id` points its aria-describedby at: its error, then hint. */
export function describedByOf(id: string, hint: unknown, error: string | undefined) {
  const hintId = hint ? `${id}-ayuda` : undefined;
  const errorId = error ? errorIdOf(id) : undefined;
  return [errorId, hintId].filter(Boolean).join(" ") || undefined;
}

/** A field's hint and its error (never a browser bubble), with the ids describedByOf names. */
export function FieldNotes({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  return (
    <>
      {hint && (
        <p className="field-hint" id={`${id}-ayuda`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorIdOf(id)}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
    </>
  );
}

/**
 * A labelled field: label, hint, the error next to the input (never a browser bubble), and the
 * aria-invalid / aria-describedby that tell assistive technology about both.
 */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = describedByOf(id, hint, error);
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <FieldNotes id={id} hint={hint} error={error} />
      {children({
        id,
        name: id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
    </div>
  );
}
