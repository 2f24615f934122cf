import { useEffect, useId, useRef } from "react";
import { useFetcher } from "react-router";
import type { AcuseRef, StaffNotificacion } from "../../api/types.ts";
import { CANCEL_FIELDS, type CancelAnswer, MAX_MOTIVO } from "../../data/personal.ts";
import { useSubmitOnce } from "../../forms/useSubmitOnce.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import { Field } from "../form/Field.tsx";

const t = es.personal.cancel;

/**
 * «Cancelar acto»: a modal asking for the motive, focus first on «Volver» so a hurried Enter
 * does not cancel; it closes once the server has cancelled the act.
 */
export function CancelDialog({
  act,
  onClose,
  onCancelled,
}: {
  act: StaffNotificacion | undefined;
  onClose: () => void;
  onCancelled: (act: StaffNotificacion, acuse: AcuseRef) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const back = useRef<HTMLButtonElement>(null);
  const fetcher = useFetcher<CancelAnswer>({ key: "cancelar-acto" });
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const titleId = useId();
  const textId = useId();
  const submit = useRef<HTMLButtonElement>(null);
  // One cancellation per click burst: a second would answer «ya estaba cancelado».
  const submitOnce = useSubmitOnce(busy, fetcher.data);

  // A refusal that is not about one field: the focus goes back to the button, the alert speaks.
  useEffect(() => {
    if (answer?.status === "refused") submit.current?.focus();
  }, [answer]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (act && !element.open) {
      element.showModal();
      back.current?.focus();
    }
    if (!act && element.open) element.close();
  }, [act]);

  useEffect(() => {
    if (act && answer?.status === "cancelled" && answer.id === act.id) {
      onCancelled(act, answer.acuse);
    }
  }, [act, answer, onCancelled]);

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
      <p className="dialog__text" id={textId}>
        {act ? t.text(act.oficio, act.rfc) : ""}
      </p>
      {act && (
        <>
          <ErrorSummary errors={errors} submission={answer} />
          <fetcher.Form
            method="post"
            noValidate
            aria-busy={busy}
            key={act.id}
            onSubmit={submitOnce}
          >
            <input type="hidden" name={CANCEL_FIELDS.id} value={act.id} />
            <Field
              id={CANCEL_FIELDS.motivo}
              label={t.motivo}
              hint={t.motivoHint}
              error={errors[CANCEL_FIELDS.motivo]}
            >
              {(tie) => (
                <textarea {...tie} className="field__input" rows={3} maxLength={MAX_MOTIVO} />
              )}
            </Field>
            <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
            <div className="dialog__actions">
              <button
                className="button button--secondary"
                type="button"
                ref={back}
                onClick={onClose}
                disabled={busy}
              >
                {t.back}
              </button>
              <button className="button button--danger" type="submit" ref={submit} disabled={busy}>
                {busy ? t.cancelling : t.accept}
              </button>
            </div>
          </fetcher.Form>
        </>
      )}
    </dialog>
  );
}
