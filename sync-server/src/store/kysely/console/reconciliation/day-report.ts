import type { Amount, DayReport } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleDay } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope, InstantRange } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { reconciliationChecks } from './checks.ts';
import { dayFigures } from './day-figures.ts';
import { type DayCardPayment, type DaySale, loadDayLedger } from './day-ledger.ts';
import { shiftRows } from './shifts.ts';
import { type StoreDevice, storeDevices } from './store-devices.ts';
import { tillTimeWindow } from './till-time.ts';
import { moneyOf } from './wording.ts';

/**
 * The end-of-day reconciliation (MGR-11): till ↔ server (sequence coverage, unsent counts the
 * tills report, duplicates, flags), server ↔ gateway (captures with a reference), card outcomes,
 * declined-after-forwarding follow-ups and drawers, each as a named check.
 */
export async function dayReport(db: Kysely<LedgerTables>, scope: ConsoleScope, day: ConsoleDay): Promise<DayReport> {
  const [ledger, devices, drawers] = await Promise.all([
    loadDayLedger(db, scope, day.range),
    storeDevices(db, scope),
    shiftRows(db, scope, { range: day.range, includeOpen: false }),
  ]);
  const daySaleIds = new Set(ledger.sales.map((sale) => sale.id));
  const [batches, sequenceIssues] = await Promise.all([
    dayBatches(db, scope, day.range, daySaleIds),
    daySequenceIssues(db, scope, day.range, daySaleIds),
  ]);
  const figures = dayFigures(ledger.sales, ledger.cardPayments);
  const captured = ledger.cardPayments.filter((payment) => payment.state === 'captured');
  const report = {
    storeId: scope.storeId,
    storeName: scope.store.name,
    storeCode: scope.store.code,
    date: day.date,
    timezone: scope.store.timezone,
    currency: scope.store.currency,
    from: day.range.from,
    to: day.range.to,
    generatedAt: day.now,
    sales: figures.sales,
    tenders: figures.tenders,
    cardOutcomes: figures.cardOutcomes,
    declinedAfterForwarding: declinedAfterForwarding(ledger.cardPayments),
    devices: await deviceCoverage(db, scope, ledger.sales, devices),
    batches,
    sequenceIssues,
    drawers,
    gateway: {
      captured: amountOf(captured),
      withReference: captured.filter((payment) => payment.gatewayRef !== null && payment.gatewayRef !== '').length,
    },
  };
  const checks = reconciliationChecks(report, moneyOf(scope));
  return { ...report, checks, balances: checks.every((check) => check.ok) };
}

function amountOf(payments: readonly DayCardPayment[]): Amount {
  return { count: payments.length, amount: payments.reduce((total, payment) => total + payment.amount, 0) };
}

/** Stored payments the gateway declined when they were forwarded, by what a manager decided. */
function declinedAfterForwarding(payments: readonly DayCardPayment[]): DayReport['declinedAfterForwarding'] {
  const declined = payments.filter((payment) => payment.entry === 'stored' && payment.state === 'declined');
  const all = amountOf(declined);
  return {
    count: all.count,
    amount: all.amount,
    writtenOff: amountOf(declined.filter((payment) => payment.followUp === 'written_off')),
    paidElsewhere: amountOf(declined.filter((payment) => payment.followUp === 'paid_elsewhere')),
    open: amountOf(declined.filter((payment) => payment.followUp === null)),
  };
}

/**
 * Per device that sold that day or is active: its day's sales, the first and last seq of the
 * day and how many seqs between them the server does not have (stored on any day counts: a
 * till's clock may put a sale on another day), and what the till last reported.
 */
async function deviceCoverage(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  sales: readonly DaySale[],
  devices: readonly StoreDevice[],
): Promise<DayReport['devices']> {
  const coverage: DayReport['devices'] = [];
  for (const device of devices) {
    const own = sales.filter((sale) => sale.deviceId === device.id);
    if (own.length === 0 && device.status !== 'active') continue;
    const seqs = own.map((sale) => sale.deviceSeq);
    const firstSeq = seqs.length > 0 ? Math.min(...seqs) : null;
    const lastSeq = seqs.length > 0 ? Math.max(...seqs) : null;
    let missingSeqs = 0;
    if (firstSeq !== null && lastSeq !== null) {
      const stored = await db
        .selectFrom('sales')
        .select((eb) => eb.fn.count<number>('device_seq').distinct().as('n'))
        .where('tenant_id', '=', scope.tenantId)
        .where('store_id', '=', scope.storeId)
        .where('device_id', '=', device.id)
        .where('device_seq', '>=', firstSeq)
        .where('device_seq', '<=', lastSeq)
        .executeTakeFirst();
      missingSeqs = lastSeq - firstSeq + 1 - Number(stored?.n ?? 0);
    }
    coverage.push({
      deviceId: device.id,
      deviceNo: device.deviceNo,
      name: device.name,
      saleCount: own.length,
      total: own.reduce((total, sale) => total + sale.total, 0),
      firstSeq,
      lastSeq,
      missingSeqs,
      unsentReported: device.unsentCount,
      lastSeenAt: device.lastSeenAt,
    });
  }
  return coverage;
}

/**
 * The pushes that carried the day's sales: how many batches, how many deliveries of the day's
 * sales they held, how many were duplicates (already stored) and how many were flagged. Read
 * through `batch_sales`, so a sale sent on a later day still counts for the day it was made.
 */
async function dayBatches(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
  daySaleIds: ReadonlySet<string>,
): Promise<DayReport['batches']> {
  const window = tillTimeWindow(range);
  const rows = await db
    .selectFrom('batch_sales')
    .innerJoin('batches', 'batches.id', 'batch_sales.batch_id')
    .innerJoin('sales', (join) =>
      join.onRef('sales.tenant_id', '=', 'batches.tenant_id').onRef('sales.id', '=', 'batch_sales.sale_id'),
    )
    .select(['batch_sales.batch_id', 'batch_sales.sale_id', 'batch_sales.status'])
    .where('batches.tenant_id', '=', scope.tenantId)
    .where('batches.store_id', '=', scope.storeId)
    .where('sales.created_at', '>=', window.from)
    .where('sales.created_at', '<', window.to)
    .execute();
  const deliveries = rows.filter((row) => daySaleIds.has(row.sale_id));
  return {
    count: new Set(deliveries.map((row) => row.batch_id)).size,
    sales: deliveries.length,
    duplicates: deliveries.filter((row) => row.status === 'duplicate').length,
    flagged: deliveries.filter((row) => row.status === 'flagged').length,
  };
}

/**
 * Sequence problems of the day: every one still open (whenever found), those detected during
 * the day, and those revealed by one of the day's sales (a till may send a day's sales later).
 */
async function daySequenceIssues(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
  daySaleIds: ReadonlySet<string>,
): Promise<DayReport['sequenceIssues']> {
  const window = tillTimeWindow(range);
  const rows = await db
    .selectFrom('sequence_issues')
    .leftJoin('sales', (join) =>
      join.onRef('sales.tenant_id', '=', 'sequence_issues.tenant_id').onRef('sales.id', '=', 'sequence_issues.sale_id'),
    )
    .select([
      'sequence_issues.resolved_at',
      'sequence_issues.acknowledged_at',
      'sequence_issues.detected_at',
      'sequence_issues.sale_id',
    ])
    .where('sequence_issues.tenant_id', '=', scope.tenantId)
    .where('sequence_issues.store_id', '=', scope.storeId)
    .where((eb) =>
      eb.or([
        eb('sequence_issues.resolved_at', 'is', null),
        eb.and([eb('sequence_issues.detected_at', '>=', range.from), eb('sequence_issues.detected_at', '<', range.to)]),
        eb.and([eb('sales.created_at', '>=', window.from), eb('sales.created_at', '<', window.to)]),
      ]),
    )
    .execute();
  const ofTheDay = rows.filter(
    (row) =>
      row.resolved_at === null ||
      (row.detected_at >= range.from && row.detected_at < range.to) ||
      daySaleIds.has(row.sale_id),
  );
  // Acknowledged by a manager (MGR-13) counts as dealt with; the issue itself stays on record.
  const open = ofTheDay.filter((row) => row.resolved_at === null && row.acknowledged_at === null).length;
  return { open, resolved: ofTheDay.length - open };
}
