import { useRef, useState } from "react";
import { useFetcher } from "react-router";
import type { MailboxView, MeansKind } from "../../api/types.ts";
import {
  MEANS_FIELDS,
  MEANS_INTENT,
  type MeansAnswer,
  meansRequestOf,
  readMeansForm,
  validateMeans,
} from "../../data/mailbox.ts";
import { es } from "../../i18n/es.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { ChoiceGroup } from "../form/ChoiceGroup.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import { TextField } from "../form/TextField.tsx";
import { RegisteredMessage } from "./RegisteredMessage.tsx";

const t = es.contactMeans;

/** The fetcher «Guardar» posts through; the page reads its answer too. */
export const REGISTER_FETCHER = "registrar-medio";

/**
 * «Nuevo medio de contacto», as the portal has it (Medio de Contacto de RFC / de Registros
 * Patronales, Mecanismo de Comunicación, the means, «Guardar», then «¿Deseas continuar…?»),
 * checked here first: a form with errors goes straight to the action, which lists them all.
 */
export function MeansForm({ buzon }: { buzon: MailboxView }) {
  const fetcher = useFetcher<MeansAnswer>({ key: REGISTER_FETCHER });
  const form = useRef<HTMLFormElement>(null);
  const [scope, setScope] = useState("rfc");
  const [kind, setKind] = useState<MeansKind | undefined>();
  const [allRegistros, setAllRegistros] = useState(false);
  const [confirming, setConfirming] = useState<string | undefined>();
  // Errors are those of the last submission, as in every form; a «Guardar» that passes the
  // checks here is a submission too (it waits for the confirmation), so the server's earlier
  // answer stops being shown.
  const [superseded, setSuperseded] = useState<MeansAnswer | undefined>();
  const idle = fetcher.state === "idle" ? fetcher.data : undefined;
  const answer = idle === superseded ? undefined : idle;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const busy = fetcher.state !== "idle";
  const registros = buzon.registrosPatronales ?? [];

  function submit() {
    if (form.current) fetcher.submit(form.current, { method: "post", action: "/buzon/medios" });
  }

  function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = readMeansForm(new FormData(event.currentTarget));
    if (Object.keys(validateMeans(input, buzon.means)).length > 0) {
      submit();
      return;
    }
    setSuperseded(idle);
    const request = meansRequestOf(input, registros);
    const where =
      request.registrosPatronales === undefined
        ? t.confirmScopeRfc(buzon.rfc)
        : t.confirmScopeRegistros(request.registrosPatronales.length);
    setConfirming(t.confirmWhat(t.kinds[request.kind], input.value.trim(), where));
  }

  function registered() {
    form.current?.reset();
    setKind(undefined);
    setScope("rfc");
    setAllRegistros(false);
  }

  return (
    <section className="means-form" aria-labelledby="nuevo-medio">
      <h2 id="nuevo-medio">{t.newTitle}</h2>
      <RegisteredMessage answer={answer} onShown={registered} />
      <ErrorSummary errors={errors} submission={answer} />
      <form ref={form} className="form" method="post" noValidate onSubmit={save} aria-busy={busy}>
        <input type="hidden" name="intent" value={MEANS_INTENT.register} />
        <div className="fieldset">
          {registros.length > 0 ? (
            <ChoiceGroup
              name={MEANS_FIELDS.scope}
              legend={t.scopeLegend}
              hint={t.scopeHint(buzon.rfc)}
              error={errors[MEANS_FIELDS.scope]}
              options={[
                { value: "rfc", label: t.scopes.rfc },
                { value: "registros", label: t.scopes.registros },
              ]}
              value={scope}
              onChange={setScope}
            />
          ) : (
            <input type="hidden" name={MEANS_FIELDS.scope} value="rfc" />
          )}
          <ChoiceGroup
            name={MEANS_FIELDS.kind}
            legend={t.kindLegend}
            error={errors[MEANS_FIELDS.kind]}
            options={[
              { value: "correo", label: t.kinds.correo },
              { value: "celular", label: t.kinds.celular },
            ]}
            value={kind ?? ""}
            onChange={(value) => setKind(value as MeansKind)}
          />
          <TextField
            id={MEANS_FIELDS.value}
            label={kind ? t.valueLabel[kind] : t.value}
            hint={t.valueHint[kind ?? "any"]}
            error={errors[MEANS_FIELDS.value]}
            type="text"
            inputMode={kind === "celular" ? "tel" : kind === "correo" ? "email" : "text"}
            autoComplete={kind === "celular" ? "tel-national" : kind === "correo" ? "email" : "off"}
            autoCapitalize="none"
            spellCheck={false}
            maxLength={254}
          />
          {scope === "registros" && registros.length > 0 && (
            <fieldset
              className={
                errors[MEANS_FIELDS.registros] ? "choice-group field--error" : "choice-group"
              }
              id={MEANS_FIELDS.registros}
              tabIndex={-1}
              aria-describedby={
                errors[MEANS_FIELDS.registros] ? `${MEANS_FIELDS.registros}-error` : undefined
              }
            >
              <legend className="choice-group__legend">{t.registrosLegend}</legend>
              {errors[MEANS_FIELDS.registros] && (
                <p className="field-error" id={`${MEANS_FIELDS.registros}-error`}>
                  <span className="visually-hidden">Error: </span>
                  {errors[MEANS_FIELDS.registros]}
                </p>
              )}
              <div className="check-field">
                <input
                  id={MEANS_FIELDS.allRegistros}
                  name={MEANS_FIELDS.allRegistros}
                  type="checkbox"
                  value="si"
                  checked={allRegistros}
                  onChange={(event) => setAllRegistros(event.target.checked)}
                />
                <label htmlFor={MEANS_FIELDS.allRegistros}>{t.allRegistros}</label>
              </div>
              <div className="choice-group__options choice-group__options--indented">
                {registros.map((registro) => (
                  <div className="check-field" key={registro}>
                    <input
                      id={`registro-${registro}`}
                      name={MEANS_FIELDS.registros}
                      type="checkbox"
                      value={registro}
                      {...(allRegistros ? { checked: true, disabled: true } : {})}
                    />
                    <label htmlFor={`registro-${registro}`}>{registro}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          )}
        </div>
        <button className="button" type="submit" disabled={busy} aria-busy={busy}>
          {busy ? t.saving : t.save}
        </button>
      </form>
      <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
      <ConfirmDialog
        open={confirming !== undefined}
        title={t.confirmTitle}
        acceptLabel={t.accept}
        cancelLabel={t.cancel}
        onCancel={() => setConfirming(undefined)}
        onAccept={() => {
          setConfirming(undefined);
          submit();
        }}
      >
        <p>{t.confirmText}</p>
        <p className="dialog__what">{confirming}</p>
      </ConfirmDialog>
    </section>
  );
}
