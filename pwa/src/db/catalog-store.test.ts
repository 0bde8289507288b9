import type { CatalogResponse, Product } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import { openEnrolledDb, TEST_STORE } from '../test-support/ledger-fixtures.ts';
import { applyCatalog, findByBarcode, listProducts } from './catalog-store.ts';
import { getMeta } from './meta.ts';

function product(n: number, changes: Partial<Product> = {}): Product {
  return {
    id: `01890a5d-ac96-774b-bcce-00000000000${n}`,
    sku: `SKU${n}`,
    name: `Product ${n}`,
    category: n % 2 ? 'Drinks' : 'Bakery',
    barcodes: [`400000${n}`],
    price: 100 * n,
    taxRateBp: 2300,
    active: true,
    version: 1,
    ...changes,
  };
}

function answer(version: number, full: boolean, products: Product[]): CatalogResponse {
  return { version, full, store: { ...TEST_STORE, name: `Store v${version}` }, products };
}

describe('applyCatalog', () => {
  it('replaces on a full answer, then applies changes and drops inactive products from sale', async () => {
    const db = await openEnrolledDb();
    await applyCatalog(db, answer(1, true, [product(1), product(2), product(3)]));
    expect((await listProducts(db)).map((p) => p.sku)).toEqual(['SKU2', 'SKU1', 'SKU3']);

    await applyCatalog(db, answer(2, false, [product(2, { active: false }), product(3, { price: 999, version: 2 })]));
    expect((await listProducts(db)).map((p) => [p.sku, p.price])).toEqual([
      ['SKU1', 100],
      ['SKU3', 999],
    ]);
    expect(await findByBarcode(db, '4000003')).toMatchObject({ sku: 'SKU3' });
    expect(await findByBarcode(db, '4000002')).toBeUndefined();
    expect(await getMeta(db, 'catalogVersion')).toBe(2);
    expect((await db.device.toCollection().first())?.store.name).toBe('Store v2');

    await applyCatalog(db, answer(5, true, [product(4)]));
    expect((await listProducts(db)).map((p) => p.sku)).toEqual(['SKU4']);
  });
});
