import { type ReactNode, useId, useState } from 'react';
import { errorMessage } from './errors.ts';
import { FormDialog } from './FormDialog.tsx';

const MIN_REASON = 3;
const MAX_REASON = 300;

interface ReasonDialogProps {
  title: ReactNode;
  testId: string;
  /** What will happen, in a sentence or two, above the reason field. */
  explanation: ReactNode;
  /** More to know before confirming (e.g. a warning), between the explanation and the field. */
  children?: ReactNode;
  reasonLabel?: string;
  reasonTestId: string;
  placeholder?: string;
  confirmLabel: string;
  confirmTestId: string;
  /** What the confirm button says while the request is on its way. */
  pendingLabel: string;
  tone: 'primary' | 'danger';
  pending: boolean;
  /** The request's failure, shown in the dialog; null or undefined when there is none. */
  error: unknown;
  /** Gets the reason trimmed, at least `MIN_REASON` characters long. */
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/**
 * Asks why before an action the audit log keeps with its reason (MGR-8, MGR-13): revoking a till,
 * writing off a payment, acknowledging a sequence problem. Mount it while it is open: the reason
 * starts empty every time.
 */
export function ReasonDialog({
  title,
  testId,
  explanation,
  children,
  reasonLabel = 'Reason (kept in the audit log)',
  reasonTestId,
  placeholder,
  confirmLabel,
  confirmTestId,
  pendingLabel,
  tone,
  pending,
  error,
  onConfirm,
  onClose,
}: ReasonDialogProps) {
  const fieldId = useId();
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  const valid = trimmed.length >= MIN_REASON;
  return (
    <FormDialog
      title={title}
      testId={testId}
      onClose={onClose}
      onSubmit={() => {
        if (valid && !pending) onConfirm(trimmed);
      }}
      submitLabel={confirmLabel}
      submitTestId={confirmTestId}
      pendingLabel={pendingLabel}
      pending={pending}
      disabled={!valid}
      tone={tone}
    >
      <p>{explanation}</p>
      {children}
      <div className="m-field">
        <label htmlFor={fieldId}>{reasonLabel}</label>
        <textarea
          id={fieldId}
          data-testid={reasonTestId}
          rows={3}
          required
          minLength={MIN_REASON}
          maxLength={MAX_REASON}
          placeholder={placeholder}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        {!valid && reason.length > 0 && <p className="m-field__error">At least {MIN_REASON} characters, please.</p>}
      </div>
      {error !== null && error !== undefined && (
        <p className="m-form__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </FormDialog>
  );
}
