import { useEffect, useId, useRef } from "react";
import { useFetcher } from "react-router";
import type { CurrentSession } from "../../api/types.ts";
import { type AperturaAnswer, OPEN_FIELDS } from "../../data/notificaciones.ts";
import { useSubmitOnce } from "../../forms/useSubmitOnce.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import { EfirmaFields } from "../signin/EfirmaFields.tsx";

const t = es.notificaciones.open;

/**
 * «Abrir con e.firma»: a modal that first says what opening does (it notifies: CFF 134-I),
 * then takes the e.firma and signs the opening in this tab (aperturaAction). Closes itself
 * once the server has notified the act; the page then shows the acuse.
 */
export function OpenDialog({
  open,
  session,
  onClose,
  onOpened,
}: {
  open: boolean;
  session: CurrentSession;
  onClose: () => void;
  onOpened: (answer: Extract<AperturaAnswer, { status: "opened" }>) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const password = useRef<HTMLInputElement>(null);
  const fetcher = useFetcher<AperturaAnswer>({ key: "abrir-notificacion" });
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const titleId = useId();
  const textId = useId();
  const submit = useRef<HTMLButtonElement>(null);
  // One signed opening per click burst: a second would ask a second challenge and answer 409.
  const submitOnce = useSubmitOnce(busy, fetcher.data);

  // A refusal that is not about one field: the focus goes back to the button, the alert speaks.
  useEffect(() => {
    if (answer?.status === "refused") submit.current?.focus();
  }, [answer]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  // The password leaves the form as soon as the submission has taken it.
  useEffect(() => {
    if (busy && password.current) password.current.value = "";
  }, [busy]);

  useEffect(() => {
    if (answer?.status === "opened") onOpened(answer);
  }, [answer, onOpened]);

  return (
    <dialog
      className="dialog dialog--wide"
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 className="dialog__title" id={titleId}>
        {t.title}
      </h2>
      <div className="dialog__text" id={textId}>
        <p>
          <strong>{t.lead}</strong>
        </p>
        <p>{t.hours}</p>
        <p>{t.notOpening}</p>
      </div>
      <ErrorSummary errors={errors} submission={answer} />
      <fetcher.Form
        method="post"
        encType="multipart/form-data"
        noValidate
        aria-busy={busy}
        onSubmit={submitOnce}
      >
        <div className="fieldset">
          <EfirmaFields ids={OPEN_FIELDS} errors={errors} passwordRef={password} />
        </div>
        <p className="privacy-note">{t.privacyNote}</p>
        <p className="field-hint">{t.signAs(session.name, session.rfc)}</p>
        <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
        <div className="dialog__actions">
          <button
            className="button button--secondary"
            type="button"
            onClick={onClose}
            disabled={busy}
          >
            {t.cancel}
          </button>
          <button className="button" type="submit" ref={submit} disabled={busy} aria-busy={busy}>
            {busy ? t.submitting : t.submit}
          </button>
        </div>
      </fetcher.Form>
    </dialog>
  );
}
