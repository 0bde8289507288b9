import type { Sale, SaleDetail, SalesResponse } from '@till/shared';
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { SaleFilter } from '../../../console/operations-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { olderThan, pageOf } from './page.ts';
import { paymentsOfSale } from './payments.ts';
import { SALE_ROW_COLUMNS, toSaleRow } from './rows.ts';

function salesQuery(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('sales')
    .innerJoin('devices', 'devices.id', 'sales.device_id')
    .where('sales.tenant_id', '=', scope.tenantId)
    .where('sales.store_id', '=', scope.storeId);
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function consoleSales(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  filter: SaleFilter,
): Promise<SalesResponse> {
  let query = salesQuery(db, scope).select(SALE_ROW_COLUMNS);
  if (filter.range.from !== undefined) query = query.where('sales.created_at', '>=', filter.range.from);
  if (filter.range.to !== undefined) query = query.where('sales.created_at', '<', filter.range.to);
  if (filter.receiptNo !== undefined) {
    // A part of the number finds it too (the exact number is a part of itself).
    query = query.where(
      sql<SqlBool>`${sql.ref('sales.receipt_no')} like ${likeSubstring(filter.receiptNo)} escape '\\'`,
    );
  }
  if (filter.deviceId !== undefined) query = query.where('sales.device_id', '=', filter.deviceId);
  if (filter.minTotal !== undefined) query = query.where('sales.total', '>=', filter.minTotal);
  if (filter.maxTotal !== undefined) query = query.where('sales.total', '<=', filter.maxTotal);
  if (filter.tender === 'card') query = query.where('sales.card_total', '>', 0);
  if (filter.tender === 'cash') query = query.where('sales.cash_total', '<>', 0);
  if (filter.flagged !== undefined) query = query.where('sales.status', '=', filter.flagged ? 'flagged' : 'new');
  if (filter.before !== undefined) query = query.where(olderThan('sales.created_at', 'sales.id', filter.before));
  const rows = await query
    .orderBy('sales.created_at', 'desc')
    .orderBy('sales.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = pageOf(rows, filter.limit, (row) => ({ at: row.created_at, id: row.id }), toSaleRow);
  return { sales: page.items, nextBefore: page.nextBefore };
}

/**
 * One sale as sold (lines, totals, tenders from the stored payload — tenders without their
 * gateway tokens), its card payments with their attempts, the sequence issues its arrival
 * revealed, and how many conflicting copies were kept aside.
 */
export async function consoleSale(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  saleId: string,
): Promise<SaleDetail | undefined> {
  const row = await salesQuery(db, scope)
    .select([...SALE_ROW_COLUMNS, 'sales.payload', 'sales.batch_id', 'sales.currency'])
    .where('sales.id', '=', saleId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const sale = JSON.parse(row.payload) as Sale;
  const [payments, issues, conflicts] = await Promise.all([
    paymentsOfSale(db, scope, saleId),
    db
      .selectFrom('sequence_issues')
      .select(['kind', 'from_seq', 'to_seq', 'detail', 'resolved_at'])
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('sale_id', '=', saleId)
      .orderBy('detected_at')
      .execute(),
    db
      .selectFrom('sale_conflicts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('sale_id', '=', saleId)
      .executeTakeFirst(),
  ]);
  return {
    sale: toSaleRow(row),
    batchId: row.batch_id,
    currency: sale.currency,
    lines: sale.lines,
    totals: sale.totals,
    tenders: sale.tenders.map((tender) =>
      tender.kind === 'cash'
        ? { id: tender.id, kind: tender.kind, amount: tender.amount, tendered: tender.tendered, change: tender.change }
        : {
            id: tender.id,
            kind: tender.kind,
            amount: tender.amount,
            brand: tender.brand,
            last4: tender.last4,
            entry: tender.entry,
          },
    ),
    payments,
    sequenceIssues: issues.map((issue) => ({
      kind: issue.kind,
      fromSeq: issue.from_seq,
      toSeq: issue.to_seq,
      detail: issue.detail,
      resolvedAt: issue.resolved_at,
    })),
    conflictingCopies: Number(conflicts?.n ?? 0),
  };
}
