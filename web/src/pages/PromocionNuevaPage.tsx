import { useEffect, useRef, useState } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { KIND_EXTENSIONS } from "../../../src/domain/promociones/catalogo.ts";
import { PAGE_PATHS, promocionPath } from "../../../src/platform/http/page-paths.ts";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { FilePicker } from "../components/form/FilePicker.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { RefusedPage } from "../components/RefusedPage.tsx";
import { EfirmaFields } from "../components/signin/EfirmaFields.tsx";
import {
  COMPOSE_FIELDS,
  type ComposeAnswer,
  type ComposeData,
  type HashedFile,
  hashFiles,
} from "../data/promociones.ts";
import { formatInstant } from "../format/dates.ts";
import { useSubmitOnce } from "../forms/useSubmitOnce.ts";
import { es } from "../i18n/es.ts";

const t = es.promociones;
const c = t.compose;

/** The catalogue's kinds arrive as strings. */
const EXTENSIONS: Record<string, readonly string[] | undefined> = KIND_EXTENSIONS;
/**
 * /buzon/promociones/nueva — compose a promoción by type (its fields and limits from the
 * catalogue), choose its anexos (hashed here as they are chosen), save it as a draft or sign it
 * with the e.firma and file it; then its acuse de recibo.
 */
export function PromocionNuevaPage() {
  const data = useLoaderData<ComposeData>();
  const answer = useActionData<ComposeAnswer>();
  const navigation = useNavigation();
  const { session } = useMailbox();
  // Busy until the submission is over, revalidation included: this form's own (its intent).
  const busy =
    navigation.state !== "idle" && navigation.formData?.has(COMPOSE_FIELDS.intent) === true;
  const intent = navigation.formData?.get(COMPOSE_FIELDS.intent);
  const password = useRef<HTMLInputElement>(null);
  const filedBox = useRef<HTMLDivElement>(null);
  const draft = data.status === "loaded" ? data.draft : undefined;
  const [typeId, setTypeId] = useState(draft?.type ?? "");
  const [hashed, setHashed] = useState<HashedFile[] | "working" | undefined>();
  const submitOnce = useSubmitOnce(busy, answer);

  useEffect(() => {
    if (busy && password.current) password.current.value = "";
  }, [busy]);
  useEffect(() => {
    if (answer?.status === "filed") filedBox.current?.focus();
  }, [answer]);

  if (data.status === "refused") {
    return (
      <RefusedPage
        title={c.title}
        problem={data.problem}
        back={{ to: PAGE_PATHS.promociones, label: c.back }}
      />
    );
  }

  if (answer?.status === "filed") {
    const { filed } = answer;
    return (
      <>
        <DocumentTitle title={c.filedTitle} />
        <h1>{c.filedTitle}</h1>
        <div className="registered" tabIndex={-1} ref={filedBox} role="status">
          <p className="registered__title">{c.filedLead(formatInstant(filed.receivedAt))}</p>
          <p>{c.filedSentNote}</p>
          <AcuseLink acuse={filed.acuse} />
        </div>
        <p className="downloads">
          <Link className="button" to={promocionPath(filed.id)}>
            {c.filedView}
          </Link>{" "}
          <Link className="button button--secondary" to={PAGE_PATHS.promociones}>
            {c.back}
          </Link>
        </p>
      </>
    );
  }

  const type = data.types.find((candidate) => candidate.id === typeId);
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const savedDraft = answer?.status === "draft" ? answer.draft : draft;
  const answerable = data.notificaciones.filter(
    (n) => n.state === "pendiente" || n.state === "notificada",
  );
  const chosen = Array.isArray(hashed) ? hashed : [];

  return (
    <>
      <DocumentTitle title={c.title} />
      <p className="back-link">
        <Link to={PAGE_PATHS.promociones}>{c.back}</Link>
      </p>
      <h1>{c.title}</h1>
      <p className="lead">{c.lead}</p>
      <ErrorSummary errors={errors} submission={answer} />
      <div role="status">
        {answer?.status === "draft" && (
          <p className="registered registered__title">
            {c.draftSaved(formatInstant(answer.draft.updatedAt))}
          </p>
        )}
      </div>
      <Form
        method="post"
        encType="multipart/form-data"
        noValidate
        aria-busy={busy}
        onSubmit={submitOnce}
      >
        {savedDraft && <input type="hidden" name={COMPOSE_FIELDS.draft} value={savedDraft.id} />}
        <Field
          id={COMPOSE_FIELDS.type}
          label={c.type}
          hint={c.typeHint}
          error={errors[COMPOSE_FIELDS.type]}
        >
          {(tie) => (
            <select
              {...tie}
              className="field__input field__input--select"
              value={typeId}
              onChange={(event) => setTypeId(event.target.value)}
            >
              <option value="">{c.chooseType}</option>
              {data.types.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {type && (
          <p className="note">
            {c.limits(
              type.adjuntos.tipos.map((k) => c.kindNames[k] ?? k).join(", "),
              type.adjuntos.maxArchivos,
              type.adjuntos.maxBytesPorArchivo,
              type.adjuntos.maxBytesTotal,
            )}
            {type.nota && ` ${type.nota}`}
          </p>
        )}
        <TextField
          id={COMPOSE_FIELDS.subject}
          label={c.subject}
          hint={c.subjectHint(type?.asunto.maxLength ?? 200)}
          error={errors[COMPOSE_FIELDS.subject]}
          defaultValue={draft?.subject ?? ""}
          maxLength={type?.asunto.maxLength}
          autoComplete="off"
        />
        {type?.notificacion === "requerida" && (
          <Field
            id={COMPOSE_FIELDS.notificacion}
            label={c.notificacion}
            hint={answerable.length === 0 ? c.noNotificaciones : c.notificacionHint}
            error={errors[COMPOSE_FIELDS.notificacion]}
          >
            {(tie) => (
              <select
                {...tie}
                className="field__input field__input--select"
                defaultValue={draft?.notificacionId ?? ""}
              >
                <option value="">{c.chooseNotificacion}</option>
                {answerable.map((n) => (
                  <option key={n.id} value={n.id}>
                    {c.notificacionOption(n.oficio, n.actType)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field
          id={COMPOSE_FIELDS.text}
          label={c.text}
          hint={c.textHint(type?.texto.maxLength ?? 20000)}
          error={errors[COMPOSE_FIELDS.text]}
        >
          {(tie) => (
            <textarea
              {...tie}
              className="field__input"
              rows={8}
              defaultValue={draft?.text ?? ""}
              maxLength={type?.texto.maxLength}
            />
          )}
        </Field>
        {(!type || type.adjuntos.maxArchivos > 0) && (
          <Field
            id={COMPOSE_FIELDS.files}
            label={c.files}
            hint={c.filesHint}
            error={errors[COMPOSE_FIELDS.files]}
          >
            {(tie) => (
              <FilePicker
                {...tie}
                multiple
                // The picker offers the type's extensions: a name must carry its kind's.
                accept={type?.adjuntos.tipos
                  .flatMap((k) => (EXTENSIONS[k] ?? []).map((e) => `.${e}`))
                  .join(",")}
                onChange={(event) => {
                  const files = [...(event.target.files ?? [])];
                  setHashed("working");
                  hashFiles(files).then(setHashed, () => setHashed(undefined));
                }}
              />
            )}
          </Field>
        )}
        <div aria-live="polite">
          {hashed === "working" && <p className="note">{c.hashing}</p>}
          {chosen.length > 0 && (
            <>
              <h2 className="promocion-files__title">{c.filesTitle}</h2>
              <ol className="promocion-files">
                {chosen.map((f) => (
                  <li key={`${f.name}-${f.sha256}`}>
                    <span className="notif-filename">{f.name}</span> · {c.fileRow(f.size)}
                    <br />
                    <span className="promocion-files__hash">
                      {c.sha256}: <code>{f.sha256}</code>
                    </span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
        {draft && draft.attachments.length > 0 && (
          <div className="note">
            <p>{c.draftFiles}</p>
            <ul>
              {draft.attachments.map((a) => (
                <li key={`${a.name}-${a.sha256}`}>
                  <span className="notif-filename">{a.name}</span> ·{" "}
                  {chosen.some((f) => f.sha256 === a.sha256)
                    ? c.draftFileMatch
                    : c.draftFileMissing}
                </li>
              ))}
            </ul>
          </div>
        )}
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{c.efirmaTitle}</legend>
          <p className="note">{c.efirmaLead}</p>
          <EfirmaFields ids={COMPOSE_FIELDS} errors={errors} passwordRef={password} />
          <p className="field-hint">{c.signAs(session.name, session.rfc)}</p>
        </fieldset>
        <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
        <div className="form-actions">
          <button
            className="button"
            type="submit"
            name={COMPOSE_FIELDS.intent}
            value="presentar"
            disabled={busy}
            aria-busy={busy && intent === "presentar"}
          >
            {busy && intent === "presentar" ? c.submitting : c.submit}
          </button>
          <button
            className="button button--secondary"
            type="submit"
            name={COMPOSE_FIELDS.intent}
            value="borrador"
            disabled={busy}
          >
            {busy && intent === "borrador" ? c.savingDraft : c.saveDraft}
          </button>
        </div>
      </Form>
    </>
  );
}
