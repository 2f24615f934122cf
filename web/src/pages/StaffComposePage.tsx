import { type FormEvent, useId, useRef, useState } from "react";
import { useLoaderData, useNavigate } from "react-router";
import { isUnauthenticated } from "../api/client.ts";
import { forgetSession } from "../api/session.ts";
import { efirmaFieldOf, openEfirma, SignInError, validateEfirmaFields } from "../api/signIn.ts";
import type { ActType, ProblemDetails } from "../api/types.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { FileField } from "../components/form/FileField.tsx";
import { FilePicker } from "../components/form/FilePicker.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { EfirmaFields } from "../components/signin/EfirmaFields.tsx";
import { signInPath } from "../data/auth.ts";
import {
  ACT_FIELDS,
  type ActItem,
  type CsvReading,
  type DepositData,
  depositItem,
  newItem,
  pdfBytesError,
  pdfFileError,
  readBatch,
  signButtonLabel,
  toBeSigned,
  validateAct,
} from "../data/personal.ts";
import { formatInstant } from "../format/dates.ts";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";

const t = es.personal;
const q = t.queue;

const SIGN_FIELDS = {
  certificate: "firma-certificado",
  privateKey: "firma-llave",
  password: "firma-contrasena",
} as const;

const BATCH_FIELDS = { csv: "lote-csv", pdfs: "lote-pdf" } as const;

/** The act type's choice: the catalogue when the server gave it, else its code typed. */
function ActTypeField({ types, error }: { types: ActType[]; error: string | undefined }) {
  if (types.length === 0) {
    return (
      <TextField
        id={ACT_FIELDS.actType}
        label={t.compose.actType}
        hint={t.compose.noTypes}
        error={error}
        autoComplete="off"
      />
    );
  }
  return (
    <Field id={ACT_FIELDS.actType} label={t.compose.actType} error={error}>
      {(tie) => (
        <select {...tie} className="field__input field__input--select" defaultValue="">
          <option value="">{t.compose.chooseType}</option>
          {types.map((type) => (
            <option key={type.id} value={type.id}>
              {`${type.id} ${type.name}`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** One act of the list: what it is and, once tried, its result. */
function QueueItem({
  item,
  typeName,
  canRemove,
  onRemove,
}: {
  item: ActItem;
  typeName: string;
  canRemove: boolean;
  onRemove: () => void;
}) {
  const result = item.result;
  return (
    <li
      className={`notif-card queue-item queue-item--${result?.status ?? "waiting"}`}
      data-document={item.file.name}
    >
      <div className="notif-card__head">
        <h3 className="notif-card__title notif-filename">{item.file.name}</h3>
        {canRemove && !result?.status.startsWith("deposited") && (
          <button
            className="button button--secondary button--small"
            type="button"
            onClick={onRemove}
          >
            {q.remove}
            <span className="visually-hidden">{q.removeContext(item.file.name)}</span>
          </button>
        )}
      </div>
      <p className="notif-card__oficio">
        {item.fields.rfc}
        {item.fields.registroPatronal ? ` · ${item.fields.registroPatronal}` : ""} ·{" "}
        {es.notificaciones.oficio(item.fields.oficio)} · {typeName}
      </p>
      <p className="queue-item__result">
        {!result && q.waiting}
        {result?.status === "deposited" &&
          (result.deposited.avisoAt
            ? q.deposited(formatInstant(result.deposited.avisoAt))
            : q.depositedNoAviso)}
        {result?.status === "refused" && (
          <>
            <strong>{q.refused}</strong> {result.problem.detail}{" "}
            {result.retryable ? q.refusedRetry : q.refusedFinal}
          </>
        )}
      </p>
    </li>
  );
}

/**
 * /personal/notificaciones/nueva — compose acts (one by one, or a CSV with its PDFs), then open
 * the e.firma once in this tab and sign and deposit each PDF with its own idempotency key,
 * with progress and a result per act. The key is made when the act joins the list, so a retry
 * after a lost answer can never deposit it twice; the button is disabled while it works too.
 */
export function StaffComposePage() {
  const { types } = useLoaderData<DepositData>();
  const { session } = useMailbox();
  const navigate = useNavigate();
  const [items, setItems] = useState<ActItem[]>([]);
  const [singleErrors, setSingleErrors] = useState<FieldErrors>({});
  const [singleTry, setSingleTry] = useState(0);
  /** The PDF's bytes checked when chosen; shown until the next «Agregar a la lista». */
  const [chosen, setChosen] = useState<{ error: string | undefined; after: number }>();
  const [batchErrors, setBatchErrors] = useState<FieldErrors>({});
  const [batchTry, setBatchTry] = useState(0);
  const [reading, setReading] = useState<CsvReading | undefined>();
  const [added, setAdded] = useState("");
  const [signErrors, setSignErrors] = useState<FieldErrors>({});
  const [signTry, setSignTry] = useState(0);
  const [problem, setProblem] = useState<ProblemDetails | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [finished, setFinished] = useState<string | undefined>();
  const running = useRef(false);
  const password = useRef<HTMLInputElement>(null);
  const finishedRef = useRef<HTMLParagraphElement>(null);
  const signButton = useRef<HTMLButtonElement>(null);
  const singleTitle = useId();
  const batchTitle = useId();
  const queueTitle = useId();
  const signTitle = useId();

  const typeName = (id: string) => types.find((type) => type.id === id)?.name ?? id;
  const toSign = items.filter(toBeSigned);
  const working = progress !== undefined;

  async function addSingle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const fields = {
      rfc: textOf(form, ACT_FIELDS.rfc),
      registroPatronal: textOf(form, ACT_FIELDS.registroPatronal),
      actType: textOf(form, ACT_FIELDS.actType).trim(),
      oficio: textOf(form, ACT_FIELDS.oficio),
      issuingUnit: textOf(form, ACT_FIELDS.issuingUnit),
    };
    const file = fileOf(form, ACT_FIELDS.document);
    const errors = validateAct(fields, types, file);
    if (file && !errors[ACT_FIELDS.document]) {
      const bytesError = await pdfBytesError(file);
      if (bytesError) errors[ACT_FIELDS.document] = bytesError;
    }
    setSingleErrors(errors);
    setSingleTry((n) => n + 1);
    if (Object.keys(errors).length > 0 || !file) return;
    setItems((list) => [...list, newItem(fields, file)]);
    setAdded(t.compose.added(file.name));
    // The unit and the type usually repeat; the addressee, oficio and PDF change.
    for (const name of [ACT_FIELDS.rfc, ACT_FIELDS.registroPatronal, ACT_FIELDS.oficio]) {
      const input = element.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = "";
    }
  }

  async function addBatch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const csv = fileOf(form, BATCH_FIELDS.csv);
    const pdfs = form
      .getAll(BATCH_FIELDS.pdfs)
      .filter((f): f is File => f instanceof File && f.name !== "");
    const errors: FieldErrors = {};
    if (!csv) errors[BATCH_FIELDS.csv] = t.batch.errors.csvMissing;
    if (pdfs.length === 0) errors[BATCH_FIELDS.pdfs] = t.batch.errors.pdfsMissing;
    let text = "";
    if (csv) {
      try {
        text = await csv.text();
      } catch {
        errors[BATCH_FIELDS.csv] = t.batch.errors.csvUnreadable;
      }
    }
    setBatchErrors(errors);
    setBatchTry((n) => n + 1);
    if (Object.keys(errors).length > 0) {
      setReading(undefined);
      return;
    }
    // Each PDF's bytes, before any line becomes an act: one that is not a PDF refuses its line.
    const badPdfs = new Map<string, string>();
    for (const pdf of pdfs) {
      const error = pdfFileError(pdf) ? undefined : await pdfBytesError(pdf);
      if (error) badPdfs.set(pdf.name, error);
    }
    const read = readBatch(text, pdfs, types, badPdfs);
    setReading(read);
    setItems((list) => [...list, ...read.items]);
    setAdded(t.batch.added(read.items.length));
  }

  async function signAll(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A second click while it works does nothing (the button is disabled as well).
    if (running.current) return;
    const form = new FormData(event.currentTarget);
    if (password.current) password.current.value = "";
    const files = {
      certificate: fileOf(form, SIGN_FIELDS.certificate),
      privateKey: fileOf(form, SIGN_FIELDS.privateKey),
      password: textOf(form, SIGN_FIELDS.password),
    };
    setProblem(undefined);
    setFinished(undefined);
    const errors = validateEfirmaFields(files, SIGN_FIELDS);
    setSignErrors(errors);
    setSignTry((n) => n + 1);
    if (Object.keys(errors).length > 0) return;
    const pending = items.filter(toBeSigned);
    if (pending.length === 0) {
      setProblem({
        type: "about:blank",
        title: es.errors.title,
        status: 0,
        detail: t.sign.nothingToSign,
      });
      return;
    }
    running.current = true;
    try {
      let efirma: Awaited<ReturnType<typeof openEfirma>>;
      try {
        efirma = await openEfirma(
          {
            certificate: files.certificate as File,
            privateKey: files.privateKey as File,
            password: files.password,
          },
          session.rfc,
          (certificateRfc) => t.sign.notSessionEfirma(certificateRfc, session.rfc),
        );
      } catch (error) {
        if (error instanceof SignInError) {
          const field = efirmaFieldOf(error, SIGN_FIELDS);
          if (field) {
            setSignErrors({ [field]: error.problem.detail });
            setSignTry((n) => n + 1);
          } else {
            setProblem(error.problem);
            requestAnimationFrame(() => signButton.current?.focus());
          }
          return;
        }
        throw error;
      }
      let deposited = 0;
      let refused = 0;
      setProgress({ done: 0, total: pending.length });
      for (const [index, item] of pending.entries()) {
        const result = await depositItem(item, efirma, session.csrfToken);
        if (result.status === "deposited") deposited++;
        else refused++;
        setItems((list) =>
          list.map((each) => (each.key === item.key ? { ...each, result } : each)),
        );
        setProgress({ done: index + 1, total: pending.length });
      }
      setFinished(t.sign.finished(deposited, refused));
      requestAnimationFrame(() => finishedRef.current?.focus());
    } catch (error) {
      if (isUnauthenticated(error)) {
        forgetSession();
        navigate(signInPath("sessionEnded"));
        return;
      }
      throw error;
    } finally {
      running.current = false;
      setProgress(undefined);
    }
  }

  return (
    <>
      <DocumentTitle title={t.compose.title} />
      <h1>{t.compose.title}</h1>
      <p className="lead">{t.compose.lead}</p>

      <section aria-labelledby={singleTitle}>
        <h2 id={singleTitle}>{t.compose.singleTitle}</h2>
        <ErrorSummary errors={singleErrors} submission={singleTry || undefined} />
        <form className="form form--narrow" noValidate onSubmit={addSingle}>
          <div className="fieldset">
            <TextField
              id={ACT_FIELDS.rfc}
              label={t.compose.rfc}
              hint={t.compose.rfcHint}
              error={singleErrors[ACT_FIELDS.rfc]}
              autoComplete="off"
              autoCapitalize="characters"
            />
            <TextField
              id={ACT_FIELDS.registroPatronal}
              label={t.compose.registroPatronal}
              hint={t.compose.registroHint}
              error={singleErrors[ACT_FIELDS.registroPatronal]}
              autoComplete="off"
              autoCapitalize="characters"
            />
            <ActTypeField types={types} error={singleErrors[ACT_FIELDS.actType]} />
            <TextField
              id={ACT_FIELDS.oficio}
              label={t.compose.oficio}
              error={singleErrors[ACT_FIELDS.oficio]}
              autoComplete="off"
            />
            <TextField
              id={ACT_FIELDS.issuingUnit}
              label={t.compose.issuingUnit}
              error={singleErrors[ACT_FIELDS.issuingUnit]}
            />
            <FileField
              id={ACT_FIELDS.document}
              label={t.compose.document}
              hint={t.compose.documentHint}
              error={
                chosen && chosen.after === singleTry
                  ? chosen.error
                  : singleErrors[ACT_FIELDS.document]
              }
              accept=".pdf,application/pdf"
              onFile={async (file) => {
                const after = singleTry;
                const error = file && (pdfFileError(file) ?? (await pdfBytesError(file)));
                setChosen({ error, after });
                // Said at once to screen readers too (the field's error is not live).
                if (error) setAdded(error);
              }}
            />
            <p className="required-note">{t.compose.required}</p>
          </div>
          <button className="button" type="submit" disabled={working}>
            {t.compose.add}
          </button>
        </form>
      </section>

      <section aria-labelledby={batchTitle}>
        <h2 id={batchTitle}>{t.batch.title}</h2>
        <p>{t.batch.lead}</p>
        <ErrorSummary errors={batchErrors} submission={batchTry || undefined} />
        <form className="form form--narrow" noValidate onSubmit={addBatch}>
          <div className="fieldset">
            <FileField
              id={BATCH_FIELDS.csv}
              label={t.batch.csv}
              error={batchErrors[BATCH_FIELDS.csv]}
              accept=".csv,text/csv"
            />
            <Field
              id={BATCH_FIELDS.pdfs}
              label={t.batch.pdfs}
              hint={t.batch.pdfsHint}
              error={batchErrors[BATCH_FIELDS.pdfs]}
            >
              {(tie) => <FilePicker {...tie} multiple accept=".pdf,application/pdf" />}
            </Field>
          </div>
          <button className="button" type="submit" disabled={working}>
            {t.batch.add}
          </button>
        </form>
        {reading && (reading.refused.length > 0 || reading.unused.length > 0) && (
          <div className="batch-refused">
            {reading.refused.length > 0 && (
              <>
                <h3>{t.batch.refusedTitle}</h3>
                <ul>
                  {reading.refused.map((line) => (
                    <li key={line.line}>
                      <strong>{t.batch.refusedLine(line.line)}</strong> {line.reasons.join(" ")}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {reading.unused.length > 0 && <p>{t.batch.unused(reading.unused.join(", "))}</p>}
          </div>
        )}
      </section>

      <p className="visually-hidden" role="status">
        {added}
      </p>

      <section aria-labelledby={queueTitle}>
        <h2 id={queueTitle}>{q.title}</h2>
        {items.length === 0 ? (
          <p>{q.empty}</p>
        ) : (
          <ul className="notif-cards" aria-label={q.caption}>
            {items.map((item) => (
              <QueueItem
                key={item.key}
                item={item}
                typeName={typeName(item.fields.actType)}
                canRemove={!working}
                onRemove={() => setItems((list) => list.filter((each) => each.key !== item.key))}
              />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby={signTitle}>
        <h2 id={signTitle}>{t.sign.title}</h2>
        <p>{t.sign.lead}</p>
        <ErrorSummary errors={signErrors} submission={signTry || undefined} />
        <form className="form form--narrow" noValidate onSubmit={signAll} aria-busy={working}>
          <div className="fieldset">
            <EfirmaFields ids={SIGN_FIELDS} errors={signErrors} passwordRef={password} />
          </div>
          <p className="field-hint">{t.sign.signAs(session.name, session.rfc)}</p>
          <button
            className="button"
            type="submit"
            ref={signButton}
            disabled={working || toSign.length === 0}
            aria-busy={working}
          >
            {signButtonLabel(items)}
          </button>
        </form>
        <div role="status" className="sign-progress">
          {progress && (
            <>
              <p>{t.sign.working(progress.done, progress.total)}</p>
              <progress
                max={progress.total}
                value={progress.done}
                aria-label={t.sign.progressLabel}
              />
            </>
          )}
          {finished && (
            <p className="registered" tabIndex={-1} ref={finishedRef}>
              {finished}
            </p>
          )}
        </div>
        <ErrorAlert problem={problem} />
      </section>
    </>
  );
}
