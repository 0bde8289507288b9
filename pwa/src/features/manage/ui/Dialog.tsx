import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal on the native `<dialog>` (focus kept inside, Escape closes, the page behind inert).
 * Mount it with `open`; `onClose` runs on Escape, the close button or a click on the backdrop.
 */
export function Dialog({
  open,
  title,
  onClose,
  actions,
  testId,
  wide = false,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  /** Buttons at the bottom, e.g. Cancel and a primary action. */
  actions?: ReactNode;
  testId?: string;
  /** A wider dialog for detail views (a sale, a batch). */
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Escape fires `cancel`; keep the dialog mounted-state in React's hands instead of the browser's.
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a mouse shortcut; Escape (the dialog's own `cancel`) and the Close button are the keyboard's way out.
    <dialog
      ref={ref}
      className={`m-dialog${wide ? ' m-dialog--wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself, outside its content box.
        if (event.target === event.currentTarget) onCloseRef.current();
      }}
    >
      {open && (
        <div className="m-dialog__box">
          <header className="m-dialog__head">
            <h2 id={titleId}>{title}</h2>
            <button
              type="button"
              className="m-btn m-btn--ghost"
              aria-label="Close"
              onClick={() => onCloseRef.current()}
            >
              ✕
            </button>
          </header>
          <div className="m-dialog__body">{children}</div>
          {actions !== undefined && <footer className="m-dialog__actions">{actions}</footer>}
        </div>
      )}
    </dialog>
  );
}
