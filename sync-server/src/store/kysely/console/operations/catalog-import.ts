import { type CatalogImportResponse, uuidv7 } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ImportedProduct, ProductFields } from '../../../console/operations-store.ts';
import { actorOf, type ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { runInTransaction } from '../../ledger-dialect.ts';
import { insertAudit } from '../audit.ts';
import { changedFields } from './diff.ts';
import { bumpCatalogVersion, fieldsOf, productColumns, productsOf, toManagerProduct } from './products.ts';

/** Rows per multi-row insert; keeps well under the databases' parameter limits. */
const INSERT_CHUNK = 100;

/**
 * A checked CSV catalog, upserted by SKU in ONE transaction (all or nothing, MGR-10): new SKUs
 * are created, changed ones updated, identical ones left alone. Everything changed carries one
 * new catalog version, so tills get exactly these changes on their next sync; an import that
 * changes nothing bumps nothing. One audit row `catalog.import` says what it did.
 */
export async function importConsoleProducts(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  rows: ImportedProduct[],
  now: string,
): Promise<CatalogImportResponse> {
  return runInTransaction(db, async (trx) => {
    const existing = new Map(
      (await productsOf(trx, scope).execute()).map((row) => [row.sku, toManagerProduct(row)] as const),
    );
    const creates: { id: string; fields: ProductFields }[] = [];
    const updates: { id: string; fields: ProductFields }[] = [];
    let unchanged = 0;
    for (const row of rows) {
      const current = existing.get(row.sku);
      if (current === undefined) {
        creates.push({ id: uuidv7(), fields: { ...row, active: row.active ?? true } });
        continue;
      }
      const fields = { ...row, active: row.active ?? current.active };
      if (changedFields(fieldsOf(current), fields) === undefined) unchanged += 1;
      else updates.push({ id: current.id, fields });
    }

    const store = await trx
      .selectFrom('stores')
      .select('catalog_version')
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', scope.storeId)
      .executeTakeFirstOrThrow();
    let version = store.catalog_version;
    if (creates.length + updates.length > 0) {
      version = await bumpCatalogVersion(trx, scope);
      for (let start = 0; start < creates.length; start += INSERT_CHUNK) {
        await trx
          .insertInto('products')
          .values(
            creates.slice(start, start + INSERT_CHUNK).map(({ id, fields }) => ({
              id,
              tenant_id: scope.tenantId,
              store_id: scope.storeId,
              ...productColumns(fields, version),
            })),
          )
          .execute();
      }
      for (const { id, fields } of updates) {
        await trx
          .updateTable('products')
          .set(productColumns(fields, version))
          .where('tenant_id', '=', scope.tenantId)
          .where('store_id', '=', scope.storeId)
          .where('id', '=', id)
          .execute();
      }
    }
    const result = { created: creates.length, updated: updates.length, unchanged, catalogVersion: version };
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'catalog.import',
      targetType: 'store',
      targetId: scope.storeId,
      reason: null,
      detail: { ...result, rows: rows.length },
      at: now,
    });
    return result;
  });
}
