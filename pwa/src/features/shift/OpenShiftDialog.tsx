import { type StoreInfo, toDecimalString } from '@till/shared/core';
import { useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { openShift } from '../../db/index.ts';
import { AmountField } from './AmountField.tsx';
import { ShiftFormDialog } from './ShiftFormDialog.tsx';
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

  const submit = async () => {
    if (openingFloat === null) return;
    const opened = await action.run(() => openShift(db, { cashier, openingFloat }));
    if (opened) onClose();
  };

  return (
    <ShiftFormDialog
      title="Open shift"
      onSubmit={() => void submit()}
      onCancel={onClose}
      canSubmit={canSubmit}
      submitLabel="Open shift"
      submitTestId="shift-open-submit"
      error={action.error}
    >
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
    </ShiftFormDialog>
  );
}
