import type { BatchRow, ManagerStore } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { dateTime, money } from '../ui/format.ts';

/** One row per push; the receipt time is a button that opens the batch. */
export function BatchTable({
  batches,
  store,
  onOpen,
}: {
  batches: readonly BatchRow[];
  store: ManagerStore;
  onOpen: (batchId: string) => void;
}) {
  return (
    <div className="m-table-wrap">
      <table className="m-table">
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Till</th>
            <th scope="col" className="m-num">
              Sales
            </th>
            <th scope="col" className="m-num">
              New
            </th>
            <th scope="col" className="m-num">
              Duplicate
            </th>
            <th scope="col" className="m-num">
              Flagged
            </th>
            <th scope="col" className="m-num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {batches.map((batch) => (
            <tr
              key={batch.id}
              className="m-row--link"
              data-testid={`batch-row-${batch.id}`}
              onClick={() => onOpen(batch.id)}
            >
              <td>
                <button type="button" className="m-link" onClick={() => onOpen(batch.id)}>
                  {dateTime(batch.receivedAt, store)}
                </button>
              </td>
              <td>
                {batch.deviceNo} · {batch.deviceName}
              </td>
              <td className="m-num">{batch.saleCount}</td>
              <td className="m-num">{batch.newCount}</td>
              <td className="m-num">{batch.duplicateCount}</td>
              <td className="m-num">{batch.flaggedCount > 0 ? <Badge tone="bad">{batch.flaggedCount}</Badge> : 0}</td>
              <td className="m-num">{money(batch.total, store)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
