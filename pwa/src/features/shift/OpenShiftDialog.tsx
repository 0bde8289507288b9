import { type StoreInfo, toDecimalString } from '@till/shared/core';
import { type FormEvent, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { openShift } from '../../db/index.ts';
import { AmountField } from './AmountField.tsx';
import { parseAmountText } from './shift-form.ts';
import { useShiftAction } from './use-shift-action.ts';

/** Opening the drawer: who is on the till and the float put in it. */
export function OpenShiftDialog({ store, onClose }: { store: StoreInfo; onClose: () => void }) {
  const { db } = useTill();
  const [cashier, setCashier] = useState('');
  const [floatText, setFloatText] = useState('');
  const openingFloat = parseAmountText(floatText, store.currency);
  const action = useShiftAction();
  const canSubmit = cashier.trim() !== '' && openingFloat !== null && !action.pending;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    const opened = await action.run(() => openShift(db, { cashier, openingFloat }));
    if (opened) onClose();
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shift-open-title">
      <form className="dialog shift-dialog" onSubmit={(event) => void submit(event)}>
        <h2 id="shift-open-title">Open shift</h2>
        <label className="shift-field" htmlFor="shift-cashier">
          Cashier
          <input
            id="shift-cashier"
            type="text"
            autoComplete="off"
            maxLength={60}
            data-testid="shift-cashier"
            value={cashier}
            // biome-ignore lint/a11y/noAutofocus: the first thing to type when opening a shift
            autoFocus
            onChange={(event) => setCashier(event.target.value)}
          />
        </label>
        <AmountField
          id="shift-float"
          label="Opening float (cash in the drawer)"
          testId="shift-float"
          value={floatText}
          onChange={setFloatText}
          currency={store.currency}
          placeholder={toDecimalString(15_000, store.currency)}
          keypad
        />
        {action.error && (
          <p className="field-error" role="alert">
            {action.error}
          </p>
        )}
        <div className="shift-actions">
          <button type="button" className="button button-large" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary button-large"
            data-testid="shift-open-submit"
            disabled={!canSubmit}
          >
            Open shift
          </button>
        </div>
      </form>
    </div>
  );
}
