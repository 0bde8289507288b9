import { parseMoney, type StoreInfo, toDecimalString } from '@till/shared/core';
import { useEffect, useRef, useState } from 'react';
import { effectiveLimits } from '../card-payments/offline-limits.ts';
import { type CardRead, isAbort, readCard } from '../card-reader/card-reader.ts';
import { SimulatedTapPad } from '../card-reader/SimulatedTapPad.tsx';
import type { SimulatedTapReader } from '../card-reader/simulated-tap-reader.ts';

interface CardPaymentDialogProps {
  remaining: number;
  store: StoreInfo;
  format: (amount: number) => string;
  reader: SimulatedTapReader;
  /** True while cards go straight to store-and-forward (gateway down, offline…). */
  storing: boolean;
  onRead: (amount: number, card: CardRead) => void;
  onCancel: () => void;
}

function parseAmount(text: string, store: StoreInfo): number | null {
  try {
    const amount = parseMoney(text, store.currency);
    return Number.isSafeInteger(amount) ? amount : null;
  } catch {
    return null;
  }
}

/**
 * One card payment: the amount (the remaining total unless the cashier splits it), then the
 * reader. The reader is asked again whenever the amount changes, like a terminal re-prompting.
 */
export function CardPaymentDialog({
  remaining,
  store,
  format,
  reader,
  storing,
  onRead,
  onCancel,
}: CardPaymentDialogProps) {
  const [amountText, setAmountText] = useState(() => toDecimalString(remaining, store.currency));
  const [readError, setReadError] = useState<string | null>(null);
  const parsed = parseAmount(amountText, store);
  const amount = parsed !== null && parsed > 0 && parsed <= remaining ? parsed : null;
  const onReadRef = useRef(onRead);
  useEffect(() => {
    onReadRef.current = onRead;
  }, [onRead]);

  useEffect(() => {
    if (amount === null) return;
    const controller = new AbortController();
    readCard(reader, amount, store.currency, controller.signal).then(
      (card) => onReadRef.current(amount, card),
      (error: unknown) => {
        if (!isAbort(error)) setReadError(error instanceof Error ? error.message : 'The card could not be read');
      },
    );
    return () => controller.abort();
  }, [amount, reader, store.currency]);

  const limits = effectiveLimits(store);
  return (
    <div className="overlay">
      <div
        className="dialog card-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Card payment"
        data-testid="card-reader"
      >
        <h2>Card payment</h2>
        <label className="card-amount-field">
          <span>Amount on this card (remaining {format(remaining)})</span>
          <input
            inputMode="decimal"
            data-testid="card-amount"
            value={amountText}
            onChange={(event) => {
              setReadError(null);
              setAmountText(event.target.value);
            }}
          />
        </label>
        {amount === null && <p className="field-error">Enter an amount up to {format(remaining)}</p>}
        {storing && (
          <p className="card-dialog-note">
            The gateway cannot be reached: cards are stored and charged later, up to {format(limits.maxPerPayment)}{' '}
            each.
          </p>
        )}
        {readError && (
          <p className="field-error" role="alert">
            {readError}
          </p>
        )}
        <SimulatedTapPad reader={reader} />
        <button type="button" className="button" data-testid="card-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
