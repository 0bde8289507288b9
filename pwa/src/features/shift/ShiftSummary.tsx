import type { StoreInfo } from '@till/shared/core';
import type { ShiftCash, ShiftRecord } from '../../db/index.ts';
import { countVerdict, describeVerdict } from './shift-form.ts';

interface ShiftSummaryProps {
  shift: ShiftRecord;
  cash: ShiftCash;
  store: StoreInfo;
  format: (amount: number) => string;
}

/** A closed shift at a glance: expected, counted, over or short, and why. */
export function ShiftSummary({ shift, cash, store, format }: ShiftSummaryProps) {
  const expected = shift.expectedCash ?? cash.expectedCash;
  const counted = shift.countedCash ?? 0;
  const verdict = countVerdict(counted, expected);
  const time = (iso: string | null) =>
    iso === null
      ? '—'
      : new Date(iso).toLocaleString(store.locale, {
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: store.timezone,
        });
  return (
    <div className="shift-summary" data-testid="shift-summary">
      <dl className="shift-figures">
        <dt>Cashier</dt>
        <dd>{shift.cashier}</dd>
        <dt>Open</dt>
        <dd>
          {time(shift.openedAt)} – {time(shift.closedAt)}
        </dd>
        <dt>Sales</dt>
        <dd>{shift.saleCount ?? cash.saleCount}</dd>
        <dt>Opening float</dt>
        <dd>{format(cash.openingFloat)}</dd>
        <dt>Cash sales</dt>
        <dd>{format(cash.cashSales)}</dd>
        <dt>Cash in / out</dt>
        <dd>{format(cash.cashMovements)}</dd>
        <dt>Expected</dt>
        <dd data-testid="shift-summary-expected">{format(expected)}</dd>
        <dt>Counted</dt>
        <dd data-testid="shift-summary-counted">{format(counted)}</dd>
        <dt>Over / short</dt>
        <dd data-testid="shift-summary-difference" className={`shift-verdict-${verdict.kind}`}>
          {describeVerdict(verdict, format)}
        </dd>
      </dl>
      {shift.reason && <p className="shift-note">Reason: {shift.reason}</p>}
    </div>
  );
}
