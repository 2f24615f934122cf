import type { ReactNode } from "react";
import { describedByOf, FieldNotes } from "./Field.tsx";

interface ChoiceGroupProps {
  /** The inputs' name; also the fieldset's id, where the error summary sends the focus. */
  name: string;
  legend: string;
  hint?: ReactNode;
  error?: string | undefined;
  type?: "radio" | "checkbox";
  options: readonly { value: string; label: string }[];
  value?: string | undefined;
  onChange?: (value: string) => void;
}

/**
 * Radio buttons (or check boxes) in a fieldset with its legend, hint and error next to it. The
 * fieldset takes the focus from the error summary, so a screen reader announces the question.
 */
export function ChoiceGroup({
  name,
  legend,
  hint,
  error,
  type = "radio",
  options,
  value,
  onChange,
}: ChoiceGroupProps) {
  return (
    <fieldset
      className={error ? "choice-group field--error" : "choice-group"}
      id={name}
      tabIndex={-1}
      aria-describedby={describedByOf(name, hint, error)}
    >
      <legend className="choice-group__legend">{legend}</legend>
      <FieldNotes id={name} hint={hint} error={error} />
      <div className="choice-group__options">
        {options.map((option) => {
          const id = `${name}-${option.value}`;
          return (
            <div className="check-field choice-group__option" key={option.value}>
              <input
                id={id}
                name={name}
                type={type}
                value={option.value}
                aria-invalid={error ? true : undefined}
                {...(value === undefined ? {} : { checked: value === option.value })}
                onChange={(event) => onChange?.(event.target.value)}
              />
              <label htmlFor={id}>{option.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
