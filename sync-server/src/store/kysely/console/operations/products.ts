import type { ManagerProduct, ProductsResponse } from '@till/shared';
import type { Kysely, Selectable } from 'kysely';
import type { NewProduct, ProductChange, ProductFields } from '../../../console/operations-store.ts';
import { actorOf, type ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables, ProductsTable } from '../../../tables.ts';
import { runInTransaction } from '../../ledger-dialect.ts';
import { toFlag } from '../../rows.ts';
import { insertAudit } from '../audit.ts';
import { changedFields } from './diff.ts';

export function toManagerProduct(row: Selectable<ProductsTable>): ManagerProduct {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    barcodes: JSON.parse(row.barcodes) as string[],
    price: Number(row.price),
    taxRateBp: row.tax_rate_bp,
    active: row.active === 1,
    version: row.version,
  };
}

/** What a product is, without its id and version: what a change compares. */
export function fieldsOf(product: ManagerProduct): ProductFields {
  const { id: _id, version: _version, ...fields } = product;
  return fields;
}

export function productColumns(fields: ProductFields, version: number) {
  return {
    sku: fields.sku,
    name: fields.name,
    category: fields.category,
    barcodes: JSON.stringify(fields.barcodes),
    price: fields.price,
    tax_rate_bp: fields.taxRateBp,
    active: toFlag(fields.active),
    version,
  };
}

/**
 * The store's next catalog version, taken inside the caller's write transaction: every product
 * changed in it carries this version, so a till asking `since` its old version sees exactly
 * these changes (the same rule as admin-queries' saveProducts).
 */
export async function bumpCatalogVersion(trx: Kysely<LedgerTables>, scope: ConsoleScope): Promise<number> {
  const store = await trx
    .selectFrom('stores')
    .select('catalog_version')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', scope.storeId)
    .executeTakeFirstOrThrow();
  const version = store.catalog_version + 1;
  await trx
    .updateTable('stores')
    .set({ catalog_version: version })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', scope.storeId)
    .execute();
  return version;
}

export function productsOf(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId);
}

export async function consoleProducts(db: Kysely<LedgerTables>, scope: ConsoleScope): Promise<ProductsResponse> {
  const [store, rows] = await Promise.all([
    db
      .selectFrom('stores')
      .select('catalog_version')
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', scope.storeId)
      .executeTakeFirstOrThrow(),
    productsOf(db, scope).orderBy('category').orderBy('name').orderBy('id').execute(),
  ]);
  return { catalogVersion: store.catalog_version, products: rows.map(toManagerProduct) };
}

async function skuTaken(trx: Kysely<LedgerTables>, scope: ConsoleScope, sku: string, exceptId: string | null) {
  let query = productsOf(trx, scope).where('sku', '=', sku);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createConsoleProduct(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  product: NewProduct,
  now: string,
): Promise<ProductChange> {
  return runInTransaction(db, async (trx) => {
    if (await skuTaken(trx, scope, product.sku, null)) return { kind: 'sku_taken' };
    const version = await bumpCatalogVersion(trx, scope);
    const { id, ...fields } = product;
    await trx
      .insertInto('products')
      .values({ id, tenant_id: scope.tenantId, store_id: scope.storeId, ...productColumns(fields, version) })
      .execute();
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'product.create',
      targetType: 'product',
      targetId: id,
      reason: null,
      detail: { after: fields, catalogVersion: version },
      at: now,
    });
    return { kind: 'saved', product: { id, ...fields, version } };
  });
}

/** Saving a product unchanged changes, bumps and audits nothing. */
export async function updateConsoleProduct(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  productId: string,
  fields: ProductFields,
  now: string,
): Promise<ProductChange | { kind: 'not_found' }> {
  return runInTransaction(db, async (trx) => {
    const row = await productsOf(trx, scope).where('id', '=', productId).executeTakeFirst();
    if (row === undefined) return { kind: 'not_found' };
    const before = toManagerProduct(row);
    const diff = changedFields(fieldsOf(before), fields);
    if (diff === undefined) return { kind: 'saved', product: before };
    if (fields.sku !== before.sku && (await skuTaken(trx, scope, fields.sku, productId))) return { kind: 'sku_taken' };
    const version = await bumpCatalogVersion(trx, scope);
    await trx
      .updateTable('products')
      .set(productColumns(fields, version))
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('id', '=', productId)
      .execute();
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'product.update',
      targetType: 'product',
      targetId: productId,
      reason: null,
      detail: { sku: fields.sku, ...diff, catalogVersion: version },
      at: now,
    });
    return { kind: 'saved', product: { id: productId, ...fields, version } };
  });
}
