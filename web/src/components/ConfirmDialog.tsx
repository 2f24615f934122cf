import { type ReactNode, useEffect, useId, useRef } from "react";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  acceptLabel: string;
  cancelLabel: string;
  onAccept: () => void;
  onCancel: () => void;
}

/**
 * A modal question («¿Deseas continuar…?») on the browser's own <dialog>: it keeps the focus
 * inside, Esc cancels, and the focus returns where it was. The focus starts on «Cancelar», so a
 * hurried Enter does not confirm.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  acceptLabel,
  cancelLabel,
  onAccept,
  onCancel,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      cancel.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      className="dialog"
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 className="dialog__title" id={titleId}>
        {title}
      </h2>
      <div className="dialog__text" id={textId}>
        {children}
      </div>
      <div className="dialog__actions">
        <button className="button button--secondary" type="button" onClick={onCancel} ref={cancel}>
          {cancelLabel}
        </button>
        <button className="button" type="button" onClick={onAccept}>
          {acceptLabel}
        </button>
      </div>
    </dialog>
  );
}
