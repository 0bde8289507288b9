import type { SaleTotals, StoreInfo } from '@till/shared';
import { useState } from 'react';
import { cashSuggestions } from './cash-suggestions.ts';
import { Keypad } from './Keypad.tsx';

interface TenderPanelProps {
  totals: SaleTotals;
  store: StoreInfo;
  format: (amount: number) => string;
  pending: boolean;
  error: string | null;
  onBack: () => void;
  onComplete: (tendered: number) => void;
}

const MAX_DIGITS = 9;

/** Cash payment: how much was handed over, the change, and "Complete sale". */
export function TenderPanel({ totals, store, format, pending, error, onBack, onComplete }: TenderPanelProps) {
  const [digits, setDigits] = useState('');
  const tendered = digits === '' ? 0 : Number(digits);
  const enough = digits !== '' && tendered >= totals.total;
  const change = enough ? tendered - totals.total : 0;

  const press = (key: string) => {
    if (key === '⌫') setDigits((current) => current.slice(0, -1));
    else setDigits((current) => (current + key).replace(/^0+/, '').slice(0, MAX_DIGITS));
  };

  return (
    <section className="tender-panel" aria-label="Cash payment">
      <div className="cart-header">
        <h2>Cash</h2>
        <button type="button" className="text-button" onClick={onBack} disabled={pending}>
          Back to sale
        </button>
      </div>
      <dl className="tender-figures">
        <dt>Total due</dt>
        <dd data-testid="tender-total">{format(totals.total)}</dd>
        <dt>Cash received</dt>
        <dd data-testid="tender-received" className={digits === '' ? 'is-placeholder' : ''}>
          {format(tendered)}
        </dd>
        <dt>Change</dt>
        <dd data-testid="tender-change" className="tender-change">
          {enough ? format(change) : '—'}
        </dd>
      </dl>
      <div className="quick-cash">
        <button
          type="button"
          className="button quick-cash-exact"
          data-testid="tender-exact"
          onClick={() => setDigits(String(totals.total))}
        >
          Exact {format(totals.total)}
        </button>
        {cashSuggestions(totals.total, store.currency).map((amount) => (
          <button
            type="button"
            key={amount}
            className="button"
            data-testid={`tender-quick-${amount}`}
            onClick={() => setDigits(String(amount))}
          >
            {format(amount)}
          </button>
        ))}
      </div>
      <Keypad onKey={press} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button button-primary button-large"
        data-testid="complete-sale"
        disabled={!enough || pending}
        onClick={() => onComplete(tendered)}
      >
        {pending ? 'Recording…' : enough ? `Complete sale · change ${format(change)}` : 'Enter cash received'}
      </button>
    </section>
  );
}
