import { parseMoney, priceLine, type StoreInfo, toDecimalString } from '@till/shared/core';
import { type FormEvent, useState } from 'react';
import type { CartAction, CartLine } from './cart.ts';

interface CartLineRowProps {
  line: CartLine;
  store: StoreInfo;
  format: (amount: number) => string;
  dispatch: (action: CartAction) => void;
}

/** One cart line: quantity −/+, remove, and an optional amount off the line. */
export function CartLineRow({ line, store, format, dispatch }: CartLineRowProps) {
  const [editingDiscount, setEditingDiscount] = useState(false);
  const [discountText, setDiscountText] = useState('');
  const [discountError, setDiscountError] = useState<string | null>(null);
  // The line shows its shelf-price amount; tax (added or included) is shown once, in the totals.
  const priced = priceLine(line, store.taxMode);

  const openDiscount = () => {
    setDiscountText(line.discount > 0 ? toDecimalString(line.discount, store.currency) : '');
    setDiscountError(null);
    setEditingDiscount(true);
  };

  const applyDiscount = (event: FormEvent) => {
    event.preventDefault();
    try {
      const amount = discountText.trim() === '' ? 0 : parseMoney(discountText, store.currency);
      if (amount < 0 || amount > line.qty * line.unitPrice) throw new RangeError('more than the line');
      dispatch({ type: 'discount', productId: line.productId, amount });
      setEditingDiscount(false);
    } catch {
      setDiscountError(`Enter an amount up to ${format(line.qty * line.unitPrice)}`);
    }
  };

  return (
    <li className="cart-line" data-testid={`cart-line-${line.sku}`}>
      <div className="cart-line-main">
        <div className="cart-line-name">
          <span>{line.name}</span>
          <span className="cart-line-unit">
            {format(line.unitPrice)} each
            {line.discount > 0 && <span className="cart-line-discount"> · −{format(line.discount)}</span>}
          </span>
        </div>
        <span className="cart-line-total">{format(priced.net)}</span>
      </div>
      <div className="cart-line-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`One less ${line.name}`}
          onClick={() => dispatch({ type: 'decrement', productId: line.productId })}
        >
          −
        </button>
        <span className="cart-line-qty" data-testid={`cart-qty-${line.sku}`}>
          {line.qty}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={`One more ${line.name}`}
          onClick={() => dispatch({ type: 'increment', productId: line.productId })}
        >
          +
        </button>
        <button type="button" className="text-button" onClick={openDiscount}>
          Discount
        </button>
        <button
          type="button"
          className="text-button text-button-danger"
          onClick={() => dispatch({ type: 'remove', productId: line.productId })}
        >
          Remove
        </button>
      </div>
      {editingDiscount && (
        <form className="cart-line-discount-form" onSubmit={applyDiscount}>
          <label>
            <span>Amount off</span>
            <input
              inputMode="decimal"
              value={discountText}
              onChange={(event) => setDiscountText(event.target.value)}
              placeholder={toDecimalString(0, store.currency)}
              // biome-ignore lint/a11y/noAutofocus: the cashier just asked to type a discount
              autoFocus
            />
          </label>
          <button type="submit" className="button button-small">
            Apply
          </button>
          <button type="button" className="text-button" onClick={() => setEditingDiscount(false)}>
            Cancel
          </button>
          {discountError && <p className="field-error">{discountError}</p>}
        </form>
      )}
    </li>
  );
}
