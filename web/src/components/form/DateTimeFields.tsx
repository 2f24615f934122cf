import { es } from "../../i18n/es.ts";
import { Field, type FieldTie } from "./Field.tsx";

interface DateTimeFieldsProps {
  /** Prefix of the inputs' ids and names: `${id}-fecha`, `${id}-hora`. */
  id: string;
  legend: string;
  dateLabel: string;
  timeLabel: string;
  hint?: string | undefined;
  errors: Record<string, string | undefined>;
}

/**
 * A date (dd/mm/aaaa) and a 24-hour Zona Centro time (HH:MM, seconds optional) as plain text
 * inputs: the browser's own date and time widgets follow its language (mm/dd/yyyy and AM/PM in
 * an English Chromium), and these read the same everywhere.
 */
export function DateTimeFields({
  id,
  legend,
  dateLabel,
  timeLabel,
  hint,
  errors,
}: DateTimeFieldsProps) {
  const hintId = `${id}-hint`;
  const dateId = `${id}-fecha`;
  const timeId = `${id}-hora`;
  return (
    <fieldset className="fieldset" aria-describedby={hint ? hintId : undefined}>
      <legend className="fieldset__legend">{legend}</legend>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="field-row">
        <Field id={dateId} label={dateLabel} hint={es.forms.dateHint} error={errors[dateId]}>
          {(tie) => <DateInput tie={tie} />}
        </Field>
        <Field id={timeId} label={timeLabel} hint={es.forms.timeHint} error={errors[timeId]}>
          {(tie) => (
            <input
              {...tie}
              className="field__input field__input--time"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              maxLength={8}
              placeholder="HH:MM"
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

/**
 * A date typed as dd/mm/aaaa in plain text (not the browser's widget, which follows its
 * language); the form's own check reads it.
 */
export function DateInput({ tie }: { tie: FieldTie }) {
  return (
    <input
      {...tie}
      className="field__input field__input--date"
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      maxLength={10}
      placeholder="dd/mm/aaaa"
    />
  );
}
