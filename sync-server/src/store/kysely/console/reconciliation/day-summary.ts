import type { DaySummary } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleDay } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { dayAlerts } from './alerts.ts';
import { captureBacklog } from './backlog.ts';
import { dayFigures, devicesDayTotals, salesPerHour } from './day-figures.ts';
import { loadDayLedger } from './day-ledger.ts';
import { shiftRows } from './shifts.ts';
import { storeDevices } from './store-devices.ts';

/**
 * The Today page for one store-time day. Its card outcomes are the payments of the day's sales
 * by state, so they add up to the day's card tenders (I7, MGR-9) unless a tender has no payment
 * record at all — which the day report's `card_total_splits` check names.
 */
export async function daySummary(db: Kysely<LedgerTables>, scope: ConsoleScope, day: ConsoleDay): Promise<DaySummary> {
  const [ledger, devices, drawers, backlog] = await Promise.all([
    loadDayLedger(db, scope, day.range),
    storeDevices(db, scope),
    shiftRows(db, scope, { range: day.range, includeOpen: false }),
    captureBacklog(db, scope, day.range, day.now),
  ]);
  const figures = dayFigures(ledger.sales, ledger.cardPayments);
  const { flagged: _flagged, ...sales } = figures.sales;
  return {
    storeId: scope.storeId,
    date: day.date,
    timezone: scope.store.timezone,
    currency: scope.store.currency,
    from: day.range.from,
    to: day.range.to,
    sales,
    tenders: figures.tenders,
    byDevice: devicesDayTotals(ledger.sales, devices),
    cardOutcomes: figures.cardOutcomes,
    salesPerHour: salesPerHour(ledger.sales, scope.store.timezone),
    backlog,
    alerts: await dayAlerts(db, scope, day, { sales: ledger.sales, devices, drawers }),
  };
}
