import { type ChangeEvent, type Ref, useState } from "react";
import { es } from "../../i18n/es.ts";
import { Field } from "./Field.tsx";

interface FileFieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  accept: string;
  inputRef?: Ref<HTMLInputElement>;
  onFile?: (file: File | undefined) => void;
}

/**
 * A file input whose visible part is ours, in Spanish: a button-like «Elegir archivo» and the
 * chosen file's name. The real input lies transparent over that button (so a click or a tap
 * opens the picker, and the keyboard and screen readers use it as usual, labelled once); the
 * browser's own «Choose File» text follows its language and is never shown.
 */
export function FileField({ id, label, hint, error, accept, inputRef, onFile }: FileFieldProps) {
  const [fileName, setFileName] = useState<string | undefined>();
  const nameId = `${id}-archivo`;
  function change(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileName(file?.name);
    onFile?.(file);
  }
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(tie) => (
        <div className="file-picker">
          <input
            {...tie}
            aria-describedby={[tie["aria-describedby"], nameId].filter(Boolean).join(" ")}
            ref={inputRef}
            className="file-picker__input"
            type="file"
            accept={accept}
            onChange={change}
          />
          <span className="button button--secondary file-picker__button" aria-hidden="true">
            {es.forms.chooseFile}
          </span>
          <span className="file-picker__name" id={nameId}>
            {fileName ?? es.forms.noFile}
          </span>
        </div>
      )}
    </Field>
  );
}
