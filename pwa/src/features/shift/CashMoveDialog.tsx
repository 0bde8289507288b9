import type { StoreInfo } from '@till/shared/core';
import { useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { recordCashMovement } from '../../db/index.ts';
import { AmountField } from './AmountField.tsx';
import { ShiftFormDialog } from './ShiftFormDialog.tsx';
import { type MoveDirection, parseMovementText } from './shift-form.ts';
import { useShiftAction } from './use-shift-action.ts';

interface CashMoveDialogProps {
  store: StoreInfo;
  format: (amount: number) => string;
  onClose: () => void;
}

const DIRECTIONS: { value: MoveDirection; label: string }[] = [
  { value: 'in', label: 'Paid in' },
  { value: 'out', label: 'Paid out' },
];

/** Cash into or out of the drawer outside a sale (a float top-up, milk from the till), with a reason. */
export function CashMoveDialog({ store, format, onClose }: CashMoveDialogProps) {
  const { db } = useTill();
  const [direction, setDirection] = useState<MoveDirection>('in');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const amount = parseMovementText(amountText, direction, store.currency);
  // "-5.00" typed is paid out whatever was picked: show it so.
  const shown: MoveDirection = amountText.trim().startsWith('-') ? 'out' : direction;
  const action = useShiftAction();
  const canSubmit = amount !== null && reason.trim() !== '' && !action.pending;

  const submit = async () => {
    if (amount === null) return;
    const recorded = await action.run(() => recordCashMovement(db, { amount, reason }));
    if (recorded) onClose();
  };

  return (
    <ShiftFormDialog
      title="Cash in / out"
      onSubmit={() => void submit()}
      onCancel={onClose}
      canSubmit={canSubmit}
      submitLabel="Record"
      submitTestId="shift-move-submit"
      error={action.error}
    >
      <fieldset className="shift-direction">
        <legend>Direction</legend>
        {DIRECTIONS.map((option) => (
          <button
            key={option.value}
            type="button"
            className={shown === option.value ? 'button button-primary' : 'button'}
            data-testid={`shift-move-${option.value}`}
            aria-pressed={shown === option.value}
            onClick={() => {
              setDirection(option.value);
              setAmountText((text) => text.trim().replace(/^-/, ''));
            }}
          >
            {option.label}
          </button>
        ))}
      </fieldset>
      <AmountField
        id="shift-move-amount"
        label="Amount"
        testId="shift-move-amount"
        value={amountText}
        onChange={setAmountText}
        currency={store.currency}
        keypad
      />
      <label className="shift-field" htmlFor="shift-move-reason">
        Reason
        <input
          id="shift-move-reason"
          type="text"
          autoComplete="off"
          maxLength={200}
          placeholder="e.g. float top-up, milk for the café"
          data-testid="shift-move-reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      <p className="shift-note" role="status">
        {amount === null
          ? 'Type an amount.'
          : amount > 0
            ? `The drawer goes up by ${format(amount)}.`
            : `The drawer goes down by ${format(-amount)}.`}
      </p>
    </ShiftFormDialog>
  );
}
