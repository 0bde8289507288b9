import { BatchDetailView } from '../batches/BatchDetailView.tsx';
import { BatchFilterBar } from '../batches/BatchFilterBar.tsx';
import { BatchTable } from '../batches/BatchTable.tsx';
import { type BatchFilters, useBatches } from '../batches/use-batches.ts';
import { useDevices } from '../devices/use-devices.ts';
import type { PageProps } from '../page-props.ts';
import { DataState } from '../ui/DataState.tsx';
import { LoadMore } from '../ui/LoadMore.tsx';

function readFilters(params: URLSearchParams): BatchFilters {
  return {
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    deviceId: params.get('deviceId') || undefined,
  };
}

function filterParams(filters: BatchFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

/** Every push the tills made (by day and till); a batch opens to the sales it carried. */
export function BatchesPage({ store, params, navigate }: PageProps) {
  const filters = readFilters(params);
  const batchId = params.get('batch');
  if (batchId !== null) {
    return (
      <BatchDetailView
        storeId={store.id}
        store={store}
        batchId={batchId}
        onBack={() => navigate('batches', filterParams(filters))}
        onOpenSale={(saleId) => navigate('sales', { sale: saleId })}
      />
    );
  }
  return <BatchList filters={filters} {...{ store, params, navigate }} />;
}

function BatchList({
  filters,
  store,
  navigate,
}: Pick<PageProps, 'store' | 'params' | 'navigate'> & { filters: BatchFilters }) {
  const batches = useBatches(store.id, filters);
  const devices = useDevices(store.id);
  const rows = batches.data?.pages.flatMap((page) => page.batches) ?? [];
  return (
    <div className="m-page">
      <div className="m-page__head">
        <h1>Batches</h1>
      </div>
      <BatchFilterBar
        filters={filters}
        devices={devices.data}
        onChange={(next) => navigate('batches', filterParams(next), { replace: true })}
      />
      {!filters.from && !filters.to && <p className="m-muted">Today's pushes; pick dates to see others.</p>}
      <DataState
        query={batches}
        isEmpty={() => rows.length === 0}
        empty="No pushes from any till in this range."
        loading="Loading batches…"
      >
        {() => (
          <div className="m-card m-card--flush">
            <BatchTable
              batches={rows}
              store={store}
              onOpen={(batchId) => navigate('batches', { ...filterParams(filters), batch: batchId })}
            />
            <LoadMore
              shown={rows.length}
              hasMore={batches.hasNextPage}
              loading={batches.isFetchingNextPage}
              onLoad={() => void batches.fetchNextPage()}
              testId="batches-more"
            />
          </div>
        )}
      </DataState>
    </div>
  );
}
