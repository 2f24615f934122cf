import { CHECKED, OPTION_FIELDS } from "../../data/calculator.ts";
import { es } from "../../i18n/es.ts";
import { ChoiceGroup } from "../form/ChoiceGroup.tsx";
import { DateInput } from "../form/DateTimeFields.tsx";
import { Field } from "../form/Field.tsx";

const t = es.calculator.notificacion;

interface NotificacionOptionsProps {
  errors: Record<string, string | undefined>;
  /** The TFJA calendar's versions, newest first; none hides the choice (the API uses its own). */
  tfjaVersions: string[];
}

/**
 * What changes the terms to challenge besides the dates: an act that omits the medios de
 * defensa (LFDC art. 23), a declared earlier knowledge (CFF art. 135 ¶2) and the TFJA calendar.
 */
export function NotificacionOptions({ errors, tfjaVersions }: NotificacionOptionsProps) {
  const [current, ...older] = tfjaVersions;
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{t.optionsLegend}</legend>
      <ChoiceGroup
        name={OPTION_FIELDS.sinMediosDeDefensa}
        legend={t.sinMediosLegend}
        hint={t.sinMediosHint}
        type="checkbox"
        options={[{ value: CHECKED, label: t.sinMediosLabel }]}
      />
      <Field
        id={OPTION_FIELDS.conocimiento}
        label={t.conocimiento}
        hint={t.conocimientoHint}
        error={errors[OPTION_FIELDS.conocimiento]}
      >
        {(tie) => <DateInput tie={tie} />}
      </Field>
      {current !== undefined && (
        <Field
          id={OPTION_FIELDS.calendarioTfja}
          label={t.calendarioTfja}
          hint={t.calendarioTfjaHint}
        >
          {(tie) => (
            <select {...tie} className="field__input field__input--select" defaultValue="">
              <option value="">{t.calendarioTfjaCurrent(current)}</option>
              {older.map((version) => (
                <option key={version} value={version}>
                  {t.calendarioTfjaVersion(version)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </fieldset>
  );
}
