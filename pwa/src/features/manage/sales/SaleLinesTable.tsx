import type { ManagerStore, SaleDetail } from '@till/shared/core';
import { money } from '../ui/format.ts';

const percent = (basisPoints: number) => `${(basisPoints / 100).toFixed(basisPoints % 100 === 0 ? 0 : 2)}%`;

/** The lines as sold (price, discount and tax rate at the time) and the totals the server holds. */
export function SaleLinesTable({ detail, store }: { detail: SaleDetail; store: ManagerStore }) {
  const { totals } = detail;
  return (
    <div className="m-table-wrap">
      <table className="m-table">
        <thead>
          <tr>
            <th scope="col" className="m-num">
              Qty
            </th>
            <th scope="col">Item</th>
            <th scope="col" className="m-num">
              Unit price
            </th>
            <th scope="col" className="m-num">
              Discount
            </th>
            <th scope="col" className="m-num">
              Tax rate
            </th>
          </tr>
        </thead>
        <tbody>
          {detail.lines.map((line) => (
            <tr key={line.lineNo}>
              <td className="m-num">{line.qty}</td>
              <td>
                {line.name} {line.sku && <span className="m-muted m-mono">{line.sku}</span>}
              </td>
              <td className="m-num">{money(line.unitPrice, store)}</td>
              <td className="m-num">{line.discount !== 0 ? money(line.discount, store) : ''}</td>
              <td className="m-num">{percent(line.taxRateBp)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              Subtotal
            </th>
            <td className="m-num">{money(totals.subtotal, store)}</td>
          </tr>
          {totals.discount !== 0 && (
            <tr>
              <th scope="row" colSpan={4}>
                Discounts
              </th>
              <td className="m-num">−{money(totals.discount, store)}</td>
            </tr>
          )}
          <tr>
            <th scope="row" colSpan={4}>
              Tax
            </th>
            <td className="m-num">{money(totals.tax, store)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={4}>
              Total
            </th>
            <td className="m-num" data-testid="sale-detail-total">
              {money(totals.total, store)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
