import { type ReactNode, useId } from 'react';

interface ShiftFormDialogProps {
  title: ReactNode;
  /** Called on submit (the button or Enter) only while `canSubmit` holds. */
  onSubmit: () => void;
  onCancel: () => void;
  canSubmit: boolean;
  submitLabel: string;
  submitTestId: string;
  /** The last attempt's failure, in words a cashier can read. */
  error: string | null;
  /** Added to the dialog box's classes (e.g. a wider box). */
  className?: string;
  /** Lays out the fields, the error and the buttons (e.g. the keypad beside them in landscape). */
  bodyClassName?: string;
  children: ReactNode;
}

/**
 * The frame of a shift dialog on the till (open, cash in/out, close): a modal form, its fields,
 * the failure of the last attempt, and Cancel beside a large submit button.
 */
export function ShiftFormDialog({
  title,
  onSubmit,
  onCancel,
  canSubmit,
  submitLabel,
  submitTestId,
  error,
  className,
  bodyClassName,
  children,
}: ShiftFormDialogProps) {
  const titleId = useId();
  const body = (
    <>
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="shift-actions">
        <button type="button" className="button button-large" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button-primary button-large"
          data-testid={submitTestId}
          disabled={!canSubmit}
        >
          {submitLabel}
        </button>
      </div>
    </>
  );
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={titleId}>
      <form
        className={className ? `dialog shift-dialog ${className}` : 'dialog shift-dialog'}
        onSubmit={(event) => {
          event.preventDefault();
          if (canSubmit) onSubmit();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {bodyClassName ? <div className={bodyClassName}>{body}</div> : body}
      </form>
    </div>
  );
}
