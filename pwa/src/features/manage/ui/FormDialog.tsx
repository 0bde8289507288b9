import { type ReactNode, useId } from 'react';
import { Dialog } from './Dialog.tsx';

interface FormDialogProps {
  title: ReactNode;
  testId: string;
  onClose: () => void;
  /** Called on submit (the button or Enter); the form's own checks are the caller's. */
  onSubmit: () => void;
  submitLabel: string;
  submitTestId: string;
  /** What the submit button says while the request is on its way. */
  pendingLabel?: string;
  pending: boolean;
  /** Keeps the submit button off for a reason other than a pending request (e.g. a reason too short). */
  disabled?: boolean;
  /** `danger` for what cannot be taken back (revoking a till, writing off a payment). */
  tone?: 'primary' | 'danger';
  /** Added to the form's `m-form` class. */
  formClassName?: string;
  children: ReactNode;
}

/**
 * A console dialog around one form, with Cancel and a submit button in the footer. The button
 * sits outside the `<form>` (in the dialog's footer) and reaches it through the form id. The
 * browser's own validation is off: each form checks its fields and shows errors where they belong.
 */
export function FormDialog({
  title,
  testId,
  onClose,
  onSubmit,
  submitLabel,
  submitTestId,
  pendingLabel = 'Saving…',
  pending,
  disabled = false,
  tone = 'primary',
  formClassName,
  children,
}: FormDialogProps) {
  const formId = useId();
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      testId={testId}
      actions={
        <>
          <button type="button" className="m-btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className={`m-btn m-btn--${tone}`}
            data-testid={submitTestId}
            disabled={disabled || pending}
          >
            {pending ? pendingLabel : submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className={formClassName ? `m-form ${formClassName}` : 'm-form'}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </Dialog>
  );
}
