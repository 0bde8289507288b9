import { useDevices } from '../devices/use-devices.ts';
import type { PageProps } from '../page-props.ts';
import { SaleDetailDialog } from '../sales/SaleDetailDialog.tsx';
import { SalesSearchForm } from '../sales/SalesSearchForm.tsx';
import { SalesTable } from '../sales/SalesTable.tsx';
import { readSalesForm, salesFormParams, toSalesFilters } from '../sales/sales-filters.ts';
import { useSales } from '../sales/use-sales.ts';
import { DataState } from '../ui/DataState.tsx';
import { LoadMore } from '../ui/LoadMore.tsx';

/** Find any sale (receipt, dates, till, amount, tender, flagged) and open it (`?sale=<id>`). */
export function SalesPage({ store, params, navigate }: PageProps) {
  const form = readSalesForm(params);
  const search = salesFormParams(form);
  const { filters, errors } = toSalesFilters(form, store.currency);
  const valid = !errors.min && !errors.max;
  const sales = useSales(store.id, filters, valid);
  const devices = useDevices(store.id);
  const saleId = params.get('sale');
  const rows = sales.data?.pages.flatMap((page) => page.sales) ?? [];

  return (
    <div className="m-page">
      <div className="m-page__head">
        <h1>Sales</h1>
      </div>
      <SalesSearchForm
        // A new URL (back/forward, a link from another page) starts the form afresh.
        key={new URLSearchParams(search).toString()}
        initial={form}
        store={store}
        devices={devices.data}
        onSearch={(next) => navigate('sales', salesFormParams(next))}
      />
      {!form.from && !form.to && !form.receiptNo && <p className="m-muted">Today's sales; pick dates to see others.</p>}
      {valid ? (
        <DataState
          query={sales}
          isEmpty={() => rows.length === 0}
          empty="No sale matches this search."
          loading="Searching…"
        >
          {() => (
            <div className="m-card m-card--flush">
              <SalesTable sales={rows} store={store} onOpen={(id) => navigate('sales', { ...search, sale: id })} />
              <LoadMore
                shown={rows.length}
                hasMore={sales.hasNextPage}
                loading={sales.isFetchingNextPage}
                onLoad={() => void sales.fetchNextPage()}
                testId="sales-more"
              />
            </div>
          )}
        </DataState>
      ) : (
        <p className="m-form__error">Fix the amounts above to search.</p>
      )}
      <SaleDetailDialog
        store={store}
        saleId={saleId}
        onClose={() => navigate('sales', search)}
        onOpenBatch={(batchId) => navigate('batches', { batch: batchId })}
      />
    </div>
  );
}
