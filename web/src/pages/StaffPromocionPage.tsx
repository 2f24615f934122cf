import { type FormEvent, useRef, useState } from "react";
import { Link, useLoaderData } from "react-router";
import { sniffKind } from "../../../src/domain/promociones/catalogo.ts";
import { PAGE_PATHS, staffActPath } from "../../../src/platform/http/page-paths.ts";
import { atencionApi, type StaffPromocion } from "../api/promociones.ts";
import { efirmaFieldOf, openEfirma, SignInError, validateEfirmaFields } from "../api/signIn.ts";
import type { ActType, ProblemDetails } from "../api/types.ts";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Fact } from "../components/Fact.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { FileField } from "../components/form/FileField.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { PromocionStateBadge } from "../components/promociones/PromocionStateBadge.tsx";
import { PromocionTimeline } from "../components/promociones/PromocionTimeline.tsx";
import { RespuestaFacts } from "../components/promociones/RespuestaFacts.tsx";
import { SignedManifest } from "../components/promociones/SignedManifest.tsx";
import { RefusedPage } from "../components/RefusedPage.tsx";
import { EfirmaFields } from "../components/signin/EfirmaFields.tsx";
import { ATTENDING_ROLES, SIGNING_ROLES, type StaffPromocionData } from "../data/atencion.ts";
import { bytesToBase64 } from "../efirma/bytes.ts";
import { formatInstant } from "../format/dates.ts";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";
import { useDecision } from "../forms/useDecision.ts";
import { es } from "../i18n/es.ts";

const pr = es.promociones;
const t = pr.staff;
const e = t.errors;

const F = {
  assignee: "asignar-a",
  note: "nota-interna",
  reason: "motivo-conclusion",
  actType: "respuesta-tipo",
  oficio: "respuesta-oficio",
  issuingUnit: "respuesta-unidad",
  document: "respuesta-documento",
  title: "comunicado-titulo",
  body: "comunicado-texto",
} as const;

const SIGN_FIELDS = {
  certificate: "respuesta-certificado",
  privateKey: "respuesta-llave",
  password: "respuesta-contrasena",
} as const;

const RFC_SHAPE = /^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$/;

/**
 * /personal/promociones/:id — one promoción as the staff see it: what was filed (escrito,
 * anexos to download, acuse), every step with its internal notes, and the decisions the
 * session's role allows: take or reassign, note, answer with an act signed here with the
 * servant's own e.firma or with a comunicado, conclude. Each decision answers the promoción as
 * it is after it; a second click while one works does nothing.
 */
export function StaffPromocionPage() {
  const data = useLoaderData<StaffPromocionData>();
  if (data.status === "refused") {
    return (
      <RefusedPage
        title={t.title}
        problem={data.problem}
        back={{ to: PAGE_PATHS.staffPromociones, label: t.back }}
      />
    );
  }
  return <Attention key={data.detail.id} initial={data.detail} actTypes={data.actTypes} />;
}

function Attention({ initial, actTypes }: { initial: StaffPromocion; actTypes: ActType[] }) {
  const { session } = useMailbox();
  const [detail, setDetail] = useState(initial);
  const { decide, busy, problem, setProblem, done, statusRef } = useDecision();
  const role = session.staffRole ?? "";
  const attends = ATTENDING_ROLES.includes(role);
  const signs = SIGNING_ROLES.includes(role);
  const open = detail.state === "recibida" || detail.state === "en_atencion";
  const csrf = session.csrfToken;

  /** One decision at a time; the page shows the promoción the server answers after it. */
  function run(event: string, call: () => Promise<StaffPromocion>): Promise<boolean> {
    return decide(
      call,
      (promocion) => {
        setDetail(promocion);
        return t.done[event] ?? "";
      },
      // A change of state moves the forms: the message says what happened, where focus lands.
      { focus: event !== "nota_interna" },
    );
  }

  const notes = detail.timeline.filter((step) => step.event === "nota_interna");
  const answer = detail.answer;
  return (
    <>
      <DocumentTitle title={`${detail.subject} · ${t.title}`} />
      <p className="back-link">
        <Link to={PAGE_PATHS.staffPromociones}>{t.back}</Link>
      </p>
      <h1>{detail.subject}</h1>
      <p className="notif-head">
        <span>{detail.typeName}</span> <PromocionStateBadge state={detail.state} />
      </p>

      <section aria-labelledby="datos-promocion">
        <h2 id="datos-promocion">{t.facts}</h2>
        <dl className="facts">
          <Fact label={t.particular}>{detail.rfc}</Fact>
          <Fact label={pr.detail.state}>{pr.states[detail.state] ?? detail.state}</Fact>
          <Fact label={t.assignee}>{detail.assignee ?? t.unassigned}</Fact>
          <Fact label={pr.detail.sentAt}>
            <time dateTime={detail.sentAt}>{formatInstant(detail.sentAt)}</time>
          </Fact>
          <Fact label={pr.detail.receivedAt}>
            <time dateTime={detail.receivedAt}>{formatInstant(detail.receivedAt)}</time>
          </Fact>
          <Fact label={pr.detail.signer}>{detail.signerRfc}</Fact>
          {detail.respuesta && (
            <RespuestaFacts
              respuesta={detail.respuesta}
              actLink={staffActPath(detail.respuesta.notificacionId)}
            />
          )}
          {answer && (
            <Fact label={t.answer}>
              {answer.kind === "notificacion" ? (
                <>
                  <Link to={staffActPath(answer.id)}>{t.answerNotificacion(answer.label)}</Link>
                  {answer.via === "estrados" && (
                    <>
                      <br />
                      {t.answerByEstrados}
                    </>
                  )}
                </>
              ) : (
                t.answerComunicado(answer.label)
              )}
            </Fact>
          )}
          {detail.conclusion && <Fact label={t.conclusion}>{detail.conclusion}</Fact>}
        </dl>
      </section>

      <div role="status" className="atencion-status">
        {done && (
          <p className="registered" tabIndex={-1} ref={statusRef}>
            {done}
          </p>
        )}
        {busy && <p>{t.working}</p>}
      </div>
      <ErrorAlert problem={problem} />

      {!open && (
        <p className="note">
          {detail.state === "respondida" && answer?.kind === "notificacion"
            ? t.answeredNote
            : t.finalNote}
        </p>
      )}
      {open && attends && (
        <section aria-labelledby="atencion">
          <h2 id="atencion">{t.actionsTitle}</h2>
          <TakeForm detail={detail} me={session.rfc} busy={busy} run={run} csrf={csrf} />
        </section>
      )}
      <section aria-labelledby="escrito">
        <h2 id="escrito">{pr.detail.text}</h2>
        <p className="promocion-text">{detail.text}</p>
        <p className="note">
          {pr.detail.textSha256}: <code className="promocion-hash">{detail.textSha256}</code>
        </p>
      </section>

      <section aria-labelledby="anexos">
        <h2 id="anexos">{pr.detail.attachments}</h2>
        {detail.attachments.length === 0 ? (
          <p>{pr.detail.noAttachments}</p>
        ) : (
          <ol className="promocion-files">
            {detail.attachments.map((a) => (
              <li key={a.download}>
                <span className="notif-filename">{a.name}</span> · {pr.bytes(a.size)} ·{" "}
                {/* Saved under the server's name: the extension of what the bytes are. */}
                <a href={a.download} download={a.fileName}>
                  {t.download}
                  <span className="visually-hidden">{t.downloadContext(a.name)}</span>
                </a>
                <br />
                <span className="promocion-files__hash">
                  {pr.compose.sha256}: <code>{a.sha256}</code>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="notas">
        <h2 id="notas">{t.noteTitle}</h2>
        <p className="note">{t.noteLead}</p>
        {notes.length === 0 ? (
          <p>{t.noNotes}</p>
        ) : (
          <ul className="atencion-notes">
            {notes.map((note) => (
              <li key={note.id}>
                <p className="promocion-text">{note.text}</p>
                <p className="note">
                  {note.actor} · <time dateTime={note.at}>{formatInstant(note.at)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
        {open && attends && (
          <NoteForm
            busy={busy}
            onNote={(text) => run("nota_interna", () => atencionApi.nota(detail.id, text, csrf))}
          />
        )}
      </section>

      {open && signs && (
        <AnswerForm
          detail={detail}
          actTypes={actTypes}
          session={session}
          busy={busy}
          onSigned={(body) =>
            run("respondida", () => atencionApi.responderConNotificacion(detail.id, body, csrf))
          }
          onRefused={setProblem}
        />
      )}
      {detail.state === "en_atencion" && attends && (
        <ComunicadoForm
          rfc={detail.rfc}
          busy={busy}
          onSend={(title, body) =>
            run("respondida", () =>
              atencionApi.responderConComunicado(detail.id, { rfc: detail.rfc, title, body }, csrf),
            )
          }
        />
      )}
      {open && attends && (
        <ConcludeForm
          busy={busy}
          onConclude={(reason) =>
            run("concluida", () => atencionApi.concluir(detail.id, reason, csrf))
          }
        />
      )}

      <section aria-labelledby="seguimiento">
        <h2 id="seguimiento">{t.timelineTitle}</h2>
        <PromocionTimeline
          events={detail.timeline.map((step) => ({
            event: step.event,
            at: step.at,
            acuse: step.acuse,
            acuseCodigo: step.acuse === detail.acuse.folio ? detail.acuse.codigo : undefined,
            actor: step.actor ?? undefined,
            // «→ who» only when someone assigned it to another; taking it says who already.
            assignedTo: step.assignee !== step.actor ? step.assignee : undefined,
            detalle:
              step.event === "respuesta_cancelada"
                ? t.answerCancelled(step.notificacionId, step.reason)
                : (step.text ?? step.reason),
          }))}
        />
      </section>

      <section aria-labelledby="acuse-promocion">
        <h2 id="acuse-promocion">{pr.detail.acuseTitle}</h2>
        <AcuseLink acuse={detail.acuse} />
      </section>

      <SignedManifest detail={detail} />
    </>
  );
}

type Run = (event: string, call: () => Promise<StaffPromocion>) => Promise<boolean>;

/** Take it when nobody holds it; reassign it (naming who held it) when someone does. */
function TakeForm({
  detail,
  me,
  busy,
  run,
  csrf,
}: {
  detail: StaffPromocion;
  me: string;
  busy: boolean;
  run: Run;
  csrf: string;
}) {
  const [error, setError] = useState<string | undefined>();
  if (detail.assignee === null) {
    return (
      <p>
        <button
          className="button"
          type="button"
          disabled={busy}
          onClick={() => run("en_atencion", () => atencionApi.tomar(detail.id, {}, csrf))}
        >
          {t.take}
        </button>
      </p>
    );
  }
  async function reassign(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const rfc = textOf(new FormData(form), F.assignee).trim().toUpperCase();
    if (rfc !== "" && !RFC_SHAPE.test(rfc)) {
      setError(e.rfcInvalid);
      return;
    }
    setError(undefined);
    const ok = await run("en_atencion", () =>
      atencionApi.tomar(detail.id, { assignee: rfc || me, from: detail.assignee }, csrf),
    );
    if (ok) form.reset();
  }
  return (
    <>
      <p>{detail.assignee === me ? t.takenByYou : t.takenBy(detail.assignee)}</p>
      <form className="form form--narrow" noValidate onSubmit={reassign}>
        <TextField
          id={F.assignee}
          label={t.reassignTo}
          hint={t.reassignHint}
          error={error}
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={13}
        />
        <button className="button button--secondary" type="submit" disabled={busy}>
          {t.reassign}
        </button>
      </form>
    </>
  );
}

function NoteForm({ busy, onNote }: { busy: boolean; onNote: (text: string) => Promise<boolean> }) {
  const [error, setError] = useState<string | undefined>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const text = textOf(new FormData(form), F.note).trim();
    setError(text === "" ? e.noteMissing : undefined);
    if (text === "") return;
    if (await onNote(text)) form.reset();
  }
  return (
    <form className="form form--narrow" noValidate onSubmit={submit}>
      <Field id={F.note} label={t.note} hint={t.noteHint} error={error}>
        {(tie) => <textarea {...tie} className="field__input" rows={3} maxLength={4000} />}
      </Field>
      <button className="button" type="submit" disabled={busy}>
        {t.addNote}
      </button>
    </form>
  );
}

function ConcludeForm({
  busy,
  onConclude,
}: {
  busy: boolean;
  onConclude: (reason: string) => Promise<boolean>;
}) {
  const [error, setError] = useState<string | undefined>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = textOf(new FormData(event.currentTarget), F.reason).trim();
    setError(reason === "" ? e.reasonMissing : undefined);
    if (reason !== "") await onConclude(reason);
  }
  return (
    <section aria-labelledby="concluir">
      <h2 id="concluir">{t.concludeTitle}</h2>
      <form className="form form--narrow" noValidate onSubmit={submit}>
        <Field id={F.reason} label={t.concludeReason} hint={t.concludeHint} error={error}>
          {(tie) => <textarea {...tie} className="field__input" rows={2} maxLength={1000} />}
        </Field>
        <button className="button button--secondary" type="submit" disabled={busy}>
          {t.conclude}
        </button>
      </form>
    </section>
  );
}

function ComunicadoForm({
  rfc,
  busy,
  onSend,
}: {
  rfc: string;
  busy: boolean;
  onSend: (title: string, body: string) => Promise<boolean>;
}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = textOf(form, F.title).trim();
    const body = textOf(form, F.body).trim();
    const found: FieldErrors = {};
    if (title === "") found[F.title] = e.titleMissing;
    if (body === "") found[F.body] = e.bodyMissing;
    setErrors(found);
    if (Object.keys(found).length === 0) await onSend(title, body);
  }
  return (
    <section aria-labelledby="responder-comunicado">
      <h2 id="responder-comunicado">{t.comunicadoTitle}</h2>
      <p>{t.comunicadoLead(rfc)}</p>
      <form className="form form--narrow" noValidate onSubmit={submit}>
        <TextField
          id={F.title}
          label={t.comunicadoSubject}
          error={errors[F.title]}
          maxLength={200}
        />
        <Field id={F.body} label={t.comunicadoBody} error={errors[F.body]}>
          {(tie) => <textarea {...tie} className="field__input" rows={4} maxLength={20000} />}
        </Field>
        <button className="button button--secondary" type="submit" disabled={busy}>
          {t.sendComunicado}
        </button>
      </form>
    </section>
  );
}

/**
 * The answer as an act: its data and PDF, signed here with the session's own e.firma (the
 * competent servant; the key never leaves this tab) and deposited through the notifications.
 */
function AnswerForm({
  detail,
  actTypes,
  session,
  busy,
  onSigned,
  onRefused,
}: {
  detail: StaffPromocion;
  actTypes: ActType[];
  session: { rfc: string };
  busy: boolean;
  onSigned: (body: Parameters<typeof atencionApi.responderConNotificacion>[1]) => Promise<boolean>;
  onRefused: (problem: ProblemDetails) => void;
}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const password = useRef<HTMLInputElement>(null);
  if (detail.state !== "en_atencion") {
    return (
      <section aria-labelledby="responder-notificacion">
        <h2 id="responder-notificacion">{t.answerTitle}</h2>
        <p>{t.answerNeedsTake}</p>
      </section>
    );
  }
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (password.current) password.current.value = "";
    const fields = {
      actType: textOf(form, F.actType).trim(),
      oficio: textOf(form, F.oficio).trim(),
      issuingUnit: textOf(form, F.issuingUnit).trim(),
    };
    const document = fileOf(form, F.document);
    const efirmaFiles = {
      certificate: fileOf(form, SIGN_FIELDS.certificate),
      privateKey: fileOf(form, SIGN_FIELDS.privateKey),
      password: textOf(form, SIGN_FIELDS.password),
    };
    const found: FieldErrors = {};
    if (fields.actType === "") found[F.actType] = e.actTypeMissing;
    if (fields.oficio === "") found[F.oficio] = e.oficioMissing;
    if (fields.issuingUnit === "") found[F.issuingUnit] = e.issuingUnitMissing;
    if (!document) found[F.document] = e.documentMissing;
    Object.assign(found, validateEfirmaFields(efirmaFiles, SIGN_FIELDS));
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    if (document) {
      bytes = new Uint8Array(await document.arrayBuffer());
      if (sniffKind(bytes) !== "pdf") found[F.document] = e.notPdf(document.name);
    }
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0 || !bytes || !document) return;
    let signature: string;
    try {
      const efirma = await openEfirma(
        {
          certificate: efirmaFiles.certificate as File,
          privateKey: efirmaFiles.privateKey as File,
          password: efirmaFiles.password,
        },
        session.rfc,
        (certificateRfc) => e.notSessionEfirma(certificateRfc, session.rfc),
      );
      signature = await efirma.signDocument(bytes);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      const field = efirmaFieldOf(error, SIGN_FIELDS);
      if (field) {
        setErrors({ [field]: error.problem.detail });
        setAttempt((n) => n + 1);
      } else {
        onRefused(error.problem);
      }
      return;
    }
    await onSigned({
      rfc: detail.rfc,
      ...fields,
      documentName: document.name,
      document: bytesToBase64(bytes),
      signature,
    });
  }
  return (
    <section aria-labelledby="responder-notificacion">
      <h2 id="responder-notificacion">{t.answerTitle}</h2>
      <p>{t.answerLead(detail.rfc)}</p>
      <ErrorSummary errors={errors} submission={attempt || undefined} />
      <form className="form form--narrow" noValidate onSubmit={submit} aria-busy={busy}>
        <div className="fieldset">
          <Field id={F.actType} label={t.actType} error={errors[F.actType]}>
            {(tie) => (
              <select {...tie} className="field__input field__input--select" defaultValue="">
                <option value="">{t.chooseType}</option>
                {actTypes.map((type) => (
                  <option key={type.id} value={type.id}>
                    {`${type.id} ${type.name}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField id={F.oficio} label={t.oficio} error={errors[F.oficio]} autoComplete="off" />
          <TextField id={F.issuingUnit} label={t.issuingUnit} error={errors[F.issuingUnit]} />
          <FileField
            id={F.document}
            label={t.document}
            error={errors[F.document]}
            accept=".pdf,application/pdf"
          />
          <EfirmaFields ids={SIGN_FIELDS} errors={errors} passwordRef={password} />
        </div>
        <button className="button" type="submit" disabled={busy} aria-busy={busy}>
          {t.signAndAnswer}
        </button>
      </form>
    </section>
  );
}
