import type { ManagerProduct } from '@till/shared/core';
import { useState } from 'react';
import '../manage-ops.css';
import { ImportPanel } from '../catalog/ImportPanel.tsx';
import { ProductDialog } from '../catalog/ProductDialog.tsx';
import { ProductsTable } from '../catalog/ProductsTable.tsx';
import { searchProducts } from '../catalog/search.ts';
import { useProducts } from '../catalog/use-products.ts';
import { useSaveProduct } from '../catalog/use-save-product.ts';
import type { PageProps } from '../page-props.ts';
import { useSettings } from '../settings/use-settings.ts';
import { DataState } from '../ui/DataState.tsx';
import { errorMessage } from '../ui/errors.ts';

/** The store's catalog: search, add, edit, (de)activate, CSV import. Tills pick changes up on sync. */
export function CatalogPage({ store }: PageProps) {
  const query = useProducts(store.id);
  const settings = useSettings(store.id);
  const toggle = useSaveProduct(store.id);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<ManagerProduct | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const toggleActive = (product: ManagerProduct) => {
    const { id, version: _version, ...input } = product;
    toggle.mutate({ productId: id, product: { ...input, active: !product.active } });
  };

  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Catalog</h1>
      </div>
      <div className="m-toolbar">
        <div className="m-field mo-grow">
          <label htmlFor="catalog-search">Search</label>
          <input
            id="catalog-search"
            data-testid="catalog-search"
            type="search"
            placeholder="SKU, name, category or barcode"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <button
          type="button"
          className="m-btn m-btn--primary"
          data-testid="product-add"
          onClick={() => setEditing('new')}
        >
          Add product
        </button>
        <button
          type="button"
          className="m-btn"
          data-testid="catalog-import"
          aria-expanded={importing}
          onClick={() => setImporting((open) => !open)}
        >
          Import CSV…
        </button>
      </div>
      {importing && <ImportPanel storeId={store.id} onClose={() => setImporting(false)} />}
      {toggle.isError && (
        <p className="m-state m-state--error" role="alert">
          {errorMessage(toggle.error)}
        </p>
      )}
      <DataState
        query={query}
        isEmpty={(data) => data.products.length === 0}
        empty="No products yet. Add one or import a CSV."
      >
        {(data) => {
          const found = searchProducts(data.products, search);
          const active = data.products.filter((product) => product.active).length;
          return (
            <>
              <p className="m-muted mo-note" data-testid="catalog-summary">
                {data.products.length} products ({active} active) · catalog version {data.catalogVersion} · Tills get
                changes on their next sync.
              </p>
              {found.length === 0 ? (
                <div className="m-state m-state--empty">No product matches “{search}”.</div>
              ) : (
                <ProductsTable
                  products={found}
                  store={store}
                  toggling={toggle.isPending ? (toggle.variables?.productId ?? null) : null}
                  onEdit={setEditing}
                  onToggleActive={toggleActive}
                />
              )}
            </>
          );
        }}
      </DataState>
      {editing !== null && (
        <ProductDialog
          storeId={store.id}
          currency={store.currency}
          taxRates={settings.data?.settings.taxRates ?? []}
          product={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
