import type { ManagerStore } from '@till/shared/core';
import { useEffect, useRef } from 'react';
import { DataState } from '../ui/DataState.tsx';
import { dateTime, money } from '../ui/format.ts';
import { SaleBadges } from '../ui/SaleBadges.tsx';
import { Stat } from '../ui/Stat.tsx';
import { useBatch } from './use-batch.ts';

/** One push: its figures, then every sale it carried with what the server made of it. */
export function BatchDetailView({
  storeId,
  store,
  batchId,
  onBack,
  onOpenSale,
}: {
  storeId: string;
  store: ManagerStore;
  batchId: string;
  onBack: () => void;
  onOpenSale: (saleId: string) => void;
}) {
  const detail = useBatch(storeId, batchId);
  const top = useRef<HTMLElement>(null);
  // Opened from far down the list: start at the top of the batch.
  useEffect(() => {
    top.current?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <section ref={top} className="m-page" aria-labelledby="batch-title" data-testid="batch-detail">
      <div className="m-page__head">
        <h1 id="batch-title">
          {detail.data
            ? `Batch from till ${detail.data.batch.deviceNo} · ${dateTime(detail.data.batch.receivedAt, store)}`
            : 'Batch'}
        </h1>
        <button type="button" className="m-btn" onClick={onBack}>
          ← All batches
        </button>
      </div>
      <DataState query={detail} loading="Loading the batch…">
        {({ batch, sales }) => (
          <>
            <div className="m-grid m-grid--stats">
              <Stat label="Sales" value={batch.saleCount} detail={`${batch.deviceNo} · ${batch.deviceName}`} />
              <Stat label="New" value={batch.newCount} />
              <Stat label="Duplicates" value={batch.duplicateCount} detail="already stored, counted once" />
              <Stat label="Flagged" value={batch.flaggedCount} tone={batch.flaggedCount > 0 ? 'bad' : undefined} />
              <Stat label="Total" value={money(batch.total, store)} />
            </div>
            <p className="m-muted">
              Batch id <span className="m-mono">{batch.id}</span>
            </p>
            <div className="m-card m-card--flush">
              <div className="m-table-wrap">
                <table className="m-table">
                  <thead>
                    <tr>
                      <th scope="col" className="m-num">
                        #
                      </th>
                      <th scope="col">Receipt</th>
                      <th scope="col" className="m-num">
                        Seq
                      </th>
                      <th scope="col">Sold</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="m-num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sales.map(({ position, status, sale }) => (
                      <tr key={`${position}-${sale.id}`} data-testid={`batch-sale-${sale.receiptNo}`}>
                        <td className="m-num">{position + 1}</td>
                        <td>
                          <button type="button" className="m-link" onClick={() => onOpenSale(sale.id)}>
                            {sale.receiptNo}
                          </button>
                        </td>
                        <td className="m-num">{sale.deviceSeq}</td>
                        <td>{dateTime(sale.createdAt, store)}</td>
                        <td>
                          <SaleBadges status={status} flags={sale.flags} />
                        </td>
                        <td className="m-num">{money(sale.total, store)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </>
        )}
      </DataState>
    </section>
  );
}
