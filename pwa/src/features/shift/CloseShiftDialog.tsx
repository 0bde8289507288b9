import type { StoreInfo } from '@till/shared/core';
import { useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { closeShift, type ShiftCash, type ShiftRecord } from '../../db/index.ts';
import { AmountField } from './AmountField.tsx';
import { ShiftFormDialog } from './ShiftFormDialog.tsx';
import { ShiftSummary } from './ShiftSummary.tsx';
import { countVerdict, describeVerdict, parseAmountText } from './shift-form.ts';
import { useShiftAction } from './use-shift-action.ts';
import { useShiftCash } from './use-shift-cash.ts';

interface CloseShiftDialogProps {
  shift: ShiftRecord;
  /** The figures already read for this shift, shown until the dialog's own live read arrives. */
  initialCash?: ShiftCash | undefined;
  store: StoreInfo;
  format: (amount: number) => string;
  onClose: () => void;
}

/**
 * Closing the drawer: what the till expects (float + cash sales + cash in/out, live from the
 * ledger), the cash counted, and a reason when they differ. Then the summary: over or short.
 */
export function CloseShiftDialog({ shift, initialCash, store, format, onClose }: CloseShiftDialogProps) {
  const { db } = useTill();
  const cash = useShiftCash(shift.id) ?? initialCash;
  const [countedText, setCountedText] = useState('');
  const [reason, setReason] = useState('');
  const [closed, setClosed] = useState<{ shift: ShiftRecord; cash: ShiftCash } | null>(null);
  const action = useShiftAction();
  const counted = parseAmountText(countedText, store.currency);
  const verdict = counted === null || cash === undefined ? null : countVerdict(counted, cash.expectedCash);
  const needsReason = verdict !== null && verdict.kind !== 'balanced';
  const canSubmit = verdict !== null && (!needsReason || reason.trim() !== '') && !action.pending;

  const submit = async () => {
    if (counted === null) return;
    const result = await action.run(() => closeShift(db, { countedCash: counted, reason }));
    if (result) setClosed(result);
  };

  if (closed) {
    return (
      <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shift-summary-title">
        <div className="dialog shift-dialog">
          <h2 id="shift-summary-title">Shift closed</h2>
          <ShiftSummary shift={closed.shift} cash={closed.cash} store={store} format={format} />
          <button type="button" className="button button-primary button-large" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    );
  }

  return (
    <ShiftFormDialog
      title={`Close ${shift.cashier}'s shift`}
      onSubmit={() => void submit()}
      onCancel={onClose}
      canSubmit={canSubmit}
      submitLabel="Close shift"
      submitTestId="shift-close-submit"
      error={action.error}
      className="shift-close-dialog"
      bodyClassName="shift-close-count"
    >
      <dl className="shift-figures">
        <dt>Opening float</dt>
        <dd>{format(shift.openingFloat)}</dd>
        <dt>Cash sales ({cash?.saleCount ?? 0} sales)</dt>
        <dd>{cash ? format(cash.cashSales) : '…'}</dd>
        <dt>Cash in / out</dt>
        <dd>{cash ? format(cash.cashMovements) : '…'}</dd>
        <dt>Expected in the drawer</dt>
        <dd className="shift-expected" data-testid="shift-expected">
          {cash ? format(cash.expectedCash) : '…'}
        </dd>
      </dl>
      <AmountField
        id="shift-counted"
        label="Cash counted"
        testId="shift-counted"
        value={countedText}
        onChange={setCountedText}
        currency={store.currency}
        keypad
      />
      <p className={`shift-verdict shift-verdict-${verdict?.kind ?? 'none'}`} role="status">
        {verdict ? describeVerdict(verdict, format) : 'Count the drawer and type the total.'}
      </p>
      <label className="shift-field" htmlFor="shift-reason">
        {needsReason ? 'Why is it over or short? (needed)' : 'Reason (only when over or short)'}
        <input
          id="shift-reason"
          type="text"
          autoComplete="off"
          maxLength={200}
          placeholder="e.g. gave wrong change"
          data-testid="shift-reason"
          aria-required={needsReason}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
    </ShiftFormDialog>
  );
}
