import type { Ref } from "react";
import { Field } from "./Field.tsx";
import { FilePicker } from "./FilePicker.tsx";

interface FileFieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** What the picker offers first (the form still checks what it gets). */
  accept?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  onFile?: (file: File | undefined) => void;
}

/** A labelled file field with our Spanish picker (FilePicker), its hint and its error. */
export function FileField({ id, label, hint, error, accept, inputRef, onFile }: FileFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(tie) => (
        <FilePicker
          {...tie}
          inputRef={inputRef}
          accept={accept}
          onChange={(event) => onFile?.(event.target.files?.[0])}
        />
      )}
    </Field>
  );
}
