import type { SaleTotals, StoreInfo } from '@till/shared/core';
import { useState } from 'react';
import { cardName, receiptCardStatus } from '../card-payments/card-labels.ts';
import { cashSuggestions } from './cash-suggestions.ts';
import { Keypad } from './Keypad.tsx';
import { remainingAmount, type TenderSession } from './tender-session.ts';
import type { CardResultView } from './use-tender-session.ts';

interface TenderPanelProps {
  totals: SaleTotals;
  store: StoreInfo;
  format: (amount: number) => string;
  session: TenderSession | null;
  cardResult: CardResultView | null;
  /** A card is being taken or the sale is being recorded. */
  busy: boolean;
  error: string | null;
  /** False once a payment is on the sale: remove the removable ones first. */
  canGoBack: boolean;
  onBack: () => void;
  onCard: () => void;
  onRemoveTender: (tenderId: string) => void;
  onCashPart: (tendered: number) => void;
  /** Completes the sale; `cashTendered` pays what remains (null when nothing remains). */
  onComplete: (cashTendered: number | null) => void;
}

const MAX_DIGITS = 9;

/** Payment: card payments and cash, split as the customer likes, until nothing remains. */
export function TenderPanel(props: TenderPanelProps) {
  const { totals, store, format, session, cardResult, busy, error } = props;
  const [digits, setDigits] = useState('');
  const remaining = session ? remainingAmount(session, totals.total) : totals.total;
  const tendered = digits === '' ? 0 : Number(digits);
  const cashCovers = digits !== '' && tendered >= remaining;
  const canComplete = !busy && (remaining === 0 || cashCovers);

  const press = (key: string) => {
    if (key === '⌫') setDigits((current) => current.slice(0, -1));
    else setDigits((current) => (current + key).replace(/^0+/, '').slice(0, MAX_DIGITS));
  };

  return (
    <section className="tender-panel" aria-label="Payment">
      <div className="cart-header">
        <h2>Payment</h2>
        <button type="button" className="text-button" onClick={props.onBack} disabled={busy || !props.canGoBack}>
          Back to sale
        </button>
      </div>
      <dl className="tender-figures">
        <dt>Total due</dt>
        <dd data-testid="tender-total">{format(totals.total)}</dd>
        <dt>Remaining</dt>
        <dd data-testid="tender-remaining" className={remaining === 0 ? 'tender-paid' : ''}>
          {format(remaining)}
        </dd>
      </dl>
      {session && session.tenders.length > 0 && (
        <ul className="tender-list" data-testid="tender-payments">
          {session.tenders.map(({ tender, removable }) => (
            <li key={tender.id}>
              <span>{tender.kind === 'cash' ? 'Cash' : `${cardName(tender)} — ${receiptCardStatus(tender)}`}</span>
              <strong>{format(tender.amount)}</strong>
              {removable && (
                <button
                  type="button"
                  className="text-button text-button-danger"
                  disabled={busy}
                  onClick={() => props.onRemoveTender(tender.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cardResult && (
        <p className={`card-result card-result-${cardResult.tone}`} data-testid="card-result" role="status">
          {cardResult.text}
        </p>
      )}
      {remaining > 0 && (
        <>
          <button
            type="button"
            className="button button-card"
            data-testid="tender-card"
            disabled={busy}
            onClick={props.onCard}
          >
            Card {format(remaining)}
          </button>
          <dl className="tender-figures">
            <dt>Cash received</dt>
            <dd data-testid="tender-received" className={digits === '' ? 'is-placeholder' : ''}>
              {format(tendered)}
            </dd>
            <dt>Change</dt>
            <dd data-testid="tender-change" className="tender-change">
              {cashCovers ? format(tendered - remaining) : '—'}
            </dd>
          </dl>
          <div className="quick-cash">
            <button
              type="button"
              className="button quick-cash-exact"
              data-testid="tender-exact"
              onClick={() => setDigits(String(remaining))}
            >
              Exact {format(remaining)}
            </button>
            {cashSuggestions(remaining, store.currency).map((amount) => (
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
          {digits !== '' && !cashCovers && tendered > 0 && (
            <button
              type="button"
              className="button"
              data-testid="tender-cash-part"
              disabled={busy}
              onClick={() => {
                props.onCashPart(tendered);
                setDigits('');
              }}
            >
              Take {format(tendered)} cash, pay the rest another way
            </button>
          )}
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button button-primary button-large tender-complete"
        data-testid="complete-sale"
        disabled={!canComplete}
        onClick={() => props.onComplete(remaining === 0 ? null : tendered)}
      >
        {busy
          ? 'Working…'
          : remaining === 0
            ? 'Complete sale'
            : cashCovers
              ? `Complete sale · change ${format(tendered - remaining)}`
              : 'Take cash or a card'}
      </button>
    </section>
  );
}
