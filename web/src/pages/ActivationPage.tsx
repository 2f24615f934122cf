import { useEffect, useRef } from "react";
import { Link, useFetcher, useLoaderData } from "react-router";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { EfirmaFields } from "../components/signin/EfirmaFields.tsx";
import { type ActivationAnswer, type ActivationData, TERMS_FIELDS } from "../data/activation.ts";
import { nextStepOf } from "../data/mailbox.ts";
import { useSubmitOnce } from "../forms/useSubmitOnce.ts";
import { es } from "../i18n/es.ts";

const t = es.activation;
const s = es.signIn;

/**
 * /buzon/activacion — «Activación del Buzón IMSS» (Lineamientos 5.3): the current Términos y
 * Condiciones (scrollable, with version and SHA-256), signed with the e.firma in this tab
 * (activationAction), then the acuse.
 */
export function ActivationPage() {
  const data = useLoaderData<ActivationData>();
  const { session } = useMailbox();
  const fetcher = useFetcher<ActivationAnswer>({ key: "firmar-terminos" });
  const password = useRef<HTMLInputElement>(null);
  const done = useRef<HTMLDivElement>(null);
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const signed = answer?.status === "signed" ? answer : undefined;
  const submitOnce = useSubmitOnce(busy, fetcher.data);

  // The password leaves the form as soon as the submission has taken it.
  useEffect(() => {
    if (busy && password.current) password.current.value = "";
  }, [busy]);

  useEffect(() => {
    if (signed) done.current?.focus();
  }, [signed]);

  const step = data.buzon ? nextStepOf(data.buzon) : undefined;

  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <div role="status">
        {signed && (
          <div className="registered" tabIndex={-1} ref={done}>
            <p className="registered__title">{t.signed(signed.signed.acuse.folio)}</p>
            <p>{t.signedVersion(signed.version)}</p>
            <AcuseLink acuse={signed.signed.acuse} />
            <p>
              <Link to="/buzon">{t.goHome}</Link>
            </p>
          </div>
        )}
      </div>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && !signed && (
        <>
          {step === "done" && <p className="notice__text">{t.alreadySigned(data.terms.version)}</p>}
          {(step === "register" || step === "validate") && (
            <div className="status-card">
              <p>{t.needsMeans}</p>
              <p>
                <Link className="button" to="/buzon/medios">
                  {t.goToMeans}
                </Link>
              </p>
            </div>
          )}
          <section aria-labelledby="terminos">
            <h2 id="terminos">{t.termsTitle}</h2>
            <dl className="facts">
              <div className="facts__row">
                <dt>{t.version}</dt>
                <dd>{data.terms.version}</dd>
              </div>
              <div className="facts__row">
                <dt>{t.sha256}</dt>
                <dd>
                  <code className="hash">{data.terms.sha256}</code>
                </dd>
              </div>
            </dl>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
            <section className="terms-text" aria-label={t.termsRegion} tabIndex={0}>
              {data.terms.text}
            </section>
          </section>
          {(step === "sign" || step === "resign") && (
            <section aria-labelledby="firmar">
              <h2 id="firmar">{t.signTitle}</h2>
              <details className="to-sign">
                <summary>{t.toSignTitle}</summary>
                <p className="field-hint">{t.toSignNote}</p>
                <pre className="to-sign__text">{data.terms.toSign}</pre>
              </details>
              <ErrorSummary errors={errors} submission={answer} />
              <fetcher.Form
                className="form form--narrow"
                method="post"
                encType="multipart/form-data"
                noValidate
                aria-busy={busy}
                onSubmit={submitOnce}
              >
                <input type="hidden" name={TERMS_FIELDS.version} value={data.terms.version} />
                <input type="hidden" name={TERMS_FIELDS.sha256} value={data.terms.sha256} />
                <div className="fieldset">
                  <div
                    className={
                      errors[TERMS_FIELDS.accept] ? "check-field field--error" : "check-field"
                    }
                  >
                    <input
                      id={TERMS_FIELDS.accept}
                      name={TERMS_FIELDS.accept}
                      type="checkbox"
                      value="si"
                      aria-invalid={errors[TERMS_FIELDS.accept] ? true : undefined}
                      aria-describedby={
                        errors[TERMS_FIELDS.accept] ? `${TERMS_FIELDS.accept}-error` : undefined
                      }
                    />
                    <label htmlFor={TERMS_FIELDS.accept}>{t.accept}</label>
                    {errors[TERMS_FIELDS.accept] && (
                      <p
                        className="field-error check-field__error"
                        id={`${TERMS_FIELDS.accept}-error`}
                      >
                        <span className="visually-hidden">Error: </span>
                        {errors[TERMS_FIELDS.accept]}
                      </p>
                    )}
                  </div>
                  <EfirmaFields ids={TERMS_FIELDS} errors={errors} passwordRef={password} />
                  <p className="required-note">{s.required}</p>
                </div>
                <p className="privacy-note">{t.privacyNote}</p>
                <p className="field-hint">{t.signAs(session.name, session.rfc)}</p>
                <button className="button" type="submit" disabled={busy} aria-busy={busy}>
                  {busy ? t.submitting : t.submit}
                </button>
              </fetcher.Form>
              <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
            </section>
          )}
        </>
      )}
    </>
  );
}
