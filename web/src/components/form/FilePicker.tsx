import { type ChangeEvent, type InputHTMLAttributes, type Ref, useState } from "react";
import { es } from "../../i18n/es.ts";

interface FilePickerProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  id: string;
  inputRef?: Ref<HTMLInputElement> | undefined;
}

/**
 * A file input whose visible part is ours, in Spanish: a button-like «Elegir archivo» and the
 * chosen file's name. The real input lies transparent over that button (so a click or a tap
 * opens the picker, and the keyboard and screen readers use it as usual, labelled once); the
 * browser's own «Choose File» text follows its language and is never shown.
 */
export function FilePicker({ id, inputRef, onChange, ...input }: FilePickerProps) {
  const [fileName, setFileName] = useState<string | undefined>();
  const nameId = `${id}-archivo`;
  function change(event: ChangeEvent<HTMLInputElement>) {
    const names = [...(event.target.files ?? [])].map((file) => file.name);
    // Several files (a batch of PDFs): how many, and their names.
    setFileName(names.length > 1 ? es.forms.chosenFiles(names.length, names.join(", ")) : names[0]);
    onChange?.(event);
  }
  return (
    <div className="file-picker">
      <input
        {...input}
        id={id}
        aria-describedby={[input["aria-describedby"], nameId].filter(Boolean).join(" ")}
        ref={inputRef}
        className="file-picker__input"
        type="file"
        onChange={change}
      />
      <span className="button button--secondary file-picker__button" aria-hidden="true">
        {es.forms.chooseFile}
      </span>
      <span className="file-picker__name" id={nameId}>
        {fileName ?? es.forms.noFile}
      </span>
    </div>
  );
}
