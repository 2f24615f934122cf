import { MAX_YEAR, MIN_YEAR } from "../../../../src/domain/time/range.ts";
import { es } from "../../i18n/es.ts";

interface DateTimeFieldsProps {
  /** Prefix for the ids of the inputs and hints. */
  id: string;
  legend: string;
  dateLabel: string;
  timeLabel: string;
  date: string;
  time: string;
  onDateChange: (value: string) => void;
  onTimeChange: (value: string) => void;
  required: boolean;
  hint?: string;
}

/** A date and a Zona Centro time, grouped under a legend, each input with its own label. */
export function DateTimeFields(props: DateTimeFieldsProps) {
  const { id, legend, dateLabel, timeLabel, date, time, required, hint } = props;
  const hintId = `${id}-hint`;
  const zoneId = `${id}-zona`;
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{legend}</legend>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="field-row">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-fecha`}>
            {dateLabel}
          </label>
          <input
            className="field__input"
            id={`${id}-fecha`}
            name={`${id}-fecha`}
            type="date"
            min={`${MIN_YEAR}-01-01`}
            max={`${MAX_YEAR}-12-31`}
            required={required}
            value={date}
            aria-describedby={hint ? hintId : undefined}
            onChange={(event) => props.onDateChange(event.target.value)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-hora`}>
            {timeLabel}
          </label>
          <input
            className="field__input"
            id={`${id}-hora`}
            name={`${id}-hora`}
            type="time"
            step="1"
            required={required}
            value={time}
            aria-describedby={hint ? `${zoneId} ${hintId}` : zoneId}
            onChange={(event) => props.onTimeChange(event.target.value)}
          />
          <p className="field-hint" id={zoneId}>
            {es.calculator.timeZoneHint}
          </p>
        </div>
      </div>
    </fieldset>
  );
}
