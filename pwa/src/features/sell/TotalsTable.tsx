import type { SaleTotals, TaxMode } from '@till/shared/core';

interface TotalsTableProps {
  totals: SaleTotals;
  taxMode: TaxMode;
  format: (amount: number) => string;
  /** Test id of the total's cell (the cart's is `cart-total`). */
  totalTestId?: string;
}

/** Subtotal, discount, tax (included or added) and total. */
export function TotalsTable({ totals, taxMode, format, totalTestId = 'cart-total' }: TotalsTableProps) {
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd>{format(totals.subtotal)}</dd>
      {totals.discount !== 0 && (
        <>
          <dt>Discount</dt>
          <dd>−{format(totals.discount)}</dd>
        </>
      )}
      <dt>{taxMode === 'inclusive' ? 'Tax included' : 'Tax'}</dt>
      <dd>{format(totals.tax)}</dd>
      <dt className="totals-grand">Total</dt>
      <dd className="totals-grand" data-testid={totalTestId}>
        {format(totals.total)}
      </dd>
    </dl>
  );
}
