import type { InputHTMLAttributes, Ref } from "react";

interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  label: string;
  hint?: string | undefined;
  invalid: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** A labelled input with an optional hint tied to it; `invalid` marks it for assistive tech. */
export function FormField({ id, label, hint, invalid, inputRef, ...input }: FormFieldProps) {
  const hintId = `${id}-ayuda`;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        className={input.type === "file" ? "field__input field__input--file" : "field__input"}
        id={id}
        name={id}
        ref={inputRef}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? hintId : undefined}
      />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
