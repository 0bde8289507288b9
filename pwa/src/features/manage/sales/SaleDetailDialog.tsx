import type { ManagerStore } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { DataState } from '../ui/DataState.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { dateTime } from '../ui/format.ts';
import { SaleBadges } from '../ui/SaleBadges.tsx';
import { SaleLinesTable } from './SaleLinesTable.tsx';
import { SalePayments } from './SalePayments.tsx';
import { SaleTenders } from './SaleTenders.tsx';
import { useSale } from './use-sale.ts';

/** Everything the server holds about one sale, in a dialog over the search (`?sale=<id>`). */
export function SaleDetailDialog({
  store,
  saleId,
  onClose,
  onOpenBatch,
}: {
  store: ManagerStore;
  saleId: string | null;
  onClose: () => void;
  onOpenBatch: (batchId: string) => void;
}) {
  const detail = useSale(store.id, saleId);
  return (
    <Dialog
      open={saleId !== null}
      wide
      testId="sale-detail"
      title={detail.data ? `Sale ${detail.data.sale.receiptNo}` : 'Sale'}
      onClose={onClose}
    >
      <DataState query={detail} loading="Loading the sale…">
        {(data) => {
          const { sale } = data;
          return (
            <>
              <SaleBadges status={sale.status} flags={sale.flags} />
              <dl className="m-facts">
                <div>
                  <dt>Till</dt>
                  <dd>
                    {sale.deviceNo}, seq {sale.deviceSeq}
                  </dd>
                </div>
                <div>
                  <dt>Sold (till clock)</dt>
                  <dd>{dateTime(sale.createdAt, store)}</dd>
                </div>
                <div>
                  <dt>Received</dt>
                  <dd>{dateTime(sale.receivedAt, store)}</dd>
                </div>
                <div>
                  <dt>Cashier</dt>
                  <dd>{sale.cashier ?? '—'}</dd>
                </div>
                <div>
                  <dt>Batch</dt>
                  <dd>
                    <button type="button" className="m-link" onClick={() => onOpenBatch(data.batchId)}>
                      open the push
                    </button>
                  </dd>
                </div>
                <div>
                  <dt>Sale id</dt>
                  <dd className="m-mono">{sale.id}</dd>
                </div>
              </dl>
              {(data.sequenceIssues.length > 0 || data.conflictingCopies > 0) && (
                <section aria-labelledby="sale-issues" className="m-card" data-testid="sale-issues">
                  <h3 id="sale-issues" className="m-card__title">
                    Issues
                  </h3>
                  <ul className="m-list">
                    {data.sequenceIssues.map((issue) => (
                      <li key={`${issue.kind}-${issue.fromSeq}-${issue.toSeq}`}>
                        <Badge tone={issue.resolvedAt ? 'neutral' : 'bad'}>{issue.kind.replaceAll('_', ' ')}</Badge> seq{' '}
                        {issue.fromSeq}
                        {issue.toSeq !== issue.fromSeq ? `–${issue.toSeq}` : ''}: {issue.detail}
                        {issue.resolvedAt && (
                          <span className="m-muted"> (resolved {dateTime(issue.resolvedAt, store)})</span>
                        )}
                      </li>
                    ))}
                    {data.conflictingCopies > 0 && (
                      <li>
                        <Badge tone="bad">conflicting copies</Badge> {data.conflictingCopies}{' '}
                        {data.conflictingCopies === 1 ? 'copy' : 'copies'} arrived with this id and other content; kept
                        aside, this one counts.
                      </li>
                    )}
                  </ul>
                </section>
              )}
              <h3 className="m-section-title">Lines</h3>
              <SaleLinesTable detail={data} store={store} />
              <h3 className="m-section-title">Paid with</h3>
              <SaleTenders detail={data} store={store} />
              <h3 className="m-section-title">Card payments</h3>
              <SalePayments detail={data} store={store} />
            </>
          );
        }}
      </DataState>
    </Dialog>
  );
}
