import type { DaySummary, ManagerStore } from '@till/shared/core';
import { money } from '../ui/format.ts';

/** The day per till, with the server's own totals for the whole store underneath. */
export function DeviceTotalsTable({ summary, store }: { summary: DaySummary; store: ManagerStore }) {
  return (
    <section className="m-card m-card--flush" aria-labelledby="today-devices">
      <h2 id="today-devices">By till</h2>
      {summary.byDevice.length === 0 ? (
        <p className="m-muted m-card__pad">No till has sold anything this day.</p>
      ) : (
        <div className="m-table-wrap">
          <table className="m-table">
            <thead>
              <tr>
                <th scope="col">Till</th>
                <th scope="col" className="m-num">
                  Sales
                </th>
                <th scope="col" className="m-num">
                  Total
                </th>
                <th scope="col" className="m-num">
                  Cash
                </th>
                <th scope="col" className="m-num">
                  Card
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.byDevice.map((device) => (
                <tr key={device.deviceId} data-testid={`today-device-${device.deviceNo}`}>
                  <th scope="row">
                    {device.deviceNo} · {device.name}
                  </th>
                  <td className="m-num">{device.count}</td>
                  <td className="m-num">{money(device.total, store)}</td>
                  <td className="m-num">{money(device.cash, store)}</td>
                  <td className="m-num">{money(device.card, store)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All tills</th>
                <td className="m-num">{summary.sales.count}</td>
                <td className="m-num">{money(summary.sales.total, store)}</td>
                <td className="m-num">{money(summary.tenders.cash.amount, store)}</td>
                <td className="m-num">{money(summary.tenders.card.amount, store)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
