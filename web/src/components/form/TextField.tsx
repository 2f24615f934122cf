import type { InputHTMLAttributes, Ref } from "react";
import { Field } from "./Field.tsx";

interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "type"> {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  type?: "text" | "password";
  inputRef?: Ref<HTMLInputElement>;
}

/** A text (or password) input in a Field. The form validates it itself: no `required`. */
export function TextField({ id, label, hint, error, type, inputRef, ...input }: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(tie) => (
        <input {...input} {...tie} ref={inputRef} className="field__input" type={type ?? "text"} />
      )}
    </Field>
  );
}
