import { useEffect, useRef, useState } from "react";
import { Link, useFetcher, useLoaderData, useLocation, useParams } from "react-router";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { displayValue } from "../components/activation/MeansList.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { TextField } from "../components/form/TextField.tsx";
import {
  ACLARACION_FIELD,
  CODE_FIELD,
  codeFromHash,
  cooldownLeft,
  MAX_ACLARACION_CHARS,
  type MailboxData,
  VALIDATION_INTENT,
  type ValidationAnswer,
} from "../data/mailbox.ts";
import { formatInstant } from "../format/dates.ts";
import { useSubmitOnce } from "../forms/useSubmitOnce.ts";
import { es } from "../i18n/es.ts";

const t = es.validateMeans;

/** Seconds left before «Reenviar código» may be asked again, counting down each second. */
function useCooldown(since: number | undefined, seconds: number): number {
  const [now, setNow] = useState(() => Date.now());
  const left = since === undefined ? 0 : cooldownLeft(since, now, seconds);
  useEffect(() => {
    if (left <= 0) return;
    const timer = window.setTimeout(() => setNow(Date.now()), 1000);
    return () => window.clearTimeout(timer);
  }, [left]);
  return left;
}

/**
 * /buzon/medios/:id/validar — «Validar medio de contacto»: the 6-digit code (filled from the
 * e-mail link's `#codigo=`), «Reenviar código de verificación» with its cool-down, and the
 * wrong / expired / locked answers (validateMeansAction).
 */
export function ValidateMeansPage() {
  const data = useLoaderData<MailboxData>();
  const { id = "" } = useParams();
  const { hash } = useLocation();
  const [linkCode] = useState(() => codeFromHash(hash));
  const validate = useFetcher<ValidationAnswer>({ key: `validar-${id}` });
  const resend = useFetcher<ValidationAnswer>({ key: `reenviar-${id}` });
  const done = useRef<HTMLDivElement>(null);
  const answer = validate.state === "idle" ? validate.data : undefined;
  const resent = resend.state === "idle" ? resend.data : undefined;
  const cooldown = useCooldown(
    resent?.status === "resent" ? resent.at : undefined,
    resent?.status === "resent" ? resent.cooldownSeconds : 0,
  );
  const aclaracion = useFetcher<ValidationAnswer>({ key: `aclaracion-${id}` });
  const filed = aclaracion.state === "idle" ? aclaracion.data : undefined;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const busy = validate.state !== "idle";
  const submitOnce = useSubmitOnce(busy, validate.data);
  // A second click would send a second code (refused by the wait) or file a second aclaración
  // (refused as already filed), and that refusal would replace the first answer.
  const resendOnce = useSubmitOnce(resend.state !== "idle", resend.data);
  const aclaracionOnce = useSubmitOnce(aclaracion.state !== "idle", aclaracion.data);

  // The code came in the link: out of the address bar (and the history) once read.
  useEffect(() => {
    if (linkCode) window.history.replaceState(window.history.state, "", window.location.pathname);
  }, [linkCode]);

  useEffect(() => {
    if (answer?.status === "validated") done.current?.focus();
  }, [answer]);

  const means = data.status === "loaded" ? data.buzon.means.find((m) => m.id === id) : undefined;
  // One aclaración per e-mail: once filed (now or before), its folio instead of the form.
  const earlier =
    data.status === "loaded" ? data.buzon.aclaraciones.find((a) => a.meansId === id) : undefined;
  const value = means ? displayValue(means) : "";
  const refusal = [answer, resent, filed].find((a) => a?.status === "refused");
  const aclaracionErrors = filed?.status === "invalid" ? filed.errors : {};

  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && !means && <p className="alert alert--error">{t.notFound}</p>}
      <div role="status">
        {answer?.status === "validated" && (
          <div className="notice__text" tabIndex={-1} ref={done}>
            <p>{t.validated(value)}</p>
            <p>{t.validatedAcuse}</p>
            <AcuseLink acuse={answer.acuse} />
            <p>
              <Link to="/buzon">{t.nextStep}</Link>
            </p>
          </div>
        )}
        {resent?.status === "resent" && <p className="notice__text">{t.resent}</p>}
      </div>
      {means && (
        <>
          <p className="means-heading">
            <strong>{t.meansTitle(es.contactMeans.kinds[means.kind], value)}</strong>
          </p>
          {means.status === "validado" && answer?.status !== "validated" && (
            <p className="notice__text">{t.alreadyValidated(value)}</p>
          )}
          {means.status === "cancelado" && (
            <p className="alert alert--error">{t.cancelled(value)}</p>
          )}
          {means.status === "pendiente" && (
            <>
              <p className="lead">{t.lead[means.kind]}</p>
              <p>
                {t.expiresAt}{" "}
                <time dateTime={means.expiresAt}>{formatInstant(means.expiresAt)}</time>.
              </p>
              {means.locked && resent?.status !== "resent" && (
                <p className="alert alert--error">{t.lockedNow}</p>
              )}
              <ErrorSummary errors={errors} submission={answer} />
              <validate.Form
                className="form form--narrow"
                method="post"
                noValidate
                aria-busy={busy}
                onSubmit={submitOnce}
              >
                <input type="hidden" name="intent" value={VALIDATION_INTENT.validate} />
                <div className="fieldset">
                  {/* No maxLength: a code pasted with spaces (« 123 456 ») must arrive whole;
                      readCode drops the spaces and then checks the six digits. */}
                  <TextField
                    id={CODE_FIELD}
                    label={t.code}
                    hint={
                      typeof means.attemptsLeft === "number" && !means.locked
                        ? `${t.codeHint} ${t.attemptsLeft(means.attemptsLeft)}`
                        : t.codeHint
                    }
                    error={errors[CODE_FIELD]}
                    defaultValue={linkCode}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    spellCheck={false}
                    className="field__input field__input--code"
                  />
                </div>
                <button className="button" type="submit" disabled={busy} aria-busy={busy}>
                  {busy ? t.submitting : t.submit}
                </button>
              </validate.Form>
              <resend.Form method="post" className="resend" onSubmit={resendOnce}>
                <input type="hidden" name="intent" value={VALIDATION_INTENT.resend} />
                <button
                  className="button button--secondary"
                  type="submit"
                  disabled={resend.state !== "idle" || cooldown > 0}
                  aria-describedby={cooldown > 0 ? "reenvio-espera" : undefined}
                >
                  {resend.state !== "idle" ? t.resending : t.resend}
                </button>
                {cooldown > 0 && (
                  <p className="field-hint" id="reenvio-espera">
                    {t.cooldown(cooldown)}
                  </p>
                )}
              </resend.Form>
              {means.kind === "correo" && means.aclaracionUntil && (
                <section className="aclaracion" aria-labelledby="aclaracion">
                  <h2 id="aclaracion">{t.aclaracionTitle}</h2>
                  <div role="status">
                    {filed?.status === "aclaracion" && (
                      <div className="registered">
                        <p className="registered__title">
                          {t.aclaracionFiled(filed.filed.acuse.folio)}
                        </p>
                        <AcuseLink acuse={filed.filed.acuse} />
                      </div>
                    )}
                  </div>
                  {filed?.status !== "aclaracion" && earlier && (
                    <p>
                      {earlier.status === "atendida" && earlier.note
                        ? t.aclaracionAttended(earlier.acuseFolio, earlier.note)
                        : t.aclaracionFiled(earlier.acuseFolio)}
                    </p>
                  )}
                  {filed?.status !== "aclaracion" && !earlier && (
                    <>
                      <p>{t.aclaracionLead(formatInstant(means.aclaracionUntil))}</p>
                      <aclaracion.Form
                        className="form form--narrow"
                        method="post"
                        noValidate
                        onSubmit={aclaracionOnce}
                      >
                        <input type="hidden" name="intent" value={VALIDATION_INTENT.aclaracion} />
                        <Field
                          id={ACLARACION_FIELD}
                          label={t.aclaracionField}
                          hint={t.aclaracionHint(MAX_ACLARACION_CHARS)}
                          error={aclaracionErrors[ACLARACION_FIELD]}
                        >
                          {(tie) => <textarea {...tie} className="field__input" rows={3} />}
                        </Field>
                        <button
                          className="button button--secondary"
                          type="submit"
                          disabled={aclaracion.state !== "idle"}
                        >
                          {aclaracion.state !== "idle" ? t.aclaracionSending : t.aclaracionSubmit}
                        </button>
                      </aclaracion.Form>
                    </>
                  )}
                </section>
              )}
            </>
          )}
        </>
      )}
      <RefusalAlert answer={refusal} />
      <p>
        <Link to="/buzon/medios">{t.backToMeans}</Link>
      </p>
    </>
  );
}

/** Expired and locked codes in words of their own; the server's detail follows. */
function RefusalAlert({ answer }: { answer: ValidationAnswer | undefined }) {
  if (answer?.status !== "refused") return <ErrorAlert problem={undefined} />;
  const lead =
    answer.reason === "expired" ? t.expired : answer.reason === "locked" ? t.locked : undefined;
  const problem = lead
    ? { ...answer.problem, detail: `${lead} ${answer.problem.detail}` }
    : answer.problem;
  return <ErrorAlert problem={problem} />;
}
