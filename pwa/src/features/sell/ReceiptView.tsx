import { priceLine, type StoreInfo } from '@till/shared/core';
import type { LedgerSale } from '../../db/index.ts';
import { cardName, receiptCardStatus } from '../card-payments/card-labels.ts';
import { TotalsTable } from './TotalsTable.tsx';

interface ReceiptViewProps {
  sale: LedgerSale;
  store: StoreInfo;
  format: (amount: number) => string;
  onNewSale: () => void;
}

/** The recorded sale as the customer's receipt; only shown once the sale is in IndexedDB. */
export function ReceiptView({ sale, store, format, onNewSale }: ReceiptViewProps) {
  const when = new Intl.DateTimeFormat(store.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: store.timezone,
  }).format(new Date(sale.createdAt));
  return (
    <div className="overlay receipt-overlay">
      <div className="receipt-dialog" role="dialog" aria-modal="true" aria-label="Receipt">
        <p className="receipt-done no-print">Sale complete</p>
        <article className="receipt" data-testid="receipt">
          <header className="receipt-head">
            <strong>{store.name}</strong>
            {store.address && <span>{store.address}</span>}
            <span>{when}</span>
            <span>
              Receipt <span data-testid="receipt-no">{sale.receiptNo}</span>
            </span>
          </header>
          <table className="receipt-lines">
            <tbody>
              {sale.lines.map((line) => (
                <tr key={line.lineNo}>
                  <td>
                    {line.qty} × {line.name}
                    {line.discount > 0 && <div className="receipt-sub">discount −{format(line.discount)}</div>}
                  </td>
                  <td className="receipt-amount">{format(priceLine(line, sale.taxMode).net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TotalsTable totals={sale.totals} taxMode={sale.taxMode} format={format} totalTestId="receipt-total" />
          {sale.tenders.map((tender) =>
            tender.kind === 'cash' ? (
              <dl className="totals receipt-tender" key={tender.id}>
                <dt>Cash</dt>
                <dd>{format(tender.tendered)}</dd>
                <dt>Change</dt>
                <dd data-testid="receipt-change">{format(tender.change)}</dd>
              </dl>
            ) : (
              <dl className="totals receipt-tender" key={tender.id} data-testid="receipt-card">
                <dt>
                  {cardName(tender)} — {receiptCardStatus(tender)}
                </dt>
                <dd>{format(tender.amount)}</dd>
              </dl>
            ),
          )}
          <footer className="receipt-foot">Thank you</footer>
        </article>
        <p className="receipt-hint no-print">Printed receipts: use the Print button.</p>
        <div className="receipt-actions no-print">
          <button type="button" className="button button-large" onClick={() => window.print()}>
            Print
          </button>
          <button
            type="button"
            className="button button-primary button-large"
            data-testid="new-sale"
            onClick={onNewSale}
          >
            New sale
          </button>
        </div>
      </div>
    </div>
  );
}
