import type { InputHTMLAttributes, Ref } from "react";
import { FilePicker } from "../form/FilePicker.tsx";

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
      {input.type === "file" ? (
        // Our Spanish «Elegir archivo» and the file's name, never the browser's «Choose File».
        <FilePicker
          {...input}
          id={id}
          name={id}
          inputRef={inputRef}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? hintId : undefined}
        />
      ) : (
        <input
          {...input}
          className="field__input"
          id={id}
          name={id}
          ref={inputRef}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? hintId : undefined}
        />
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
