import type { CatalogResponse } from '@till/shared/core';
import type { CatalogProduct, TillDb } from './till-db.ts';

/**
 * Applies a catalog answer in one transaction: a full answer replaces the table, a delta puts
 * changed products and removes inactive ones (they are off sale). The version is stored with
 * the products so the next `since` matches what the table holds. The device's store details
 * are refreshed too.
 */
export async function applyCatalog(db: TillDb, catalog: CatalogResponse): Promise<void> {
  await db.transaction('rw', db.catalog, db.meta, db.device, async () => {
    if (catalog.full) await db.catalog.clear();
    const active = catalog.products.filter((product) => product.active);
    const inactiveIds = catalog.products.filter((product) => !product.active).map((product) => product.id);
    if (active.length > 0) await db.catalog.bulkPut(active);
    if (inactiveIds.length > 0) await db.catalog.bulkDelete(inactiveIds);
    await db.meta.put({ key: 'catalogVersion', value: catalog.version });
    await db.device.toCollection().modify({ store: catalog.store });
  });
}

/** Active products, by category then name. */
export async function listProducts(db: TillDb): Promise<CatalogProduct[]> {
  const products = await db.catalog.toArray();
  return products.sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
}

/** The product carrying this barcode, if any. */
export async function findByBarcode(db: TillDb, barcode: string): Promise<CatalogProduct | undefined> {
  return db.catalog.where('barcodes').equals(barcode).first();
}
