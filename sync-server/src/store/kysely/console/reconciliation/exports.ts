import type { Kysely } from 'kysely';
import type { BatchExportRow, PaymentExportRow, SaleExportRow } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope, InstantRange } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { isWithin, tillTimeWindow } from './till-time.ts';

/** The rows behind the CSV exports (MGR-12). Scoped by tenant and store; no gateway tokens. */

export async function exportSales(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
): Promise<SaleExportRow[]> {
  const window = tillTimeWindow(range);
  const rows = await db
    .selectFrom('sales')
    .innerJoin('devices', (join) =>
      join.onRef('devices.tenant_id', '=', 'sales.tenant_id').onRef('devices.id', '=', 'sales.device_id'),
    )
    .select([
      'sales.id',
      'sales.receipt_no',
      'devices.device_no',
      'devices.name as device_name',
      'sales.device_seq',
      'sales.created_at',
      'sales.received_at',
      'sales.currency',
      'sales.total',
      'sales.tax',
      'sales.discount',
      'sales.cash_total',
      'sales.card_total',
      'sales.cashier',
      'sales.shift_id',
      'sales.status',
      'sales.flags',
    ])
    .where('sales.tenant_id', '=', scope.tenantId)
    .where('sales.store_id', '=', scope.storeId)
    .where('sales.created_at', '>=', window.from)
    .where('sales.created_at', '<', window.to)
    .orderBy('devices.device_no')
    .orderBy('sales.device_seq')
    .orderBy('sales.arrival_no')
    .execute();
  return rows
    .filter((row) => isWithin(row.created_at, range))
    .map((row) => ({
      saleId: row.id,
      receiptNo: row.receipt_no,
      deviceNo: row.device_no,
      deviceName: row.device_name,
      deviceSeq: row.device_seq,
      createdAt: row.created_at,
      receivedAt: row.received_at,
      currency: row.currency,
      total: Number(row.total),
      tax: Number(row.tax),
      discount: Number(row.discount),
      cash: Number(row.cash_total),
      card: Number(row.card_total),
      cashier: row.cashier,
      shiftId: row.shift_id,
      status: row.status,
      flags: parseFlags(row.flags),
    }));
}

/**
 * Card payments of the sales made in the range, and payments no sale has confirmed yet that
 * were first seen in it: the same days as the sales export, so the two files reconcile.
 */
export async function exportPayments(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
): Promise<PaymentExportRow[]> {
  const window = tillTimeWindow(range);
  const rows = await db
    .selectFrom('payments')
    .innerJoin('devices', (join) =>
      join.onRef('devices.tenant_id', '=', 'payments.tenant_id').onRef('devices.id', '=', 'payments.device_id'),
    )
    .leftJoin('sales', (join) =>
      join.onRef('sales.tenant_id', '=', 'payments.tenant_id').onRef('sales.id', '=', 'payments.sale_id'),
    )
    // Column by column: the gateway token is never read for an export (I8).
    .select([
      'payments.id',
      'payments.sale_id',
      'sales.receipt_no',
      'sales.created_at as sold_at',
      'sales.cashier',
      'devices.device_no',
      'devices.name as device_name',
      'payments.currency',
      'payments.amount',
      'payments.brand',
      'payments.last4',
      'payments.entry',
      'payments.stored_reason',
      'payments.state',
      'payments.attempts',
      'payments.decline_code',
      'payments.gateway_ref',
      'payments.created_at',
      'payments.captured_at',
      'payments.follow_up',
      'payments.follow_up_by',
      'payments.follow_up_reason',
    ])
    .where('payments.tenant_id', '=', scope.tenantId)
    .where('payments.store_id', '=', scope.storeId)
    .where((eb) =>
      eb.or([
        eb.and([eb('sales.created_at', '>=', window.from), eb('sales.created_at', '<', window.to)]),
        eb.and([
          eb('sales.id', 'is', null),
          eb('payments.created_at', '>=', range.from),
          eb('payments.created_at', '<', range.to),
        ]),
      ]),
    )
    .orderBy('payments.created_at')
    .orderBy('payments.id')
    .execute();
  return rows
    .map((row) => ({ ...row, sold_at: row.sold_at ?? row.created_at }))
    .filter((row) => isWithin(row.sold_at, range))
    .map((row) => ({
      paymentId: row.id,
      saleId: row.sale_id,
      receiptNo: row.receipt_no,
      soldAt: row.sold_at,
      deviceNo: row.device_no,
      deviceName: row.device_name,
      cashier: row.cashier,
      currency: row.currency,
      amount: Number(row.amount),
      brand: row.brand,
      last4: row.last4,
      entry: row.entry,
      storedReason: row.stored_reason,
      state: row.state,
      attempts: row.attempts,
      declineCode: row.decline_code,
      gatewayRef: row.gateway_ref,
      createdAt: row.created_at,
      capturedAt: row.captured_at,
      followUp: row.follow_up,
      followUpBy: row.follow_up_by,
      followUpReason: row.follow_up_reason,
    }));
}

/** Batches received in the range (server clock), oldest first. */
export async function exportBatches(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
): Promise<BatchExportRow[]> {
  const rows = await db
    .selectFrom('batches')
    .innerJoin('devices', (join) =>
      join.onRef('devices.tenant_id', '=', 'batches.tenant_id').onRef('devices.id', '=', 'batches.device_id'),
    )
    .select([
      'batches.id',
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
    .where('batches.store_id', '=', scope.storeId)
    .where('batches.received_at', '>=', range.from)
    .where('batches.received_at', '<', range.to)
    .orderBy('batches.received_at')
    .orderBy('batches.id')
    .execute();
  return rows.map((row) => ({
    batchId: row.id,
    deviceNo: row.device_no,
    deviceName: row.device_name,
    receivedAt: row.received_at,
    saleCount: row.sale_count,
    newCount: row.new_count,
    duplicateCount: row.duplicate_count,
    flaggedCount: row.flagged_count,
    total: Number(row.total),
  }));
}

function parseFlags(text: string): string[] {
  try {
    const flags: unknown = JSON.parse(text);
    return Array.isArray(flags) ? flags.map(String) : [];
  } catch {
    return [];
  }
}
