import type { CatalogResponse } from '@till/shared';
import type { Kysely } from 'kysely';
import type { StoreScope } from '../ledger-store.ts';
import type { LedgerTables } from '../tables.ts';
import { STORE_INFO_COLUMNS, toStoreInfo } from './rows.ts';

/**
 * `since` 0 → every active product (full). Otherwise every product changed after `since`,
 * deactivated ones included so the till can drop them. A `since` ahead of the store's version
 * (the server's ledger was reset) gets the full catalog, which is the only safe answer.
 */
export async function getCatalog(db: Kysely<LedgerTables>, scope: StoreScope, since: number): Promise<CatalogResponse> {
  const store = await db
    .selectFrom('stores')
    .select([...STORE_INFO_COLUMNS, 'stores.catalog_version'])
    .where('stores.id', '=', scope.storeId)
    .where('stores.tenant_id', '=', scope.tenantId)
    .executeTakeFirstOrThrow();
  const full = since === 0 || since > store.catalog_version;
  let query = db
    .selectFrom('products')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId);
  query = full ? query.where('active', '=', 1) : query.where('version', '>', since);
  const rows = await query.orderBy('category').orderBy('name').orderBy('id').execute();
  return {
    version: store.catalog_version,
    full,
    store: toStoreInfo(store),
    products: rows.map((row) => ({
      id: row.id,
      sku: row.sku,
      name: row.name,
      category: row.category,
      barcodes: JSON.parse(row.barcodes) as string[],
      price: row.price,
      taxRateBp: row.tax_rate_bp,
      active: row.active === 1,
      version: row.version,
    })),
  };
}
