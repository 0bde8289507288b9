import type { ManagerStore, SaleRow } from '@till/shared/core';
import { dateTime, money } from '../ui/format.ts';
import { SaleBadges } from '../ui/SaleBadges.tsx';

/** Search results; the receipt number opens the sale. */
export function SalesTable({
  sales,
  store,
  onOpen,
}: {
  sales: readonly SaleRow[];
  store: ManagerStore;
  onOpen: (saleId: string) => void;
}) {
  return (
    <div className="m-table-wrap">
      <table className="m-table">
        <thead>
          <tr>
            <th scope="col">Receipt</th>
            <th scope="col">Sold</th>
            <th scope="col">Till · seq</th>
            <th scope="col">Cashier</th>
            <th scope="col" className="m-num">
              Cash
            </th>
            <th scope="col" className="m-num">
              Card
            </th>
            <th scope="col" className="m-num">
              Total
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {sales.map((sale) => (
            <tr key={sale.id} data-testid={`sale-row-${sale.receiptNo}`}>
              <td>
                <button type="button" className="m-link m-mono" onClick={() => onOpen(sale.id)}>
                  {sale.receiptNo}
                </button>
              </td>
              <td>{dateTime(sale.createdAt, store)}</td>
              <td className="m-nowrap">
                {sale.deviceNo} <span className="m-muted">· {sale.deviceSeq}</span>
              </td>
              <td>{sale.cashier ?? <span className="m-muted">—</span>}</td>
              <td className="m-num">{sale.cash !== 0 ? money(sale.cash, store) : ''}</td>
              <td className="m-num">{sale.card !== 0 ? money(sale.card, store) : ''}</td>
              <td className="m-num">
                <strong>{money(sale.total, store)}</strong>
              </td>
              <td>
                <SaleBadges status={sale.status} flags={sale.flags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
