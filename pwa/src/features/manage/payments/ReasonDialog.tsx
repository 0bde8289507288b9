import { useState } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import { errorMessage } from '../ui/errors.ts';

const MIN_REASON = 3;
const MAX_REASON = 300;

interface ReasonDialogProps {
  title: string;
  /** What will happen, in a sentence, above the reason field. */
  explanation: string;
  confirmLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** Asks why before a write-off or a "paid another way"; the reason goes to the audit log (MGR-8). */
export function ReasonDialog({ title, explanation, confirmLabel, busy, error, onConfirm, onClose }: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  const valid = trimmed.length >= MIN_REASON;
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      testId="action-dialog"
      actions={
        <>
          <button type="button" className="m-btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="m-btn m-btn--danger"
            data-testid="action-confirm"
            disabled={!valid || busy}
            onClick={() => onConfirm(trimmed)}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <form
        className="m-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid && !busy) onConfirm(trimmed);
        }}
      >
        <p>{explanation}</p>
        <div className="m-field">
          <label htmlFor="action-reason">Reason (kept in the audit log)</label>
          <textarea
            id="action-reason"
            data-testid="action-reason"
            rows={3}
            maxLength={MAX_REASON}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          {!valid && reason.length > 0 && <p className="m-field__error">At least {MIN_REASON} characters, please.</p>}
        </div>
        {error !== null && error !== undefined && (
          <p className="m-field__error" role="alert">
            {errorMessage(error)}
          </p>
        )}
      </form>
    </Dialog>
  );
}
