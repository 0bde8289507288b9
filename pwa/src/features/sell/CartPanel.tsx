import type { SaleTotals, StoreInfo } from '@till/shared/core';
import { CartLineRow } from './CartLineRow.tsx';
import type { Cart, CartAction } from './cart.ts';
import { TotalsTable } from './TotalsTable.tsx';

interface CartPanelProps {
  cart: Cart;
  totals: SaleTotals;
  store: StoreInfo;
  format: (amount: number) => string;
  dispatch: (action: CartAction) => void;
  onPayCash: () => void;
  onPayCard: () => void;
}

/** The sale in progress: lines, totals, and the way to payment. */
export function CartPanel({ cart, totals, store, format, dispatch, onPayCash, onPayCard }: CartPanelProps) {
  const empty = cart.lines.length === 0;
  return (
    <section className="cart-panel" aria-label="Current sale">
      <div className="cart-header">
        <h2>Current sale</h2>
        {!empty && (
          <button type="button" className="text-button text-button-danger" onClick={() => dispatch({ type: 'clear' })}>
            Clear
          </button>
        )}
      </div>
      {empty ? (
        <p className="cart-empty">Tap a product or scan a barcode to start a sale.</p>
      ) : (
        <ul className="cart-lines">
          {cart.lines.map((line) => (
            <CartLineRow key={line.productId} line={line} store={store} format={format} dispatch={dispatch} />
          ))}
        </ul>
      )}
      <div className="cart-footer">
        <TotalsTable totals={totals} taxMode={store.taxMode} format={format} />
        <div className="pay-buttons">
          <button
            type="button"
            className="button button-primary button-large"
            data-testid="tender-cash"
            disabled={empty}
            onClick={onPayCash}
          >
            Pay cash
          </button>
          <button
            type="button"
            className="button button-card button-large"
            data-testid="tender-card"
            disabled={empty}
            onClick={onPayCard}
          >
            Pay by card
          </button>
        </div>
      </div>
    </section>
  );
}
