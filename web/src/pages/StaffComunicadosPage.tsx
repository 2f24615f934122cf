import { useState } from "react";
import { Form, useActionData, useLoaderData, useNavigation } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ChoiceGroup } from "../components/form/ChoiceGroup.tsx";
import { DateTimeFields } from "../components/form/DateTimeFields.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { TextField } from "../components/form/TextField.tsx";
import {
  COMPOSE_FIELDS,
  type ComposeAnswer,
  type StaffComunicadosData,
} from "../data/expedientes.ts";
import { formatInstant } from "../format/dates.ts";
import { useSubmitOnce } from "../forms/useSubmitOnce.ts";
import { es } from "../i18n/es.ts";

const t = es.expedientes.staff;
const F = COMPOSE_FIELDS;

/**
 * /personal/comunicados — compose a comunicado (general, a subdelegación, one RFC), see it as it
 * will read and how many it reaches, publish it now or from a future instant; below, those
 * published and scheduled with how many have read each.
 */
export function StaffComunicadosPage() {
  const data = useLoaderData<StaffComunicadosData>();
  const answer = useActionData<ComposeAnswer>();
  const navigation = useNavigation();
  // Until the router is idle again: the revalidation after publishing is still the submission.
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const submitOnce = useSubmitOnce(busy, answer);
  const [audience, setAudience] = useState("general");
  const errors = answer?.status === "invalid" ? answer.errors : {};
  // A new, empty form after each publication.
  const formKey = answer?.status === "published" ? answer.comunicado.id : "nuevo";
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {answer?.status === "refused" && <ErrorAlert problem={answer.problem} />}
      {answer?.status === "published" && (
        <p className="notice notice--success" role="status">
          {answer.comunicado.scheduled
            ? t.scheduledDone(answer.comunicado.title, formatInstant(answer.comunicado.publishedAt))
            : t.published(answer.comunicado.title)}
        </p>
      )}
      <section aria-labelledby="nuevo-comunicado">
        <h2 id="nuevo-comunicado">{t.composeTitle}</h2>
        <ErrorSummary errors={errors} submission={answer} />
        <Form
          key={formKey}
          method="post"
          className="form form--narrow"
          noValidate
          aria-busy={busy}
          onSubmit={submitOnce}
        >
          <TextField
            id={F.title}
            label={t.titleField}
            hint={t.titleHint}
            error={errors[F.title]}
            maxLength={200}
            autoComplete="off"
          />
          <Field id={F.body} label={t.body} hint={t.bodyHint} error={errors[F.body]}>
            {(tie) => <textarea {...tie} className="field__input" rows={6} maxLength={20000} />}
          </Field>
          <ChoiceGroup
            name={F.audience}
            legend={t.audience}
            options={[
              { value: "general", label: t.audiences.general },
              { value: "subdelegacion", label: t.audiences.subdelegacion },
              { value: "rfc", label: t.audiences.rfc },
            ]}
            value={audience}
            onChange={setAudience}
          />
          {audience === "subdelegacion" && data.status === "loaded" && (
            <Field id={F.subdelegacion} label={t.subdelegacion} error={errors[F.subdelegacion]}>
              {(tie) => (
                <select {...tie} className="field__input field__input--select" defaultValue="">
                  <option value="" />
                  {data.subdelegaciones.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {audience === "rfc" && (
            <TextField
              id={F.rfc}
              label={t.rfc}
              hint={t.rfcHint}
              error={errors[F.rfc]}
              maxLength={13}
              autoComplete="off"
            />
          )}
          <div className="check-field">
            <input id={F.sendEmail} name={F.sendEmail} type="checkbox" value="si" />
            <label htmlFor={F.sendEmail}>{t.sendEmail}</label>
          </div>
          <DateTimeFields
            id={F.when}
            legend={t.publishedAt}
            dateLabel={t.date}
            timeLabel={t.time}
            hint={t.publishedAtHint}
            errors={errors}
          />
          <p className="form__actions">
            <button
              className="button button--secondary"
              type="submit"
              name={F.intent}
              value="vista-previa"
              disabled={busy}
            >
              {t.preview}
            </button>{" "}
            <button
              className="button"
              type="submit"
              name={F.intent}
              value="publicar"
              disabled={busy}
            >
              {t.publish}
            </button>
          </p>
        </Form>
        {answer?.status === "preview" && (
          <section className="comunicado-preview" aria-labelledby="vista-previa" role="status">
            <h3 id="vista-previa">{t.previewTitle}</h3>
            <article className="comunicado-card">
              <h4 className="comunicado-card__title">{answer.preview.title}</h4>
              {answer.preview.body.split(/\n+/).map((paragraph, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of one fixed text.
                <p key={i}>{paragraph}</p>
              ))}
            </article>
            <p>
              {answer.preview.audienceLabel}. {t.reach(answer.preview.reach)}{" "}
              {answer.preview.scheduled
                ? t.scheduledFor(formatInstant(answer.preview.publishedAt))
                : t.showsNow}{" "}
              {answer.preview.sendEmail ? t.withEmail : ""}
            </p>
          </section>
        )}
      </section>
      {data.status === "loaded" && (
        <section aria-labelledby="comunicados-publicados">
          <h2 id="comunicados-publicados">{t.listTitle}</h2>
          {data.items.length === 0 ? (
            <p>{t.empty}</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
            <section className="table-scroll" aria-label={t.listLabel} tabIndex={0}>
              <table className="table acuses-table">
                <caption className="visually-hidden">{t.listLabel}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.columns.title}</th>
                    <th scope="col">{t.columns.audience}</th>
                    <th scope="col">{t.columns.publishedAt}</th>
                    <th scope="col">{t.columns.state}</th>
                    <th scope="col">{t.columns.readers}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" data-label={t.columns.title}>
                        {c.title}
                      </th>
                      <td data-label={t.columns.audience}>{c.audienceLabel}</td>
                      <td data-label={t.columns.publishedAt}>
                        <time dateTime={c.publishedAt}>{formatInstant(c.publishedAt)}</time>
                      </td>
                      <td data-label={t.columns.state}>{c.scheduled ? t.scheduled : t.live}</td>
                      <td data-label={t.columns.readers}>{c.readers.toLocaleString("es-MX")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </section>
      )}
    </>
  );
}
