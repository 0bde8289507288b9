import type { BatchDetail, BatchesResponse, BatchRow } from '@till/shared';
import type { Kysely } from 'kysely';
import type { BatchFilter } from '../../../console/operations-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { olderThan, pageOf } from './page.ts';
import { SALE_ROW_COLUMNS, toSaleRow } from './rows.ts';

function batchesQuery(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('batches')
    .innerJoin('devices', 'devices.id', 'batches.device_id')
    .select([
      'batches.id',
      'batches.device_id',
      'devices.device_no',
      'devices.name as device_name',
      'batches.received_at',
      'batches.sale_count',
      'batches.new_count',
      'batches.duplicate_count',
      'batches.flagged_count',
      'batches.total',
    ])
    .where('batches.tenant_id', '=', scope.tenantId)
    .where('batches.store_id', '=', scope.storeId);
}

type BatchColumns = Awaited<ReturnType<ReturnType<typeof batchesQuery>['executeTakeFirstOrThrow']>>;

function toBatchRow(row: BatchColumns): BatchRow {
  return {
    id: row.id,
    deviceId: row.device_id,
    deviceNo: row.device_no,
    deviceName: row.device_name,
    receivedAt: row.received_at,
    saleCount: row.sale_count,
    newCount: row.new_count,
    duplicateCount: row.duplicate_count,
    flaggedCount: row.flagged_count,
    total: Number(row.total),
  };
}

export async function consoleBatches(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  filter: BatchFilter,
): Promise<BatchesResponse> {
  let query = batchesQuery(db, scope);
  if (filter.range.from !== undefined) query = query.where('batches.received_at', '>=', filter.range.from);
  if (filter.range.to !== undefined) query = query.where('batches.received_at', '<', filter.range.to);
  if (filter.deviceId !== undefined) query = query.where('batches.device_id', '=', filter.deviceId);
  if (filter.before !== undefined) query = query.where(olderThan('batches.received_at', 'batches.id', filter.before));
  const rows = await query
    .orderBy('batches.received_at', 'desc')
    .orderBy('batches.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = pageOf(rows, filter.limit, (row) => ({ at: row.received_at, id: row.id }), toBatchRow);
  return { batches: page.items, nextBefore: page.nextBefore };
}

/**
 * A batch and every sale it carried, in the order sent, duplicates included (each shows the
 * stored sale it duplicated). Only sales of this store are shown (I10).
 */
export async function consoleBatch(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  batchId: string,
): Promise<BatchDetail | undefined> {
  const batch = await batchesQuery(db, scope).where('batches.id', '=', batchId).executeTakeFirst();
  if (batch === undefined) return undefined;
  const sales = await db
    .selectFrom('batch_sales')
    .innerJoin('sales', (join) =>
      join
        .onRef('sales.id', '=', 'batch_sales.sale_id')
        .on('sales.tenant_id', '=', scope.tenantId)
        .on('sales.store_id', '=', scope.storeId),
    )
    .innerJoin('devices', 'devices.id', 'sales.device_id')
    .select([...SALE_ROW_COLUMNS, 'batch_sales.position', 'batch_sales.status as batch_status'])
    .where('batch_sales.batch_id', '=', batch.id)
    .orderBy('batch_sales.position')
    .execute();
  return {
    batch: toBatchRow(batch),
    sales: sales.map((row) => ({ position: row.position, status: row.batch_status, sale: toSaleRow(row) })),
  };
}
